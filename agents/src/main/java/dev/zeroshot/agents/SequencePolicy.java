package dev.zeroshot.agents;

import ai.djl.ndarray.NDManager;
import dev.zeroshot.agents.nn.DecisionTransformer;
import dev.zeroshot.agents.nn.Tensors;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A {@link DecisionTransformer} acting in a vector env. Each env keeps its own window of the
 * last {@code context} steps (observation, return-to-go, action, timestep): a new episode starts
 * with a window of padding, each step shifts the window left and appends the current
 * observation, whose action is sampled from the logits at its state token (greedy: the argmax)
 * and then stored in the window. The return-to-go starts at the target (DT: 5x the dataset's
 * best return) and drops by every reward received, as in gen_dgrl's evaluation; BCT ignores it.
 */
public final class SequencePolicy implements EnvPolicy {

  private final DecisionTransformer net;
  private final boolean owner;
  private final double targetReturn;
  private final long actionStart;
  private final int k;
  private final int actions;
  private final int obsBytes;
  private int n;
  private byte[] windowObs;
  private ByteBuffer obs;
  private float[] rtg;
  private long[] acts;
  private long[] timesteps;
  private boolean[] real;
  private double[] returnToGo;
  private long[] episodeStep;
  private float[] logits;

  /** {@code owner}: whether closing this policy closes the network too. */
  public SequencePolicy(DecisionTransformer net, double targetReturn, Space actionSpace, boolean owner) {
    if (!(actionSpace instanceof Discrete d) || d.n() != net.actions()) {
      throw new IllegalArgumentException("the sequence model has " + net.actions() + " actions; the env's are "
          + actionSpace);
    }
    this.net = net;
    this.owner = owner;
    this.targetReturn = targetReturn;
    this.actionStart = d.start();
    this.k = net.spec().context();
    this.actions = net.actions();
    this.obsBytes = net.observationBytes();
  }

  public DecisionTransformer net() {
    return net;
  }

  /** The return-to-go a new episode starts with (0 for BCT, which has no return tokens). */
  public double targetReturn() {
    return targetReturn;
  }

  @Override
  public void reset(int numEnvs) {
    n = numEnvs;
    windowObs = new byte[n * k * obsBytes];
    obs = ByteBuffer.allocateDirect(windowObs.length).order(ByteOrder.LITTLE_ENDIAN);
    rtg = new float[n * k];
    acts = new long[n * k];
    timesteps = new long[n * k];
    real = new boolean[n * k];
    returnToGo = new double[n];
    episodeStep = new long[n];
    logits = new float[n * k * actions];
    for (int i = 0; i < n; i++) {
      startEpisode(i);
    }
  }

  /** Env i's window becomes all padding; its return-to-go the target again. */
  private void startEpisode(int i) {
    Arrays.fill(windowObs, i * k * obsBytes, (i + 1) * k * obsBytes, (byte) 0);
    Arrays.fill(rtg, i * k, (i + 1) * k, 0f);
    Arrays.fill(acts, i * k, (i + 1) * k, 0L);
    Arrays.fill(timesteps, i * k, (i + 1) * k, 0L);
    Arrays.fill(real, i * k, (i + 1) * k, false);
    returnToGo[i] = targetReturn;
    episodeStep[i] = 0;
  }

  @Override
  public void act(StepBuffers buf, SplittableRandom rng, boolean greedy) {
    if (buf.numEnvs() != n) {
      throw new IllegalStateException("policy reset for " + n + " envs, stepped with " + buf.numEnvs());
    }
    ByteBuffer current = buf.observations();
    for (int i = 0; i < n; i++) {
      int first = i * k;
      int last = first + k - 1;
      // Shift the window one step left; the current step goes last, its action still unknown
      // (0: the state token that predicts it cannot see it).
      System.arraycopy(windowObs, (first + 1) * obsBytes, windowObs, first * obsBytes, (k - 1) * obsBytes);
      System.arraycopy(rtg, first + 1, rtg, first, k - 1);
      System.arraycopy(acts, first + 1, acts, first, k - 1);
      System.arraycopy(timesteps, first + 1, timesteps, first, k - 1);
      System.arraycopy(real, first + 1, real, first, k - 1);
      current.get(i * obsBytes, windowObs, last * obsBytes, obsBytes);
      rtg[last] = (float) returnToGo[i];
      acts[last] = 0;
      timesteps[last] = episodeStep[i];
      real[last] = true;
    }
    obs.clear();
    obs.put(windowObs).flip();
    try (NDManager m = NDManager.newBaseManager(net.device())) {
      Tensors.read(net.forward(m, obs, rtg, acts, timesteps, real, n), logits);
    }
    for (int i = 0; i < n; i++) {
      int a = choose((i * k + k - 1) * actions, rng, greedy);
      acts[i * k + k - 1] = a;
      buf.setDiscreteAction(i, actionStart + a);
    }
  }

  /** Samples from softmax of the logits at {@code offset} (greedy: the first argmax). */
  private int choose(int offset, SplittableRandom rng, boolean greedy) {
    double max = Double.NEGATIVE_INFINITY;
    int argmax = 0;
    for (int a = 0; a < actions; a++) {
      if (logits[offset + a] > max) {
        max = logits[offset + a];
        argmax = a;
      }
    }
    if (greedy) {
      return argmax;
    }
    double sum = 0;
    for (int a = 0; a < actions; a++) {
      sum += Math.exp(logits[offset + a] - max);
    }
    double u = rng.nextDouble() * sum;
    double c = 0;
    for (int a = 0; a < actions; a++) {
      c += Math.exp(logits[offset + a] - max);
      if (u < c) {
        return a;
      }
    }
    return actions - 1;
  }

  @Override
  public void stepped(StepBuffers buf) {
    for (int i = 0; i < n; i++) {
      if (buf.episodeEnded(i)) {
        startEpisode(i);
      } else {
        returnToGo[i] -= buf.reward(i);
        episodeStep[i]++;
      }
    }
  }

  /** Env i's window, for tests: whether each step is real, and its return-to-go and timestep. */
  boolean[] realSteps(int i) {
    return Arrays.copyOfRange(real, i * k, (i + 1) * k);
  }

  float[] returnsToGo(int i) {
    return Arrays.copyOfRange(rtg, i * k, (i + 1) * k);
  }

  double returnToGo(int i) {
    return returnToGo[i];
  }

  @Override
  public void close() {
    if (owner) {
      net.close();
    }
  }
}
