package dev.zeroshot.mbtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Multi-feature contexts: the grid layout, the ARD GP, the per-feature gap model, greedy coverage, simulate. */
class GridTest {

  private static final Strategies.Options DEFAULTS = Strategies.Options.defaults();

  @Test
  void gridIsRowMajorAndParsesWithClearErrors() {
    GridShape g = GridShape.parse("3x4");
    assertEquals(12, g.size());
    assertEquals(2, g.dims());
    assertArrayEquals(new int[] {1, 2}, g.coordinates(6)); // 6 = 1 * 4 + 2
    assertEquals(1, g.coordinate(6, 0));
    assertEquals(2, g.coordinate(6, 1));
    for (int i = 0; i < 12; i++) {
      assertEquals(i, g.index(g.coordinates(i)));
    }
    assertEquals(g.index(new int[] {1, 1}), g.middle()); // (3-1)/2 = 1, (4-1)/2 = 1
    assertEquals(49, GridShape.line(100).middle()); // the paper's step 0
    assertEquals("3x4", g.toString());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> GridShape.parse("3xa")).getMessage()
        .contains("not an integer"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> GridShape.parse("1x5")).getMessage()
        .contains(">= 2"));
  }

  @Test
  void ardPosteriorByHandAndSameAsTheOneFeatureGp() {
    // one point at (0, 0), c = 1, l = 1 on both features, alpha = 0.01:
    // mean(q) = exp(-|q|^2 / 2) / 1.01, var(q) = 1 - exp(-|q|^2) / 1.01
    GaussianProcess.Config fixed = GaussianProcess.Config.mbtl().fixed(1, 1);
    ArdGaussianProcess gp = ArdGaussianProcess.fit(new double[][] {{0, 0}}, new double[] {1}, fixed, new Random(1),
        null);
    double[][] p = gp.predict(new double[][] {{0, 0}, {1, 1}, {0, 2}});
    assertEquals(1 / 1.01, p[0][0], 1e-12);
    assertEquals(Math.exp(-1) / 1.01, p[0][1], 1e-12);
    assertEquals(Math.exp(-2) / 1.01, p[0][2], 1e-12);
    assertEquals(Math.sqrt(1 - Math.exp(-2) / 1.01), p[1][1], 1e-12);

    // d = 1: the same posterior and likelihood as GaussianProcess at the same fitted hyperparameters
    double[] x = {0, 3, 7, 12};
    double[] y = {0.5, 0.9, 0.4, 0.7};
    double[][] xa = {{0}, {3}, {7}, {12}};
    GaussianProcess.Config cfg = GaussianProcess.Config.mbtl();
    GaussianProcess one = GaussianProcess.fit(x, y, cfg, new Random(3));
    ArdGaussianProcess ard = ArdGaussianProcess.fit(xa, y, cfg, new Random(3), null);
    assertEquals(one.logMarginalLikelihood(), ard.logMarginalLikelihood(), 1e-6);
    assertEquals(one.lengthScale(), ard.lengthScales()[0], 1e-3 * one.lengthScale());
    double[][] q = ard.predict(new double[][] {{5}, {20}});
    assertEquals(one.mean(5), q[0][0], 1e-4);
    assertEquals(one.std(5), q[1][0], 1e-4);
  }

  @Test
  void ardLengthScalesSeparateAFastAndASlowFeature() {
    // y varies along feature 0 only: its length scale should be far shorter than feature 1's
    List<double[]> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int a = 0; a < 6; a++) {
      for (int b = 0; b < 6; b++) {
        xs.add(new double[] {a, b});
        ys.add(Math.sin(1.3 * a));
      }
    }
    double[] y = ys.stream().mapToDouble(Double::doubleValue).toArray();
    ArdGaussianProcess gp = ArdGaussianProcess.fit(xs.toArray(new double[0][]), y,
        GaussianProcess.Config.mbtl().withAlpha(1e-4), new Random(5), null);
    double[] l = gp.lengthScales();
    assertTrue(l[0] < 3 && l[1] > 10 * l[0], java.util.Arrays.toString(l));
  }

  @Test
  void gapSlopesAreFittedPerFeature() {
    // noiseless smooth grid: J[s,t] = q(s) * max(0, 1 - 0.02 |ds_0| - 0.06 |ds_1|), so the slopes are 0.02 q and 0.06 q
    GridShape g = GridShape.parse("8x8");
    TransferMatrix m = SyntheticMatrices.generateGrid("smooth", g, 0.0, 1);
    int s = g.index(new int[] {3, 4});
    double q = m.get(s, s);
    GapModel gap = GapModel.fitGrid(g, List.of(s), List.of(m.row(s)), 0.005);
    assertTrue(gap.fitted());
    for (double[] side : new double[][] {gap.lefts(), gap.rights()}) {
      assertEquals(0.02 * q, side[0], 1e-6);
      assertEquals(0.06 * q, side[1], 1e-6);
    }
    // loss adds the features: 2 steps down feature 0 and 1 up feature 1
    assertEquals(2 * gap.lefts()[0] + gap.rights()[1], gap.loss(s, g.index(new int[] {1, 5})), 1e-12);
    // a line is the one-feature fit
    TransferMatrix line = SyntheticMatrices.generate("steep", 30, 0.02, 3);
    GapModel a = GapModel.fitGrid(GridShape.line(30), List.of(14), List.of(line.row(14)), 0.005);
    GapModel b = GapModel.fit(List.of(14), List.of(line.row(14)), 0.005);
    assertEquals(b.left(), a.left(), 0);
    assertEquals(b.right(), a.right(), 0);
  }

  @Test
  void greedyCoverageStartsInTheMiddleAndSpreads() {
    GridShape g = GridShape.parse("5x5");
    int[] p = Baselines.greedyCoverage(g, 25);
    assertEquals(g.middle(), p[0]);
    assertEquals(25, java.util.Arrays.stream(p).distinct().count()); // never a repeat
    // the second pick is away from the middle but not on a corner
    int[] c = g.coordinates(p[1]);
    assertTrue(!(c[0] % 4 == 0 && c[1] % 4 == 0), java.util.Arrays.toString(c));
    assertArrayEquals(p, Baselines.greedyCoverage(g, 25));
  }

  @Test
  void simulateOnATwoFeatureMatrix() {
    GridShape g = GridShape.parse("8x8");
    TransferMatrix m = SyntheticMatrices.generateGrid("smooth", g, 0.02, 7);
    List<String> names = Strategies.parse("all", g);
    assertTrue(!names.contains("equidistant") && names.contains("greedy"), names.toString());
    Simulation sim = Simulation.run(m, "grid", g, 10, names, DEFAULTS, Progress.NONE);
    double oracle = m.oracleTransfer();
    for (StrategyResult r : sim.results()) {
      double[] v = r.values();
      for (int k = 0; k < v.length; k++) {
        assertTrue(v[k] <= oracle + 1e-12, r.name());
        if (k > 0 && r.kind().equals("sequential")) {
          assertTrue(v[k] >= v[k - 1] - 1e-12, r.name() + " decreases at k = " + (k + 1));
        }
      }
    }
    double mbtl = sim.result("mbtl").average();
    assertTrue(mbtl > sim.result("random").average(), "mbtl " + mbtl);
    assertTrue(mbtl > sim.result("greedy").average(), "mbtl " + mbtl + " vs greedy coverage "
        + sim.result("greedy").average());
    // the fitted slopes see that feature 1 loses transfer ~3x faster than feature 0
    MbtlSelector.Step last = sim.result("mbtl").steps().get(9);
    assertEquals(2, last.gapLefts().length);
    assertTrue(last.gapLefts()[1] > 2 * last.gapLefts()[0], java.util.Arrays.toString(last.gapLefts()));
    assertEquals(2, last.gpLengthScales().length);
    // deterministic under the seed
    StrategyResult again = Strategies.run("mbtl", m, g, 10, DEFAULTS, Progress.NONE);
    assertArrayEquals(sim.result("mbtl").picks(), again.picks());
    // line-only strategies are refused by name on a grid, and a grid of the wrong size is refused
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Strategies.parse("mbtl,equidistant", g))
        .getMessage().contains("line of tasks only"));
    assertThrows(IllegalArgumentException.class,
        () -> Simulation.run(m, "grid", GridShape.parse("4x4"), 5, List.of("mbtl"), DEFAULTS, Progress.NONE));
  }

  /** The sorted prefix-sum form of the grid gap fit's error equals the direct sum, clipped pairs included. */
  @org.junit.jupiter.api.Test
  void theFastClippedErrorEqualsTheDirectSum() {
    java.util.Random rng = new java.util.Random(5);
    int n = 500;
    double[] b = new double[n];
    double[] d = new double[n];
    double[] r = new double[n];
    double[] o = new double[n];
    for (int q = 0; q < n; q++) {
      b[q] = 0.2 * rng.nextDouble();
      d[q] = 1 + rng.nextInt(9);
      r[q] = rng.nextDouble();
      o[q] = rng.nextDouble();
    }
    GapModel.ClippedLinearError fast = new GapModel.ClippedLinearError(b, d, r, o);
    for (double v : new double[] {1e-4, 0.01, 0.05, 0.1, 0.3, 1, 10}) {
      double direct = 0;
      for (int q = 0; q < n; q++) {
        double res = o[q] - Math.max(r[q] - b[q] - v * d[q], 0);
        direct += res * res;
      }
      org.junit.jupiter.api.Assertions.assertEquals(direct, fast.at(v), 1e-9 * direct, "v = " + v);
    }
  }
}
