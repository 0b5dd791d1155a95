package dev.zeroshot.agents;

/**
 * Generalized advantage estimation (Schulman et al. 2016) over a rollout of {@code T} steps of
 * {@code N} envs, laid out time-major ({@code [t * N + i]}), for next-step autoreset envs.
 *
 * <p>With next-step autoreset the observation after a step that ended an episode is that
 * episode's real final observation, and its value was computed during the rollout. So:
 * a <b>terminated</b> step does not bootstrap; a <b>truncated</b> step bootstraps from the value
 * of its final observation (CleanRL's gym-0.23 loop could not, and treated both as terminal);
 * and the advantage recursion never crosses an episode end. The step after an end (the reset
 * step, whose action the env ignored) gets an advantage here but must be masked out of the loss.
 */
public final class Gae {

  private Gae() {}

  /**
   * @param rewards r_t for each step
   * @param values V(o_t) for the observation each step acted on
   * @param lastValues V(o_T) for the observation after the last step, per env
   * @param terminated whether step t reached a terminal state
   * @param ended whether step t ended its episode (terminated or truncated)
   * @param advantages out: A_t
   * @param returns out: A_t + V(o_t), the value targets
   */
  public static void compute(int steps, int envs, float[] rewards, float[] values, float[] lastValues,
      boolean[] terminated, boolean[] ended, double gamma, double lambda, float[] advantages, float[] returns) {
    for (int i = 0; i < envs; i++) {
      double lastGae = 0;
      for (int t = steps - 1; t >= 0; t--) {
        int k = t * envs + i;
        double nextValue = t == steps - 1 ? lastValues[i] : values[k + envs];
        double nextNonTerminal = terminated[k] ? 0 : 1;
        double continues = ended[k] ? 0 : 1;
        double delta = rewards[k] + gamma * nextValue * nextNonTerminal - values[k];
        lastGae = delta + gamma * lambda * continues * lastGae;
        advantages[k] = (float) lastGae;
        returns[k] = (float) (lastGae + values[k]);
      }
    }
  }
}
