package dev.zeroshot.mbtl;

import java.util.List;

/**
 * One strategy's outcome on a transfer matrix.
 *
 * @param name the strategy's name ({@code mbtl}, {@code random}, ...)
 * @param description one line saying what it is
 * @param kind {@code sequential} (one ordering, V_k after its first k picks), {@code per-budget}
 *     (a separate set for each budget k), {@code constant} (a reference line) or {@code mean}
 *     (mean over random orderings)
 * @param picks the picks in order (for per-budget: the set for budget K); empty for constant and mean
 * @param values V_k for k = 1..K
 * @param std the standard deviation over orderings (random only), else null
 * @param sets per-budget only: the set picked for each budget k, else null
 * @param steps MBTL only: the model at each step, else null
 * @param orderings random only: every ordering, else null
 */
public record StrategyResult(String name, String description, String kind, int[] picks, double[] values,
                             double[] std, List<int[]> sets, List<MbtlSelector.Step> steps, int[][] orderings) {

  /** The mean of V_k over k = 1..K (the authors' {@code Average} column). */
  public double average() {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s / values.length;
  }
}
