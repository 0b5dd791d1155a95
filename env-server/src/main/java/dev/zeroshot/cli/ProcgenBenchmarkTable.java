package dev.zeroshot.cli;

import dev.zeroshot.agents.Evaluator;
import dev.zeroshot.offline.ProcgenScores;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The result of {@code zeroshot procgen-benchmark}: per game, the mean return on the training
 * levels and on unseen levels, each min-max normalized with the Procgen paper's range for the
 * mode ({@link ProcgenScores}), the gap (train - test), and the mean over games, printed in the
 * layout papers use and written as CSV and as a bar chart.
 */
final class ProcgenBenchmarkTable {

  /** One game's evaluations on both splits. */
  record Row(String game, String envId, Evaluator.Returns train, Evaluator.Returns test) {
    double trainNormalized() {
      return ProcgenScores.normalize(envId, train.mean());
    }

    double testNormalized() {
      return ProcgenScores.normalize(envId, test.mean());
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private final String trainLevels;
  private final String testLevels;

  ProcgenBenchmarkTable(String trainLevels, String testLevels) {
    this.trainLevels = trainLevels;
    this.testLevels = testLevels;
  }

  void add(Row row) {
    rows.add(row);
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  /** The mean normalized return over the games on the training levels. */
  double meanTrain() {
    return rows.stream().mapToDouble(Row::trainNormalized).average().orElse(Double.NaN);
  }

  /** The mean normalized return over the games on unseen levels. */
  double meanTest() {
    return rows.stream().mapToDouble(Row::testNormalized).average().orElse(Double.NaN);
  }

  /** game | train | test | gap in normalized return, then the mean row. */
  void print(PrintWriter w) {
    w.printf(Locale.ROOT, "normalized return (R - R_min) / (R_max - R_min); train levels %s, test levels %s%n",
        trainLevels, testLevels);
    w.printf(Locale.ROOT, "%-12s %8s %8s %8s%n", "game", "train", "test", "gap");
    for (Row r : rows) {
      w.printf(Locale.ROOT, "%-12s %8.3f %8.3f %8.3f%n", r.game(), r.trainNormalized(), r.testNormalized(),
          r.trainNormalized() - r.testNormalized());
    }
    w.printf(Locale.ROOT, "%-12s %8.3f %8.3f %8.3f%n", "mean", meanTrain(), meanTest(), meanTrain() - meanTest());
  }

  /** One line per game (raw and normalized returns of both splits), then the mean line. */
  void writeCsv(Path file) throws IOException {
    StringBuilder s = new StringBuilder("game,env,train_levels,test_levels,episodes,train_return,train_std,"
        + "test_return,test_std,train_normalized,test_normalized,gap_normalized\n");
    for (Row r : rows) {
      s.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f%n", r.game(), r.envId(),
          trainLevels, testLevels, r.train().episodes(), r.train().mean(), r.train().std(), r.test().mean(),
          r.test().std(), r.trainNormalized(), r.testNormalized(), r.trainNormalized() - r.testNormalized()));
    }
    s.append(String.format(Locale.ROOT, "mean,,%s,%s,,,,,,%.6f,%.6f,%.6f%n", trainLevels, testLevels, meanTrain(),
        meanTest(), meanTrain() - meanTest()));
    Files.writeString(file, s, StandardCharsets.UTF_8);
  }

  /**
   * Train and test bars per game and for the mean; a chart that cannot be drawn (no font
   * library on a stripped-down JRE) is a warning, as the CSV holds the same numbers.
   */
  boolean writeChartOrWarn(Path png, String title, PrintStream log) {
    try {
      DefaultCategoryDataset data = new DefaultCategoryDataset();
      for (Row r : rows) {
        data.addValue(r.trainNormalized(), "train levels " + trainLevels, r.game());
        data.addValue(r.testNormalized(), "test levels " + testLevels, r.game());
      }
      data.addValue(meanTrain(), "train levels " + trainLevels, "mean");
      data.addValue(meanTest(), "test levels " + testLevels, "mean");
      JFreeChart chart = ChartFactory.createBarChart(title, null, "normalized return", data, PlotOrientation.VERTICAL,
          true, false, false);
      dev.zeroshot.agents.ChartTheme.apply(chart);
      chart.getCategoryPlot().getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
      BarRenderer bars = (BarRenderer) chart.getCategoryPlot().getRenderer();
      bars.setSeriesPaint(0, dev.zeroshot.agents.ChartTheme.color(0));
      bars.setSeriesPaint(1, dev.zeroshot.agents.ChartTheme.color(1));
      dev.zeroshot.agents.ChartTheme.save(chart, png, Math.max(500, 90 + 70 * (rows.size() + 1)), 500);
      return true;
    } catch (IOException | RuntimeException | LinkageError | java.awt.AWTError e) {
      log.println("warning: " + png.getFileName() + " not drawn (" + e + "); the CSV holds the numbers");
      return false;
    }
  }
}
