package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.control.CartPole;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learning-curve chart: smoothing over faint raw points, the one-evaluation case, the theme. */
class LearningCurveTest {

  @TempDir
  Path dir;

  @Test
  void aCurveIsSmoothedWithTheRawPointsFaintBehind() throws Exception {
    List<LearningCurve.Point> points = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      points.add(new LearningCurve.Point(512L * i, i % 2 == 0 ? 100 + i : 50 + i)); // zig-zag
    }
    JFreeChart chart = LearningCurve.chart("PPO", points, "environment steps");
    XYPlot plot = chart.getXYPlot();
    assertEquals(2, plot.getDataset().getSeriesCount(), "raw and smoothed");
    int w = LearningCurve.window(100);
    assertEquals(5, w);
    // the smoothed point 50 is the mean of the raw points 48..52
    double mean = 0;
    for (int j = 48; j <= 52; j++) {
      mean += plot.getDataset().getYValue(0, j);
    }
    assertEquals(mean / 5, plot.getDataset().getYValue(1, 50), 1e-9);
    Color raw = (Color) plot.getRenderer().getSeriesPaint(0);
    Color smooth = (Color) plot.getRenderer().getSeriesPaint(1);
    assertTrue(raw.getAlpha() < 128, "raw points faint");
    assertEquals(ChartTheme.PALETTE[0], smooth, "the palette's first colour");
    assertEquals(Color.WHITE, plot.getBackgroundPaint());
    assertEquals(Color.WHITE, chart.getBackgroundPaint());
  }

  @Test
  void oneEvaluationIsAMarkedPointOnAnAxisAroundIt() throws Exception {
    // an offline run with --eval-every 0 evaluates once, at the end
    List<LearningCurve.Point> points = List.of(new LearningCurve.Point(2000, 300.0));
    JFreeChart chart = LearningCurve.chart("BC", points, "gradient steps");
    XYPlot plot = chart.getXYPlot();
    Range y = plot.getRangeAxis().getRange();
    assertTrue(y.getLength() >= 1 && y.contains(300.0), "a y range around the value, not a zero-width one: " + y);
    assertTrue(plot.getDomainAxis().getRange().contains(2000.0));
    assertTrue(((org.jfree.chart.renderer.xy.XYLineAndShapeRenderer) plot.getRenderer()).getItemShapeVisible(0, 0),
        "the point is drawn as a marker");
    boolean said = chart.getSubtitles().stream().anyMatch(t -> t instanceof TextTitle tt
        && tt.getText().contains("one evaluation, at step 2,000: 300.0"));
    assertTrue(said, "the chart says it is one evaluation");
    Path png = dir.resolve("curve.png");
    LearningCurve.write(png, "BC", points, "gradient steps");
    assertEquals(900, ImageIO.read(png.toFile()).getWidth());
  }

  @Test
  void theThemeMakesBarsFlatAndUsesThePalette() {
    JFreeChart bars = ChartTheme.apply(org.jfree.chart.ChartFactory.createBarChart("t", "x", "y",
        new org.jfree.data.category.DefaultCategoryDataset()));
    var r = (org.jfree.chart.renderer.category.BarRenderer) bars.getCategoryPlot().getRenderer();
    assertInstanceOf(StandardBarPainter.class, r.getBarPainter(), "flat bars, no gradient");
    assertEquals(false, r.getShadowsVisible());
    assertEquals(Color.WHITE, bars.getCategoryPlot().getBackgroundPaint());
    assertEquals(new Color(0xE69F00), ChartTheme.color(1), "Okabe-Ito orange");
    assertEquals(ChartTheme.color(0), ChartTheme.color(8), "the palette repeats");
  }

  @Test
  void aSingleContextRunNamesItsContextInTheTitle() {
    PpoConfig cfg = PpoConfig.controlDiscrete();
    assertEquals("", PpoRun.contextForTitle(cfg));
    cfg.context = CartPole.CONTEXT.defaults().with("length", 1.4);
    assertEquals(", length=1.4", PpoRun.contextForTitle(cfg));
    cfg.context = CartPole.CONTEXT.defaults();
    assertEquals(", default context", PpoRun.contextForTitle(cfg));
  }
}
