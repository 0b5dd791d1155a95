package dev.zeroshot.mbtl;

/**
 * Where the rows of a transfer matrix come from. A row is what one trained source policy scores,
 * zero-shot and normalized, on every target task: {@code row(s)[t] = J(pi_s, t)}.
 *
 * <p>In simulate mode the rows are read from a precomputed matrix ({@link TransferMatrix}). In run
 * mode ({@link Sweep}) asking for a row trains a policy on source {@code s} and evaluates it on all
 * targets, the expensive act, so a selector asks only for the rows of the tasks it picks.
 */
public interface TransferSource {

  /** Number of tasks N (sources = targets = the task grid, indexed 0..N-1). */
  int size();

  /**
   * The normalized zero-shot performance of the policy trained on {@code source}, on every target
   * (length {@link #size()}). Callers must not modify the returned array.
   */
  double[] row(int source);

  /**
   * The rows of several sources, in order: a batch selector asks for a whole round at once, so
   * that run mode can train them side by side. By default one {@link #row} after the other.
   */
  default double[][] rows(int[] sources) {
    double[][] out = new double[sources.length][];
    for (int i = 0; i < sources.length; i++) {
      out[i] = row(sources[i]);
    }
    return out;
  }
}
