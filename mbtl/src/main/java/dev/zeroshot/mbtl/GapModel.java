package dev.zeroshot.mbtl;

import java.util.List;

/**
 * The generalization-gap model: the predicted loss when a policy trained on task {@code i} is
 * run on task {@code j} is linear in their index distance, with one slope for targets to the left
 * ({@code j < i}) and one for targets to the right. The paper uses one fixed slope theta for both
 * sides ({@link #fixed}); {@link #fit} estimates each side's slope from the rows observed so far.
 *
 * <p>On a grid over several features ({@link GridShape}) the loss is a sum over features, each
 * with its own pair of slopes: loss(i, j) = sum_f slope_f,side(f) |i_f - j_f|, where i_f is task
 * i's index along feature f and the side is whether j_f is below or above i_f ({@link #fitGrid}).
 * A line is the one-feature case; {@code shape} is null for the 1-D models of {@link #fixed} and
 * {@link #fit}, whose indices are the task indices themselves.
 */
public record GapModel(GridShape shape, double[] lefts, double[] rights, boolean fitted) {

  public GapModel {
    if (lefts.length != rights.length || lefts.length != (shape == null ? 1 : shape.dims())) {
      throw new IllegalArgumentException("gap model needs one left and one right slope per feature");
    }
    for (int f = 0; f < lefts.length; f++) {
      double l = lefts[f];
      double r = rights[f];
      if (!(l >= 0) || !(r >= 0) || Double.isInfinite(l) || Double.isInfinite(r)) {
        throw new IllegalArgumentException("gap slopes must be finite and >= 0, got " + l + ", " + r);
      }
    }
    lefts = lefts.clone();
    rights = rights.clone();
  }

  /** A 1-D model (a line of tasks): slope {@code left} toward lower indices, {@code right} toward higher. */
  public GapModel(double left, double right, boolean fitted) {
    this(null, new double[] {left}, new double[] {right}, fitted);
  }

  /** The paper's model: the same slope theta on both sides. */
  public static GapModel fixed(double theta) {
    return new GapModel(theta, theta, false);
  }

  /** The same slope theta on both sides of every feature of {@code shape}. */
  public static GapModel fixed(GridShape shape, double theta) {
    double[] t = new double[shape.dims()];
    java.util.Arrays.fill(t, theta);
    return new GapModel(shape.dims() == 1 ? null : shape, t, t, false);
  }

  /** The slope toward lower indices (of the first feature). */
  public double left() {
    return lefts[0];
  }

  /** The slope toward higher indices (of the first feature). */
  public double right() {
    return rights[0];
  }

  @Override
  public double[] lefts() {
    return lefts.clone();
  }

  @Override
  public double[] rights() {
    return rights.clone();
  }

  /** Predicted loss for source {@code i}, target {@code j}, in normalized performance units. */
  public double loss(int i, int j) {
    if (shape == null) {
      return j < i ? lefts[0] * (i - j) : rights[0] * (j - i);
    }
    double s = 0;
    for (int f = 0; f < lefts.length; f++) {
      int a = shape.coordinate(i, f);
      int b = shape.coordinate(j, f);
      s += b < a ? lefts[f] * (a - b) : rights[f] * (b - a);
    }
    return s;
  }

  /**
   * Fits the slope of each side to the observed transfers by least squares on the clipped linear
   * model itself: for every trained source s and target t on that side, the observed J[s,t] is
   * compared with max(J[s,s] - slope * |s - t|, 0), and the slope (pooled over all sources) that
   * minimizes the squared error is found by a log-spaced scan of [1e-4, 10] refined by golden
   * section. Fitting the clipped model, not a straight line through all drops, keeps far targets
   * where the policy has already failed (the drop saturates) from dragging the slope down. A side
   * with no observed pair takes the other side's slope; with none at all, {@code prior}.
   *
   * @param sources the trained source indices
   * @param rows their observed rows, in the same order
   */
  public static GapModel fit(List<Integer> sources, List<double[]> rows, double prior) {
    double l = fitSide(sources, rows, true);
    double r = fitSide(sources, rows, false);
    if (Double.isNaN(l) && Double.isNaN(r)) {
      return new GapModel(prior, prior, false);
    }
    if (Double.isNaN(l)) {
      l = r;
    }
    if (Double.isNaN(r)) {
      r = l;
    }
    return new GapModel(l, r, true);
  }

  /**
   * {@link #fit} on a grid: the 2 x d slopes (per feature, per side) minimize the squared error of
   * the clipped model max(J[s,s] - sum_f slope_f |s_f - t_f|, 0) against every observed J[s,t],
   * by coordinate descent: each slope in turn by the same log scan and golden section as {@link
   * #fit}, the others held, sweep after sweep (from {@code prior} everywhere) until none moves by
   * more than 1e-6 relative (at most 50 sweeps; a slope is reported to 6 digits). A side of a feature
   * that no observed pair reaches (every source at that edge) takes the other side's slope. A line
   * ({@code shape.dims() == 1}) is exactly {@link #fit}.
   */
  public static GapModel fitGrid(GridShape shape, List<Integer> sources, List<double[]> rows, double prior) {
    return fitGrid(shape, sources, rows, prior, null);
  }

  /**
   * As above, the coordinate descent starting from {@code warm}'s slopes when given (the previous
   * step's fit, in a sequential loop: one more row moves the optimum little, so far fewer sweeps
   * are needed than from {@code prior}); on a line {@code warm} is ignored.
   */
  public static GapModel fitGrid(GridShape shape, List<Integer> sources, List<double[]> rows, double prior,
                                 GapModel warm) {
    if (shape.dims() == 1) {
      return fit(sources, rows, prior);
    }
    int d = shape.dims();
    if (sources.isEmpty()) {
      return fixed(shape, prior);
    }
    double[][] slopes = new double[2][d]; // [0] = left (toward lower index), [1] = right
    boolean[][] seen = new boolean[2][d];
    for (int a = 0; a < sources.size(); a++) {
      int s = sources.get(a);
      for (int f = 0; f < d; f++) {
        int c = shape.coordinate(s, f);
        seen[0][f] |= c > 0;
        seen[1][f] |= c < shape.size(f) - 1;
      }
    }
    for (double[] side : slopes) {
      java.util.Arrays.fill(side, prior);
    }
    if (warm != null && warm.shape() != null && warm.lefts().length == d) {
      slopes[0] = warm.lefts();
      slopes[1] = warm.rights();
    }
    // per pair (source, target): the per-feature distances and the side, computed once
    int pairs = 0;
    for (double[] row : rows) {
      pairs += row.length;
    }
    int[][] dist = new int[pairs][];
    int[][] side = new int[pairs][];
    double[] ref = new double[pairs];
    double[] obs = new double[pairs];
    int p = 0;
    for (int a = 0; a < sources.size(); a++) {
      int s = sources.get(a);
      double[] row = rows.get(a);
      int[] cs = shape.coordinates(s);
      for (int t = 0; t < row.length; t++) {
        int[] ct = shape.coordinates(t);
        dist[p] = new int[d];
        side[p] = new int[d];
        for (int f = 0; f < d; f++) {
          dist[p][f] = Math.abs(ct[f] - cs[f]);
          side[p][f] = ct[f] < cs[f] ? 0 : 1;
        }
        ref[p] = row[s];
        obs[p] = row[t];
        p++;
      }
    }
    for (int sweep = 0; sweep < 50; sweep++) { // until no slope moves by more than 1e-6 relative
      double moved = 0;
      for (int f = 0; f < d; f++) {
        for (int sd = 0; sd < 2; sd++) {
          if (!seen[sd][f]) {
            continue;
          }
          // only the pairs this slope acts on change the error; the loss from the others is fixed
          int count = 0;
          for (int q = 0; q < obs.length; q++) {
            if (dist[q][f] > 0 && side[q][f] == sd) {
              count++;
            }
          }
          double[] base = new double[count];
          double[] dq = new double[count];
          double[] rq = new double[count];
          double[] oq = new double[count];
          int at = 0;
          for (int q = 0; q < obs.length; q++) {
            if (dist[q][f] > 0 && side[q][f] == sd) {
              double other = 0;
              for (int g = 0; g < d; g++) {
                if (g != f) {
                  other += slopes[side[q][g]][g] * dist[q][g];
                }
              }
              base[at] = other;
              dq[at] = dist[q][f];
              rq[at] = ref[q];
              oq[at] = obs[q];
              at++;
            }
          }
          double before = slopes[sd][f];
          slopes[sd][f] = minimizeSlope(new ClippedLinearError(base, dq, rq, oq)::at);
          moved = Math.max(moved, Math.abs(slopes[sd][f] - before) / before);
        }
      }
      if (moved <= 1e-6) {
        break;
      }
    }
    for (int f = 0; f < d; f++) {
      if (!seen[0][f]) {
        slopes[0][f] = slopes[1][f];
      }
      if (!seen[1][f]) {
        slopes[1][f] = slopes[0][f];
      }
    }
    return new GapModel(shape, slopes[0], slopes[1], true);
  }

  /**
   * e(v) = sum_q (o_q - max(r_q - b_q - v d_q, 0))^2 over pairs with d_q > 0, evaluated in
   * O(log n): a pair is unclipped exactly while v < t_q = (r_q - b_q) / d_q, where its residual is
   * a_q + v d_q with a_q = o_q - r_q + b_q, and clipped (residual o_q) after. With the pairs sorted
   * by t_q, e(v) = prefix sum of o^2 over the clipped ones + suffix sums of a^2 + 2 v a d + v^2 d^2
   * over the others. The slope search calls it about 90 times per slope, so this turns a fit over
   * k x N pairs from O(90 k N) into O(k N log(k N)) per slope (docs/mbtl.md, Performance).
   */
  static final class ClippedLinearError {
    private final double[] thresholds;
    private final double[] clippedOo; // prefix: sum of o^2 over the first i pairs (by threshold)
    private final double[] freeAa; // suffix sums over pairs i.. of a^2, a d, d^2
    private final double[] freeAd;
    private final double[] freeDd;

    ClippedLinearError(double[] b, double[] d, double[] r, double[] o) {
      int n = b.length;
      int[] order = new int[n];
      double[] t = new double[n];
      for (int q = 0; q < n; q++) {
        order[q] = q;
        t[q] = (r[q] - b[q]) / d[q];
      }
      double[] keys = t.clone();
      sortByKey(keys, order, 0, n - 1); // primitive arrays: boxing and a comparator cost most of the fit
      thresholds = new double[n];
      clippedOo = new double[n + 1];
      freeAa = new double[n + 1];
      freeAd = new double[n + 1];
      freeDd = new double[n + 1];
      for (int i = 0; i < n; i++) {
        int q = order[i];
        thresholds[i] = t[q];
        clippedOo[i + 1] = clippedOo[i] + o[q] * o[q];
      }
      for (int i = n - 1; i >= 0; i--) {
        int q = order[i];
        double a = o[q] - r[q] + b[q];
        freeAa[i] = freeAa[i + 1] + a * a;
        freeAd[i] = freeAd[i + 1] + a * d[q];
        freeDd[i] = freeDd[i + 1] + d[q] * d[q];
      }
    }

    /** Quicksort of {@code keys[lo..hi]}, carrying {@code order} along (insertion sort below 16). */
    private static void sortByKey(double[] keys, int[] order, int lo, int hi) {
      while (hi - lo >= 16) {
        double pivot = keys[(lo + hi) >>> 1];
        int i = lo;
        int j = hi;
        while (i <= j) {
          while (keys[i] < pivot) {
            i++;
          }
          while (keys[j] > pivot) {
            j--;
          }
          if (i <= j) {
            double k = keys[i];
            keys[i] = keys[j];
            keys[j] = k;
            int o = order[i];
            order[i] = order[j];
            order[j] = o;
            i++;
            j--;
          }
        }
        if (j - lo < hi - i) { // recurse into the smaller side, loop on the larger: depth O(log n)
          sortByKey(keys, order, lo, j);
          lo = i;
        } else {
          sortByKey(keys, order, i, hi);
          hi = j;
        }
      }
      for (int a = lo + 1; a <= hi; a++) {
        double k = keys[a];
        int o = order[a];
        int c = a - 1;
        while (c >= lo && keys[c] > k) {
          keys[c + 1] = keys[c];
          order[c + 1] = order[c];
          c--;
        }
        keys[c + 1] = k;
        order[c + 1] = o;
      }
    }

    double at(double v) {
      int lo = 0; // first pair still unclipped at v: t > v
      int hi = thresholds.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (thresholds[mid] > v) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return clippedOo[lo] + freeAa[lo] + 2 * v * freeAd[lo] + v * v * freeDd[lo];
    }
  }

  /** The slope in [MIN_SLOPE, MAX_SLOPE] minimizing {@code error}: a log scan, then golden section. */
  private static double minimizeSlope(java.util.function.DoubleUnaryOperator error) {
    double lo = Math.log(MIN_SLOPE);
    double hi = Math.log(MAX_SLOPE);
    int grid = 48;
    int bestI = 0;
    double bestE = Double.POSITIVE_INFINITY;
    for (int i = 0; i <= grid; i++) {
      double e = error.applyAsDouble(Math.exp(lo + (hi - lo) * i / grid));
      if (e < bestE) {
        bestE = e;
        bestI = i;
      }
    }
    double a = lo + (hi - lo) * Math.max(0, bestI - 1) / grid;
    double b = lo + (hi - lo) * Math.min(grid, bestI + 1) / grid;
    double g = (Math.sqrt(5) - 1) / 2;
    double c = b - g * (b - a);
    double d = a + g * (b - a);
    double ec = error.applyAsDouble(Math.exp(c));
    double ed = error.applyAsDouble(Math.exp(d));
    for (int it = 0; it < 40; it++) {
      if (ec <= ed) {
        b = d;
        d = c;
        ed = ec;
        c = b - g * (b - a);
        ec = error.applyAsDouble(Math.exp(c));
      } else {
        a = c;
        c = d;
        ec = ed;
        d = a + g * (b - a);
        ed = error.applyAsDouble(Math.exp(d));
      }
    }
    double best = Math.exp((a + b) / 2);
    return error.applyAsDouble(best) <= bestE ? best : Math.exp(lo + (hi - lo) * bestI / grid);
  }

  private static final double MIN_SLOPE = 1e-4;
  private static final double MAX_SLOPE = 10;

  private static double fitSide(List<Integer> sources, List<double[]> rows, boolean left) {
    boolean any = false;
    for (int a = 0; a < sources.size() && !any; a++) {
      int s = sources.get(a);
      any = left ? s > 0 : s < rows.get(a).length - 1;
    }
    if (!any) {
      return Double.NaN;
    }
    return minimizeSlope(slope -> sideError(sources, rows, left, slope));
  }

  private static double sideError(List<Integer> sources, List<double[]> rows, boolean left, double slope) {
    double e = 0;
    for (int a = 0; a < sources.size(); a++) {
      int s = sources.get(a);
      double[] row = rows.get(a);
      double ref = row[s];
      int from = left ? 0 : s + 1;
      int to = left ? s : row.length;
      for (int t = from; t < to; t++) {
        double r = row[t] - Math.max(ref - slope * Math.abs(s - t), 0);
        e += r * r;
      }
    }
    return e;
  }
}
