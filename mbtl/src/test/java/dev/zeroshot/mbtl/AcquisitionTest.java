package dev.zeroshot.mbtl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class AcquisitionTest {

  private static final double[] MU = {0.5, 0.6, 0.4};
  private static final double[] SIGMA = {0.1, 0.0, 0.2};
  private static final double[] VOBS = {0.3, 0.55, 0.1};

  private static double[] scores(Acquisition a, double kappa) {
    MbtlSelector s = new MbtlSelector(new MbtlSelector.Config(a, 1.0, false, 0.1, GaussianProcess.Config.mbtl(), false, 0, 0));
    double[] out = new double[3];
    s.scores(MU, SIGMA, GapModel.fixed(0.1), VOBS, kappa, out);
    return out;
  }

  @Test
  void ucbByHand() {
    // u = mu + 1 * sigma = 0.6, 0.6, 0.6; gap 0.1 per index step
    double[] a = scores(Acquisition.UCB_LOG, 1.0);
    assertEquals((0.3 + 0 + 0.3) / 3, a[0], 1e-12); // 0.6-0.3, 0.6-0.1-0.55<0, 0.6-0.2-0.1
    assertEquals((0.2 + 0.05 + 0.4) / 3, a[1], 1e-12);
    assertEquals((0.1 + 0 + 0.5) / 3, a[2], 1e-12);
  }

  @Test
  void betaSchedules() {
    // the paper: beta_k = ln(k+1) (c_2 = 1); Zeroshot's default c_2 = 4
    assertEquals(Math.sqrt(Math.log(2)), Acquisition.UCB_LOG.kappa(1, 1), 1e-15);
    assertEquals(Math.sqrt(Math.log(5)), Acquisition.UCB_LOG.kappa(4, 1), 1e-15);
    assertEquals(2 * Math.sqrt(Math.log(5)), Acquisition.UCB_LOG.kappa(4, 4), 1e-15);
    assertEquals(Math.sqrt(2.5), Acquisition.UCB_FIXED.kappa(4, 2.5), 1e-15);
  }

  @Test
  void expectedImprovementByHand() {
    NormalDistribution z = new NormalDistribution();
    double[] a = scores(Acquisition.EI, Double.NaN);
    double expected0 = 0;
    for (double c : new double[] {0.3, 0.1 + 0.55, 0.2 + 0.1}) {
      double d = (0.5 - c) / 0.1;
      expected0 += (0.5 - c) * z.cumulativeProbability(d) + 0.1 * z.density(d);
    }
    assertEquals(expected0 / 3, a[0], 1e-9);
    assertEquals((0.2 + 0.05 + 0.4) / 3, a[1], 1e-12); // sigma = 0: max(mu - c, 0), as UCB
  }

  @Test
  void gapModelSides() {
    GapModel g = new GapModel(0.1, 0.02, true);
    assertEquals(0.3, g.loss(5, 2), 1e-12);
    assertEquals(0.06, g.loss(5, 8), 1e-12);
    assertEquals(0, g.loss(5, 5), 0);
  }

  @Test
  void fittedGapRecoversKnownSlopes() {
    // row of source 10 on 21 targets: 0.9 - 0.03 d to the left, 0.9 - 0.01 d to the right
    double[] row = new double[21];
    for (int t = 0; t < 21; t++) {
      row[t] = t < 10 ? 0.9 - 0.03 * (10 - t) : 0.9 - 0.01 * (t - 10);
    }
    GapModel g = GapModel.fit(java.util.List.of(10), java.util.List.of(row), 0.005);
    assertEquals(0.03, g.left(), 1e-8);
    assertEquals(0.01, g.right(), 1e-8);
    // a source at the edge has one side only: the other side copies it
    double[] edge = new double[21];
    for (int t = 0; t < 21; t++) {
      edge[t] = 0.9 - 0.02 * t;
    }
    GapModel e = GapModel.fit(java.util.List.of(0), java.util.List.of(edge), 0.005);
    assertEquals(0.02, e.left(), 1e-8);
    assertEquals(0.02, e.right(), 1e-8);
    // a row that hits the floor: the clipped model is fitted, so the zeros far away do not flatten it
    double[] clipped = new double[41];
    for (int t = 0; t < 41; t++) {
      clipped[t] = Math.max(0.9 - 0.1 * Math.abs(t - 20), 0);
    }
    GapModel c = GapModel.fit(java.util.List.of(20), java.util.List.of(clipped), 0.005);
    assertEquals(0.1, c.left(), 1e-8);
    assertEquals(0.1, c.right(), 1e-8);
    // nothing usable: the prior
    GapModel p = GapModel.fit(java.util.List.of(0), java.util.List.of(new double[] {0.5}), 0.005);
    assertEquals(0.005, p.left(), 0);
  }
}
