package dev.zeroshot.mbtl;

import java.util.Arrays;
import java.util.Random;

/** The model-free and oracle strategies MBTL is compared with, as the authors' code defines them. */
public final class Baselines {

  private Baselines() {}

  /** The task nearest {@code v} on the grid 0..n-1, the lower index on a tie (numpy's argmin). */
  static int snap(double v, int n) {
    int lo = (int) Math.floor(v);
    if (lo < 0) {
      return 0;
    }
    if (lo >= n - 1) {
      return n - 1;
    }
    return (v - lo) <= (lo + 1 - v) ? lo : lo + 1;
  }

  /**
   * Equidistant (the authors' {@code coarse_to_fine_temporal_transfer_learning}) for budget K on
   * tasks 0..n-1: x_k = max - (max-min)/(2K) - (max-min) k/K for k = 0..K-1, each snapped to the
   * nearest task. Returned in that (descending) order; fine grids can snap two points onto one
   * task, as in the authors' code.
   */
  public static int[] equidistant(int n, int budget) {
    checkBudget(n, budget);
    double min = 0;
    double max = n - 1;
    int[] out = new int[budget];
    for (int k = 0; k < budget; k++) {
      out[k] = snap(max - (max - min) / (2.0 * budget) - (max - min) * k / budget, n);
    }
    return out;
  }

  /**
   * Greedy gap splitting (the authors' {@code greedy_temporal_transfer_learning}): start at the
   * middle, then split the largest gap of the sorted list {min, max, picks...} (the leftmost on a
   * tie): the first interval [a,b] at (2a+b)/3, the last at (a+2b)/3, any other at its midpoint,
   * snapped to the nearest task. For 0..99: 49, 82, 16, 32, 65, 40, 73, 93, 5, ...
   *
   * <p>One deviation: where the authors' function would pick a task again (gaps of one index), this
   * one takes the next-largest gap whose split point is a new task, and once no gap has one, the
   * lowest untrained task, so every pick trains something new.
   */
  public static int[] greedySplit(int n, int budget) {
    checkBudget(n, budget);
    int[] picks = new int[budget];
    boolean[] taken = new boolean[n];
    double[] points = new double[budget + 2];
    points[0] = 0;
    points[1] = n - 1;
    int count = 2;
    for (int k = 0; k < budget; k++) {
      int pick = -1;
      if (k == 0) {
        pick = snap((n - 1) / 2.0, n);
      } else {
        double[] sorted = Arrays.copyOf(points, count);
        Arrays.sort(sorted);
        int gaps = count - 1;
        boolean[] tried = new boolean[gaps];
        for (int attempt = 0; attempt < gaps && pick < 0; attempt++) {
          int g = -1;
          for (int i = 0; i < gaps; i++) {
            if (!tried[i] && (g < 0 || sorted[i + 1] - sorted[i] > sorted[g + 1] - sorted[g])) {
              g = i;
            }
          }
          tried[g] = true;
          double a = sorted[g];
          double b = sorted[g + 1];
          double v = g == 0 ? (2 * a + b) / 3 : g == gaps - 1 ? (a + 2 * b) / 3 : (a + b) / 2;
          int c = snap(v, n);
          if (!taken[c]) {
            pick = c;
          }
        }
        if (pick < 0) {
          for (int i = 0; i < n && pick < 0; i++) {
            if (!taken[i]) {
              pick = i;
            }
          }
        }
      }
      picks[k] = pick;
      taken[pick] = true;
      points[count++] = pick;
    }
    return picks;
  }

  /**
   * Greedy coverage on a grid over several features, the model-free counterpart of {@link
   * #greedySplit} (which is defined on a line): start at the grid's middle, then each step the
   * untrained task that most reduces the mean, over all tasks, of the Euclidean index distance to
   * the nearest pick (the lowest index on a tie). Like gap splitting it spreads the picks without
   * putting them on the edges first.
   */
  public static int[] greedyCoverage(GridShape shape, int budget) {
    int n = shape.size();
    checkBudget(n, budget);
    int d = shape.dims();
    int[][] c = new int[n][];
    for (int i = 0; i < n; i++) {
      c[i] = shape.coordinates(i);
    }
    double[] nearest = new double[n];
    java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    boolean[] taken = new boolean[n];
    int[] picks = new int[budget];
    for (int k = 0; k < budget; k++) {
      int pick = -1;
      if (k == 0) {
        pick = shape.middle();
      } else {
        double bestSum = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
          if (taken[i]) {
            continue;
          }
          double sum = 0;
          for (int t = 0; t < n; t++) {
            sum += Math.min(nearest[t], distance(c[i], c[t], d));
          }
          if (sum < bestSum) {
            bestSum = sum;
            pick = i;
          }
        }
      }
      picks[k] = pick;
      taken[pick] = true;
      for (int t = 0; t < n; t++) {
        nearest[t] = Math.min(nearest[t], distance(c[pick], c[t], d));
      }
    }
    return picks;
  }

  private static double distance(int[] a, int[] b, int d) {
    long s = 0;
    for (int f = 0; f < d; f++) {
      long z = a[f] - b[f];
      s += z * z;
    }
    return Math.sqrt(s);
  }

  /**
   * Sequential oracle: greedy on the true matrix. First the source with the best row mean, then
   * each step the untrained source that maximizes mean_t max over the chosen set (lowest index on
   * a tie).
   */
  public static int[] sequentialOracle(TransferMatrix m, int budget, Progress progress) {
    int n = m.size();
    checkBudget(n, budget);
    int[] picks = new int[budget];
    boolean[] taken = new boolean[n];
    double[] best = new double[n];
    Arrays.fill(best, Double.NEGATIVE_INFINITY);
    for (int k = 0; k < budget; k++) {
      int arg = -1;
      double argValue = Double.NEGATIVE_INFINITY;
      for (int s = 0; s < n; s++) {
        if (taken[s]) {
          continue;
        }
        double[] row = m.row(s);
        double v = 0;
        for (int t = 0; t < n; t++) {
          v += Math.max(best[t], row[t]);
        }
        v /= n;
        if (arg < 0 || v > argValue) {
          arg = s;
          argValue = v;
        }
      }
      picks[k] = arg;
      taken[arg] = true;
      double[] row = m.row(arg);
      for (int t = 0; t < n; t++) {
        best[t] = Math.max(best[t], row[t]);
      }
      progress.update("sequential-oracle", k + 1, budget);
    }
    return picks;
  }

  /** Random orderings: {@code count} orderings, each the first K of a seeded random permutation. */
  public static int[][] randomOrderings(int n, int budget, int count, long seed) {
    checkBudget(n, budget);
    Random rng = new Random(seed);
    int[][] out = new int[count][];
    int[] perm = new int[n];
    for (int r = 0; r < count; r++) {
      for (int i = 0; i < n; i++) {
        perm[i] = i;
      }
      for (int i = 0; i < budget; i++) { // partial Fisher-Yates: the first K are a uniform K-subset, in order
        int j = i + rng.nextInt(n - i);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      out[r] = Arrays.copyOf(perm, budget);
    }
    return out;
  }

  static void checkBudget(int n, int budget) {
    if (budget < 1 || budget > n) {
      throw new IllegalArgumentException("budget K must be in 1.." + n + " (the number of tasks), got " + budget);
    }
  }
}
