package dev.zeroshot.agents;

import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnvApi;
import java.util.SplittableRandom;

/**
 * Runs a fixed agent for exactly {@code episodes} episodes and reports their mean return.
 * Every env of the batch runs a fixed quota of episodes (episodes / numEnvs, the remainder to
 * the first envs), so short episodes are not over-counted. Observation statistics are frozen.
 * A recurrent policy carries each env's state from step to step ({@link RecurrentAgentPolicy}).
 */
public final class Evaluator {

  private Evaluator() {}

  /** Returns of one evaluation; {@code returns} holds every episode's, in the order they ended. */
  public record Returns(double mean, double std, double min, double max, int episodes, double meanLength,
      double[] returns) {

    /** The mean of the worst 10% of the episodes' returns (CVaR at 10%, see {@link #cvar}). */
    public double cvar10() {
      return cvar(returns, 0.1);
    }

    /** The share of episodes whose return reached {@code solvedReturn} (NaN when that is NaN). */
    public double solvedShare(double solvedReturn) {
      return Evaluator.solvedShare(returns, solvedReturn);
    }

    /** The share of episodes with any reward (XLand's participation, see {@link #participation}). */
    public double participation() {
      return Evaluator.participation(returns);
    }

    /** The 10th percentile of the episodes' returns ({@link #percentile}). */
    public double p10() {
      return percentile(returns, 10);
    }

    /** The median of the episodes' returns ({@link #percentile}). */
    public double p50() {
      return percentile(returns, 50);
    }
  }

  /**
   * CVaR of the lower tail: the mean of the {@code ceil(fraction * n)} lowest of {@code values}
   * (at least one), the worst-case tail SFL's paper reports beside the mean.
   */
  public static double cvar(double[] values, double fraction) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int k = Math.max(1, (int) Math.ceil(fraction * sorted.length - 1e-9));
    double sum = 0;
    for (int i = 0; i < k; i++) {
      sum += sorted[i];
    }
    return sum / k;
  }

  /** The share of {@code values} at or above {@code threshold} (NaN for a NaN threshold or no values). */
  public static double solvedShare(double[] values, double threshold) {
    if (Double.isNaN(threshold) || values.length == 0) {
      return Double.NaN;
    }
    int solved = 0;
    for (double v : values) {
      solved += v >= threshold ? 1 : 0;
    }
    return (double) solved / values.length;
  }

  /**
   * The share of {@code values} above 0 (NaN for no values): XLand's participation, the share of
   * tasks on which the agent gets any reward at all, read per episode.
   */
  public static double participation(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    int any = 0;
    for (double v : values) {
      any += v > 0 ? 1 : 0;
    }
    return (double) any / values.length;
  }

  /**
   * The {@code p}-th percentile (0-100) of {@code values}, interpolated linearly between the two
   * nearest ranks (numpy's default, which XLand-MiniGrid's evaluation uses): sorted, position
   * {@code p / 100 * (n - 1)}. NaN for no values.
   */
  public static double percentile(double[] values, double p) {
    if (!(p >= 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100], got " + p);
    }
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    double pos = p / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  public static Returns run(Agent agent, VectorEnvApi env, int episodes, long seed, boolean greedy) {
    try (EnvPolicy policy = EnvPolicy.of(agent, false)) {
      return run(policy, env, episodes, seed, greedy);
    }
  }

  public static Returns run(EnvPolicy policy, VectorEnvApi env, int episodes, long seed, boolean greedy) {
    if (episodes < 1) {
      throw new IllegalArgumentException("episodes must be >= 1, got " + episodes);
    }
    int n = env.numEnvs();
    int[] quota = new int[n];
    for (int i = 0; i < n; i++) {
      quota[i] = episodes / n + (i < episodes % n ? 1 : 0);
    }
    StepBuffers buf = StepBuffers.allocate(env);
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    double sum = 0;
    double sumSq = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    long lengths = 0;
    int done = 0;
    double[] returns = new double[episodes];
    policy.reset(n);
    env.reset(seed, buf);
    while (done < episodes) {
      policy.act(buf, rng, greedy);
      env.step(buf);
      policy.stepped(buf);
      for (int i = 0; i < n; i++) {
        if (buf.episodeEnded(i) && quota[i] > 0) {
          quota[i]--;
          double r = buf.episodeReturn(i);
          returns[done++] = r;
          sum += r;
          sumSq += r * r;
          min = Math.min(min, r);
          max = Math.max(max, r);
          lengths += buf.episodeLength(i);
        }
      }
    }
    double mean = sum / episodes;
    double var = Math.max(0, sumSq / episodes - mean * mean);
    return new Returns(mean, Math.sqrt(var), min, max, episodes, (double) lengths / episodes, returns);
  }
}
