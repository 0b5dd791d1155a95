package dev.zeroshot.mbtl;

import dev.zeroshot.agents.ChartTheme;
import java.awt.Color;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * PNG charts (JFreeChart, rendered headless, in {@link ChartTheme}): the V_k curves, the
 * transfer-matrix heatmap and grouped bars.
 */
public final class Charts {

  /** Sideways spread of the V_k curves (in k): strategies with equal values stay visible side by side. */
  static final double DODGE = 0.3;

  private Charts() {}

  /** V_k against k for every strategy; constant lines dashed, random with a +-1 std band. */
  public static void curves(List<StrategyResult> results, int budget, String title, Path file) throws IOException {
    curves(results, budget, title, "k (tasks trained)", file);
  }

  /** As {@link #curves(List, int, String, Path)} with the x axis labelled {@code xLabel}. */
  public static void curves(List<StrategyResult> results, int budget, String title, String xLabel, Path file)
      throws IOException {
    ChartTheme.save(curvesChart(results, budget, title, xLabel), file, 1000, 650);
  }

  /**
   * The V_k chart: one line with markers per strategy (palette colour, then marker shape), each
   * strategy shifted sideways by up to {@link #DODGE}/2 so equal curves do not hide each other;
   * strategies with a spread (random: over its orders; seeds) get a band of +-1 std, clamped to
   * the values a V can take (at most 1, or the largest V drawn if a matrix goes above 1), and the
   * band has its own legend entry.
   */
  static JFreeChart curvesChart(List<StrategyResult> results, int budget, String title, String xLabel) {
    double top = 1;
    for (StrategyResult r : results) {
      for (double v : r.values()) {
        top = Math.max(top, v);
      }
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    int m = results.size();
    for (int i = 0; i < m; i++) {
      StrategyResult r = results.get(i);
      double dx = m == 1 ? 0 : DODGE * (i / (m - 1.0) - 0.5);
      YIntervalSeries s = new YIntervalSeries(r.name());
      for (int k = 0; k < r.values().length; k++) {
        double v = r.values()[k];
        double sd = r.std() == null ? 0 : r.std()[k];
        s.add(k + 1 + dx, v, v - sd, Math.min(top, v + sd));
      }
      data.addSeries(s);
    }
    DeviationRenderer renderer = new DeviationRenderer(true, true);
    NumberAxis x = new NumberAxis(xLabel);
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    x.setRange(0.5, budget + 0.5);
    NumberAxis y = new NumberAxis("V_k (normalized generalized performance)");
    y.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    JFreeChart chart = ChartTheme.apply(new JFreeChart(title, ChartTheme.titleFont(), plot, true)); // before the series' looks
    renderer.setAlpha(0.18f);
    LegendItemCollection legend = new LegendItemCollection();
    for (int i = 0; i < m; i++) {
      StrategyResult r = results.get(i);
      Color c = ChartTheme.color(i);
      renderer.setSeriesPaint(i, c);
      renderer.setSeriesFillPaint(i, c);
      renderer.setSeriesShape(i, ChartTheme.marker(i));
      renderer.setSeriesStroke(i, ChartTheme.line(i, r.name().equals("mbtl") ? 3f : 2f, "constant".equals(r.kind())));
      legend.add(renderer.getLegendItem(0, i));
    }
    for (int i = 0; i < m; i++) {
      if (results.get(i).std() != null) {
        legend.add(new LegendItem(results.get(i).name() + " \u00b1 1 std", null, null, null,
            new Rectangle2D.Double(-6, -5, 12, 10), ChartTheme.faint(ChartTheme.color(i), 0.3)));
      }
    }
    plot.setFixedLegendItems(legend);
    if (m > 1) {
      chart.addSubtitle(new TextTitle("strategies drawn side by side (up to \u00b1" + DODGE / 2
          + " in k) so equal values stay visible", ChartTheme.tickFont()));
    }
    return chart;
  }

  /** The matrix as an image: x = target task, y = source task (row 0 at the top, like imshow); ticks are task indices. */
  public static void heatmap(TransferMatrix m, String title, Path file) throws IOException {
    heatmap(m.toArray(), title, null, file);
  }

  /** As {@link #heatmap(double[][], String, List, Path)} with task indices on the axes. */
  public static void heatmap(double[][] values, String title, Path file) throws IOException {
    heatmap(values, title, null, file);
  }

  /**
   * A square matrix as an image, x = target, y = source (row 0 at the top); NaN cells (rows not
   * trained yet in run mode) are light grey and left out of the colour range. {@code taskLabels}
   * (null: the indices) name the tasks on the axes, e.g. their feature values in run mode; with
   * many tasks only every few-th is written.
   */
  public static void heatmap(double[][] values, String title, List<String> taskLabels, Path file) throws IOException {
    ChartTheme.save(heatmapChart(values, title, taskLabels), file, 760, 680);
  }

  static JFreeChart heatmapChart(double[][] values, String title, List<String> taskLabels) {
    int n = values.length;
    double[] xs = new double[n * n];
    double[] ys = new double[n * n];
    double[] zs = new double[n * n];
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int s = 0; s < n; s++) {
      for (int t = 0; t < n; t++) {
        int i = s * n + t;
        xs[i] = t;
        ys[i] = s;
        zs[i] = values[s][t];
        if (!Double.isNaN(zs[i])) {
          lo = Math.min(lo, zs[i]);
          hi = Math.max(hi, zs[i]);
        }
      }
    }
    if (!(lo <= hi)) {
      lo = 0;
      hi = 1;
    }
    if (hi <= lo) {
      hi = lo + 1;
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("normalized return", new double[][] {xs, ys, zs});
    XYBlockRenderer renderer = new XYBlockRenderer();
    Viridis scale = new Viridis(lo, hi);
    renderer.setPaintScale(scale);
    String what = taskLabels == null ? " task" : " task (" + String.join(", ", featureNames(taskLabels)) + ")";
    NumberAxis x = taskAxis("target" + what, n, taskLabels);
    NumberAxis y = taskAxis("source" + what, n, taskLabels);
    y.setInverted(true);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    JFreeChart chart = new JFreeChart(title, ChartTheme.titleFont(), plot, false);
    ChartTheme.apply(chart);
    NumberAxis legendAxis = new NumberAxis("normalized return");
    legendAxis.setRange(lo, hi);
    legendAxis.setLabelFont(ChartTheme.labelFont());
    legendAxis.setTickLabelFont(ChartTheme.tickFont());
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setMargin(4, 4, 40, 4);
    legend.setStripWidth(14);
    legend.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(legend);
    return chart;
  }

  /** The feature names of labels like {@code length=0.1} or {@code length=0.1,masscart=0.5}. */
  private static List<String> featureNames(List<String> labels) {
    List<String> names = new ArrayList<>();
    for (String part : labels.get(0).split(",")) {
      names.add(part.contains("=") ? part.substring(0, part.indexOf('=')) : part);
    }
    return names;
  }

  /**
   * An axis over tasks 0..n-1: integer ticks, or, with labels, every {@code step}-th task's value
   * (the feature values without their names, as the axis label names them).
   */
  private static NumberAxis taskAxis(String label, int n, List<String> taskLabels) {
    if (taskLabels == null) {
      NumberAxis a = new NumberAxis(label);
      a.setRange(-0.5, n - 0.5);
      a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      return a;
    }
    String[] shown = new String[n];
    int step = Math.max(1, (int) Math.ceil(n / 20.0));
    for (int i = 0; i < n; i++) {
      shown[i] = i % step == 0 ? taskLabels.get(i).replaceAll("[^,=]+=", "") : "";
    }
    SymbolAxis a = new SymbolAxis(label, shown);
    a.setRange(-0.5, n - 0.5);
    a.setGridBandsVisible(false);
    a.setVerticalTickLabels(false);
    return a;
  }

  /**
   * Grouped bars: one group per category, one bar per series ({@code values[category][series]});
   * NaN values are left out; with {@code sds} (null: none) each bar has an error bar of +-1 std.
   */
  public static void groupedBars(String title, List<String> categories, List<String> series, double[][] values,
                                 double[][] sds, String valueLabel, Path file) throws IOException {
    DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
    for (int c = 0; c < categories.size(); c++) {
      for (int s = 0; s < series.size(); s++) {
        if (Double.isFinite(values[c][s])) {
          data.add((Number) values[c][s], sds == null ? null : (Number) sds[c][s], series.get(s), categories.get(c));
        }
      }
    }
    StatisticalBarRenderer bars = new StatisticalBarRenderer();
    bars.setErrorIndicatorPaint(Color.BLACK);
    CategoryAxis x = new CategoryAxis(null);
    x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    CategoryPlot plot = new CategoryPlot(data, x, new NumberAxis(valueLabel), bars);
    JFreeChart chart = new JFreeChart(title, ChartTheme.titleFont(), plot, true);
    ChartTheme.apply(chart);
    for (int s = 0; s < series.size(); s++) {
      bars.setSeriesPaint(s, ChartTheme.color(s));
    }
    if (sds != null) {
      chart.addSubtitle(new TextTitle("error bars: \u00b1 1 std over seeds", ChartTheme.tickFont()));
    }
    ChartTheme.save(chart, file, Math.max(900, 60 * categories.size()), 600);
  }

  /** A viridis-like colour scale (piecewise-linear through five of viridis' colours). */
  static final class Viridis implements PaintScale {
    private static final int[] STOPS = {0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725};
    private final double lo;
    private final double hi;

    Viridis(double lo, double hi) {
      this.lo = lo;
      this.hi = hi;
    }

    @Override
    public double getLowerBound() {
      return lo;
    }

    @Override
    public double getUpperBound() {
      return hi;
    }

    @Override
    public Paint getPaint(double value) {
      if (Double.isNaN(value)) {
        return new Color(0xe6e6e6);
      }
      double u = Math.max(0, Math.min(1, (value - lo) / (hi - lo))) * (STOPS.length - 1);
      int i = Math.min((int) u, STOPS.length - 2);
      double f = u - i;
      int a = STOPS[i];
      int b = STOPS[i + 1];
      return new Color(mix(a >> 16, b >> 16, f), mix((a >> 8) & 0xff, (b >> 8) & 0xff, f), mix(a & 0xff, b & 0xff, f));
    }

    private static int mix(int a, int b, double f) {
      return (int) Math.round((a & 0xff) + ((b & 0xff) - (a & 0xff)) * f);
    }
  }
}
