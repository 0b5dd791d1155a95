package dev.zeroshot.agents.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import java.nio.ByteBuffer;

/**
 * The GPT of the Decision Transformer (Chen et al. 2021) as gen_dgrl builds it
 * ({@code utils/gpt_arch.py}), also BCT's when {@link TransformerSpec#returns} is false. Each
 * step of a sequence becomes tokens: the return-to-go (linear, tanh; DT only), the state (the
 * {@link StateEncoder}, then linear and tanh) and the action (an embedding table, tanh). Every
 * token gets its step's timestep embedding and its position's embedding; the blocks run under
 * the causal mask; the action logits are read at each state token, which sees its own return
 * and state and everything earlier, never its own action.
 *
 * <p>Differences from gen_dgrl, on purpose: no dropout (runs are bit-identical under a seed);
 * each step embeds its own timestep (gen_dgrl adds the window's first timestep to every token);
 * padding (steps before the episode starts, at the left of the window) is masked out of the
 * attention instead of zeroed. Weights: linear and embedding N(0, 0.02), biases 0 (minGPT);
 * position and timestep tables 0; the state encoder and the return layer PyTorch's default.
 */
public final class DecisionTransformer implements AutoCloseable {

  private final ModelSpec encoderSpec;
  private final TransformerSpec spec;
  private final Params params;
  private final Device device;
  private final NDManager manager;
  private final StateEncoder encoder;
  private final Param stateW;
  private final Param stateB;
  private final Param returnW;
  private final Param returnB;
  private final Param actionTable;
  private final Param timestepTable;
  private final Param positions;
  private final TransformerBlock[] blocks;
  private final LayerNorm finalNorm;
  private final Param head;

  public DecisionTransformer(ModelSpec encoderSpec, TransformerSpec spec, Device device) {
    this.encoderSpec = encoderSpec;
    this.spec = spec;
    this.device = device;
    this.params = new Params(encoderSpec.seed());
    int w = spec.width();
    this.encoder = StateEncoder.create(encoderSpec, params);
    int f = encoder.features();
    this.stateW = params.uniform("state.w", 1 / Math.sqrt(f), w, f);
    this.stateB = params.uniform("state.b", 1 / Math.sqrt(f), w);
    this.returnW = spec.returns() ? params.uniform("return.w", 1, w, 1) : null;
    this.returnB = spec.returns() ? params.uniform("return.b", 1, w) : null;
    this.actionTable = params.normal("action.table", 0.02, encoderSpec.policyOutputs(), w);
    this.timestepTable = params.zeros("timestep.table", spec.maxTimestep() + 1, w);
    this.positions = params.zeros("position.table", spec.context() * spec.tokensPerStep(), w);
    this.blocks = new TransformerBlock[spec.layers()];
    for (int l = 0; l < blocks.length; l++) {
      blocks[l] = new TransformerBlock(params, "block" + l, w, spec.heads());
    }
    this.finalNorm = new LayerNorm(params, "ln_f", w);
    this.head = params.normal("head.w", 0.02, w, encoderSpec.policyOutputs()); // [in, out], used as x @ W
    this.manager = NDManager.newBaseManager(device);
    params.attach(manager, device);
  }

  public ModelSpec encoderSpec() {
    return encoderSpec;
  }

  public TransformerSpec spec() {
    return spec;
  }

  public Params params() {
    return params;
  }

  public Device device() {
    return device;
  }

  public int actions() {
    return encoderSpec.policyOutputs();
  }

  /** Bytes of one observation (uint8 for images and symbolic grids, float32 otherwise). */
  public int observationBytes() {
    return encoderSpec.observationSize() * (encoderSpec.imageInput() ? 1 : 4);
  }

  /** Whether the weight decay of gen_dgrl's AdamW applies: linear and conv weights, not biases, norms or tables. */
  public static boolean decays(Param p) {
    return p.name.endsWith(".w");
  }

  /**
   * Action logits [batch, context, actions] of {@code batch} sequences of {@code context} steps,
   * step s of sequence b at row b * context + s of each input: observations end to end,
   * returns-to-go (ignored by BCT), actions, timesteps (clamped to the largest embedded) and
   * whether the step is real or padding. Tensors are made in {@code m}, which the caller closes.
   */
  public NDArray forward(NDManager m, ByteBuffer observations, float[] returnsToGo, long[] actions, long[] timesteps,
      boolean[] real, int batch) {
    int k = spec.context();
    int rows = batch * k;
    int w = spec.width();
    int per = spec.tokensPerStep();
    long[] clamped = new long[rows];
    for (int i = 0; i < rows; i++) {
      clamped[i] = Math.min(timesteps[i], spec.maxTimestep());
    }
    NDArray obs = onDevice(m.create(observations.duplicate().order(observations.order()).position(0)
        .limit(rows * observationBytes()).slice().order(observations.order()), observationShape(rows),
        encoderSpec.imageInput() ? DataType.UINT8 : DataType.FLOAT32));
    NDArray state = Linear.linear(encoder.apply(obs), stateW.array(), stateB.array()).head().tanh().reshape(batch, k, w);
    NDArray action = embed(onDevice(m.create(actions, new Shape(batch, k))), actionTable).tanh();
    NDList tokens = new NDList();
    if (spec.returns()) {
      NDArray rtg = onDevice(m.create(java.util.Arrays.copyOf(returnsToGo, rows), new Shape(batch, k, 1)));
      tokens.add(Linear.linear(rtg, returnW.array(), returnB.array()).head().tanh());
    }
    tokens.add(state);
    tokens.add(action);
    NDArray time = embed(onDevice(m.create(clamped, new Shape(batch, k))), timestepTable).expandDims(2);
    NDArray x = NDArrays.stack(tokens, 2).add(time).reshape(batch, (long) k * per, w).add(positions.array());
    NDArray mask = onDevice(m.create(AttentionMask.of(real, batch, k, per), new Shape(batch, 1, k * per, k * per)));
    for (TransformerBlock b : blocks) {
      x = b.apply(x, mask);
    }
    NDArray states = x.reshape(batch, k, per, w).get(new NDIndex(":, :, {}", spec.stateToken()));
    return finalNorm.apply(states).matMul(head.array());
  }

  private NDArray embed(NDArray indices, Param table) {
    return Embedding.embedding(indices, table.array(), SparseFormat.DENSE).head();
  }

  private Shape observationShape(int rows) {
    int[] s = encoderSpec.observationShape();
    long[] shape = new long[s.length + 1];
    shape[0] = rows;
    for (int i = 0; i < s.length; i++) {
      shape[i + 1] = s[i];
    }
    return new Shape(shape);
  }

  private NDArray onDevice(NDArray x) {
    return device.isGpu() ? x.toDevice(device, false) : x;
  }

  @Override
  public void close() {
    manager.close();
  }
}
