package dev.zeroshot.mbtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SD-MBTL's selectors: the structure test, M-MBTL's clustering, GP-MBTL's first steps, the switch, the metric. */
class StructureDetectionTest {

  /** J[s, t] = q(s) - slope * L1(s, t) on {@code shape}, clipped at 0. */
  private static TransferMatrix mountain(GridShape shape, double slope) {
    double[][] p = StructureDetection.points(shape);
    double[][] m = new double[p.length][p.length];
    for (int s = 0; s < p.length; s++) {
      for (int t = 0; t < p.length; t++) {
        m[s][t] = Math.max(0, 0.9 - slope * StructureDetection.l1(p[s], p[t]));
      }
    }
    return TransferMatrix.of(m);
  }

  /** No mountain: transfer rises toward higher targets from every source, and sources differ in quality. */
  private static TransferMatrix tilted(GridShape shape) {
    double[][] p = StructureDetection.points(shape);
    double[][] m = new double[p.length][p.length];
    for (int s = 0; s < p.length; s++) {
      for (int t = 0; t < p.length; t++) {
        double sum = 0;
        for (int f = 0; f < p[s].length; f++) {
          sum += p[t][f] - p[s][f];
        }
        m[s][t] = 0.5 + 0.02 * sum + 0.01 * s % 7;
      }
    }
    return TransferMatrix.of(m);
  }

  private static List<double[]> rows(TransferMatrix m, List<Integer> picks) {
    List<double[]> rows = new ArrayList<>();
    for (int p : picks) {
      rows.add(m.row(p));
    }
    return rows;
  }

  @Test
  void theStructureTestFindsTheMountainWhereItIsAndNotWhereItIsNot() {
    for (GridShape shape : new GridShape[] {GridShape.line(30), GridShape.parse("6x6"), GridShape.parse("4x4x4")}) {
      double[][] points = StructureDetection.points(shape);
      List<Integer> picks = List.of(0, shape.size() / 3, shape.size() / 2, shape.size() - 1, 5, shape.size() - 4);
      TransferMatrix yes = mountain(shape, 0.03);
      assertTrue(StructureDetection.constantTrainingPerformance(picks, rows(yes, picks)), "constant q on " + shape);
      assertTrue(StructureDetection.mountainSlopes(points, picks, StructureDetection.centredRows(rows(yes, picks))),
          "transfer falls both ways on " + shape);
      TransferMatrix no = tilted(shape);
      assertFalse(StructureDetection.mountainSlopes(points, picks, StructureDetection.centredRows(rows(no, picks))),
          "transfer rising one way is no mountain on " + shape);
    }
  }

  @Test
  void aSourceQualityThatVariesMoreThanTransferIsNotConstant() {
    // Own values spread widely (q from 0.1 to 0.9) while every row is nearly flat.
    int n = 20;
    double[][] m = new double[n][n];
    for (int s = 0; s < n; s++) {
      for (int t = 0; t < n; t++) {
        m[s][t] = 0.1 + 0.8 * s / (n - 1.0) - 0.001 * Math.abs(s - t);
      }
    }
    List<Integer> picks = List.of(0, 5, 10, 15, 19, 3);
    assertFalse(StructureDetection.constantTrainingPerformance(picks, rows(TransferMatrix.of(m), picks)));
  }

  @Test
  void theLeastSquaresSlopesRecoverAnAsymmetricMountain() {
    GridShape line = GridShape.line(40);
    double[][] points = StructureDetection.points(line);
    double[][] m = new double[40][40];
    for (int s = 0; s < 40; s++) {
      for (int t = 0; t < 40; t++) {
        double diff = s - t; // source minus target: negative toward higher targets
        m[s][t] = 0.9 + (diff < 0 ? 0.01 * diff : -0.03 * diff);
      }
    }
    List<Integer> picks = List.of(5, 20, 33);
    double[] w = StructureDetection.sideSlopes(points, picks, rows(TransferMatrix.of(m), picks));
    assertEquals(0.01, w[0], 1e-9, "slope toward higher targets");
    assertEquals(-0.03, w[1], 1e-9, "slope toward lower targets");
  }

  @Test
  void mMbtlOnALineOfNineIsWorkedByHand() {
    // Step 1: one centre takes every task, so it moves to their mean, 4. Step 2: a start at 0 takes
    // {0, 1} (nearer than 4), moves to 0.5, then takes {0, 1, 2} and settles at 1; total L1 distance
    // 1+0+1+1+0+1+2+3+4 = 13; starts at 6..8 settle at 7 with the same 13, so the first (1) wins.
    // Step 3: from {4, 1}, a start at 6 takes {6, 7, 8}, settles at 7: 1+0+1+1+0+1+1+0+1 = 6, the least.
    TransferMatrix m = mountain(GridShape.line(9), 0.05);
    StructureDetection.Result r = new StructureDetection(StructureDetection.Mode.MOUNTAIN, 0)
        .run(m, GridShape.line(9), 3, Progress.NONE);
    assertArrayEquals(new int[] {4, 1, 7}, r.picks());
  }

  @Test
  void mMbtlSpreadsItsPicksOverAGridWithoutRepeats() {
    GridShape g = GridShape.parse("5x5");
    StructureDetection.Result r = new StructureDetection(StructureDetection.Mode.MOUNTAIN, 0)
        .run(mountain(g, 0.05), g, 25, Progress.NONE);
    assertEquals(12, r.picks()[0], "the centre first");
    assertEquals(25, Arrays.stream(r.picks()).distinct().count(), "every task once");
  }

  @Test
  void gpMbtlStartsInTheMiddleThenTrainsTheWorstServedTasks() {
    int n = 21;
    TransferMatrix m = mountain(GridShape.line(n), 0.04);
    StructureDetection.Result r = new StructureDetection(StructureDetection.Mode.GP, 0)
        .run(m, GridShape.line(n), 6, Progress.NONE);
    assertEquals(10, r.picks()[0]);
    assertEquals(0, r.picks()[1], "the lowest best-observed transfer, the lower index on a tie (0 and 20)");
    assertEquals(20, r.picks()[2]);
    assertEquals(6, Arrays.stream(r.picks()).distinct().count());
  }

  @Test
  void mgpMbtlStaysWithClusteringOnAMountainAndSwitchesToTheGpOffIt() {
    GridShape g = GridShape.parse("6x6");
    StructureDetection.Result onMountain = new StructureDetection(StructureDetection.Mode.SWITCH, 0)
        .run(mountain(g, 0.03), g, 12, Progress.NONE);
    StructureDetection.Result clustering = new StructureDetection(StructureDetection.Mode.MOUNTAIN, 0)
        .run(mountain(g, 0.03), g, 12, Progress.NONE);
    assertArrayEquals(clustering.picks(), onMountain.picks());
    assertTrue(onMountain.steps().stream().allMatch(StructureDetection.Step::mountainStep));

    StructureDetection.Result offMountain = new StructureDetection(StructureDetection.Mode.SWITCH, 0)
        .run(tilted(g), g, 12, Progress.NONE);
    for (int k = 0; k < StructureDetection.DETECT_FROM; k++) {
      assertTrue(offMountain.steps().get(k).mountainStep(), "clustering until the test has 6 rows");
    }
    assertFalse(offMountain.steps().get(StructureDetection.DETECT_FROM).mountainStep(), "then the GP");
    assertEquals(12, Arrays.stream(offMountain.picks()).distinct().count());
  }

  @Test
  void theSameSeedGivesTheSamePicksAndOver400TasksTheSeedPicksTheCandidates() {
    GridShape g = GridShape.parse("9x9x9"); // 729 tasks: 400 seeded candidate starts
    TransferMatrix m = mountain(g, 0.02);
    int[] a = new StructureDetection(StructureDetection.Mode.SWITCH, 3).run(m, g, 8, Progress.NONE).picks();
    int[] b = new StructureDetection(StructureDetection.Mode.SWITCH, 3).run(m, g, 8, Progress.NONE).picks();
    assertArrayEquals(a, b);
  }

  @Test
  void theAggregatedMetricIsZeroForRandomAndOneForTheMyopicOracleByConstruction() {
    for (String kind : new String[] {"smooth", "cliff", "steep"}) {
      TransferMatrix m = SyntheticMatrices.generate(kind, 30, 0.02, 7);
      Simulation sim = Simulation.run(m, kind, 8, List.of("random", "sequential-oracle", "m-mbtl", "gp-mbtl"),
          Strategies.Options.defaults(), Progress.NONE);
      Map<String, Double> agg = sim.aggregated();
      assertEquals(0.0, agg.get("random"), 0.0, kind);
      assertEquals(1.0, agg.get("sequential-oracle"), 0.0, kind);
      double random = sim.result("random").values()[7];
      double oracle = sim.result("sequential-oracle").values()[7];
      assertEquals((sim.result("m-mbtl").values()[7] - random) / (oracle - random), agg.get("m-mbtl"), 1e-12);
    }
    // Without random or the oracle among the strategies they are computed for the metric.
    TransferMatrix m = SyntheticMatrices.generate("smooth", 30, 0.02, 7);
    Simulation alone = Simulation.run(m, "smooth", 8, List.of("mbtl"), Strategies.Options.defaults(), Progress.NONE);
    Simulation both = Simulation.run(m, "smooth", 8, List.of("mbtl", "random", "sequential-oracle"),
        Strategies.Options.defaults(), Progress.NONE);
    assertEquals(both.aggregated().get("mbtl"), alone.aggregated().get("mbtl"), 0.0);
    assertTrue(Double.isNaN(AggregatedMetric.of(0.5, 0.7, 0.7)), "undefined when the oracle ties random");
  }
}
