package dev.zeroshot.mbtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GaussianProcessTest {

  private static final GaussianProcess.Config MBTL = GaussianProcess.Config.mbtl();

  @Test
  void onePointPosteriorByHand() {
    // K = c + alpha = 1.01; mean(q) = c exp(-q^2/2) y / 1.01; var(q) = c - c^2 exp(-q^2) / 1.01
    GaussianProcess gp = GaussianProcess.fit(new double[] {0}, new double[] {1}, MBTL.fixed(1, 1), new Random(1));
    assertEquals(1 / 1.01, gp.mean(0), 1e-12);
    assertEquals(Math.sqrt(1 - 1 / 1.01), gp.std(0), 1e-12);
    assertEquals(Math.exp(-0.5) / 1.01, gp.mean(1), 1e-12);
    assertEquals(Math.sqrt(1 - Math.exp(-1) / 1.01), gp.std(1), 1e-12);
    assertEquals(0, gp.mean(50), 1e-12); // prior mean far away
    assertEquals(1, gp.std(50), 1e-12); // prior std sqrt(c) far away
  }

  @Test
  void twoPointPosteriorAndLikelihoodByHand() {
    double c = 2;
    double l = 1.5;
    double alpha = 0.1;
    double[] x = {0, 1};
    double[] y = {1, 2};
    double k01 = c * Math.exp(-1 / (2 * l * l));
    double a = c + alpha;
    double det = a * a - k01 * k01;
    // K^-1 = [[a, -k01], [-k01, a]] / det
    double w0 = (a * y[0] - k01 * y[1]) / det;
    double w1 = (-k01 * y[0] + a * y[1]) / det;
    double quad = y[0] * w0 + y[1] * w1;
    double lml = -0.5 * quad - 0.5 * Math.log(det) - Math.log(2 * Math.PI);
    assertEquals(lml, GaussianProcess.logMarginalLikelihood(x, y, c, l, alpha), 1e-12);

    GaussianProcess.Config cfg = new GaussianProcess.Config(c, 1e-3, 1e3, l, 1e-2, 1e2, alpha, 0, false, false, false, false, 1e-7);
    GaussianProcess gp = GaussianProcess.fit(x, y, cfg, new Random(1));
    assertEquals(lml, gp.logMarginalLikelihood(), 1e-12);
    double q = 0.5;
    double k0 = c * Math.exp(-(q * q) / (2 * l * l));
    double k1 = c * Math.exp(-((q - 1) * (q - 1)) / (2 * l * l));
    assertEquals(k0 * w0 + k1 * w1, gp.mean(q), 1e-12);
    double var = c - (a * k0 * k0 - 2 * k01 * k0 * k1 + a * k1 * k1) / det;
    assertEquals(Math.sqrt(var), gp.std(q), 1e-12);
  }

  @Test
  void threePointLikelihoodMatchesDeterminantAndInverse() {
    double[] x = {0, 2, 5};
    double[] y = {0.3, -0.4, 0.9};
    double c = 0.7;
    double l = 2.2;
    double alpha = 0.05;
    double[][] k = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        k[i][j] = c * Math.exp(-(x[i] - x[j]) * (x[i] - x[j]) / (2 * l * l)) + (i == j ? alpha : 0);
      }
    }
    org.apache.commons.math3.linear.RealMatrix km = org.apache.commons.math3.linear.MatrixUtils.createRealMatrix(k);
    org.apache.commons.math3.linear.LUDecomposition lu = new org.apache.commons.math3.linear.LUDecomposition(km);
    double[] w = lu.getSolver().solve(new org.apache.commons.math3.linear.ArrayRealVector(y)).toArray();
    double quad = y[0] * w[0] + y[1] * w[1] + y[2] * w[2];
    double expected = -0.5 * quad - 0.5 * Math.log(lu.getDeterminant()) - 1.5 * Math.log(2 * Math.PI);
    assertEquals(expected, GaussianProcess.logMarginalLikelihood(x, y, c, l, alpha), 1e-10);
  }

  @Test
  void interpolatesWithTinyNoise() {
    double[] x = {0, 3, 7, 12};
    double[] y = {0.2, 0.9, 0.4, 0.7};
    GaussianProcess.Config cfg = new GaussianProcess.Config(1, 1e-3, 1e3, 2, 1e-2, 1e2, 1e-10, 0, false, false, false, false, 1e-7);
    GaussianProcess gp = GaussianProcess.fit(x, y, cfg, new Random(3));
    for (int i = 0; i < x.length; i++) {
      assertEquals(y[i], gp.mean(x[i]), 1e-6);
      assertEquals(0, gp.std(x[i]), 1e-4);
    }
    assertEquals(1, gp.std(1000), 1e-12);
    assertEquals(0, gp.mean(1000), 1e-12);
  }

  @Test
  void onePointFitFindsTheClosedFormConstant() {
    // With one point the LML is -y^2/(2(c+alpha)) - ln(c+alpha)/2 - ln(2 pi)/2, maximal at c = y^2 - alpha.
    GaussianProcess gp = GaussianProcess.fit(new double[] {49}, new double[] {0.8}, MBTL, new Random(42));
    assertEquals(0.64 - 0.01, gp.constant(), 1e-4);
    // below the lower bound the constant sits on the bound
    GaussianProcess low = GaussianProcess.fit(new double[] {49}, new double[] {0.05}, MBTL, new Random(42));
    assertEquals(1e-3, low.constant(), 1e-9);
  }

  @Test
  void fitIsAtLeastAsGoodAsAGridSearchOverTheBounds() {
    Random r = new Random(5);
    double[] x = {3, 10, 17, 25, 31, 40, 44};
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = 0.6 + 0.3 * Math.sin(x[i] / 6) + 0.02 * r.nextGaussian();
    }
    GaussianProcess gp = GaussianProcess.fit(x, y, MBTL, new Random(42));
    double gridBest = Double.NEGATIVE_INFINITY;
    for (int a = 0; a <= 60; a++) {
      for (int b = 0; b <= 60; b++) {
        double c = Math.exp(Math.log(1e-3) + a * (Math.log(1e3) - Math.log(1e-3)) / 60);
        double l = Math.exp(Math.log(1e-2) + b * (Math.log(1e2) - Math.log(1e-2)) / 60);
        gridBest = Math.max(gridBest, GaussianProcess.logMarginalLikelihood(x, y, c, l, 0.01));
      }
    }
    assertTrue(gp.logMarginalLikelihood() >= gridBest - 1e-6,
        "fitted LML " + gp.logMarginalLikelihood() + " < grid max " + gridBest);
    assertTrue(gp.constant() >= 1e-3 && gp.constant() <= 1e3);
    assertTrue(gp.lengthScale() >= 1e-2 && gp.lengthScale() <= 1e2);
  }

  /**
   * Reference values from scikit-learn 1.9.1 (GaussianProcessRegressor, kernel C(0.7) * RBF(2.2),
   * alpha 0.01, optimizer=None; then C(1.0, (1e-3, 1e3)) * RBF(1.0, (1e-2, 1e2)) with
   * n_restarts_optimizer=9, np.random.seed(42)) on x = 3, 10, 17, 25, 31, 40, 44 and
   * y = 0.6 + 0.3 sin(x / 6), computed outside this project and pasted here.
   */
  @Test
  void matchesScikitLearn() {
    double[] x = {3, 10, 17, 25, 31, 40, 44};
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = 0.6 + 0.3 * Math.sin(x[i] / 6);
    }
    assertEquals(-7.396434313341564, GaussianProcess.logMarginalLikelihood(x, y, 0.7, 2.2, 0.01), 1e-10);
    GaussianProcess fixed = GaussianProcess.fit(x, y, MBTL.fixed(0.7, 2.2), new Random(1));
    double[] q = {0, 12.5, 44, 80};
    double[] mean = {0.2872852678905474, 0.543369835077649, 0.849648788665529, 5.3113317861194655e-59};
    double[] std = {0.7697444975297477, 0.7073197799611252, 0.09926705889885613, 0.8366600265340756};
    for (int i = 0; i < q.length; i++) {
      assertEquals(mean[i], fixed.mean(q[i]), 1e-10, "mean at " + q[i]);
      assertEquals(std[i], fixed.std(q[i]), 1e-10, "std at " + q[i]);
    }
    GaussianProcess fitted = GaussianProcess.fit(x, y, MBTL, new Random(42));
    assertEquals(-0.483019707498336, fitted.logMarginalLikelihood(), 1e-6);
    assertEquals(0.665 * 0.665, fitted.constant(), 0.01);
    assertEquals(14.3, fitted.lengthScale(), 0.1);
  }

  @Test
  void sameSeedSameHyperparameters() {
    double[] x = {49};
    double[] y = {0.9};
    GaussianProcess a = GaussianProcess.fit(x, y, MBTL, new Random(7));
    GaussianProcess b = GaussianProcess.fit(x, y, MBTL, new Random(7));
    assertEquals(a.constant(), b.constant(), 0);
    assertEquals(a.lengthScale(), b.lengthScale(), 0);
  }

  @Test
  void normalizeYPredictsTheTargetMeanFarAway() {
    double[] x = {0, 5, 9};
    double[] y = {2, 4, 3};
    GaussianProcess gp = GaussianProcess.fit(x, y, MBTL.withNormalizeY(true).fixed(1, 1.5), new Random(1));
    assertEquals(3, gp.mean(1e4), 1e-9);
    assertEquals(Math.sqrt(2.0 / 3.0), gp.std(1e4), 1e-9); // prior std = std(y) * sqrt(c)
  }

  @Test
  void taskIndexInputsGiveTheSameBitsAsAnyOtherInputs() {
    // Integer inputs take the tabulated-kernel path; the same points shifted by 0.5 (exact in
    // double, so the same differences) take the generic one: the fits must agree exactly.
    Random r = new Random(3);
    int n = 40;
    double[] x = new double[n];
    double[] shifted = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = (i * 37) % 97;
      shifted[i] = x[i] + 0.5;
      y[i] = Math.sin(x[i] / 9.0) + 0.05 * r.nextGaussian();
    }
    for (double l : new double[] {0.3, 2.0, 17.0}) {
      double a = GaussianProcess.logMarginalLikelihood(x, y, 0.7, l, 0.01);
      double b = GaussianProcess.logMarginalLikelihood(shifted, y, 0.7, l, 0.01);
      assertEquals(Double.doubleToLongBits(b), Double.doubleToLongBits(a), "l = " + l);
    }
    GaussianProcess f = GaussianProcess.fit(x, y, GaussianProcess.Config.mbtl(), new Random(5));
    GaussianProcess g = GaussianProcess.fit(shifted, y, GaussianProcess.Config.mbtl(), new Random(5));
    assertEquals(g.lengthScale(), f.lengthScale(), 0.0);
    assertEquals(g.constant(), f.constant(), 0.0);
    assertEquals(g.mean(50.5), f.mean(50.0), 0.0);
    assertEquals(g.std(50.5), f.std(50.0), 0.0);
  }
}
