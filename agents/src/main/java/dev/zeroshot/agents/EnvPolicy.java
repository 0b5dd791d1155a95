package dev.zeroshot.agents;

import dev.zeroshot.env.StepBuffers;
import java.util.SplittableRandom;

/**
 * What acts in a vector env when a policy is evaluated: an action for every env from its
 * current observation, and the outcome of each step, for a policy that remembers (the
 * Decision Transformer's context window and return-to-go, a GRU's state). {@link AgentPolicy}
 * wraps a memoryless {@link Agent}, {@link RecurrentAgentPolicy} a recurrent one;
 * {@link SequencePolicy} acts with a sequence model.
 */
public interface EnvPolicy extends AutoCloseable {

  /** {@code agent} as a policy: recurrent when its network is, memoryless otherwise. */
  static EnvPolicy of(Agent agent, boolean owner) {
    return agent.net().spec().recurrent() ? new RecurrentAgentPolicy(agent, owner) : new AgentPolicy(agent, owner);
  }

  /** Every one of {@code numEnvs} envs starts a new episode. */
  void reset(int numEnvs);

  /** Writes an action for every env of {@code buf} (whose observations are the current ones). */
  void act(StepBuffers buf, SplittableRandom rng, boolean greedy);

  /** After the envs stepped: {@code buf} holds each env's reward and whether its episode ended. */
  void stepped(StepBuffers buf);

  @Override
  void close();
}
