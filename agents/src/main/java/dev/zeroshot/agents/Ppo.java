package dev.zeroshot.agents;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.Adam;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnvApi;
import dev.zeroshot.env.curriculum.Curriculum;
import dev.zeroshot.env.curriculum.CurriculumLink;
import dev.zeroshot.env.curriculum.CurriculumSampler;
import dev.zeroshot.env.curriculum.Feedback;
import dev.zeroshot.env.curriculum.ScoreFunction;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Proximal Policy Optimization, following CleanRL's {@code ppo.py} step by step: collect
 * {@code numSteps} steps from each of {@code numEnvs} envs, compute GAE advantages, then run
 * {@code updateEpochs} epochs of minibatch updates of the clipped surrogate, the (clipped)
 * value loss and the entropy bonus, with Adam and global-norm gradient clipping.
 *
 * <p>{@link #iterate} is one iteration of {@code ppo.py}'s loop; the rollout storage is a
 * {@link PpoRollout}, each minibatch a {@link PpoMinibatch} (which computes the loss), and
 * Gymnasium's reward normalization a {@link RewardNormalizer}.
 *
 * <p>Works on any {@link VectorEnvApi} (in-process or remote) with next-step autoreset: the
 * step after an episode ends is a reset step whose action the env ignored, so it is left out
 * of the loss (see {@link Gae}).
 *
 * <p>Two options change what runs at the same time, never the math of an update: the
 * overlapped rollout ({@link PpoConfig#overlap}, exactly on-policy, see
 * {@link #collectRolloutOverlapped}) and the one-update policy lag ({@link PpoConfig#policyLag},
 * off-policy by one update, see {@link #iterateWithLag}).
 *
 * <p>Native memory: the network's weights live in its own manager; every rollout step and
 * every minibatch works in a sub-manager of {@link #root} that is closed at once, so nothing
 * accumulates (see the long-run test). The loss and its gradient are computed in Java
 * ({@link PpoLoss}); torch runs the network forward and backward from the output gradient.
 */
public final class Ppo implements PpoTrainer {

  /** Called after every update with its metrics. */
  public interface Listener {
    void onUpdate(Metrics m);
  }

  /** Told of every episode reported to the curriculum, with the step at which it ended. */
  public interface EpisodeListener {
    void onEpisode(long globalStep, int env, Curriculum.Pick level, Feedback feedback);
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
  /** Null unless the config normalizes rewards. */
  private final RewardNormalizer rewardNormalizer;
  private final StepBuffers buf;
  /** The batch being collected; under a policy lag also the one the learner works on, and whether {@code rollout} holds a finished batch. */
  private PpoRollout rollout;
  private PpoRollout learnerBatch;
  private boolean batchReady;
  private final PpoMinibatch minibatch;

  /** The prepared observation after the latest step, and whether that step ended each env's episode. */
  private final ByteBuffer nextObs;
  private final boolean[] lastEnded;
  /** The rollout's valid steps, shuffled every epoch (CleanRL's {@code b_inds}). */
  private final int[] batchIndex;
  /** One forward pass's output rows, and one step's raw actions (env i at {@code [i * actionWidth]}). */
  private final float[] forwardOut;
  private final float[] stepActions;

  /** The curriculum choosing the envs' levels, or null; the level each rollout step was played on, and per-env score sums. */
  private final CurriculumLink curriculum;
  private final Curriculum.Pick[] levelAt;
  private final double[] episodeReturnAt;
  private final int[] episodeLengthAt;
  private final ScoreFunction.Episode[] episodeScores;
  private final double successReturn;
  private EpisodeListener episodeListener;

  private final RecentReturns recentReturns;
  /** Where the wall time went, summed over this trainer's iterations. */
  private final PpoTiming timing = new PpoTiming();
  /** The envs in two halves when the config overlaps stepping and inference, else null. */
  private final HalvedVectorEnv halved;
  /**
   * The network that acts and its manager: {@link #net} and {@link #root}, or under a policy lag
   * a copy taken before each update, with its own manager (the learner thread uses root).
   */
  private final ActorCritic actor;
  private final NDManager actorRoot;
  /** Policy lag only, else null: the learner's thread; where the learner's time goes (else {@link #timing}). */
  private final ExecutorService learner;
  private final PpoTiming learnerTiming;
  /** Bench only: extra time per env per forward pass of the rollout (see {@link #simulateInferenceCost}). */
  private long simulatedNanosPerEnv;
  private long globalStep;
  private int update;
  /** False until the envs are reset: at the start, and after a resume (their state is not checkpointed). */
  private boolean started;
  private long startNanos;
  private long stepsAtStart;

  /**
   * A trainer for {@code env} with a fresh agent of {@code modelSpec} (built with
   * {@link Agent#modelFor}); the env is owned by the caller.
   */
  public Ppo(PpoConfig cfg, VectorEnvApi env, ModelSpec modelSpec, ai.djl.Device device) {
    this.cfg = cfg.validate();
    this.recentReturns = new RecentReturns(this.cfg.returnWindow);
    this.env = env;
    this.engine = Torch.init(cfg.torchThreads);
    if (env.numEnvs() != cfg.numEnvs) {
      throw new IllegalArgumentException("config has num-envs " + cfg.numEnvs + ", the env has " + env.numEnvs());
    }
    this.net = ActorCritic.create(modelSpec, device);
    this.agent = new Agent(net, cfg.normObs, env.singleActionSpace());
    this.optimizer = new Adam(net.params(), 0.9, 0.999, cfg.adamEps);
    this.root = NDManager.newBaseManager(device);
    this.rewardNormalizer = cfg.normReward ? new RewardNormalizer(cfg.numEnvs, cfg.gamma) : null;
    this.buf = StepBuffers.allocate(env);
    this.rollout = new PpoRollout(agent, cfg.numSteps, cfg.numEnvs);
    this.minibatch = new PpoMinibatch(agent, (cfg.batchSize() + cfg.numMinibatches - 1) / cfg.numMinibatches);
    this.nextObs = agent.newObservationBuffer(cfg.numEnvs);
    this.lastEnded = new boolean[cfg.numEnvs];
    this.batchIndex = new int[cfg.batchSize()];
    this.forwardOut = new float[cfg.numEnvs * net.outputs()];
    this.stepActions = new float[cfg.numEnvs * agent.actionWidth()];
    this.curriculum = CurriculumLink.of(env);
    if ((cfg.curriculum != null) != (curriculum != null)) {
      throw new IllegalArgumentException(cfg.curriculum != null ? "the config names the curriculum " + cfg.curriculum
          + " but the env's levels come from none" : "the env's levels come from a curriculum the config does not name");
    }
    int size = curriculum == null ? 0 : cfg.batchSize();
    this.levelAt = new Curriculum.Pick[size];
    this.episodeReturnAt = new double[size];
    this.episodeLengthAt = new int[size];
    this.episodeScores = new ScoreFunction.Episode[curriculum == null ? 0 : cfg.numEnvs];
    for (int i = 0; i < episodeScores.length; i++) {
      episodeScores[i] = new ScoreFunction.Episode();
    }
    this.successReturn = cfg.successReturn != null ? cfg.successReturn : Envs.successReturn(cfg.envId);
    if (curriculum != null && curriculum.scoreFunction() == ScoreFunction.LEARNABILITY && Double.isNaN(successReturn)) {
      throw new IllegalArgumentException(cfg.curriculum + " needs to know which episodes succeed, and " + cfg.envId
          + " has no solved return: give one (--success-return R)");
    }
    agent.timeWith(timing);
    if (cfg.overlap && !(env instanceof HalvedVectorEnv)) {
      throw new IllegalArgumentException("the overlapped rollout needs in-process envs split in two halves "
          + "(Envs.forTraining); it does not work with " + env.getClass().getSimpleName());
    }
    this.halved = cfg.overlap ? (HalvedVectorEnv) env : null;
    boolean lag = cfg.policyLag > 0;
    this.actor = lag ? ActorCritic.create(modelSpec, device) : net;
    this.actorRoot = lag ? NDManager.newBaseManager(device) : root;
    this.learnerBatch = lag ? new PpoRollout(agent, cfg.numSteps, cfg.numEnvs) : null;
    this.learnerTiming = lag ? new PpoTiming() : timing;
    this.learner = lag ? Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ppo-learner");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /** Tells {@code listener} of every episode reported to the curriculum. */
  public void onEpisode(EpisodeListener listener) {
    this.episodeListener = listener;
  }

  /** Where this trainer's wall time went so far (see {@code bench-ppo}). */
  public PpoTiming timing() {
    return timing;
  }

  /** Under a policy lag, where the learner thread's time went (its own wall time); else {@link #timing}. */
  public PpoTiming learnerTiming() {
    return learnerTiming;
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
    int n = net.liveTensors() + root.getManagedArrays().size();
    return actor == net ? n : n + actor.liveTensors() + actorRoot.getManagedArrays().size();
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
      for (ScoreFunction.Episode e : episodeScores) {
        e.clear(); // episodes in progress restart with the envs
      }
      started = true;
      startNanos = System.nanoTime();
      stepsAtStart = globalStep;
      batchReady = false; // a batch collected before a resume is gone with the envs' state
    }
    update++;
    SplittableRandom rng = updateRandom(update);
    Metrics m = new Metrics();
    m.update = update;
    // Annealing the rate if instructed to do so.
    double frac = cfg.annealLr ? 1.0 - (update - 1.0) / numUpdates() : 1.0;
    m.learningRate = frac * cfg.learningRate;

    if (cfg.policyLag > 0) {
      iterateWithLag(m);
    } else {
      iterateOnPolicy(rng, m);
    }
    m.globalStep = globalStep;
    m.seconds = (System.nanoTime() - startNanos) / 1e9;
    m.stepsPerSecond = (globalStep - stepsAtStart) / Math.max(1e-9, m.seconds);
    m.episodesFinished = recentReturns.episodes();
    m.recentReturn = recentReturns.mean();
    return m;
  }

  /** CleanRL's iteration: collect with the current weights, then learn; every phase on this thread. */
  private void iterateOnPolicy(SplittableRandom rng, Metrics m) {
    long t0 = System.nanoTime();
    long c0 = CPU.getCurrentThreadCpuTime();
    long steps0 = globalStep;
    collectRollout(rng);
    long t1 = System.nanoTime();
    long c1 = CPU.getCurrentThreadCpuTime();
    float[] lastValues = values(nextObs);
    long learn0 = System.nanoTime();
    long upload0 = timing.nanos(PpoTiming.Phase.UPLOAD);
    rollout.computeAdvantages(lastValues, cfg.gamma, cfg.gaeLambda);
    if (curriculum != null) {
      reportEpisodes(globalStep - cfg.batchSize());
    }
    optimize(rollout, rng, m);
    long t2 = System.nanoTime();
    timing.add(PpoTiming.Phase.LEARNING, (t2 - learn0) - (timing.nanos(PpoTiming.Phase.UPLOAD) - upload0));
    timing.addIteration(t2 - t0, globalStep - steps0);
    m.rolloutSeconds = (t1 - t0) / 1e9;
    m.learnSeconds = (t2 - t1) / 1e9;
    m.rolloutCpuSeconds = (c1 - c0) / 1e9;
    m.learnCpuSeconds = (CPU.getCurrentThreadCpuTime() - c1) / 1e9;
  }

  /**
   * One update under a policy lag of 1: the learner thread runs update N on batch N while this
   * thread collects batch N+1 with {@link #actor}, the weights from before update N; then the
   * actor takes the new weights. The first update (and the first after a resume) collects its
   * batch first, with the current weights. Batch u is always collected with the random stream
   * seeded by u, and update u shuffles with a stream split from it, so runs are deterministic.
   */
  private void iterateWithLag(Metrics m) {
    long t0 = System.nanoTime();
    long c0 = CPU.getCurrentThreadCpuTime();
    long steps0 = globalStep;
    if (!batchReady) {
      syncActor();
      collectBatch(update);
    }
    PpoRollout batch = rollout;
    rollout = learnerBatch;
    learnerBatch = batch;
    SplittableRandom learnRng = updateRandom(update).split();
    java.util.concurrent.Future<?> learning = learner.submit(() -> learn(batch, learnRng, m));
    batchReady = update < numUpdates();
    if (batchReady) {
      collectBatch(update + 1);
    }
    long t1 = System.nanoTime();
    long c1 = CPU.getCurrentThreadCpuTime();
    try {
      learning.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for update " + update, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    }
    long t2 = System.nanoTime();
    timing.add(PpoTiming.Phase.WAITING, t2 - t1);
    syncActor();
    timing.addIteration(System.nanoTime() - t0, globalStep - steps0);
    m.rolloutSeconds = (t1 - t0) / 1e9;
    m.rolloutCpuSeconds = (c1 - c0) / 1e9;
  }

  /** The random stream of update u: its rollout's actions, then (split off or continued) its shuffles. */
  private SplittableRandom updateRandom(int u) {
    return new SplittableRandom(cfg.seed * 0x9E3779B97F4A7C15L + u);
  }

  /** Policy lag: collects update u's batch into {@link #rollout} with the actor, with its advantages and curriculum reports. */
  private void collectBatch(int u) {
    collectRollout(updateRandom(u));
    float[] lastValues = values(nextObs);
    long learn0 = System.nanoTime();
    rollout.computeAdvantages(lastValues, cfg.gamma, cfg.gaeLambda);
    if (curriculum != null) {
      reportEpisodes(globalStep - cfg.batchSize());
    }
    timing.add(PpoTiming.Phase.LEARNING, System.nanoTime() - learn0);
  }

  /** Policy lag, on the learner thread: the epochs of minibatch updates on {@code batch}, timed in {@link #learnerTiming}. */
  private void learn(PpoRollout batch, SplittableRandom rng, Metrics m) {
    long t0 = System.nanoTime();
    long c0 = CPU.getCurrentThreadCpuTime();
    long upload0 = learnerTiming.nanos(PpoTiming.Phase.UPLOAD);
    optimize(batch, rng, m);
    long elapsed = System.nanoTime() - t0;
    learnerTiming.add(PpoTiming.Phase.LEARNING, elapsed - (learnerTiming.nanos(PpoTiming.Phase.UPLOAD) - upload0));
    learnerTiming.addIteration(elapsed, cfg.batchSize());
    m.learnSeconds = elapsed / 1e9;
    m.learnCpuSeconds = (CPU.getCurrentThreadCpuTime() - c0) / 1e9;
  }

  /** Policy lag: the actor takes the learner's current weights. */
  private void syncActor() {
    java.util.List<dev.zeroshot.agents.nn.Param> from = net.params().list();
    java.util.List<dev.zeroshot.agents.nn.Param> to = actor.params().list();
    for (int i = 0; i < from.size(); i++) {
      System.arraycopy(from.get(i).value, 0, to.get(i).value, 0, from.get(i).value.length);
    }
    actor.params().push();
  }

  /** {@code numSteps} steps of every env, the agent sampling its actions; fills the rollout. */
  private void collectRollout(SplittableRandom rng) {
    if (halved != null) {
      collectRolloutOverlapped(rng);
      return;
    }
    int numEnvs = cfg.numEnvs;
    int outputs = net.outputs();
    int width = agent.actionWidth();
    for (int t = 0; t < cfg.numSteps; t++) {
      globalStep += numEnvs;
      // Action logic, without gradients: in Java for the MLP, else a torch call in a sub-manager.
      agent.evaluate(actor, actorRoot, rollout.putObservations(t, nextObs), numEnvs, forwardOut);
      long ts = System.nanoTime();
      addSimulatedInferenceCost(numEnvs);
      for (int i = 0; i < numEnvs; i++) {
        int k = t * numEnvs + i;
        rollout.valid[k] = !lastEnded[i];
        rollout.values[k] = forwardOut[i * outputs + outputs - 1];
        rollout.logProbs[k] = (float) agent.act(forwardOut, i, rng, false, buf, stepActions);
        System.arraycopy(stepActions, i * width, rollout.actions, k * width, width);
      }
      for (int i = 0; curriculum != null && i < numEnvs; i++) { // the level each env plays this step
        levelAt[t * numEnvs + i] = curriculum.playing(i);
      }
      long te = System.nanoTime();
      timing.add(PpoTiming.Phase.INFERENCE, te - ts);
      env.step(buf);
      agent.prepare(buf, nextObs, 0, true);
      timing.add(PpoTiming.Phase.ENV_STEP, System.nanoTime() - te);
      recordStep(t, 0, numEnvs);
    }
  }

  /** Records what envs [from, to) did at step t (reward, ends, episode returns) from {@code buf}. */
  private void recordStep(int t, int from, int to) {
    for (int i = from; i < to; i++) {
      int k = t * cfg.numEnvs + i;
      if (curriculum != null && buf.episodeEnded(i)) {
        episodeReturnAt[k] = buf.episodeReturn(i);
        episodeLengthAt[k] = buf.episodeLength(i);
      }
      double r = buf.reward(i);
      rollout.terminated[k] = buf.terminated(i);
      rollout.ended[k] = buf.episodeEnded(i);
      if (rollout.valid[k] && rewardNormalizer != null) {
        r = rewardNormalizer.normalize(i, r, rollout.ended[k]);
      }
      rollout.rewards[k] = (float) r;
      lastEnded[i] = rollout.ended[k];
      if (lastEnded[i]) {
        recentReturns.add(buf.episodeReturn(i));
      }
    }
  }

  /**
   * Scores every episode that ended in this rollout from its GAE advantages and values (summed
   * over its steps, in this rollout and the ones before) and reports it to the curriculum, in
   * step order; then leaves the steps of levels the curriculum does not train on (robust PLR's
   * new levels) out of the loss. {@code stepBefore}: the global step before the rollout.
   */
  private void reportEpisodes(long stepBefore) {
    int numEnvs = cfg.numEnvs;
    ScoreFunction score = curriculum.scoreFunction();
    for (int t = 0; t < cfg.numSteps; t++) {
      for (int i = 0; i < numEnvs; i++) {
        int k = t * numEnvs + i;
        if (!rollout.valid[k]) {
          continue; // a reset step: its action was ignored
        }
        episodeScores[i].add(rollout.advantages[k], rollout.values[k]);
        if (rollout.ended[k]) {
          Curriculum.Pick level = levelAt[k];
          double ret = episodeReturnAt[k];
          double best = curriculum.bestReturn(level.levelId());
          best = Double.isNaN(best) ? ret : Math.max(best, ret);
          Feedback f = new Feedback(episodeScores[i].score(score, best), ret >= successReturn, ret, episodeLengthAt[k]);
          curriculum.report(level.levelId(), f);
          episodeScores[i].clear();
          if (episodeListener != null) {
            episodeListener.onEpisode(stepBefore + (long) (t + 1) * numEnvs, i, level, f);
          }
        }
        if (!levelAt[k].train()) {
          rollout.valid[k] = false;
        }
      }
    }
  }

  /**
   * {@link #collectRollout} with the envs in two halves A and B (PpoConfig.overlap): while half
   * A's step t runs on the step pool, this thread runs the policy on half B, and the other way
   * round. Still exactly on-policy: every action comes from the current weights and the
   * observation its env just returned; only the next update's weights wait for the rollout's
   * end, as before. The random draws, reward normalization and episode records happen in the
   * same order as in collectRollout (step by step, env 0 to N-1), so with a network whose rows
   * do not depend on the batch (the MLP acting in Java) the rollout is bit-identical; a torch
   * forward on half a batch may round differently. (With observation normalization, its
   * statistics are updated half a batch at a time: same data, other rounding.)
   */
  private void collectRolloutOverlapped(SplittableRandom rng) {
    int outputs = net.outputs();
    int width = agent.actionWidth();
    for (int t = 0; t < cfg.numSteps; t++) {
      globalStep += cfg.numEnvs;
      for (int h = 0; h < 2; h++) {
        int from = halved.first(h);
        int n = halved.size(h);
        StepBuffers view = halved.view(buf, h);
        if (t > 0) {
          finishHalfStep(t - 1, h, view);
        }
        agent.evaluate(actor, actorRoot, rollout.putObservations(t, nextObs, from, n), n, forwardOut);
        long ts = System.nanoTime();
        addSimulatedInferenceCost(n);
        for (int j = 0; j < n; j++) {
          int i = from + j;
          int k = t * cfg.numEnvs + i;
          rollout.valid[k] = !lastEnded[i];
          rollout.values[k] = forwardOut[j * outputs + outputs - 1];
          rollout.logProbs[k] = (float) agent.act(forwardOut, j, rng, false, view, stepActions);
          System.arraycopy(stepActions, j * width, rollout.actions, k * width, width);
        }
        timing.add(PpoTiming.Phase.INFERENCE, System.nanoTime() - ts);
        for (int i = from; curriculum != null && i < from + n; i++) { // the level each env plays this step
          levelAt[t * cfg.numEnvs + i] = curriculum.playing(i);
        }
        halved.stepInBackground(buf, h);
      }
    }
    for (int h = 0; h < 2; h++) {
      finishHalfStep(cfg.numSteps - 1, h, halved.view(buf, h));
    }
  }

  /** Waits for half h's step t, prepares its observations and records its results (as collectRollout does). */
  private void finishHalfStep(int t, int h, StepBuffers view) {
    long t0 = System.nanoTime();
    halved.await(h);
    long t1 = System.nanoTime();
    int from = halved.first(h);
    agent.prepare(view, nextObs, from * agent.observationBytes(), true);
    timing.add(PpoTiming.Phase.WAITING, t1 - t0);
    timing.add(PpoTiming.Phase.ENV_STEP, System.nanoTime() - t1);
    recordStep(t, from, from + halved.size(h)); // buf shares the view's memory
  }

  /**
   * Bench only: every forward pass of the rollout takes {@code nanosPerEnv} longer per env, the
   * thread parked meanwhile, as if a device computed it; a policy made as costly as the envs
   * shows what overlapping them gains. 0 (the default) adds nothing.
   */
  public void simulateInferenceCost(long nanosPerEnv) {
    if (nanosPerEnv < 0) {
      throw new IllegalArgumentException("simulated inference cost must be >= 0 ns per env, got " + nanosPerEnv);
    }
    this.simulatedNanosPerEnv = nanosPerEnv;
  }

  private void addSimulatedInferenceCost(int n) {
    if (simulatedNanosPerEnv == 0) {
      return;
    }
    long end = System.nanoTime() + n * simulatedNanosPerEnv;
    for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
      java.util.concurrent.locks.LockSupport.parkNanos(left);
    }
  }



  /** The value of each env's prepared observation in {@code obs}. */
  private float[] values(ByteBuffer obs) {
    int outputs = net.outputs();
    agent.evaluate(actor, actorRoot, obs, cfg.numEnvs, forwardOut);
    float[] v = new float[cfg.numEnvs];
    for (int i = 0; i < cfg.numEnvs; i++) {
      v[i] = forwardOut[i * outputs + outputs - 1];
    }
    return v;
  }

  /** Epochs of minibatch gradient steps on the valid steps of {@code rollout}, shuffled every epoch. */
  private void optimize(PpoRollout rollout, SplittableRandom rng, Metrics m) {
    int n = rollout.validSteps(batchIndex); // reset steps (whose action the env ignored) are left out
    PpoLoss.Coefs coefs = new PpoLoss.Coefs(cfg.clipCoef, cfg.clipVloss, cfg.entCoef, cfg.vfCoef);
    PpoLoss.Stats last = null;
    epochs:
    for (int epoch = 0; epoch < cfg.updateEpochs; epoch++) {
      shuffle(batchIndex, n, rng);
      for (int b = 0; b < cfg.numMinibatches; b++) {
        int from = (int) ((long) n * b / cfg.numMinibatches);
        int to = (int) ((long) n * (b + 1) / cfg.numMinibatches);
        if (to == from) {
          continue;
        }
        minibatch.gather(rollout, batchIndex, from, to - from);
        if (cfg.normAdv) {
          PpoLoss.normalizeAdvantages(minibatch.advantages, minibatch.size);
        }
        last = backward(minibatch, coefs);
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
    m.explainedVariance = rollout.explainedVariance(batchIndex, n);
  }

  /** Fisher-Yates shuffle of the first {@code n} entries of {@code index}. */
  static void shuffle(int[] index, int n, SplittableRandom rng) {
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int tmp = index[i];
      index[i] = index[j];
      index[j] = tmp;
    }
  }

  /** Forward with autograd, the loss and its gradient in Java, backward through the net. */
  private PpoLoss.Stats backward(PpoMinibatch mb, PpoLoss.Coefs coefs) {
    try (NDManager mgr = root.newSubManager(); GradientCollector collector = engine.newGradientCollector()) {
      long t0 = System.nanoTime();
      NDArray x = net.input(mgr, mb.observations, mb.size);
      learnerTiming.add(PpoTiming.Phase.UPLOAD, System.nanoTime() - t0);
      NDArray y = net.forward(x);
      PpoMinibatch.Loss loss = mb.loss(mgr, y, coefs);
      JniUtils.backward((PtNDArray) y, (PtNDArray) loss.gradient(), false, false);
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

  /** Saves what training needs besides the agent: counters, Adam's moments, reward statistics. */
  public void writeTrainerState(DataOutputStream out) throws IOException {
    out.writeLong(globalStep);
    out.writeInt(update);
    recentReturns.write(out);
    optimizer.write(out);
    out.writeBoolean(rewardNormalizer != null);
    if (rewardNormalizer != null) {
      rewardNormalizer.write(out);
    }
    if (cfg.curriculum != null) { // only then: checkpoints without a curriculum keep their layout
      // a curriculum on an env server keeps its state there: it cannot be saved here
      out.writeBoolean(curriculum instanceof CurriculumSampler);
      if (curriculum instanceof CurriculumSampler s) {
        s.curriculum().write(out);
      }
    }
  }

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
    if (cfg.curriculum != null && in.readBoolean()) {
      if (!(curriculum instanceof CurriculumSampler s)) {
        throw new IOException("the checkpoint holds an in-process curriculum's state; resume it in-process (without --server)");
      }
      s.curriculum().read(in);
    }
    started = false; // envs restart from a seeded reset
  }

  @Override
  public void close() {
    if (learner != null) {
      learner.shutdownNow();
      actor.close();
      actorRoot.close();
    }
    root.close();
    agent.close();
  }
}
