// Tables and charts of run-experiment.sh's results.csv:
//   java -cp env-server/target/zeroshot.jar docs/examples/offline/Plot.java OUT/results.csv OUT
// writes OUT/summary.md (means over seeds, each seed's value in brackets), OUT/gap-<game>.png
// (normalized return on training and unseen levels per algorithm, +-1 std over seeds as error bars) and
// OUT/diversity.png (the same against the number of training levels, +-1 std over seeds as bands), in the
// charts' common theme (dev.zeroshot.agents.ChartTheme).
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.LinkedHashMap;
import dev.zeroshot.agents.ChartTheme;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

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
    Map<String, DefaultStatisticalCategoryDataset> charts = new LinkedHashMap<>();
    for (String game : rows.stream().map(Row::game).distinct().sorted().toList()) {
      DefaultStatisticalCategoryDataset ds = new DefaultStatisticalCategoryDataset();
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
        ds.add((Number) mean(tr), sd(tr), "training levels 0:199", algo);
        ds.add((Number) mean(te), sd(te), "unseen levels", algo);
      }
      charts.put(game, ds);
    }
    md.append("\n### Diversity: BC on the same number of transitions from more levels (maze)\n\n");
    md.append("| training levels | seeds | train | unseen | gap (train - unseen) | raw train / unseen |\n|---|---|---|---|---|---|\n");
    YIntervalSeries trS = new YIntervalSeries("training levels");
    YIntervalSeries teS = new YIntervalSeries("unseen levels");
    YIntervalSeries gapS = new YIntervalSeries("gap (train - unseen)");
    for (int lv : rows.stream().filter(r -> r.game.equals("maze") && r.algo.equals("bc")).map(Row::levels).distinct().sorted().toList()) {
      List<Row> tr = select(rows, "maze", "bc", lv, "train");
      List<Row> te = select(rows, "maze", "bc", lv, "test");
      md.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %+.3f | %.2f / %.2f |%n", lv, tr.size(), cell(tr), cell(te),
          mean(tr) - mean(te), meanRaw(tr), meanRaw(te)));
      trS.add(lv, mean(tr), mean(tr) - sd(tr), mean(tr) + sd(tr));
      teS.add(lv, mean(te), mean(te) - sd(te), mean(te) + sd(te));
      double[] gaps = new double[tr.size()]; // per seed: train and unseen of the same run
      for (int i = 0; i < gaps.length; i++) {
        gaps[i] = tr.get(i).norm - te.get(i).norm;
      }
      double gap = mean(tr) - mean(te);
      double gapSd = sd(gaps);
      gapS.add(lv, gap, gap - gapSd, gap + gapSd);
    }
    Files.writeString(out.resolve("summary.md"), md.toString());
    for (var e : charts.entrySet()) {
      StatisticalBarRenderer bars = new StatisticalBarRenderer();
      CategoryPlot plot = new CategoryPlot(e.getValue(), new CategoryAxis("algorithm"), new NumberAxis("normalized return"),
          bars);
      JFreeChart c = ChartTheme.apply(new JFreeChart(e.getKey() + ": normalized return, mean \u00b1 1 std over seeds",
          ChartTheme.titleFont(), plot, true));
      bars.setErrorIndicatorPaint(java.awt.Color.BLACK);
      bars.setSeriesPaint(0, ChartTheme.color(0));
      bars.setSeriesPaint(1, ChartTheme.color(1));
      ChartTheme.save(c, out.resolve("gap-" + e.getKey() + ".png"), 800, 450);
    }
    if (trS.getItemCount() > 0) {
      YIntervalSeriesCollection xy = new YIntervalSeriesCollection();
      xy.addSeries(trS);
      xy.addSeries(teS);
      xy.addSeries(gapS);
      DeviationRenderer bands = new DeviationRenderer(true, true);
      LogAxis levels = new LogAxis("training levels (log scale)");
      levels.setNumberFormatOverride(new java.text.DecimalFormat("#,##0")); // 20, not 10^1.3
      XYPlot plot = new XYPlot(xy, levels, new NumberAxis("normalized return"), bands);
      JFreeChart c = ChartTheme.apply(new JFreeChart("maze BC: same transitions, more levels (bands: \u00b1 1 std over seeds)",
          ChartTheme.titleFont(), plot, true));
      bands.setAlpha(0.18f);
      for (int i = 0; i < 3; i++) {
        bands.setSeriesPaint(i, ChartTheme.color(i));
        bands.setSeriesFillPaint(i, ChartTheme.color(i));
        bands.setSeriesShape(i, ChartTheme.marker(i));
        bands.setSeriesStroke(i, ChartTheme.line(i, 2f, false));
      }
      ChartTheme.save(c, out.resolve("diversity.png"), 800, 450);
    }
  }

  /** The standard deviation over seeds (population, as the summary's spread); 0 for one seed. */
  static double sd(List<Row> rs) {
    return sd(rs.stream().mapToDouble(Row::norm).toArray());
  }

  static double sd(double[] xs) {
    double m = java.util.Arrays.stream(xs).average().orElse(Double.NaN);
    return Math.sqrt(java.util.Arrays.stream(xs).map(x -> (x - m) * (x - m)).average().orElse(Double.NaN));
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
