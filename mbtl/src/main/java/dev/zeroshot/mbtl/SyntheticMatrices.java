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

  /** The kinds {@link #generateGrid} makes. */
  public static final String[] GRID_KINDS = {"smooth", "two-peaked", "cliff", "flat", "mountain", "non-mountain"};

  /**
   * A synthetic matrix whose tasks are the points of a grid over several features (row-major, as
   * {@link GridShape}), with transfer that falls at a different rate along each feature, so a
   * per-feature gap model and length scales have something to find. With u_f = task's index along
   * feature f scaled to [0, 1] and d_f the index distance along feature f:
   * <ul>
   * <li>{@code smooth}: q = 0.75 + 0.2 prod_f sin(pi u_f); transfer = max(0, 1 - sum_f r_f d_f)
   *     with r_f = 0.02 on the first feature, 0.06 on the second, 0.1 on the third...;</li>
   * <li>{@code two-peaked}: q = 0.35 + 0.6 max(bump at u = 0.25 on every feature, bump at 0.75),
   *     Gaussian transfer exp(-sum_f (d_f / w_f)^2 / 2) with w_f = size_f / 4 on the first feature
   *     and size_f / 8 on the others.</li>
   * </ul>
   * The same seeded noise and clipping to [0, 1] as {@link #generate}.
   */
  public static TransferMatrix generateGrid(String kind, GridShape shape, double noise, long seed) {
    if (!(noise >= 0)) {
      throw new IllegalArgumentException("noise must be >= 0, got " + noise);
    }
    String k = kind.toLowerCase(Locale.ROOT);
    if (!java.util.Arrays.asList(GRID_KINDS).contains(k)) {
      throw new IllegalArgumentException("unknown synthetic grid matrix kind '" + kind + "'; known: "
          + String.join(", ", GRID_KINDS));
    }
    int n = shape.size();
    int d = shape.dims();
    Random rng = new Random(seed);
    double[][] m = new double[n][n];
    for (int s = 0; s < n; s++) {
      int[] cs = shape.coordinates(s);
      double[] u = new double[d];
      for (int f = 0; f < d; f++) {
        u[f] = shape.size(f) == 1 ? 0.5 : cs[f] / (double) (shape.size(f) - 1);
      }
      double q;
      switch (k) {
        case "smooth" -> {
          double p = 1;
          for (double x : u) {
            p *= Math.sin(Math.PI * x);
          }
          q = 0.75 + 0.2 * p;
        }
        case "two-peaked" -> {
          double a = 1;
          double b = 1;
          for (double x : u) {
            a *= bump(x, 0.25, 0.15);
            b *= bump(x, 0.75, 0.15);
          }
          q = 0.35 + 0.6 * Math.max(a, b);
        }
        case "cliff" -> q = u[0] < 0.6 ? 0.9 : 0.7;
        case "flat" -> q = 0.8;
        case "mountain" -> q = 0.85;
        default -> q = 0.5 + 0.4 * u[0]; // non-mountain
      }
      for (int t = 0; t < n; t++) {
        int[] ct = shape.coordinates(t);
        double tr;
        switch (k) {
          case "smooth" -> tr = Math.max(0, 1 - l1(cs, ct, 0.02, 0.04));
          case "two-peaked" -> {
            double z = 0;
            for (int f = 0; f < d; f++) {
              double w = Math.max(1, shape.size(f) / (f == 0 ? 4.0 : 8.0));
              double x = (cs[f] - ct[f]) / w;
              z += x * x;
            }
            tr = Math.exp(-0.5 * z);
          }
          case "cliff" -> {
            boolean across = (u[0] < 0.6) != (ut(shape, ct, 0) < 0.6);
            tr = across ? 0.05 : Math.max(0, 1 - l1(cs, ct, 0.03, 0));
          }
          case "flat" -> tr = Math.max(0, 1 - l1(cs, ct, 0.003, 0));
          case "mountain" -> tr = Math.max(0, 1 - l1(cs, ct, 0.04, 0.02));
          default -> { // non-mountain
            double z = 0;
            for (int f = 0; f < d; f++) {
              z += u[f] * ut(shape, ct, f);
            }
            tr = 0.5 + 0.5 * Math.cos(2 * Math.PI * z);
          }
        }
        double v = q * tr + (noise > 0 ? noise * rng.nextGaussian() : 0);
        m[s][t] = Math.min(1, Math.max(0, v));
      }
    }
    return TransferMatrix.of(m);
  }

  /** sum_f (first + step f) |a_f - b_f|: an L1 distance whose rate grows by {@code step} per feature. */
  private static double l1(int[] a, int[] b, double first, double step) {
    double s = 0;
    for (int f = 0; f < a.length; f++) {
      s += (first + step * f) * Math.abs(a[f] - b[f]);
    }
    return s;
  }

  /** Coordinate {@code f} of a task scaled to [0, 1] (0.5 on a feature of one value). */
  private static double ut(GridShape shape, int[] c, int f) {
    return shape.size(f) == 1 ? 0.5 : c[f] / (double) (shape.size(f) - 1);
  }

  private static double bump(double u, double c, double w) {
    return Math.exp(-0.5 * (u - c) * (u - c) / (w * w));
  }
}
