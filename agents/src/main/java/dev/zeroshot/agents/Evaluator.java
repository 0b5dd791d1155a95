package dev.zeroshot.agents;

import ai.djl.ndarray.NDManager;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnvApi;
import java.util.SplittableRandom;

/**
 * Runs a fixed agent for exactly {@code episodes} episodes and reports their mean return.
 * Every env of the batch runs a fixed quota of episodes (episodes / numEnvs, the remainder to
 * the first envs), so short episodes are not over-counted. Observation statistics are frozen.
 */
public final class Evaluator {

  private Evaluator() {}

  /** Returns of one evaluation. */
  public record Returns(double mean, double std, double min, double max, int episodes, double meanLength) {}

  public static Returns run(Agent agent, VectorEnvApi env, int episodes, long seed, boolean greedy) {
    if (episodes < 1) {
      throw new IllegalArgumentException("episodes must be >= 1, got " + episodes);
    }
    int n = env.numEnvs();
    int[] quota = new int[n];
    for (int i = 0; i < n; i++) {
      quota[i] = episodes / n + (i < episodes % n ? 1 : 0);
    }
    StepBuffers buf = StepBuffers.allocate(env);
    var prepared = agent.newObservationBuffer(n);
    float[] out = new float[n * (agent.policyOutputs() + 1)];
    float[] actions = new float[n * agent.actionWidth()];
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    double sum = 0;
    double sumSq = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    long lengths = 0;
    int done = 0;
    env.reset(seed, buf);
    try (NDManager root = NDManager.newBaseManager(agent.device())) {
      while (done < episodes) {
        agent.prepare(buf, prepared, 0, false);
        agent.evaluate(root, prepared, n, out);
        for (int i = 0; i < n; i++) {
          agent.act(out, i, rng, greedy, buf, actions);
        }
        env.step(buf);
        for (int i = 0; i < n; i++) {
          if (buf.episodeEnded(i) && quota[i] > 0) {
            quota[i]--;
            done++;
            double r = buf.episodeReturn(i);
            sum += r;
            sumSq += r * r;
            min = Math.min(min, r);
            max = Math.max(max, r);
            lengths += buf.episodeLength(i);
          }
        }
      }
    }
    double mean = sum / episodes;
    double var = Math.max(0, sumSq / episodes - mean * mean);
    return new Returns(mean, Math.sqrt(var), min, max, episodes, (double) lengths / episodes);
  }
}
