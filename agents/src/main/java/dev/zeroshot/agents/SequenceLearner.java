package dev.zeroshot.agents;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.zeroshot.agents.nn.Adam;
import dev.zeroshot.agents.nn.DecisionTransformer;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.agents.nn.Param;
import dev.zeroshot.agents.nn.Tensors;
import dev.zeroshot.agents.nn.TransformerSpec;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.Space;
import dev.zeroshot.offline.Dataset;
import dev.zeroshot.offline.DatasetException;
import dev.zeroshot.offline.SequenceBatch;
import dev.zeroshot.offline.SequenceSampler;
import dev.zeroshot.offline.TransitionSampler;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What the Decision Transformer ({@link DtLearner}) and BCT ({@link BctLearner}) share: a
 * {@link DecisionTransformer} trained on windows of {@code contextLength} steps
 * ({@link SequenceSampler}) to predict each step's dataset action from its state token,
 * cross-entropy averaged over the real (not padding) steps; the loss and its gradient with
 * respect to the logits are computed in Java and torch runs the backward pass from there, as
 * for the other learners. Optimizer as gen_dgrl's {@code DTConfig}: AdamW with betas (0.9,
 * 0.95) and weight decay 0.1 on linear and conv weights, the gradient clipped to norm 1, the
 * learning rate warmed up over 512 x 20 tokens and then cosine-decayed to 10% at twice the
 * dataset's tokens (transitions x context x 3); like gen_dgrl, the first step runs at the
 * base rate and each step's rate counts the tokens of the steps before it.
 */
public abstract class SequenceLearner extends OfflineLearner {

  static final double BETA2 = 0.95;
  static final double MAX_GRAD_NORM = 1.0;
  static final double WEIGHT_DECAY = 0.1;
  static final long WARMUP_TOKENS = 512 * 20;

  private final DecisionTransformer gpt;
  private final Space actionSpace;
  private final SequenceBatch windows;
  private final NDManager root;
  private final Engine engine;
  private final float[] logits;
  private final float[] grad;
  private SequenceSampler sequences;
  private double finalTokens = 1;

  /** {@code returns}: whether return-to-go tokens condition the policy (DT) or not (BCT). */
  protected SequenceLearner(OfflineConfig cfg, ModelSpec spec, Space actionSpace, Device device, boolean returns) {
    this(cfg, new DecisionTransformer(spec, transformerSpec(cfg, returns), device), actionSpace);
  }

  private SequenceLearner(OfflineConfig cfg, DecisionTransformer gpt, Space actionSpace) {
    super(cfg, new Adam(gpt.params(), 0.9, BETA2, cfg.adamEps), gpt.actions());
    if (!(actionSpace instanceof Discrete d) || d.n() != gpt.actions()) {
      gpt.close();
      throw new IllegalArgumentException("the network has " + gpt.actions() + " actions; the env's are " + actionSpace);
    }
    this.gpt = gpt;
    this.actionSpace = actionSpace;
    this.engine = Torch.init(cfg.torchThreads);
    this.root = NDManager.newBaseManager(gpt.device());
    this.windows = new SequenceBatch(n, cfg.contextLength, gpt.observationBytes());
    this.logits = new float[n * cfg.contextLength * actions];
    this.grad = new float[logits.length];
  }

  /** Whether {@code algo} is a sequence model (DT or BCT). */
  static boolean isSequence(String algo) {
    return algo.equals("dt") || algo.equals("bct");
  }

  /** The transformer {@code cfg} describes, with or without return-to-go tokens. */
  static TransformerSpec transformerSpec(OfflineConfig cfg, boolean returns) {
    if (cfg.maxTimestep < 0) {
      throw new IllegalArgumentException("the largest timestep is set from the dataset (SequenceLearner.prepare) "
          + "before a sequence model is built");
    }
    return new TransformerSpec(cfg.transformerLayers, cfg.transformerHeads, cfg.embeddingWidth, cfg.contextLength,
        cfg.maxTimestep, returns);
  }

  /**
   * Readies {@code cfg} for a sequence model on {@code ds} ({@link #prepare}) and returns its state
   * encoder for an env with these spaces ({@link #encoderFor}).
   */
  public static ModelSpec setUp(OfflineConfig cfg, Dataset ds, Space observationSpace, Space actionSpace) {
    prepare(cfg, ds);
    return encoderFor(observationSpace, actionSpace, cfg);
  }

  /**
   * Records in {@code cfg} what a sequence model takes from its dataset: the largest timestep
   * (its longest episode's last step) and, for DT, the evaluation return-to-go
   * ({@code returnMultiplier} x its best episode return, gen_dgrl's {@code dt_eval_ret}).
   */
  static void prepare(OfflineConfig cfg, Dataset ds) {
    int longest = 1;
    double best = Double.NEGATIVE_INFINITY;
    for (Dataset.EpisodeInfo e : ds.episodes()) {
      longest = Math.max(longest, e.steps());
      best = Math.max(best, e.totalReturn());
    }
    cfg.maxTimestep = longest - 1;
    cfg.targetReturn = cfg.algo.equals("dt") && !ds.episodes().isEmpty() ? cfg.returnMultiplier * best : 0;
  }

  /**
   * The state encoder for {@code observationSpace}: {@code cfg.model}, else IMPALA for pixel
   * frames (uint8 [C, H, W] up to 255) and an MLP for vectors and symbolic grids (flattened).
   */
  static ModelSpec encoderFor(Space observationSpace, Space actionSpace, OfflineConfig cfg) {
    if (!(observationSpace instanceof Box box) || !(actionSpace instanceof Discrete d)) {
      throw new IllegalArgumentException("sequence models need Box observations and Discrete actions, got "
          + observationSpace + " and " + actionSpace);
    }
    boolean uint8 = box.dtype() == DType.UINT8;
    boolean pixels = uint8 && box.shape().length == 3 && Arrays.stream(box.high()).allMatch(h -> h == 255);
    String kind = cfg.model != null ? cfg.model : pixels ? "impala" : "mlp";
    int[] shape = ModelSpec.isImpala(kind) ? box.shape() : new int[] {Arrays.stream(box.shape()).reduce(1, (a, b) -> a * b)};
    return new ModelSpec(kind, shape, uint8, (int) d.n(), false, cfg.hiddenFor(kind), cfg.seed);
  }

  /** A policy acting with a fresh network of {@code cfg} and {@code spec} (weights to be read into it). */
  static SequencePolicy newPolicy(OfflineConfig cfg, ModelSpec spec, Space actionSpace, Device device) {
    DecisionTransformer net = new DecisionTransformer(spec, transformerSpec(cfg, cfg.algo.equals("dt")), device);
    try {
      return new SequencePolicy(net, cfg.targetReturn, actionSpace, true);
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
  }

  @Override
  protected void sample(TransitionSampler sampler, SplittableRandom rng) throws DatasetException {
    if (sequences == null || sequences.files() != sampler) {
      sequences = new SequenceSampler(sampler);
      finalTokens = 2.0 * sampler.dataset().totalSteps() * cfg.contextLength * 3;
    }
    sequences.sample(n, rng, windows);
  }

  @Override
  protected void learn(Stats s) {
    try (NDManager m = root.newSubManager(); GradientCollector collector = engine.newGradientCollector()) {
      NDArray y = gpt.forward(m, windows.observations, windows.returnsToGo, windows.actions, windows.timesteps,
          windows.real, n);
      Tensors.read(y, logits);
      Arrays.fill(grad, 0f);
      int[] correct = new int[1];
      s.loss = crossEntropy(logits, windows.actions, windows.real, actions, grad, correct);
      NDArray dy = m.create(grad, y.getShape());
      if (gpt.device().isGpu()) {
        dy = dy.toDevice(gpt.device(), false);
      }
      JniUtils.backward((PtNDArray) y, (PtNDArray) dy, false, false);
      s.accuracyOrTd = correct[0] / (double) realSteps(windows.real);
    }
    s.meanQOrLogp = -s.loss;
    gpt.params().pullGradients();
    s.gradNorm = optimizer.clipGradNorm(MAX_GRAD_NORM);
    double lr = learningRate(steps());
    for (Param p : gpt.params().list()) {
      if (DecisionTransformer.decays(p)) {
        float keep = (float) (1 - lr * WEIGHT_DECAY); // AdamW: decay first, then the Adam step
        for (int i = 0; i < p.value.length; i++) {
          p.value[i] *= keep;
        }
      }
    }
    optimizer.step(lr);
    gpt.params().push();
  }

  /** The learning rate of the step after {@code stepsDone} steps (gen_dgrl's warmup and cosine decay by tokens). */
  double learningRate(long stepsDone) {
    if (stepsDone == 0) {
      return cfg.learningRate;
    }
    double tokens = (double) stepsDone * n * cfg.contextLength;
    double mult;
    if (tokens < WARMUP_TOKENS) {
      mult = tokens / WARMUP_TOKENS;
    } else {
      double progress = (tokens - WARMUP_TOKENS) / Math.max(1, finalTokens - WARMUP_TOKENS);
      mult = Math.max(0.1, 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
    return cfg.learningRate * mult;
  }

  /**
   * Mean cross-entropy of {@code actions} under softmax of the logit rows (one per step, {@code a}
   * columns) over the real steps; writes its gradient into {@code grad} (0 on padding rows) and
   * the number of real steps whose action is the argmax into {@code correct[0]}.
   */
  static double crossEntropy(float[] logits, long[] actions, boolean[] real, int a, float[] grad, int[] correct) {
    int count = realSteps(real);
    double loss = 0;
    correct[0] = 0;
    for (int r = 0; r < real.length; r++) {
      if (!real[r]) {
        continue;
      }
      int row = r * a;
      double max = Double.NEGATIVE_INFINITY;
      int argmax = 0;
      for (int k = 0; k < a; k++) {
        if (logits[row + k] > max) {
          max = logits[row + k];
          argmax = k;
        }
      }
      double sum = 0;
      for (int k = 0; k < a; k++) {
        sum += Math.exp(logits[row + k] - max);
      }
      double logZ = max + Math.log(sum);
      int target = (int) actions[r];
      loss -= logits[row + target] - logZ;
      correct[0] += argmax == target ? 1 : 0;
      for (int k = 0; k < a; k++) {
        grad[row + k] = (float) ((Math.exp(logits[row + k] - logZ) - (k == target ? 1 : 0)) / count);
      }
    }
    return loss / count;
  }

  private static int realSteps(boolean[] real) {
    int c = 0;
    for (boolean b : real) {
      c += b ? 1 : 0;
    }
    return Math.max(c, 1);
  }

  /** Sequence models sample their actions when evaluated, as gen_dgrl's ({@code sample=True}). */
  @Override
  public boolean greedy() {
    return false;
  }

  @Override
  public EnvPolicy policy() {
    return new SequencePolicy(gpt, cfg.targetReturn, actionSpace, false);
  }

  @Override
  public ModelSpec modelSpec() {
    return gpt.encoderSpec();
  }

  @Override
  public int parameterCount() {
    return gpt.params().count();
  }

  DecisionTransformer network() {
    return gpt;
  }

  @Override
  public void writePolicy(DataOutputStream o) throws IOException {
    gpt.params().write(o);
  }

  @Override
  public void readPolicy(DataInputStream in) throws IOException {
    gpt.params().read(in);
  }

  @Override
  public void close() {
    root.close();
    gpt.close();
    super.close();
  }
}
