package dev.zeroshot.mbtl;

import java.util.Locale;
import java.util.Random;

/**
 * Synthetic transfer matrices with a known structure, for tests, examples and demos. Each is
 * J[s,t] = clip(q(s) * transfer(s, t) + noise, 0, 1) where q(s) is the training performance on
 * the source's own task and transfer(s,t) in [0,1] says how much of it survives at target t.
 * <ul>
 * <li>{@code smooth}: q smooth in s, transfer falls linearly, 0.02 per index step, both sides;</li>
 * <li>{@code two-peaked}: q has two bumps (tasks near N/4 and 3N/4 train well), Gaussian
 *     transfer with width N/8;</li>
 * <li>{@code asymmetric}: transfer to higher indices falls 4x more slowly than to lower ones;</li>
 * <li>{@code cliff}: a regime change at 0.6 N: no policy transfers across it;</li>
 * <li>{@code steep}: the case: transfer falls 0.08 per index step, so the paper's
 *     theta = 0.005 greatly over-values a policy's neighbours.</li>
 * </ul>
 * Noise is Gaussian with the given standard deviation, seeded.
 */
public final class SyntheticMatrices {

  public static final String[] KINDS = {"smooth", "two-peaked", "asymmetric", "cliff", "steep"};

  private SyntheticMatrices() {}

  public static TransferMatrix generate(String kind, int n, double noise, long seed) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    if (!(noise >= 0)) {
      throw new IllegalArgumentException("noise must be >= 0, got " + noise);
    }
    Random rng = new Random(seed);
    double[][] m = new double[n][n];
    for (int s = 0; s < n; s++) {
      double u = n == 1 ? 0.5 : s / (double) (n - 1);
      for (int t = 0; t < n; t++) {
        int d = Math.abs(s - t);
        double q;
        double tr;
        switch (kind.toLowerCase(Locale.ROOT)) {
          case "smooth" -> {
            q = 0.75 + 0.2 * Math.sin(Math.PI * u);
            tr = Math.max(0, 1 - 0.02 * d);
          }
          case "two-peaked" -> {
            q = 0.35 + 0.6 * Math.max(bump(u, 0.25, 0.1), bump(u, 0.75, 0.1));
            double w = Math.max(1, n / 8.0);
            tr = Math.exp(-0.5 * d * d / (w * w));
          }
          case "asymmetric" -> {
            q = 0.9 - 0.2 * u;
            tr = t >= s ? Math.max(0, 1 - 0.01 * d) : Math.max(0, 1 - 0.04 * d);
          }
          case "cliff" -> {
            int c = (int) Math.round(0.6 * n);
            q = s < c ? 0.9 : 0.7;
            boolean across = (s < c) != (t < c);
            tr = across ? 0.05 : Math.max(0, 1 - 0.01 * d);
          }
          case "steep" -> {
            q = 0.85 + 0.1 * Math.cos(2 * Math.PI * u);
            tr = Math.max(0, 1 - 0.08 * d);
          }
          default -> throw new IllegalArgumentException("unknown synthetic matrix kind '" + kind + "'; known: "
              + String.join(", ", KINDS));
        }
        double v = q * tr + (noise > 0 ? noise * rng.nextGaussian() : 0);
        m[s][t] = Math.min(1, Math.max(0, v));
      }
    }
    return TransferMatrix.of(m);
  }

  private static double bump(double u, double c, double w) {
    return Math.exp(-0.5 * (u - c) * (u - c) / (w * w));
  }
}
