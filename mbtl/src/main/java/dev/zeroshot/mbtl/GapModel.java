package dev.zeroshot.mbtl;

import java.util.List;

/**
 * The generalization-gap model: the predicted loss when a policy trained on task {@code i} is
 * run on task {@code j} is linear in their index distance, with one slope for targets to the left
 * ({@code j < i}) and one for targets to the right. The paper uses one fixed slope theta for both
 * sides ({@link #fixed}); {@link #fit} estimates each side's slope from the rows observed so far.
 */
public record GapModel(double left, double right, boolean fitted) {

  public GapModel {
    if (!(left >= 0) || !(right >= 0) || Double.isInfinite(left) || Double.isInfinite(right)) {
      throw new IllegalArgumentException("gap slopes must be finite and >= 0, got " + left + ", " + right);
    }
  }

  /** The paper's model: the same slope theta on both sides. */
  public static GapModel fixed(double theta) {
    return new GapModel(theta, theta, false);
  }

  /** Predicted loss for source {@code i}, target {@code j}, in normalized performance units. */
  public double loss(int i, int j) {
    return j < i ? left * (i - j) : right * (j - i);
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
    double lo = Math.log(MIN_SLOPE);
    double hi = Math.log(MAX_SLOPE);
    int grid = 48;
    int bestI = 0;
    double bestE = Double.POSITIVE_INFINITY;
    for (int i = 0; i <= grid; i++) {
      double e = sideError(sources, rows, left, Math.exp(lo + (hi - lo) * i / grid));
      if (e < bestE) {
        bestE = e;
        bestI = i;
      }
    }
    // golden section on the bracket around the best grid point
    double a = lo + (hi - lo) * Math.max(0, bestI - 1) / grid;
    double b = lo + (hi - lo) * Math.min(grid, bestI + 1) / grid;
    double g = (Math.sqrt(5) - 1) / 2;
    double c = b - g * (b - a);
    double d = a + g * (b - a);
    double ec = sideError(sources, rows, left, Math.exp(c));
    double ed = sideError(sources, rows, left, Math.exp(d));
    for (int it = 0; it < 40; it++) {
      if (ec <= ed) {
        b = d;
        d = c;
        ed = ec;
        c = b - g * (b - a);
        ec = sideError(sources, rows, left, Math.exp(c));
      } else {
        a = c;
        c = d;
        ec = ed;
        d = a + g * (b - a);
        ed = sideError(sources, rows, left, Math.exp(d));
      }
    }
    double best = Math.exp((a + b) / 2);
    return sideError(sources, rows, left, best) <= bestE ? best : Math.exp(lo + (hi - lo) * bestI / grid);
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
