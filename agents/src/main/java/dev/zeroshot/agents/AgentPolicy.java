package dev.zeroshot.agents;

import ai.djl.ndarray.NDManager;
import dev.zeroshot.env.StepBuffers;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** An {@link Agent} as an {@link EnvPolicy}: it acts on the current observation alone. */
public final class AgentPolicy implements EnvPolicy {

  private final Agent agent;
  private final boolean owner;
  private final NDManager root;
  private ByteBuffer prepared;
  private float[] out;
  private float[] actions;

  /** {@code owner}: whether closing this policy closes the agent too. */
  public AgentPolicy(Agent agent, boolean owner) {
    this.agent = agent;
    this.owner = owner;
    this.root = NDManager.newBaseManager(agent.device());
  }

  public Agent agent() {
    return agent;
  }

  @Override
  public void reset(int numEnvs) {
    if (prepared == null || out.length != numEnvs * (agent.policyOutputs() + 1)) {
      prepared = agent.newObservationBuffer(numEnvs);
      out = new float[numEnvs * (agent.policyOutputs() + 1)];
      actions = new float[numEnvs * agent.actionWidth()];
    }
  }

  @Override
  public void act(StepBuffers buf, SplittableRandom rng, boolean greedy) {
    int n = buf.numEnvs();
    reset(n);
    agent.prepare(buf, prepared, 0, false);
    agent.evaluate(root, prepared, n, out);
    for (int i = 0; i < n; i++) {
      agent.act(out, i, rng, greedy, buf, actions);
    }
  }

  @Override
  public void stepped(StepBuffers buf) {}

  @Override
  public void close() {
    root.close();
    if (owner) {
      agent.close();
    }
  }
}
