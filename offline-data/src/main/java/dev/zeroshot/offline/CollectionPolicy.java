package dev.zeroshot.offline;

import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.StepBuffers;
import java.util.SplittableRandom;

/**
 * Chooses the next action of every env of a collection batch: reads the observations in
 * {@code buf} (and, for planner experts, the envs' internal state), writes the actions into
 * {@code buf}. Called only for envs whose episode is running.
 */
public interface CollectionPolicy {

  /** A short name for the dataset's {@code algorithm_name}. */
  String name();

  void act(GymEnv[] envs, StepBuffers buf, SplittableRandom rng);

  /** One env's Discrete action, from that env (and its row {@code i} of {@code buf}) alone. */
  @FunctionalInterface
  interface EnvAction {
    int action(GymEnv env, StepBuffers buf, int i);
  }

  /** A policy named {@code name} that picks every env's Discrete action with {@code action}, env by env. */
  static CollectionPolicy perEnv(String name, EnvAction action) {
    return new CollectionPolicy() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void act(GymEnv[] envs, StepBuffers buf, SplittableRandom rng) {
        for (int i = 0; i < envs.length; i++) {
          buf.setDiscreteAction(i, action.action(envs[i], buf, i));
        }
      }
    };
  }

  /** Uniformly random Discrete actions. */
  static CollectionPolicy random() {
    return new CollectionPolicy() {
      @Override
      public String name() {
        return "random";
      }

      @Override
      public void act(GymEnv[] envs, StepBuffers buf, SplittableRandom rng) {
        for (int i = 0; i < envs.length; i++) {
          envs[i].actionSpace().sample(rng, buf.actions(), i * buf.actionBytes());
        }
      }
    };
  }

  /**
   * With probability {@code epsilon} per step, a uniformly random action instead of
   * {@code base}'s: the "suboptimal" or "mixed" data of the offline-RL literature.
   */
  static CollectionPolicy epsilonMixed(CollectionPolicy base, double epsilon) {
    if (!(epsilon >= 0 && epsilon <= 1)) {
      throw new IllegalArgumentException("--epsilon must be in [0, 1], got " + epsilon);
    }
    if (epsilon == 0) {
      return base;
    }
    return new CollectionPolicy() {
      @Override
      public String name() {
        return base.name() + "+epsilon(" + epsilon + ")";
      }

      @Override
      public void act(GymEnv[] envs, StepBuffers buf, SplittableRandom rng) {
        base.act(envs, buf, rng);
        for (int i = 0; i < envs.length; i++) {
          if (rng.nextDouble() < epsilon) {
            envs[i].actionSpace().sample(rng, buf.actions(), i * buf.actionBytes());
          }
        }
      }
    };
  }
}
