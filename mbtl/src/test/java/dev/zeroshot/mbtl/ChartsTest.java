package dev.zeroshot.mbtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.agents.ChartTheme;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.Test;

/** What the MBTL charts show: feature values on the heatmap, the random band, the palette, no hidden curves. */
class ChartsTest {

  @Test
  void theRunModeHeatmapNamesTasksByFeatureValueAndItsColourBarNormalizedReturn() {
    TaskGrid grid = new TaskGrid("CartPole-v1", "length", 0.1, 2.0, 20);
    double[][] m = SyntheticMatrices.generate("smooth", 20, 0.02, 7).toArray();
    JFreeChart chart = Charts.heatmapChart(m, "t", grid.labels());
    XYPlot plot = chart.getXYPlot();
    SymbolAxis x = (SymbolAxis) plot.getDomainAxis();
    assertEquals("0.1", x.getSymbols()[0]);
    assertEquals("1.4", x.getSymbols()[13], "the feature value as typed");
    assertEquals("2", x.getSymbols()[19]);
    assertTrue(x.getLabel().contains("length"), x.getLabel());
    PaintScaleLegend bar = (PaintScaleLegend) chart.getSubtitles().stream().filter(t -> t instanceof PaintScaleLegend)
        .findFirst().orElseThrow();
    assertEquals("normalized return", bar.getAxis().getLabel());
    // 100 tasks: every 5th value, so the labels do not overlap
    TaskGrid many = new TaskGrid("CartPole-v1", "length", 0.1, 2.0, 100);
    SymbolAxis y = (SymbolAxis) Charts.heatmapChart(new double[100][100], "t", many.labels()).getXYPlot().getRangeAxis();
    assertEquals("0.1", y.getSymbols()[0]);
    assertEquals("", y.getSymbols()[1]);
    assertNotEquals("", y.getSymbols()[5]);
  }

  @Test
  void theRandomBandStaysAtOrBelowOneAndIsInTheLegend() {
    StrategyResult random = new StrategyResult("random", "mean of random orders", "mean", new int[0],
        new double[] {0.9, 0.97, 0.99}, new double[] {0.05, 0.05, 0.05}, null, null, null);
    StrategyResult mbtl = new StrategyResult("mbtl", "MBTL", "sequential", new int[] {1, 2, 0},
        new double[] {0.9, 0.97, 0.99}, null, null, null, null);
    JFreeChart chart = Charts.curvesChart(List.of(mbtl, random), 3, "t", "k");
    YIntervalSeriesCollection data = (YIntervalSeriesCollection) chart.getXYPlot().getDataset();
    for (int k = 0; k < 3; k++) {
      assertTrue(data.getEndYValue(1, k) <= 1.0, "band top at k = " + (k + 1) + ": " + data.getEndYValue(1, k));
    }
    assertEquals(0.99 - 0.05, data.getStartYValue(1, 2), 1e-12);
    LegendItemCollection legend = chart.getXYPlot().getLegendItems();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < legend.getItemCount(); i++) {
      labels.add(legend.get(i).getLabel());
    }
    assertEquals(List.of("mbtl", "random", "random \u00b1 1 std"), labels);
    // equal curves are drawn side by side, in the palette's colours, with markers
    assertNotEquals(data.getXValue(0, 0), data.getXValue(1, 0));
    assertEquals(1.0, (data.getXValue(0, 0) + data.getXValue(1, 0)) / 2, 1e-12);
    assertEquals(ChartTheme.color(0), chart.getXYPlot().getRenderer().getSeriesPaint(0));
    assertEquals(ChartTheme.color(1), chart.getXYPlot().getRenderer().getSeriesPaint(1));
    assertTrue(((org.jfree.chart.renderer.xy.XYLineAndShapeRenderer) chart.getXYPlot().getRenderer())
        .getDefaultShapesVisible());
  }
}
