package dev.zeroshot.mbtl;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** PNG charts (JFreeChart, rendered headless): the V_k curves and the transfer-matrix heatmap. */
public final class Charts {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private static final Color[] COLORS = {
      new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
      new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0x7f7f7f), new Color(0xbcbd22),
      new Color(0x000000), new Color(0x006d2c)};

  private Charts() {}

  /** V_k against k for every strategy; constant lines dashed, random with a +-1 std band. */
  public static void curves(List<StrategyResult> results, int budget, String title, Path file) throws IOException {
    curves(results, budget, title, "k (tasks trained)", file);
  }

  /** As {@link #curves(List, int, String, Path)} with the x axis labelled {@code xLabel}. */
  public static void curves(List<StrategyResult> results, int budget, String title, String xLabel, Path file)
      throws IOException {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    for (StrategyResult r : results) {
      YIntervalSeries s = new YIntervalSeries(r.name());
      for (int k = 0; k < r.values().length; k++) {
        double v = r.values()[k];
        double sd = r.std() == null ? 0 : r.std()[k];
        s.add(k + 1, v, v - sd, v + sd);
      }
      data.addSeries(s);
    }
    DeviationRenderer renderer = new DeviationRenderer(true, budget <= 20);
    renderer.setAlpha(0.15f);
    for (int i = 0; i < results.size(); i++) {
      Color c = COLORS[i % COLORS.length];
      renderer.setSeriesPaint(i, c);
      renderer.setSeriesFillPaint(i, c);
      boolean constant = "constant".equals(results.get(i).kind());
      renderer.setSeriesStroke(i, constant
          ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
          : new BasicStroke(results.get(i).name().equals("mbtl") ? 2.5f : 1.5f));
    }
    NumberAxis x = new NumberAxis(xLabel);
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    x.setRange(0.5, budget + 0.5);
    NumberAxis y = new NumberAxis("V_k (normalized generalized performance)");
    y.setAutoRangeIncludesZero(false);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getLegend().setFrame(BlockBorder.NONE);
    save(chart, file, 1000, 650);
  }

  /** The matrix as an image: x = target task, y = source task (row 0 at the top, like imshow). */
  public static void heatmap(TransferMatrix m, String title, Path file) throws IOException {
    heatmap(m.toArray(), title, file);
  }

  /**
   * A square matrix as an image, x = target, y = source (row 0 at the top); NaN cells (rows not
   * trained yet in run mode) are light grey and left out of the colour range.
   */
  public static void heatmap(double[][] values, String title, Path file) throws IOException {
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
    data.addSeries("J", new double[][] {xs, ys, zs});
    XYBlockRenderer renderer = new XYBlockRenderer();
    Viridis scale = new Viridis(lo, hi);
    renderer.setPaintScale(scale);
    NumberAxis x = new NumberAxis("target task");
    x.setRange(-0.5, n - 0.5);
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis y = new NumberAxis("source task");
    y.setRange(-0.5, n - 0.5);
    y.setInverted(true);
    y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    NumberAxis legendAxis = new NumberAxis("J");
    legendAxis.setRange(lo, hi);
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setMargin(4, 4, 40, 4);
    legend.setStripWidth(14);
    chart.addSubtitle(legend);
    save(chart, file, 760, 680);
  }

  /**
   * Grouped bars: one group per category, one bar per series ({@code values[category][series]});
   * NaN values are left out. Flat bars on white, the series in viridis colours.
   */
  public static void groupedBars(String title, List<String> categories, List<String> series, double[][] values,
                                 String valueLabel, Path file) throws IOException {
    org.jfree.data.category.DefaultCategoryDataset data = new org.jfree.data.category.DefaultCategoryDataset();
    for (int c = 0; c < categories.size(); c++) {
      for (int s = 0; s < series.size(); s++) {
        if (Double.isFinite(values[c][s])) {
          data.addValue(values[c][s], series.get(s), categories.get(c));
        }
      }
    }
    JFreeChart chart = org.jfree.chart.ChartFactory.createBarChart(title, null, valueLabel, data);
    org.jfree.chart.plot.CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    org.jfree.chart.renderer.category.BarRenderer bars = (org.jfree.chart.renderer.category.BarRenderer) plot.getRenderer();
    bars.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
    bars.setShadowVisible(false);
    Viridis palette = new Viridis(0, Math.max(1, series.size() - 1));
    for (int s = 0; s < series.size(); s++) {
      bars.setSeriesPaint(s, palette.getPaint(s));
    }
    plot.getDomainAxis().setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_45);
    chart.setBackgroundPaint(Color.WHITE);
    save(chart, file, Math.max(900, 60 * categories.size()), 600);
  }

  private static void save(JFreeChart chart, Path file, int w, int h) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    ChartUtils.saveChartAsPNG(tmp.toFile(), chart, w, h);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
