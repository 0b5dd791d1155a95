package dev.zeroshot.agents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The learning curve (recent mean return against env steps) as a PNG, drawn headless. */
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
    System.setProperty("java.awt.headless", "true");
    XYSeries series = new XYSeries("mean return (recent episodes)");
    for (Point p : points) {
      if (!Double.isNaN(p.meanReturn())) {
        series.add(p.step(), p.meanReturn());
      }
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, "episode return",
        new XYSeriesCollection(series), PlotOrientation.VERTICAL, true, false, false);
    Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
    ChartUtils.saveChartAsPNG(tmp.toFile(), chart, 900, 500);
    Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
