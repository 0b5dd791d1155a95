package dev.zeroshot.server;

/**
 * How large a run sweep (PPO) the sweep service accepts; a larger one is refused with
 * INVALID_ARGUMENT naming the field and the limit. A run sweep trains at most {@code maxBudget}
 * tasks per strategy (all {@code maxTasks} with baselines), each for at most
 * {@code maxStepsPerTask} environment steps.
 *
 * @param maxStepsPerTask the largest {@code RunSweep.steps_per_task}
 * @param maxTasks the most tasks N (the product of the axes' tasks)
 * @param maxBudget the largest budget K
 */
public record SweepLimits(long maxStepsPerTask, int maxTasks, int maxBudget) {

  /**
   * 10,000,000 steps per task (200 times the docs' CartPole example), 1,000 tasks, K = 100: a large
   * experiment fits, a request for 10^12 steps does not.
   */
  public static final SweepLimits DEFAULTS = new SweepLimits(10_000_000L, 1_000, 100);

  public SweepLimits {
    if (maxStepsPerTask < 1) {
      throw new IllegalArgumentException("max sweep steps per task must be >= 1, got " + maxStepsPerTask);
    }
    if (maxTasks < 2) {
      throw new IllegalArgumentException("max sweep tasks must be >= 2, got " + maxTasks);
    }
    if (maxBudget < 1) {
      throw new IllegalArgumentException("max sweep budget must be >= 1, got " + maxBudget);
    }
  }
}
