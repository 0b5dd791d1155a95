package dev.zeroshot.agents;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.Adam;
import dev.zeroshot.agents.nn.GruActorCritic;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnvApi;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * PPO with a recurrent policy ({@link GruActorCritic}), following CleanRL's
 * {@code ppo_atari_lstm.py} step by step; everything else is {@link Ppo}'s (config, GAE, loss,
 * reward normalization, checkpoints, run folder). What recurrence changes:
 *
 * <ul>
 *   <li>Each env's GRU state is carried from step to step and zeroed before the first step of
 *       each episode. With next-step autoreset that is the step after the reset step: the reset
 *       step still acts (its action ignored) on the old episode's final observation, with the
 *       old episode's state, so its value is the right bootstrap for a truncated episode.
 *   <li>The rollout keeps the state before its first step (CleanRL's
 *       {@code initial_lstm_state}) and which steps start an episode.
 *   <li>Minibatches are split by env, so each holds whole sequences, and the loss recomputes
 *       every sequence from the rollout's initial state with backpropagation through time over
 *       the rollout's length. Reset steps run through the GRU (the sequence needs them) but are
 *       left out of the loss, as in {@link Ppo}.
 * </ul>
 *
 * <p>Acting runs the GRU in Java ({@link GruActorCritic#step}); the loss and its gradient with
 * respect to the network's outputs are {@link PpoLoss}'s, via {@link PpoMinibatch}; torch runs
 * the sequences forward and backward. Curricula are not supported yet ({@link PpoConfig#validate} says so).
 */
public final class RecurrentPpo implements PpoTrainer {

  private final PpoConfig cfg;
  private final VectorEnvApi env;
  private final Agent agent;
  private final GruActorCritic net;
  private final Adam optimizer;
  private final NDManager root;
  private final Engine engine;
  /** Null unless the config normalizes rewards. */
  private final RewardNormalizer rewardNormalizer;
  private final StepBuffers buf;
  final PpoRollout rollout;
  private final PpoMinibatch minibatch;

  /** The prepared observation after the latest step, and whether that step ended each env's episode. */
  private final ByteBuffer nextObs;
  private final boolean[] lastEnded;
  /** Whether each env's next step is the first of an episode (its state is zeroed before it). */
  private final boolean[] episodeStart;
  /** Each env's GRU state after the latest observation ({@code state[i * stateSize]}). */
  private final float[] state;
  /** The state before the rollout's first step (CleanRL's {@code initial_lstm_state}). */
  final float[] initialState;
  /** Whether rollout step k starts an episode (CleanRL's {@code dones} as {@code get_states} reads them). */
  final boolean[] starts;
  /** The envs in the order of this epoch's minibatches (shuffled every epoch). */
  final int[] envOrder;
  /** One minibatch's sequences: observations, initial states, keep masks, and where its valid steps sit. */
  final ByteBuffer sequenceObs;
  final float[] sequenceState;
  final float[] sequenceKeep;
  final int[] validIndex;
  final long[] validRows;
  private final float[] forwardOut;
  private final float[] stepActions;
  private final int[] batchIndex;

  private final RecentReturns recentReturns;
  private long globalStep;
  private int update;
  /** False until the envs are reset: at the start, and after a resume (their state is not checkpointed). */
  private boolean started;
  private long startNanos;
  private long stepsAtStart;

  /** A trainer for {@code env} with a fresh recurrent agent of {@code modelSpec}; the env is owned by the caller. */
  public RecurrentPpo(PpoConfig cfg, VectorEnvApi env, ModelSpec modelSpec, Device device) {
    this.cfg = cfg.validate();
    this.recentReturns = new RecentReturns(this.cfg.returnWindow);
    this.env = env;
    if (!modelSpec.recurrent() || !cfg.model.equals(modelSpec.kind())) {
      throw new IllegalArgumentException("RecurrentPpo trains a recurrent network named by the config (gru), not a "
          + modelSpec.kind() + " network for a config of model " + cfg.model);
    }
    if (env.numEnvs() != cfg.numEnvs) {
      throw new IllegalArgumentException("config has num-envs " + cfg.numEnvs + ", the env has " + env.numEnvs());
    }
    this.engine = Torch.init(cfg.torchThreads);
    this.net = (GruActorCritic) ActorCritic.create(modelSpec, device);
    this.agent = new Agent(net, cfg.normObs, env.singleActionSpace());
    this.optimizer = new Adam(net.params(), 0.9, 0.999, cfg.adamEps);
    this.root = NDManager.newBaseManager(device);
    this.rewardNormalizer = cfg.normReward ? new RewardNormalizer(cfg.numEnvs, cfg.gamma) : null;
    this.buf = StepBuffers.allocate(env);
    this.rollout = new PpoRollout(agent, cfg.numSteps, cfg.numEnvs);
    int envsPerMinibatch = (cfg.numEnvs + cfg.numMinibatches - 1) / cfg.numMinibatches;
    int rows = envsPerMinibatch * cfg.numSteps;
    this.minibatch = new PpoMinibatch(agent, rows);
    this.nextObs = agent.newObservationBuffer(cfg.numEnvs);
    this.lastEnded = new boolean[cfg.numEnvs];
    this.episodeStart = new boolean[cfg.numEnvs];
    this.state = new float[cfg.numEnvs * net.stateSize()];
    this.initialState = new float[state.length];
    this.starts = new boolean[cfg.batchSize()];
    this.envOrder = new int[cfg.numEnvs];
    this.sequenceObs = agent.newObservationBuffer(rows);
    this.sequenceState = new float[envsPerMinibatch * net.stateSize()];
    this.sequenceKeep = new float[rows];
    this.validIndex = new int[rows];
    this.validRows = new long[rows];
    this.forwardOut = new float[cfg.numEnvs * net.outputs()];
    this.stepActions = new float[cfg.numEnvs * agent.actionWidth()];
    this.batchIndex = new int[cfg.batchSize()];
  }

  @Override
  public Agent agent() {
    return agent;
  }

  @Override
  public PpoConfig config() {
    return cfg;
  }

  @Override
  public long globalStep() {
    return globalStep;
  }

  @Override
  public int updates() {
    return update;
  }

  @Override
  public int numUpdates() {
    return (int) (cfg.totalTimesteps / cfg.batchSize());
  }

  /** Curricula are refused by the constructor, so there are no curriculum episodes to tell of. */
  @Override
  public void onEpisode(Ppo.EpisodeListener listener) {
    throw new UnsupportedOperationException("a recurrent policy does not train with a curriculum yet");
  }

  @Override
  public void train(Ppo.Listener listener, java.util.function.BooleanSupplier stop) {
    while (update < numUpdates() && !stop.getAsBoolean()) {
      Ppo.Metrics m = iterate();
      if (listener != null) {
        listener.onUpdate(m);
      }
    }
  }

  /** One iteration: a rollout carrying the GRU states, advantages, and the epochs of sequence minibatches. */
  public Ppo.Metrics iterate() {
    if (!started) {
      // Seeded reset at the start (and after a resume); every env starts an episode from a zero state.
      env.reset(cfg.seed + 1_000_003L * update, buf);
      agent.prepare(buf, nextObs, 0, true);
      Arrays.fill(lastEnded, false);
      Arrays.fill(episodeStart, true);
      Arrays.fill(state, 0);
      started = true;
      startNanos = System.nanoTime();
      stepsAtStart = globalStep;
    }
    update++;
    SplittableRandom rng = new SplittableRandom(cfg.seed * 0x9E3779B97F4A7C15L + update);
    Ppo.Metrics m = new Ppo.Metrics();
    m.update = update;
    double frac = cfg.annealLr ? 1.0 - (update - 1.0) / numUpdates() : 1.0;
    m.learningRate = frac * cfg.learningRate;

    long t0 = System.nanoTime();
    collectRollout(rng);
    long t1 = System.nanoTime();
    rollout.computeAdvantages(nextValues(), cfg.gamma, cfg.gaeLambda);
    optimize(rng, m);
    m.rolloutSeconds = (t1 - t0) / 1e9;
    m.learnSeconds = (System.nanoTime() - t1) / 1e9;

    m.globalStep = globalStep;
    m.seconds = (System.nanoTime() - startNanos) / 1e9;
    m.stepsPerSecond = (globalStep - stepsAtStart) / Math.max(1e-9, m.seconds);
    m.episodesFinished = recentReturns.episodes();
    m.recentReturn = recentReturns.mean();
    return m;
  }

  /** {@code numSteps} steps of every env, the GRU state carried along; fills the rollout. */
  private void collectRollout(SplittableRandom rng) {
    int numEnvs = cfg.numEnvs;
    int outputs = net.outputs();
    int width = agent.actionWidth();
    System.arraycopy(state, 0, initialState, 0, state.length);
    for (int t = 0; t < cfg.numSteps; t++) {
      globalStep += numEnvs;
      for (int i = 0; i < numEnvs; i++) {
        int k = t * numEnvs + i;
        starts[k] = episodeStart[i];
        rollout.valid[k] = !lastEnded[i];
      }
      zeroStartingStates(state);
      net.step(rollout.putObservations(t, nextObs), numEnvs, state, forwardOut);
      for (int i = 0; i < numEnvs; i++) {
        int k = t * numEnvs + i;
        rollout.values[k] = forwardOut[i * outputs + outputs - 1];
        rollout.logProbs[k] = (float) agent.act(forwardOut, i, rng, false, buf, stepActions);
        System.arraycopy(stepActions, i * width, rollout.actions, k * width, width);
      }
      env.step(buf);
      agent.prepare(buf, nextObs, 0, true);
      for (int i = 0; i < numEnvs; i++) {
        int k = t * numEnvs + i;
        double r = buf.reward(i);
        rollout.terminated[k] = buf.terminated(i);
        rollout.ended[k] = buf.episodeEnded(i);
        if (rollout.valid[k] && rewardNormalizer != null) {
          r = rewardNormalizer.normalize(i, r, rollout.ended[k]);
        }
        rollout.rewards[k] = (float) r;
        episodeStart[i] = !rollout.valid[k]; // after a reset step comes the new episode's first step
        lastEnded[i] = rollout.ended[k];
        if (lastEnded[i]) {
          recentReturns.add(buf.episodeReturn(i));
        }
      }
    }
  }

  /** Zeroes the state of every env whose next step starts an episode (CleanRL's {@code (1 - done) * h}). */
  private void zeroStartingStates(float[] s) {
    int size = net.stateSize();
    for (int i = 0; i < cfg.numEnvs; i++) {
      if (episodeStart[i]) {
        Arrays.fill(s, i * size, (i + 1) * size, 0f);
      }
    }
  }

  /** The value of each env's next observation, from its current state (left as it is). */
  private float[] nextValues() {
    float[] s = state.clone();
    zeroStartingStates(s);
    net.step(nextObs, cfg.numEnvs, s, forwardOut);
    int outputs = net.outputs();
    float[] v = new float[cfg.numEnvs];
    for (int i = 0; i < cfg.numEnvs; i++) {
      v[i] = forwardOut[i * outputs + outputs - 1];
    }
    return v;
  }


  /** Epochs of minibatch gradient steps, each minibatch the whole sequences of a share of the envs. */
  private void optimize(SplittableRandom rng, Ppo.Metrics m) {
    PpoLoss.Coefs coefs = new PpoLoss.Coefs(cfg.clipCoef, cfg.clipVloss, cfg.entCoef, cfg.vfCoef);
    PpoLoss.Stats last = null;
    for (int i = 0; i < envOrder.length; i++) {
      envOrder[i] = i;
    }
    epochs:
    for (int epoch = 0; epoch < cfg.updateEpochs; epoch++) {
      Ppo.shuffle(envOrder, envOrder.length, rng);
      for (int b = 0; b < cfg.numMinibatches; b++) {
        int from = cfg.numEnvs * b / cfg.numMinibatches;
        int to = cfg.numEnvs * (b + 1) / cfg.numMinibatches;
        int valid = gatherSequences(from, to);
        if (valid == 0) {
          continue;
        }
        minibatch.gather(rollout, validIndex, 0, valid);
        if (cfg.normAdv) {
          PpoLoss.normalizeAdvantages(minibatch.advantages, minibatch.size);
        }
        last = backward(to - from, valid, coefs);
        m.gradNorm = step(m.learningRate);
        if (cfg.targetKl > 0 && last.approxKl > cfg.targetKl) {
          break epochs;
        }
      }
    }
    if (last != null) {
      m.policyLoss = last.policyLoss;
      m.valueLoss = last.valueLoss;
      m.entropy = last.entropy;
      m.approxKl = last.approxKl;
      m.clipFraction = last.clipFraction;
    }
    m.explainedVariance = rollout.explainedVariance(batchIndex, rollout.validSteps(batchIndex));
  }

  /**
   * Lays out the sequences of the envs {@code envOrder[from..to)} time-major (row t * m + j is
   * step t of the j-th env) with their initial states and keep masks, and lists their valid
   * steps: rollout indices in {@link #validIndex}, rows in {@link #validRows}. Returns how many.
   */
  int gatherSequences(int from, int to) {
    int m = to - from;
    int size = net.stateSize();
    int obsBytes = agent.observationBytes();
    int valid = 0;
    for (int t = 0; t < cfg.numSteps; t++) {
      for (int j = 0; j < m; j++) {
        int k = t * cfg.numEnvs + envOrder[from + j];
        int row = t * m + j;
        ByteBuffer src = rollout.observations.duplicate().position(k * obsBytes).limit((k + 1) * obsBytes);
        sequenceObs.duplicate().position(row * obsBytes).put(src);
        sequenceKeep[row] = starts[k] ? 0f : 1f;
        if (rollout.valid[k]) {
          validIndex[valid] = k;
          validRows[valid++] = row;
        }
      }
    }
    for (int j = 0; j < m; j++) {
      System.arraycopy(initialState, envOrder[from + j] * size, sequenceState, j * size, size);
    }
    return valid;
  }

  /** The sequences forward with autograd, the loss on their valid steps and its gradient in Java, backward through time. */
  private PpoLoss.Stats backward(int m, int valid, PpoLoss.Coefs coefs) {
    int steps = cfg.numSteps;
    try (NDManager mgr = root.newSubManager(); GradientCollector collector = engine.newGradientCollector()) {
      NDArray obs = net.input(mgr, sequenceObs, steps * m);
      NDArray h0 = net.tensor(mgr, sequenceState, new Shape(m, net.stateSize()));
      NDArray keep = net.tensor(mgr, sequenceKeep, new Shape(steps, m, 1));
      NDArray y = net.forwardSequence(obs, h0, keep, steps, m);
      NDArray rows = mgr.create(Arrays.copyOf(validRows, valid));
      NDArray yValid = y.get(net.device().isGpu() ? rows.toDevice(net.device(), false) : rows);
      PpoMinibatch.Loss loss = minibatch.loss(mgr, yValid, coefs);
      JniUtils.backward((PtNDArray) yValid, (PtNDArray) loss.gradient(), false, false);
      return loss.stats();
    }
  }

  /** Adam on the gradients of the last backward pass, clipped to {@code maxGradNorm}; returns their norm. */
  private double step(double learningRate) {
    net.params().pullGradients();
    double norm = optimizer.clipGradNorm(cfg.maxGradNorm);
    optimizer.step(learningRate);
    net.params().push();
    return norm;
  }

  /** Saves what training needs besides the agent, in {@link Ppo}'s layout (the GRU states restart at zero with the envs). */
  @Override
  public void writeTrainerState(DataOutputStream out) throws IOException {
    out.writeLong(globalStep);
    out.writeInt(update);
    recentReturns.write(out);
    optimizer.write(out);
    out.writeBoolean(rewardNormalizer != null);
    if (rewardNormalizer != null) {
      rewardNormalizer.write(out);
    }
  }

  @Override
  public void readTrainerState(DataInputStream in) throws IOException {
    globalStep = in.readLong();
    update = in.readInt();
    recentReturns.read(in);
    optimizer.read(in);
    if (in.readBoolean() != (rewardNormalizer != null)) {
      throw new IOException("checkpoint and config disagree on reward normalization");
    }
    if (rewardNormalizer != null) {
      rewardNormalizer.read(in);
    }
    started = false; // envs restart from a seeded reset, every state from zero
  }

  @Override
  public void close() {
    root.close();
    agent.close();
  }
}
