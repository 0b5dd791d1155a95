package dev.zeroshot.agents;

import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * Which levels a curriculum run played how often over training, from its {@code curriculum.csv}:
 * episodes counted per (training-step bin, level bin), as a table and as a heat map. Levels are
 * binned by one coordinate (a context feature, or the Procgen seed): one row per distinct value
 * when there are few, else equal-width bins between the lowest and highest value played.
 */
public final class CurriculumChart {

  /** Episode counts: {@code counts[level bin][step bin]}; a level bin is [lower, upper]. */
  public record Counts(String coordinate, double[] lower, double[] upper, long[] stepUpper, long[][] counts,
      long episodes, long replays) {}

  private CurriculumChart() {}

  /**
   * Counts the rows of {@code csv} by {@code coordinate} (null: the first feature, else the seed)
   * into {@code stepBins} x at most {@code levelBins} cells.
   */
  public static Counts count(Path csv, String coordinate, int stepBins, int levelBins) throws IOException {
    if (!Files.isRegularFile(csv)) {
      throw new IllegalArgumentException("no " + csv.getFileName() + " in " + csv.getParent()
          + ": it is written by 'zeroshot train ppo --curriculum ...'");
    }
    if (stepBins < 1 || levelBins < 1) {
      throw new IllegalArgumentException("bins must be >= 1, got " + stepBins + " steps x " + levelBins + " levels");
    }
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    String[] header = lines.get(0).split(",");
    int first = 5; // global_step,env,level,replay,trained, then the coordinates
    int last = List.of(header).indexOf("score");
    List<String> coords = List.of(header).subList(first, last);
    String by = coordinate != null ? coordinate
        : coords.size() > 1 && coords.get(0).equals("seed") ? coords.get(1) : coords.get(0);
    int col = List.of(header).indexOf(by);
    if (col < first || col >= last) {
      throw new IllegalArgumentException("'" + by + "' is not a level coordinate of this run; it has: " + coords);
    }
    List<Long> steps = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    long replays = 0;
    long maxStep = 1;
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      long step = Long.parseLong(f[0]);
      maxStep = Math.max(maxStep, step);
      steps.add(step);
      values.add(Double.parseDouble(f[col]));
      replays += f[3].equals("1") ? 1 : 0;
    }
    TreeSet<Double> distinct = new TreeSet<>(values);
    double[] lower;
    double[] upper;
    if (distinct.size() <= levelBins) {
      lower = distinct.stream().mapToDouble(Double::doubleValue).toArray();
      upper = lower.clone();
    } else {
      double lo = distinct.first();
      double hi = distinct.last();
      lower = new double[levelBins];
      upper = new double[levelBins];
      for (int b = 0; b < levelBins; b++) {
        lower[b] = lo + (hi - lo) * b / levelBins;
        upper[b] = lo + (hi - lo) * (b + 1) / levelBins;
      }
    }
    long[] stepUpper = new long[stepBins];
    for (int s = 0; s < stepBins; s++) {
      stepUpper[s] = (long) Math.ceil((double) maxStep * (s + 1) / stepBins);
    }
    long[][] counts = new long[lower.length][stepBins];
    for (int k = 0; k < values.size(); k++) {
      int s = (int) Math.min(stepBins - 1, (steps.get(k) - 1) * stepBins / maxStep);
      counts[levelBin(values.get(k), lower, upper)][s]++;
    }
    return new Counts(by, lower, upper, stepUpper, counts, values.size(), replays);
  }

  private static int levelBin(double v, double[] lower, double[] upper) {
    for (int b = 0; b < lower.length - 1; b++) {
      if (v < upper[b] || (lower[b] == upper[b] && v == lower[b])) {
        return b;
      }
    }
    return lower.length - 1;
  }

  /** The counts as CSV: one row per level bin, one column per step bin (named by its last step). */
  public static void writeCsv(Counts c, Path file) throws IOException {
    StringBuilder sb = new StringBuilder(c.coordinate() + "_from," + c.coordinate() + "_to");
    for (long s : c.stepUpper()) {
      sb.append(",steps_to_").append(s);
    }
    sb.append(",total\n");
    for (int b = 0; b < c.lower().length; b++) {
      sb.append(String.format(Locale.ROOT, "%.6g,%.6g", c.lower()[b], c.upper()[b]));
      long total = 0;
      for (long n : c.counts()[b]) {
        sb.append(',').append(n);
        total += n;
      }
      sb.append(',').append(total).append('\n');
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /** The counts as a heat map: training steps across, levels down, episodes as colour. */
  public static void writePng(Counts c, String title, Path file) throws IOException {
    int rows = c.lower().length;
    int cols = c.stepUpper().length;
    double[] xs = new double[rows * cols];
    double[] ys = new double[rows * cols];
    double[] zs = new double[rows * cols];
    double max = 1;
    for (int b = 0; b < rows; b++) {
      for (int s = 0; s < cols; s++) {
        int i = b * cols + s;
        xs[i] = (s + 0.5) * c.stepUpper()[cols - 1] / cols;
        ys[i] = (c.lower()[b] + c.upper()[b]) / 2;
        zs[i] = c.counts()[b][s];
        max = Math.max(max, zs[i]);
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("episodes", new double[][] {xs, ys, zs});
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setBlockWidth((double) c.stepUpper()[cols - 1] / cols);
    double height = rows == 1 ? 1 : c.lower()[0] == c.upper()[0] ? minGap(c.lower()) : c.upper()[0] - c.lower()[0];
    renderer.setBlockHeight(height);
    Blues scale = new Blues(max);
    renderer.setPaintScale(scale);
    NumberAxis x = new NumberAxis("environment steps");
    x.setRange(0, c.stepUpper()[cols - 1]);
    NumberAxis y = new NumberAxis(c.coordinate());
    y.setRange(ys[0] - height / 2, ys[ys.length - 1] + height / 2);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    JFreeChart chart = ChartTheme.apply(new JFreeChart(title, ChartTheme.titleFont(), plot, false));
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    NumberAxis legendAxis = new NumberAxis("episodes");
    legendAxis.setRange(0, max);
    legendAxis.setLabelFont(ChartTheme.labelFont());
    legendAxis.setTickLabelFont(ChartTheme.tickFont());
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setMargin(4, 4, 40, 4);
    legend.setStripWidth(14);
    chart.addSubtitle(legend);
    ChartTheme.save(chart, file, 900, 560);
  }

  private static double minGap(double[] sorted) {
    double gap = Double.POSITIVE_INFINITY;
    for (int i = 1; i < sorted.length; i++) {
      gap = Math.min(gap, sorted[i] - sorted[i - 1]);
    }
    return gap;
  }

  /** White (no episodes) to dark blue (the most). */
  private record Blues(double max) implements PaintScale {
    @Override
    public double getLowerBound() {
      return 0;
    }

    @Override
    public double getUpperBound() {
      return max;
    }

    @Override
    public Paint getPaint(double value) {
      double f = Math.max(0, Math.min(1, value / max));
      return new Color((int) Math.round(255 - 247 * f), (int) Math.round(255 - 207 * f), (int) Math.round(255 - 148 * f));
    }
  }
}
