package dev.zeroshot.agents;

import java.nio.ByteBuffer;

/**
 * PPO's rollout storage (CleanRL's {@code obs}, {@code actions}, {@code logprobs},
 * {@code rewards}, {@code values} buffers): {@code numSteps} steps of {@code numEnvs} envs,
 * time-major (step t of env i at index {@code t * numEnvs + i}), and the advantages and
 * returns computed from them.
 */
final class PpoRollout {

  final int numSteps;
  final int numEnvs;
  /** The prepared observation each step acted on. */
  final ByteBuffer observations;
  /** The raw actions taken, {@code actionWidth} per step. */
  final float[] actions;
  final float[] logProbs;
  final float[] rewards;
  final float[] values;
  final boolean[] terminated;
  /** Whether the step ended its episode (terminated or truncated). */
  final boolean[] ended;
  /** False for reset steps: the step after an episode's end, whose action the env ignored. */
  final boolean[] valid;
  final float[] advantages;
  final float[] returns;
  private final int observationBytes;

  PpoRollout(Agent agent, int numSteps, int numEnvs) {
    this.numSteps = numSteps;
    this.numEnvs = numEnvs;
    int size = numSteps * numEnvs;
    this.observationBytes = agent.observationBytes();
    this.observations = agent.newObservationBuffer(size);
    this.actions = new float[size * agent.actionWidth()];
    this.logProbs = new float[size];
    this.rewards = new float[size];
    this.values = new float[size];
    this.terminated = new boolean[size];
    this.ended = new boolean[size];
    this.valid = new boolean[size];
    this.advantages = new float[size];
    this.returns = new float[size];
  }

  /** Stores the envs' prepared observations as step t's ({@code obs[step] = next_obs}); returns a view of them. */
  ByteBuffer putObservations(int t, ByteBuffer prepared) {
    int rowBytes = observationBytes * numEnvs;
    observations.duplicate().position(t * rowBytes).put(prepared.duplicate().position(0).limit(rowBytes));
    return observations.duplicate().position(t * rowBytes).limit((t + 1) * rowBytes).slice().order(observations.order());
  }

  /**
   * Stores envs {@code from .. from + count - 1} of the prepared observations as theirs at step t
   * (the overlapped rollout, one half of the envs at a time); returns a view of them.
   */
  ByteBuffer putObservations(int t, ByteBuffer prepared, int from, int count) {
    int at = (t * numEnvs + from) * observationBytes;
    int bytes = count * observationBytes;
    observations.duplicate().position(at).put(prepared.duplicate().position(from * observationBytes).limit(from * observationBytes + bytes));
    return observations.duplicate().position(at).limit(at + bytes).slice().order(observations.order());
  }

  /** Writes the indices of the valid steps into {@code index}; returns how many there are. */
  int validSteps(int[] index) {
    int n = 0;
    for (int k = 0; k < valid.length; k++) {
      if (valid[k]) {
        index[n++] = k;
      }
    }
    return n;
  }

  /** GAE advantages and value targets, bootstrapped from {@code lastValues} (the value after the last step, per env). */
  void computeAdvantages(float[] lastValues, double gamma, double lambda) {
    Gae.compute(numSteps, numEnvs, rewards, values, lastValues, terminated, ended, gamma, lambda, advantages, returns);
  }

  /** 1 - Var(returns - values) / Var(returns) over the first {@code n} steps of {@code index}, summed in that order. */
  double explainedVariance(int[] index, int n) {
    double my = 0;
    double mr = 0;
    for (int r = 0; r < n; r++) {
      my += values[index[r]];
      mr += returns[index[r]];
    }
    my /= n;
    mr /= n;
    double vr = 0;
    double vd = 0;
    for (int r = 0; r < n; r++) {
      int k = index[r];
      double d = returns[k] - mr;
      vr += d * d;
      double e = (returns[k] - values[k]) - (mr - my);
      vd += e * e;
    }
    return vr == 0 ? Double.NaN : 1 - vd / vr;
  }
}
