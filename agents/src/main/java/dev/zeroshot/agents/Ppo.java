package dev.zeroshot.agents;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.Adam;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.agents.nn.Param;
import dev.zeroshot.agents.nn.Tensors;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnvApi;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * Proximal Policy Optimization, following CleanRL's {@code ppo.py} step by step: collect
 * {@code numSteps} steps from each of {@code numEnvs} envs, compute GAE advantages, then run
 * {@code updateEpochs} epochs of minibatch updates of the clipped surrogate, the (clipped)
 * value loss and the entropy bonus, with Adam and global-norm gradient clipping.
 *
 * <p>Works on any {@link VectorEnvApi} (in-process or remote) with next-step autoreset: the
 * step after an episode ends is a reset step whose action the env ignored, so it is left out
 * of the loss (see {@link Gae}).
 *
 * <p>Native memory: the network's weights live in its own manager; every rollout step and
 * every minibatch works in a sub-manager of {@link #root} that is closed at once, so nothing
 * accumulates (see the long-run test). The loss and its gradient are computed in Java
 * ({@link PpoLoss}); torch runs the network forward and backward from the output gradient.
 */
public final class Ppo implements AutoCloseable {

  /** Called after every update with its metrics. */
  public interface Listener {
    void onUpdate(Metrics m);
  }

  /** One update's numbers (CleanRL's logged scalars plus throughput). */
  public static final class Metrics {
    public int update;
    public long globalStep;
    public double learningRate;
    public double stepsPerSecond;
    public double seconds;
    /** Mean return of the last {@code returnWindow} finished episodes (NaN before the first). */
    public double recentReturn = Double.NaN;
    public int episodesFinished;
    public double policyLoss;
    public double valueLoss;
    public double entropy;
    public double approxKl;
    public double clipFraction;
    public double explainedVariance;
    public double gradNorm;
    /** Seconds of this update spent collecting the rollout (env steps and action sampling). */
    public double rolloutSeconds;
    /** Seconds of this update spent in advantages and gradient steps. */
    public double learnSeconds;
    /** CPU seconds the training thread used in this update's rollout and learning phases. */
    public double rolloutCpuSeconds;
    public double learnCpuSeconds;
  }

  private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

  private final PpoConfig cfg;
  private final VectorEnvApi env;
  private final Agent agent;
  private final ActorCritic net;
  private final Adam optimizer;
  private final NDManager root;
  private final Engine engine;
  private final RunningMeanStd rewardRms;
  private final double[] discountedReturn;

  private final int numEnvs;
  private final int numSteps;
  private final int outputs;
  private final int actionWidth;
  private final StepBuffers buf;

  // Rollout storage, time-major: index t * numEnvs + i.
  private final ByteBuffer obs;          // prepared observations, numSteps * numEnvs rows
  private final ByteBuffer nextObs;      // the prepared observation after the latest step
  private final float[] actions;
  private final float[] logProbs;
  private final float[] rewards;
  private final float[] values;
  private final boolean[] terminated;
  private final boolean[] ended;
  private final boolean[] valid;         // false for reset steps (action ignored by the env)
  private final boolean[] lastEnded;     // whether each env's latest step ended its episode
  private final float[] advantages;
  private final float[] returns;
  private final float[] forwardOut;
  private final float[] stepActions;     // this step's raw actions, env i at [i * actionWidth]

  // Minibatch scratch.
  private final ByteBuffer mbObs;
  private final int[] mbIndex;
  private final long[] mbActionsLong;
  private final float[] mbActions;
  private final float[] mbLogp;
  private final float[] mbAdv;
  private final float[] mbReturns;
  private final float[] mbValues;
  private final float[] mbOut;
  private final float[] mbPolicy;
  private final float[] mbNewValues;
  private final float[] gradPolicy;
  private final float[] gradValues;
  private final ByteBuffer gradOut;

  private final ArrayDeque<Double> recentReturns = new ArrayDeque<>();
  private long globalStep;
  private int update;
  private int episodes;
  private boolean started;
  private long startNanos;
  private long stepsAtStart;

  /**
   * A trainer for {@code env} with a fresh agent of {@code modelSpec} (built with
   * {@link Agent#modelFor}); the env is owned by the caller.
   */
  public Ppo(PpoConfig cfg, VectorEnvApi env, ModelSpec modelSpec, ai.djl.Device device) {
    this.cfg = cfg.validate();
    this.env = env;
    this.engine = Torch.init(cfg.torchThreads);
    if (env.numEnvs() != cfg.numEnvs) {
      throw new IllegalArgumentException("config has num-envs " + cfg.numEnvs + ", the env has " + env.numEnvs());
    }
    this.net = ActorCritic.create(modelSpec, device);
    this.agent = new Agent(net, cfg.normObs, env.singleActionSpace());
    this.optimizer = new Adam(net.params(), 0.9, 0.999, cfg.adamEps);
    this.root = NDManager.newBaseManager(device);
    this.rewardRms = cfg.normReward ? new RunningMeanStd(1) : null;
    this.numEnvs = cfg.numEnvs;
    this.numSteps = cfg.numSteps;
    this.outputs = net.outputs();
    this.actionWidth = agent.actionWidth();
    this.discountedReturn = new double[numEnvs];
    this.buf = StepBuffers.allocate(env);
    int batch = cfg.batchSize();
    this.obs = agent.newObservationBuffer(batch);
    this.nextObs = agent.newObservationBuffer(numEnvs);
    this.actions = new float[batch * actionWidth];
    this.logProbs = new float[batch];
    this.rewards = new float[batch];
    this.values = new float[batch];
    this.terminated = new boolean[batch];
    this.ended = new boolean[batch];
    this.valid = new boolean[batch];
    this.lastEnded = new boolean[numEnvs];
    this.advantages = new float[batch];
    this.returns = new float[batch];
    this.forwardOut = new float[numEnvs * outputs];
    this.stepActions = new float[numEnvs * actionWidth];
    int mb = (batch + cfg.numMinibatches - 1) / cfg.numMinibatches;
    this.mbObs = agent.newObservationBuffer(mb);
    this.mbIndex = new int[batch];
    this.mbActionsLong = new long[mb];
    this.mbActions = new float[mb * actionWidth];
    this.mbLogp = new float[mb];
    this.mbAdv = new float[mb];
    this.mbReturns = new float[mb];
    this.mbValues = new float[mb];
    this.mbOut = new float[mb * outputs];
    this.mbPolicy = new float[mb * (outputs - 1)];
    this.mbNewValues = new float[mb];
    this.gradPolicy = new float[mb * (outputs - 1)];
    this.gradValues = new float[mb];
    this.gradOut = ByteBuffer.allocateDirect(4 * mb * outputs).order(ByteOrder.nativeOrder());
  }

  public Agent agent() {
    return agent;
  }

  public PpoConfig config() {
    return cfg;
  }

  public long globalStep() {
    return globalStep;
  }

  public int updates() {
    return update;
  }

  /** Tensors alive in the network's and the trainer's managers (constant between updates). */
  public int liveTensors() {
    return net.liveTensors() + root.getManagedArrays().size();
  }

  public int numUpdates() {
    return (int) (cfg.totalTimesteps / cfg.batchSize());
  }

  /** Runs updates until {@code totalTimesteps} (rounded down to whole batches) or {@code stop}. */
  public void train(Listener listener, java.util.function.BooleanSupplier stop) {
    while (update < numUpdates() && !stop.getAsBoolean()) {
      Metrics m = iterate();
      if (listener != null) {
        listener.onUpdate(m);
      }
    }
  }

  /** One PPO iteration: a rollout, advantages, and the epochs of minibatch updates. */
  public Metrics iterate() {
    if (!started) {
      // Seeded reset at the start (and after a resume: the envs' own state is not checkpointed).
      env.reset(cfg.seed + 1_000_003L * update, buf);
      agent.prepare(buf, nextObs, 0, true);
      java.util.Arrays.fill(lastEnded, false);
      started = true;
      startNanos = System.nanoTime();
      stepsAtStart = globalStep;
    }
    update++;
    SplittableRandom rng = new SplittableRandom(cfg.seed * 0x9E3779B97F4A7C15L + update);
    Metrics m = new Metrics();
    m.update = update;
    // Annealing the rate if instructed to do so.
    double frac = cfg.annealLr ? 1.0 - (update - 1.0) / numUpdates() : 1.0;
    m.learningRate = frac * cfg.learningRate;

    long t0 = System.nanoTime();
    long c0 = CPU.getCurrentThreadCpuTime();
    collectRollout(rng, m);
    long t1 = System.nanoTime();
    long c1 = CPU.getCurrentThreadCpuTime();
    computeAdvantages();
    learn(rng, m);
    m.rolloutSeconds = (t1 - t0) / 1e9;
    m.learnSeconds = (System.nanoTime() - t1) / 1e9;
    m.rolloutCpuSeconds = (c1 - c0) / 1e9;
    m.learnCpuSeconds = (CPU.getCurrentThreadCpuTime() - c1) / 1e9;

    m.globalStep = globalStep;
    m.seconds = (System.nanoTime() - startNanos) / 1e9;
    m.stepsPerSecond = (globalStep - stepsAtStart) / Math.max(1e-9, m.seconds);
    m.episodesFinished = episodes;
    if (!recentReturns.isEmpty()) {
      double s = 0;
      for (double r : recentReturns) {
        s += r;
      }
      m.recentReturn = s / recentReturns.size();
    }
    return m;
  }

  private void collectRollout(SplittableRandom rng, Metrics m) {
    int rowBytes = agent.observationBytes() * numEnvs;
    for (int t = 0; t < numSteps; t++) {
      globalStep += numEnvs;
      // The observation each env acts on (prepared after the previous step).
      ByteBuffer dst = obs.duplicate();
      dst.position(t * rowBytes);
      dst.put(nextObs.duplicate().position(0).limit(rowBytes));
      // Action logic, without gradients: in Java for the MLP, else a torch call in a sub-manager.
      ByteBuffer stepObs = obs.duplicate().position(t * rowBytes).limit((t + 1) * rowBytes).slice().order(obs.order());
      agent.evaluate(root, stepObs, numEnvs, forwardOut);
      for (int i = 0; i < numEnvs; i++) {
        int k = t * numEnvs + i;
        valid[k] = !lastEnded[i];
        values[k] = forwardOut[i * outputs + outputs - 1];
        logProbs[k] = (float) agent.act(forwardOut, i, rng, false, buf, stepActions);
        System.arraycopy(stepActions, i * actionWidth, actions, k * actionWidth, actionWidth);
      }
      env.step(buf);
      agent.prepare(buf, nextObs, 0, true);
      for (int i = 0; i < numEnvs; i++) {
        int k = t * numEnvs + i;
        double r = buf.reward(i);
        terminated[k] = buf.terminated(i);
        ended[k] = buf.episodeEnded(i);
        if (valid[k] && rewardRms != null) {
          r = normalizeReward(i, r, ended[k]);
        }
        rewards[k] = (float) r;
        lastEnded[i] = ended[k];
        if (ended[k]) {
          episodes++;
          recentReturns.addLast(buf.episodeReturn(i));
          if (recentReturns.size() > cfg.returnWindow) {
            recentReturns.removeFirst();
          }
        }
      }
    }
  }

  /** Gymnasium's NormalizeReward (discounted-return scale) with CleanRL's clip to [-10, 10]. */
  private double normalizeReward(int i, double r, boolean episodeEnded) {
    discountedReturn[i] = discountedReturn[i] * cfg.gamma + r;
    rewardRms.update(new float[] {(float) discountedReturn[i]}, 1);
    double scaled = r / Math.sqrt(rewardRms.var(0) + 1e-8);
    if (episodeEnded) {
      discountedReturn[i] = 0;
    }
    return Math.max(-10, Math.min(10, scaled));
  }

  private void computeAdvantages() {
    float[] lastValues = new float[numEnvs];
    agent.evaluate(root, nextObs, numEnvs, forwardOut);
    for (int i = 0; i < numEnvs; i++) {
      lastValues[i] = forwardOut[i * outputs + outputs - 1];
    }
    Gae.compute(numSteps, numEnvs, rewards, values, lastValues, terminated, ended, cfg.gamma, cfg.gaeLambda,
        advantages, returns);
  }

  private void learn(SplittableRandom rng, Metrics m) {
    // Only steps whose action the env used take part (reset steps are left out).
    int n = 0;
    for (int k = 0; k < valid.length; k++) {
      if (valid[k]) {
        mbIndex[n++] = k;
      }
    }
    PpoLoss.Coefs coefs = new PpoLoss.Coefs(cfg.clipCoef, cfg.clipVloss, cfg.entCoef, cfg.vfCoef);
    int obsBytes = agent.observationBytes();
    int a = outputs - 1;
    PpoLoss.Stats last = null;
    double gradNorm = 0;
    epochs:
    for (int epoch = 0; epoch < cfg.updateEpochs; epoch++) {
      for (int i = n - 1; i > 0; i--) { // Fisher-Yates shuffle of the valid steps
        int j = rng.nextInt(i + 1);
        int tmp = mbIndex[i];
        mbIndex[i] = mbIndex[j];
        mbIndex[j] = tmp;
      }
      for (int b = 0; b < cfg.numMinibatches; b++) {
        int from = (int) ((long) n * b / cfg.numMinibatches);
        int to = (int) ((long) n * (b + 1) / cfg.numMinibatches);
        int size = to - from;
        if (size == 0) {
          continue;
        }
        for (int r = 0; r < size; r++) {
          int k = mbIndex[from + r];
          ByteBuffer src = obs.duplicate().position(k * obsBytes).limit((k + 1) * obsBytes);
          mbObs.duplicate().position(r * obsBytes).put(src);
          System.arraycopy(actions, k * actionWidth, mbActions, r * actionWidth, actionWidth);
          mbActionsLong[r] = (long) actions[k * actionWidth];
          mbLogp[r] = logProbs[k];
          mbAdv[r] = advantages[k];
          mbReturns[r] = returns[k];
          mbValues[r] = values[k];
        }
        if (cfg.normAdv) {
          PpoLoss.normalizeAdvantages(mbAdv, size);
        }
        last = minibatchStep(size, a, coefs, m.learningRate);
        gradNorm = lastGradNorm;
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
    m.gradNorm = gradNorm;
    m.explainedVariance = explainedVariance(n);
  }

  private double lastGradNorm;

  /** Forward with autograd, loss gradient in Java, backward through the net, Adam. */
  private PpoLoss.Stats minibatchStep(int size, int a, PpoLoss.Coefs coefs, double lr) {
    PpoLoss.Stats s;
    try (NDManager mgr = root.newSubManager(); GradientCollector collector = engine.newGradientCollector()) {
      NDArray out = net.forward(net.input(mgr, mbObs, size));
      Tensors.read(out, mbOut);
      for (int r = 0; r < size; r++) {
        System.arraycopy(mbOut, r * outputs, mbPolicy, r * a, a);
        mbNewValues[r] = mbOut[r * outputs + a];
      }
      if (agent.discrete()) {
        s = PpoLoss.categorical(size, a, mbPolicy, mbActionsLong, mbLogp, mbAdv, mbReturns, mbValues, mbNewValues,
            coefs, gradPolicy, gradValues);
      } else {
        Param logStd = net.params().get("java:logstd");
        s = PpoLoss.gaussian(size, a, mbPolicy, logStd.value, mbActions, mbLogp, mbAdv, mbReturns, mbValues,
            mbNewValues, coefs, gradPolicy, logStd.grad, gradValues);
      }
      java.nio.FloatBuffer g = gradOut.asFloatBuffer();
      for (int r = 0; r < size; r++) {
        g.put(gradPolicy, r * a, a);
        g.put(gradValues[r]);
      }
      NDArray grad = mgr.create(gradOut.duplicate().position(0).limit(4 * size * outputs).slice().order(gradOut.order()),
          new Shape(size, outputs), ai.djl.ndarray.types.DataType.FLOAT32);
      if (net.device().isGpu()) {
        grad = grad.toDevice(net.device(), false);
      }
      JniUtils.backward((PtNDArray) out, (PtNDArray) grad, false, false);
    }
    net.params().pullGradients();
    lastGradNorm = optimizer.clipGradNorm(cfg.maxGradNorm);
    optimizer.step(lr);
    net.params().push();
    return s;
  }

  private double explainedVariance(int n) {
    double my = 0;
    double mr = 0;
    for (int r = 0; r < n; r++) {
      my += values[mbIndex[r]];
      mr += returns[mbIndex[r]];
    }
    my /= n;
    mr /= n;
    double vr = 0;
    double vd = 0;
    for (int r = 0; r < n; r++) {
      int k = mbIndex[r];
      double d = returns[k] - mr;
      vr += d * d;
      double e = (returns[k] - values[k]) - (mr - my);
      vd += e * e;
    }
    return vr == 0 ? Double.NaN : 1 - vd / vr;
  }

  /** Saves what training needs besides the agent: counters, Adam's moments, reward statistics. */
  public void writeTrainerState(DataOutputStream out) throws IOException {
    out.writeLong(globalStep);
    out.writeInt(update);
    out.writeInt(episodes);
    out.writeInt(recentReturns.size());
    for (double r : recentReturns) {
      out.writeDouble(r);
    }
    optimizer.write(out);
    out.writeBoolean(rewardRms != null);
    if (rewardRms != null) {
      rewardRms.write(out);
    }
  }

  public void readTrainerState(DataInputStream in) throws IOException {
    globalStep = in.readLong();
    update = in.readInt();
    episodes = in.readInt();
    int nr = in.readInt();
    recentReturns.clear();
    for (int i = 0; i < nr; i++) {
      recentReturns.addLast(in.readDouble());
    }
    optimizer.read(in);
    if (in.readBoolean() != (rewardRms != null)) {
      throw new IOException("checkpoint and config disagree on reward normalization");
    }
    if (rewardRms != null) {
      rewardRms.read(in);
    }
    started = false; // envs restart from a seeded reset
  }

  @Override
  public void close() {
    root.close();
    agent.close();
  }
}
