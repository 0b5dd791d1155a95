package dev.zeroshot.env.procgen;

import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.LevelInfo;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.context.Context;
import java.util.SplittableRandom;

/**
 * What a uniformly random policy does in a level-reporting env (a Procgen game): over N
 * consecutive episodes of one env, the mean episode length, the mean return and the share of
 * episodes that completed the level ({@link LevelInfo#levelComplete()} on the last step, as
 * opposed to dying or running out of time). The seed seeds both the env's level-seed stream
 * (once, so each episode draws its level from the context's range) and the policy, so a seed
 * gives the same numbers on every run.
 */
public final class RandomPolicyStats {

  /** The statistics of one run; {@code steps} is the sum of the episode lengths. */
  public record Result(String envId, int episodes, double meanLength, double meanReturn, double completedShare,
      long steps) {}

  private RandomPolicyStats() {}

  public static Result run(EnvSpec spec, Context context, int episodes, long seed) {
    if (episodes < 1) {
      throw new IllegalArgumentException("episodes must be >= 1, got " + episodes);
    }
    GymEnv env = new GymEnv(spec.make(context), spec.maxEpisodeSteps());
    if (!(env.env() instanceof LevelInfo level)) {
      throw new IllegalArgumentException(spec.id() + " does not report level completion (it is not a Procgen game)");
    }
    StepBuffers buf = StepBuffers.allocate(env);
    SplittableRandom policy = new SplittableRandom(seed);
    env.reset(seed, buf, 0);
    long steps = 0;
    double returns = 0;
    int completed = 0;
    for (int done = 0; done < episodes; ) {
      env.actionSpace().sample(policy, buf.actions(), 0);
      env.step(buf, 0);
      if (buf.episodeEnded(0)) {
        done++;
        steps += buf.episodeLength(0);
        returns += buf.episodeReturn(0);
        if (level.levelComplete()) {
          completed++;
        }
        env.reset(buf, 0); // the level-seed stream goes on: the next level is the next draw
      }
    }
    return new Result(spec.id(), episodes, (double) steps / episodes, returns / episodes, (double) completed / episodes,
        steps);
  }
}
