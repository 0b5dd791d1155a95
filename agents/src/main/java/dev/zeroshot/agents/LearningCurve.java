package dev.zeroshot.agents;

import java.io.IOException;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The learning curve (recent mean return against env steps) as a PNG, drawn headless in {@link ChartTheme}. */
public final class LearningCurve {

  private LearningCurve() {}

  /** One point: env steps and the recent mean return there. */
  public record Point(long step, double meanReturn) {}

  public static void write(Path png, String title, List<Point> points) throws IOException {
    write(png, title, points, "environment steps");
  }

  /**
   * Draws the run's curve at the end of a run; a picture that cannot be drawn (no font library
   * on a stripped-down JRE, a full disk) is said on {@code log} and does not fail the run, whose
   * {@code metrics.csv} holds the same numbers. Returns whether the PNG was written.
   */
  public static boolean writeOrWarn(Path png, String title, List<Point> points, String xLabel,
      java.io.PrintStream log) {
    try {
      write(png, title, points, xLabel);
      return true;
    } catch (IOException | RuntimeException | LinkageError | java.awt.AWTError e) {
      log.println("warning: " + png.getFileName() + " not drawn (" + e + "); metrics.csv holds the curve");
      return false;
    }
  }

  /** The same curve with another x axis (offline learners: gradient steps). */
  public static void write(Path png, String title, List<Point> points, String xLabel) throws IOException {
    ChartTheme.save(chart(title, points, xLabel), png, 900, 500);
  }

  /**
   * The chart: the raw points faint, a moving average over them in full colour (the mean of the
   * {@link #window} points centred on each). One point (an offline run with {@code --eval-every 0}
   * evaluates only at the end) is drawn as a marker on an axis around its value, and the chart
   * says that it is one evaluation.
   */
  static JFreeChart chart(String title, List<Point> points, String xLabel) {
    XYSeries raw = new XYSeries("mean return (recent episodes)");
    for (Point p : points) {
      if (!Double.isNaN(p.meanReturn())) {
        raw.add(p.step(), p.meanReturn());
      }
    }
    int n = raw.getItemCount();
    int w = window(n);
    XYSeries smooth = new XYSeries("moving average of " + w + " points");
    for (int i = 0; i < n; i++) {
      int lo = Math.max(0, i - w / 2);
      int hi = Math.min(n - 1, i + w / 2);
      double sum = 0;
      for (int j = lo; j <= hi; j++) {
        sum += raw.getY(j).doubleValue();
      }
      smooth.add(raw.getX(i), sum / (hi - lo + 1));
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(raw);
    if (w > 1) {
      data.addSeries(smooth);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, "episode return", data, PlotOrientation.VERTICAL,
        true, false, false);
    ChartTheme.apply(chart);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, n <= 1);
    Color c = ChartTheme.color(0);
    r.setSeriesPaint(0, w > 1 ? ChartTheme.faint(c, 0.3) : c);
    r.setSeriesStroke(0, ChartTheme.line(0, w > 1 ? 1f : 2f, false));
    r.setSeriesShape(0, ChartTheme.marker(0));
    r.setSeriesPaint(1, c);
    r.setSeriesStroke(1, ChartTheme.line(0, 2.5f, false));
    plot.setRenderer(r);
    NumberAxis x = (NumberAxis) plot.getDomainAxis();
    NumberAxis y = (NumberAxis) plot.getRangeAxis();
    x.setNumberFormatOverride(STEPS);
    if (n <= 1) {
      double v = n == 1 ? raw.getY(0).doubleValue() : 0;
      double half = Math.max(1, Math.abs(v) * 0.1);
      y.setRange(v - half, v + half);
      x.setRange(0, n == 1 ? Math.max(1, raw.getX(0).doubleValue() * 1.05) : 1);
      chart.addSubtitle(new TextTitle(n == 1
          ? String.format(Locale.ROOT, "one evaluation, at step %,d: %.1f (evaluate during training for a curve)",
              raw.getX(0).longValue(), v)
          : "no return to plot yet (no episode finished, or no evaluation)", ChartTheme.labelFont()));
    }
    return chart;
  }

  /** Points averaged per smoothed point: about a twentieth of the curve, odd, 1 (no smoothing) below 10 points. */
  static int window(int points) {
    int w = points / 20;
    return points < 10 ? 1 : Math.max(3, w % 2 == 0 ? w + 1 : w);
  }

  private static final java.text.NumberFormat STEPS = java.text.NumberFormat.getIntegerInstance(Locale.ROOT);
}
