package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The PPO loss terms and their gradients on tiny cases worked out by hand. */
class PpoLossTest {

  private static final PpoLoss.Coefs NO_ENTROPY = new PpoLoss.Coefs(0.2, true, 0.0, 0.5);

  @Test
  void policyClippingKeepsTheGradientOnlyWhereTheSurrogateIsNotClipped() {
    // ratio 1.5, A = +1: pg1 = -1.5, pg2 = -1.2 -> the clipped term wins, no gradient.
    PpoLoss.Stats s = new PpoLoss.Stats();
    double g = PpoLoss.policyTerm(s, 1, Math.log(1.5), 0, 1, 0.2);
    assertEquals(-1.2, s.policyLoss, 1e-12);
    assertEquals(0, g, 0);
    assertEquals(1.0, s.clipFraction, 0);
    assertEquals((1.5 - 1) - Math.log(1.5), s.approxKl, 1e-12);
    // ratio 1.5, A = -1: pg1 = 1.5 > pg2 = 1.2 -> unclipped, d/dlogp = -A * ratio = 1.5.
    s = new PpoLoss.Stats();
    g = PpoLoss.policyTerm(s, 1, Math.log(1.5), 0, -1, 0.2);
    assertEquals(1.5, s.policyLoss, 1e-12);
    assertEquals(1.5, g, 1e-12);
    // ratio 0.5, A = -2: pg1 = 1.0, pg2 = -2 * -0.8... = 1.6 -> clipped wins, no gradient.
    s = new PpoLoss.Stats();
    g = PpoLoss.policyTerm(s, 1, Math.log(0.5), 0, -2, 0.2);
    assertEquals(1.6, s.policyLoss, 1e-12);
    assertEquals(0, g, 0);
    // ratio 1.1 (inside the range), A = 2, averaged over n = 4: loss -2.2 / 4, gradient -2.2 / 4.
    s = new PpoLoss.Stats();
    g = PpoLoss.policyTerm(s, 4, Math.log(1.1), 0, 2, 0.2);
    assertEquals(-2.2 / 4, s.policyLoss, 1e-12);
    assertEquals(-2.2 / 4, g, 1e-12);
    assertEquals(0, s.clipFraction, 0);
  }

  @Test
  void valueClippingTakesThePessimisticTerm() {
    PpoLoss.Coefs c = new PpoLoss.Coefs(0.2, true, 0, 1.0);
    // v = 2, v_old = 1, R = 3: unclipped (2-3)^2 = 1; clipped v = 1.2 -> (1.2-3)^2 = 3.24 wins.
    // Loss 0.5 * 3.24; the clipped value does not move with v (outside the clip range): gradient 0.
    PpoLoss.Stats s = new PpoLoss.Stats();
    double g = PpoLoss.valueTerm(s, 1, 2, 1, 3, c);
    assertEquals(1.62, s.valueLoss, 1e-12);
    assertEquals(0, g, 0);
    // v = 0.5, v_old = 1, R = 3: unclipped 6.25 > clipped (0.8-3)^2 = 4.84: gradient 0.5 * 2 * (0.5 - 3) = -2.5.
    s = new PpoLoss.Stats();
    g = PpoLoss.valueTerm(s, 1, 0.5, 1, 3, c);
    assertEquals(3.125, s.valueLoss, 1e-12);
    assertEquals(-2.5, g, 1e-12);
    // Unclipped value loss, vf_coef 0.5, n = 2: 0.5 * (4 - 1)^2 / 2 and gradient 0.5 * 0.5 * 2 * 3 / 2.
    s = new PpoLoss.Stats();
    g = PpoLoss.valueTerm(s, 2, 4, 0, 1, new PpoLoss.Coefs(0.2, false, 0, 0.5));
    assertEquals(2.25, s.valueLoss, 1e-12);
    assertEquals(0.75, g, 1e-12);
  }

  @Test
  void categoricalEntropyAndLogProbabilities() {
    // Logits [0, ln 3]: p = [1/4, 3/4], H = -(1/4 ln 1/4 + 3/4 ln 3/4).
    float[] logits = {0f, (float) Math.log(3)};
    float[] gradL = new float[2];
    float[] gradV = new float[1];
    // Old log-prob equal to the new one (ratio 1), zero advantage: only entropy and value matter.
    PpoLoss.Stats s = PpoLoss.categorical(1, 2, logits, new long[] {1}, new float[] {(float) Math.log(0.75)},
        new float[] {0}, new float[] {1}, new float[] {1}, new float[] {1}, new PpoLoss.Coefs(0.2, true, 0.01, 0.5),
        gradL, gradV);
    double h = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
    assertEquals(h, s.entropy, 1e-7);
    assertEquals(0, s.approxKl, 1e-7);
    assertEquals(-0.01 * h, s.loss, 1e-7);
    // dH/dz_k = -p_k (ln p_k + H); the loss has -0.01 * H.
    assertEquals(0.01 * 0.25 * (Math.log(0.25) + h), gradL[0], 1e-8);
    assertEquals(0.01 * 0.75 * (Math.log(0.75) + h), gradL[1], 1e-8);
    assertEquals(0, gradV[0], 0);
    // Uniform logits over 4 actions: H = ln 4.
    s = PpoLoss.categorical(1, 4, new float[4], new long[] {2}, new float[] {(float) -Math.log(4)}, new float[] {0},
        new float[] {0}, new float[] {0}, new float[] {0}, NO_ENTROPY, new float[4], new float[1]);
    assertEquals(Math.log(4), s.entropy, 1e-7);
  }

  @Test
  void gaussianEntropyIsHalfPlusHalfLogTwoPiPlusLogStdPerDimension() {
    float[] logStd = {0f, (float) Math.log(2)};
    float[] gls = new float[2];
    PpoLoss.Stats s = PpoLoss.gaussian(1, 2, new float[] {0, 0}, logStd, new float[] {0, 0}, new float[] {0},
        new float[] {0}, new float[] {0}, new float[] {0}, new float[] {0}, new PpoLoss.Coefs(0.2, true, 0.1, 0.5),
        new float[2], gls, new float[1]);
    assertEquals(2 * (0.5 + 0.5 * Math.log(2 * Math.PI)) + Math.log(2), s.entropy, 1e-7);
    // With A = 0 only the entropy bonus pulls the log stds: -ent_coef each.
    assertArrayEquals(new float[] {-0.1f, -0.1f}, gls, 1e-7f);
  }

  @Test
  void advantageNormalizationUsesTheUnbiasedStd() {
    float[] a = {1, 2, 3, 4};
    PpoLoss.normalizeAdvantages(a, 4);
    double std = Math.sqrt((2.25 + 0.25 + 0.25 + 2.25) / 3);
    assertEquals(-1.5 / (std + 1e-8), a[0], 1e-6);
    assertEquals(1.5 / (std + 1e-8), a[3], 1e-6);
  }

  @Test
  void categoricalGradientMatchesFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(7);
    int n = 5;
    int a = 3;
    float[] logits = randoms(r, n * a, 1.0);
    long[] actions = new long[n];
    float[] oldLogp = new float[n];
    for (int i = 0; i < n; i++) {
      actions[i] = r.nextInt(a);
      oldLogp[i] = (float) (-1.1 + 0.6 * (r.nextDouble() - 0.5)); // some ratios clip
    }
    float[] adv = randoms(r, n, 1.0);
    float[] ret = randoms(r, n, 1.0);
    float[] oldV = randoms(r, n, 1.0);
    float[] newV = randoms(r, n, 1.0);
    PpoLoss.Coefs c = new PpoLoss.Coefs(0.2, true, 0.05, 0.5);
    float[] gl = new float[n * a];
    float[] gv = new float[n];
    PpoLoss.categorical(n, a, logits, actions, oldLogp, adv, ret, oldV, newV, c, gl, gv);
    for (int k = 0; k < n * a; k++) {
      final int kk = k;
      double fd = central(h -> {
        float[] l = logits.clone();
        l[kk] += h;
        return PpoLoss.categorical(n, a, l, actions, oldLogp, adv, ret, oldV, newV, c, new float[n * a], new float[n]).loss;
      });
      assertEquals(fd, gl[k], 2e-4, "logit " + k);
    }
    for (int k = 0; k < n; k++) {
      final int kk = k;
      double fd = central(h -> {
        float[] v = newV.clone();
        v[kk] += h;
        return PpoLoss.categorical(n, a, logits, actions, oldLogp, adv, ret, oldV, v, c, new float[n * a], new float[n]).loss;
      });
      assertEquals(fd, gv[k], 2e-4, "value " + k);
    }
  }

  @Test
  void gaussianGradientMatchesFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(11);
    int n = 4;
    int a = 2;
    float[] means = randoms(r, n * a, 1.0);
    float[] logStd = randoms(r, a, 0.5);
    float[] actions = randoms(r, n * a, 1.5);
    float[] oldLogp = randoms(r, n, 0.5);
    for (int i = 0; i < n; i++) {
      oldLogp[i] -= 2.5f;
    }
    float[] adv = randoms(r, n, 1.0);
    float[] ret = randoms(r, n, 1.0);
    float[] oldV = randoms(r, n, 1.0);
    float[] newV = randoms(r, n, 1.0);
    PpoLoss.Coefs c = new PpoLoss.Coefs(0.2, true, 0.01, 0.5);
    float[] gm = new float[n * a];
    float[] gs = new float[a];
    PpoLoss.gaussian(n, a, means, logStd, actions, oldLogp, adv, ret, oldV, newV, c, gm, gs, new float[n]);
    for (int k = 0; k < n * a; k++) {
      final int kk = k;
      double fd = central(h -> {
        float[] m = means.clone();
        m[kk] += h;
        return PpoLoss.gaussian(n, a, m, logStd, actions, oldLogp, adv, ret, oldV, newV, c, new float[n * a], new float[a], new float[n]).loss;
      });
      assertEquals(fd, gm[k], 5e-4, "mean " + k);
    }
    for (int k = 0; k < a; k++) {
      final int kk = k;
      double fd = central(h -> {
        float[] s = logStd.clone();
        s[kk] += h;
        return PpoLoss.gaussian(n, a, means, s, actions, oldLogp, adv, ret, oldV, newV, c, new float[n * a], new float[a], new float[n]).loss;
      });
      assertEquals(fd, gs[k], 5e-4, "logstd " + k);
    }
  }

  private static float[] randoms(SplittableRandom r, int n, double scale) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
    }
    return f;
  }

  private static double central(java.util.function.DoubleUnaryOperator f) {
    double h = 1e-3;
    return (f.applyAsDouble(h) - f.applyAsDouble(-h)) / (2 * h);
  }
}
