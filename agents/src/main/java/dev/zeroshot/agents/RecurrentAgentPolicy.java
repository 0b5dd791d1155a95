package dev.zeroshot.agents;

import dev.zeroshot.agents.nn.GruActorCritic;
import dev.zeroshot.env.StepBuffers;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An {@link Agent} with a recurrent (GRU) network as an {@link EnvPolicy}: each env's state is
 * carried from step to step and zeroed before each episode's first step, which under next-step
 * autoreset is the step after the reset step, as in training ({@link RecurrentPpo}).
 */
public final class RecurrentAgentPolicy implements EnvPolicy {

  private final Agent agent;
  private final GruActorCritic gru;
  private final boolean owner;
  private ByteBuffer prepared;
  private float[] out;
  private float[] actions;
  private float[] state;
  private boolean[] lastEnded;
  private boolean[] episodeStart;

  /** {@code owner}: whether closing this policy closes the agent too. */
  public RecurrentAgentPolicy(Agent agent, boolean owner) {
    if (!(agent.net() instanceof GruActorCritic g)) {
      throw new IllegalArgumentException("a recurrent policy needs a gru network, got " + agent.net().spec().kind());
    }
    this.agent = agent;
    this.gru = g;
    this.owner = owner;
  }

  @Override
  public void reset(int numEnvs) {
    if (prepared == null || lastEnded.length != numEnvs) {
      prepared = agent.newObservationBuffer(numEnvs);
      out = new float[numEnvs * (agent.policyOutputs() + 1)];
      actions = new float[numEnvs * agent.actionWidth()];
      state = new float[numEnvs * gru.stateSize()];
      lastEnded = new boolean[numEnvs];
      episodeStart = new boolean[numEnvs];
    }
    Arrays.fill(lastEnded, false);
    Arrays.fill(episodeStart, true);
  }

  @Override
  public void act(StepBuffers buf, SplittableRandom rng, boolean greedy) {
    int n = buf.numEnvs();
    int s = gru.stateSize();
    for (int i = 0; i < n; i++) {
      if (episodeStart[i]) {
        Arrays.fill(state, i * s, (i + 1) * s, 0f);
      }
    }
    agent.prepare(buf, prepared, 0, false);
    gru.step(prepared, n, state, out);
    for (int i = 0; i < n; i++) {
      agent.act(out, i, rng, greedy, buf, actions);
    }
  }

  @Override
  public void stepped(StepBuffers buf) {
    for (int i = 0; i < lastEnded.length; i++) {
      episodeStart[i] = lastEnded[i]; // this step was a reset step: the next one starts an episode
      lastEnded[i] = buf.episodeEnded(i);
    }
  }

  @Override
  public void close() {
    if (owner) {
      agent.close();
    }
  }
}
