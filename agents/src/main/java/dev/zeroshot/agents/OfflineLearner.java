package dev.zeroshot.agents;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.Adam;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.agents.nn.Param;
import dev.zeroshot.agents.nn.Tensors;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.Space;
import dev.zeroshot.offline.DatasetException;
import dev.zeroshot.offline.TransitionBatch;
import dev.zeroshot.offline.TransitionSampler;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What every offline learner shares: the acting network (the PPO agents' MLP or IMPALA CNN)
 * and its Adam, random minibatches of a dataset, the step counter and the target-network
 * schedule, and the checkpoint layout. Each algorithm is a subclass that says how one
 * minibatch trains its networks ({@link #learn}): {@link BcLearner}, {@link CqlLearner},
 * {@link BcqLearner}, {@link IqlLearner}. The sequence models ({@link DtLearner},
 * {@link BctLearner}, over {@link SequenceLearner}) train a transformer on windows of steps and
 * act through a {@link SequencePolicy}: they bring their own network and optimizer, draw
 * windows instead of transitions ({@link #sample}) and leave {@code net} and {@code batch} null.
 *
 * <p>As in {@link Ppo}, a loss and its gradient with respect to a network's output rows
 * (policy columns, then the value column) are computed in Java, and torch runs the backward
 * pass from that gradient ({@link #train}).
 */
public abstract class OfflineLearner implements AutoCloseable {

  /** The algorithms, by the name {@link OfflineConfig#algo} gives them. */
  public static final List<String> ALGOS = List.of("bc", "cql", "bcq", "iql", "dt", "bct");

  /** One gradient step's numbers. */
  public static final class Stats {
    public double loss;
    /** BC: fraction of the batch whose dataset action is the argmax; CQL, BCQ, IQL: the Q-networks' TD loss. */
    public double accuracyOrTd;
    /** BC: mean log-probability of the dataset action; CQL, BCQ, IQL: mean Q(s, a) of the batch. */
    public double meanQOrLogp;
    public double gradNorm;
    /** Seconds spent drawing the minibatch from the dataset (the rest of the step is learning). */
    public double sampleSeconds;
  }

  /** A loss on a network's output rows for the batch. */
  @FunctionalInterface
  protected interface Loss {
    /** Computes the loss of {@code out} and writes dLoss/d{@code out} into {@code grad} (zeroed before). */
    void apply(float[] out, float[] grad);
  }

  protected final OfflineConfig cfg;
  /** The network whose policy columns act (BCQ: the Q-network, masked by the imitation network). */
  protected final ActorCritic net;
  protected final Adam optimizer;
  /** The minibatch of the current step. */
  protected final TransitionBatch batch;
  /** Rows of the batch, actions (policy columns), and columns per output row (actions, then the value). */
  protected final int n;
  protected final int actions;
  protected final int outputs;
  private final Agent agent;
  private final NDManager root;
  private final Engine engine;
  private final float[] grad;
  private final ByteBuffer gradOut;
  private long step;

  /** The learner {@code cfg.algo} names, with fresh networks of {@code spec}. */
  public static OfflineLearner create(OfflineConfig cfg, ModelSpec spec, Space actionSpace, Device device) {
    cfg.validate();
    Torch.init(cfg.torchThreads); // before any network is built
    if (!(actionSpace instanceof Discrete)) {
      throw new IllegalArgumentException("offline learners need Discrete actions, got " + actionSpace);
    }
    return switch (cfg.algo) {
      case "bc" -> new BcLearner(cfg, spec, actionSpace, device);
      case "cql" -> new CqlLearner(cfg, spec, actionSpace, device);
      case "bcq" -> new BcqLearner(cfg, spec, actionSpace, device);
      case "iql" -> new IqlLearner(cfg, spec, actionSpace, device);
      case "dt" -> new DtLearner(cfg, spec, actionSpace, device);
      case "bct" -> new BctLearner(cfg, spec, actionSpace, device);
      default -> throw new IllegalStateException("no learner for algo '" + cfg.algo + "'"); // validate() checked ALGOS
    };
  }

  /** A learner whose {@code net} is trained and acts. */
  protected OfflineLearner(OfflineConfig cfg, ActorCritic net, Space actionSpace) {
    this(cfg, net, net, actionSpace);
  }

  /** A learner whose {@code net} is trained and {@code acting} (a network built on it) acts. */
  protected OfflineLearner(OfflineConfig cfg, ActorCritic net, ActorCritic acting, Space actionSpace) {
    this.cfg = cfg;
    this.engine = Torch.init(cfg.torchThreads);
    this.net = net;
    this.agent = new Agent(acting, false, actionSpace);
    this.optimizer = newAdam(net);
    this.root = NDManager.newBaseManager(net.device());
    ModelSpec spec = net.spec();
    this.n = cfg.batchSize;
    this.actions = spec.policyOutputs();
    this.outputs = net.outputs();
    this.batch = new TransitionBatch(n, spec.observationSize() * (spec.imageInput() ? 1 : 4));
    this.grad = new float[n * outputs];
    this.gradOut = ByteBuffer.allocateDirect(4 * n * outputs).order(ByteOrder.nativeOrder());
  }

  /** A sequence learner: it trains its own network with {@code optimizer} and acts through {@link #policy}. */
  protected OfflineLearner(OfflineConfig cfg, Adam optimizer, int actions) {
    this.cfg = cfg;
    this.engine = Torch.init(cfg.torchThreads);
    this.net = null;
    this.agent = null;
    this.optimizer = optimizer;
    this.root = null;
    this.n = cfg.batchSize;
    this.actions = actions;
    this.outputs = actions;
    this.batch = null;
    this.grad = null;
    this.gradOut = null;
  }

  /** Trains on the current {@link #batch}: one step of each of the learner's networks, its numbers into {@code s}. */
  protected abstract void learn(Stats s);

  /** Whether the policy acts greedily when evaluated (CQL, BCQ: argmax Q; IQL: the actor's mode; BC samples, as gen_dgrl). */
  public boolean greedy() {
    return true;
  }

  /** Hard-copies the online networks into their targets (every {@code targetUpdateEvery} steps); none by default. */
  protected void syncTargets() {}

  /**
   * Writes what this algorithm trains besides the acting network's weights and Adam (which
   * {@link #writeTrainerState} writes first); the layout is that of checkpoints already written.
   * By default: only the target-network section, empty (BC).
   */
  protected void writeOwnState(DataOutputStream o) throws IOException {
    writeTarget(o, null);
  }

  /** Reads what {@link #writeOwnState} wrote. */
  protected void readOwnState(DataInputStream in) throws IOException {
    readTarget(in, null);
  }

  /** Trainable parameters of every network that acts. */
  public int parameterCount() {
    return net.params().count();
  }

  /** The acting agent; null for the sequence models, which act through {@link #policy}. */
  public Agent agent() {
    return agent;
  }

  /** The trained policy as it acts in an env (a new wrapper; closing it leaves the learner's network open). */
  public EnvPolicy policy() {
    return new AgentPolicy(agent, false);
  }

  /** The network description the checkpoint header records (sequence models: their state encoder's). */
  public ModelSpec modelSpec() {
    return agent.net().spec();
  }

  public OfflineConfig config() {
    return cfg;
  }

  public long steps() {
    return step;
  }

  /** One gradient step on a fresh minibatch from {@code sampler}. */
  public final Stats step(TransitionSampler sampler, SplittableRandom rng) throws DatasetException {
    long t0 = System.nanoTime();
    sample(sampler, rng);
    Stats s = new Stats();
    s.sampleSeconds = (System.nanoTime() - t0) / 1e9;
    learn(s);
    step++;
    if (step % cfg.targetUpdateEvery == 0) {
      syncTargets();
    }
    return s;
  }

  /** Draws the step's minibatch: {@code n} transitions into {@link #batch}. */
  protected void sample(TransitionSampler sampler, SplittableRandom rng) throws DatasetException {
    sampler.sample(n, rng, batch);
  }

  /** An output row per batch row, for {@link #forward} and {@link #train}. */
  protected final float[] newRows() {
    return new float[n * outputs];
  }

  protected final Adam newAdam(ActorCritic network) {
    return new Adam(network.params(), 0.9, 0.999, cfg.adamEps);
  }

  /** {@code network}'s output rows for {@code observations} (the batch's s or s') into {@code out}, for reading only. */
  protected final void forward(ActorCritic network, ByteBuffer observations, float[] out) {
    try (NDManager m = root.newSubManager()) {
      Tensors.read(network.forward(network.input(m, observations, n)), out);
    }
  }

  /**
   * One optimizer step of {@code network} on {@code loss} of its output rows for the batch's
   * observations (left in {@code out}): forward with autograd, the loss gradient in Java,
   * backward through the network, then Adam on the clipped gradient. Returns the gradient's
   * norm before clipping.
   */
  protected final double train(ActorCritic network, Adam adam, float[] out, Loss loss) {
    try (NDManager mgr = root.newSubManager(); GradientCollector collector = engine.newGradientCollector()) {
      NDArray y = network.forward(network.input(mgr, batch.observations, n));
      Tensors.read(y, out);
      Arrays.fill(grad, 0f);
      loss.apply(out, grad);
      gradOut.clear();
      gradOut.asFloatBuffer().put(grad);
      NDArray dy = mgr.create(gradOut.duplicate().position(0).limit(4 * n * outputs).slice().order(gradOut.order()),
          new Shape(n, outputs), DataType.FLOAT32);
      if (network.device().isGpu()) {
        dy = dy.toDevice(network.device(), false);
      }
      JniUtils.backward((PtNDArray) y, (PtNDArray) dy, false, false);
    }
    network.params().pullGradients();
    double norm = adam.clipGradNorm(cfg.maxGradNorm);
    adam.step(cfg.learningRate);
    network.params().push();
    return norm;
  }

  /**
   * Cross-entropy of the batch's actions under softmax of {@code out}'s policy columns, row r
   * weighted by {@code weights[r]} (null: every weight 1, plain BC); writes the gradient of its
   * mean into {@code grad} and returns the weighted sum.
   */
  protected final double crossEntropy(float[] out, float[] grad, double[] weights) {
    double loss = 0;
    for (int r = 0; r < n; r++) {
      int row = r * outputs;
      int a = (int) batch.actions[r];
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < actions; k++) {
        if (out[row + k] > max) {
          max = out[row + k];
        }
      }
      double sum = 0;
      for (int k = 0; k < actions; k++) {
        sum += Math.exp(out[row + k] - max);
      }
      double logZ = max + Math.log(sum);
      double w = weights == null ? 1 : weights[r];
      loss -= w * (out[row + a] - logZ);
      for (int k = 0; k < actions; k++) {
        double p = Math.exp(out[row + k] - logZ);
        grad[row + k] = (float) (w * (p - (k == a ? 1 : 0)) / n);
      }
    }
    return loss;
  }

  /** Rows of the batch whose dataset action is the argmax of {@code out}'s policy columns (the first, on ties). */
  protected final int argmaxMatches(float[] out) {
    int matches = 0;
    for (int r = 0; r < n; r++) {
      int row = r * outputs;
      double max = Double.NEGATIVE_INFINITY;
      int argmax = 0;
      for (int k = 0; k < actions; k++) {
        if (out[row + k] > max) {
          max = out[row + k];
          argmax = k;
        }
      }
      matches += argmax == (int) batch.actions[r] ? 1 : 0;
    }
    return matches;
  }

  /** Copies {@code from}'s weights into {@code to} (same spec). */
  protected static void copyWeights(ActorCritic from, ActorCritic to) {
    for (int k = 0; k < from.params().list().size(); k++) {
      Param src = from.params().list().get(k);
      System.arraycopy(src.value, 0, to.params().list().get(k).value, 0, src.value.length);
    }
    to.params().push();
  }

  /** A network of {@code spec}'s shape with the initial weights of seed {@code spec.seed() + offset}. */
  static ModelSpec reseeded(ModelSpec spec, long offset) {
    return new ModelSpec(spec.kind(), spec.observationShape(), spec.imageInput(), spec.policyOutputs(),
        spec.gaussian(), spec.hidden(), spec.seed() + offset);
  }

  /** The acting weights (BCQ: the Q and imitation networks'). */
  public void writePolicy(DataOutputStream o) throws IOException {
    agent.write(o);
  }

  /** Reads what {@link #writePolicy} wrote. */
  public void readPolicy(DataInputStream in) throws IOException {
    agent.read(in);
  }

  /** The step, the acting network's Adam, then what the algorithm trains besides (the acting weights are written apart). */
  public final void writeTrainerState(DataOutputStream o) throws IOException {
    o.writeLong(step);
    optimizer.write(o);
    writeOwnState(o);
  }

  public final void readTrainerState(DataInputStream in) throws IOException {
    step = in.readLong();
    optimizer.read(in);
    readOwnState(in);
  }

  /** The target-network section of the checkpoint: whether there is one (CQL, BCQ), then its weights. */
  protected static void writeTarget(DataOutputStream o, ActorCritic target) throws IOException {
    o.writeBoolean(target != null);
    if (target != null) {
      target.params().write(o);
    }
  }

  protected static void readTarget(DataInputStream in, ActorCritic target) throws IOException {
    if (in.readBoolean() != (target != null)) {
      throw new IOException("checkpoint and config disagree on the target network");
    }
    if (target != null) {
      target.params().read(in);
    }
  }

  /** Frees the acting network and the scratch tensors; a subclass closes its other networks first. */
  @Override
  public void close() {
    if (agent != null) {
      root.close();
      agent.close();
    }
  }
}
