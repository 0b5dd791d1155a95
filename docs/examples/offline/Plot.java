// Tables and charts of run-experiment.sh's results.csv:
//   java -cp env-server/target/zeroshot.jar docs/examples/offline/Plot.java OUT/results.csv OUT
// writes OUT/summary.md (means over seeds, each seed's value in brackets), OUT/gap-<game>.png
// (normalized return on training and unseen levels per algorithm) and OUT/diversity.png.
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.LinkedHashMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

public class Plot {
  record Row(String game, String algo, int levels, int seed, String split, double ret, double norm, int trainS, int gapS) {}

  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<Row> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split(",");
      rows.add(new Row(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], Double.parseDouble(f[7]),
          f[9].equals("n/a") ? Double.NaN : Double.parseDouble(f[9]), Integer.parseInt(f[10]), Integer.parseInt(f[11])));
    }
    Path out = Path.of(args[1]);
    StringBuilder md = new StringBuilder();
    List<String> algoOrder = List.of("random", "bc", "cql", "iql", "bcq");
    md.append("### Training levels 0:200 against unseen levels (normalized return, mean over seeds [each seed])\n\n");
    md.append("| game | algorithm | seeds | train | unseen | gap (train - unseen) | raw train / unseen | train s per run |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    Map<String, DefaultCategoryDataset> charts = new LinkedHashMap<>();
    for (String game : rows.stream().map(Row::game).distinct().sorted().toList()) {
      DefaultCategoryDataset ds = new DefaultCategoryDataset();
      for (String algo : algoOrder) {
        List<Row> tr = select(rows, game, algo, 200, "train");
        List<Row> te = select(rows, game, algo, 200, "test");
        if (tr.isEmpty()) {
          continue;
        }
        md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %.2f / %.2f | %.0f |%n", game,
            algo.equals("random") ? "untrained (random)" : algo.toUpperCase(Locale.ROOT), tr.size(), cell(tr), cell(te),
            String.format(Locale.ROOT, "%+.3f", mean(tr) - mean(te)), meanRaw(tr), meanRaw(te),
            tr.stream().mapToInt(Row::trainS).average().orElse(0)));
        ds.addValue(mean(tr), "training levels 0:199", algo);
        ds.addValue(mean(te), "unseen levels", algo);
      }
      charts.put(game, ds);
    }
    md.append("\n### Diversity: BC on the same number of transitions from more levels (maze)\n\n");
    md.append("| training levels | seeds | train | unseen | gap (train - unseen) | raw train / unseen |\n|---|---|---|---|---|---|\n");
    XYSeries trS = new XYSeries("training levels");
    XYSeries teS = new XYSeries("unseen levels");
    XYSeries gapS = new XYSeries("gap (train - unseen)");
    for (int lv : rows.stream().filter(r -> r.game.equals("maze") && r.algo.equals("bc")).map(Row::levels).distinct().sorted().toList()) {
      List<Row> tr = select(rows, "maze", "bc", lv, "train");
      List<Row> te = select(rows, "maze", "bc", lv, "test");
      md.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %+.3f | %.2f / %.2f |%n", lv, tr.size(), cell(tr), cell(te),
          mean(tr) - mean(te), meanRaw(tr), meanRaw(te)));
      trS.add(lv, mean(tr));
      teS.add(lv, mean(te));
      gapS.add(lv, mean(tr) - mean(te));
    }
    Files.writeString(out.resolve("summary.md"), md.toString());
    for (var e : charts.entrySet()) {
      JFreeChart c = ChartFactory.createBarChart(e.getKey() + ": normalized return, mean over seeds", "algorithm",
          "normalized return", e.getValue(), PlotOrientation.VERTICAL, true, false, false);
      ChartUtils.saveChartAsPNG(out.resolve("gap-" + e.getKey() + ".png").toFile(), c, 800, 450);
    }
    if (trS.getItemCount() > 0) {
      XYSeriesCollection xy = new XYSeriesCollection();
      xy.addSeries(trS);
      xy.addSeries(teS);
      xy.addSeries(gapS);
      JFreeChart c = ChartFactory.createXYLineChart("maze BC: same transitions, more levels", "training levels",
          "normalized return", xy, PlotOrientation.VERTICAL, true, false, false);
      c.getXYPlot().setDomainAxis(new LogAxis("training levels (log scale)"));
      ChartUtils.saveChartAsPNG(out.resolve("diversity.png").toFile(), c, 800, 450);
    }
  }

  static List<Row> select(List<Row> rows, String game, String algo, int levels, String split) {
    return rows.stream().filter(r -> r.game.equals(game) && r.algo.equals(algo) && r.levels == levels && r.split.equals(split))
        .sorted((a, b) -> Integer.compare(a.seed, b.seed)).toList();
  }

  static double mean(List<Row> rs) {
    return rs.stream().mapToDouble(Row::norm).average().orElse(Double.NaN);
  }

  static double meanRaw(List<Row> rs) {
    return rs.stream().mapToDouble(Row::ret).average().orElse(Double.NaN);
  }

  static String cell(List<Row> rs) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%.3f", mean(rs)));
    if (rs.size() > 1) {
      b.append(" [");
      for (int i = 0; i < rs.size(); i++) {
        b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", rs.get(i).norm));
      }
      b.append("]");
    }
    return b.toString();
  }
}
