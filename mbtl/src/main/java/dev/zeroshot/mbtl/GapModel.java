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
   * Fits the slope of each side by least squares through the origin, drop = slope * distance, on
   * the observed transfers: for every trained source s and target t != s, drop = J[s,s] - J[s,t]
   * at distance |s - t|. Targets where the source scores <= 0 (the normalized floor, where the
   * linear model is clipped anyway) carry no information on the slope and are left out, and so
   * are negative slope estimates (clipped to 0). A side with no usable pair takes the other
   * side's slope; with none at all, {@code prior}.
   *
   * @param sources the trained source indices
   * @param rows their observed rows, in the same order
   */
  public static GapModel fit(List<Integer> sources, List<double[]> rows, double prior) {
    double[] sxy = new double[2];
    double[] sxx = new double[2];
    for (int a = 0; a < sources.size(); a++) {
      int s = sources.get(a);
      double[] row = rows.get(a);
      double ref = row[s];
      for (int t = 0; t < row.length; t++) {
        if (t == s || !(row[t] > 0)) {
          continue;
        }
        int side = t < s ? 0 : 1;
        double d = Math.abs(t - s);
        sxy[side] += d * (ref - row[t]);
        sxx[side] += d * d;
      }
    }
    double l = sxx[0] > 0 ? Math.max(0, sxy[0] / sxx[0]) : Double.NaN;
    double r = sxx[1] > 0 ? Math.max(0, sxy[1] / sxx[1]) : Double.NaN;
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
}
