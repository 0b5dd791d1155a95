package dev.zeroshot.agents.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;

/**
 * A policy and value network: {@link #forward} maps a batch of observations to one row per
 * observation holding the policy outputs (logits or Gaussian means) followed by the value.
 * Parameters live in a manager owned by the network; every intermediate result of a forward
 * pass lands in the manager of its input (DJL attaches a result to its first operand's
 * manager, so the input always comes first), which the caller closes.
 */
public abstract class ActorCritic implements AutoCloseable {

  protected final ModelSpec spec;
  protected final Params params;
  protected final Device device;
  private final NDManager manager;

  protected ActorCritic(ModelSpec spec, Device device) {
    this.spec = spec;
    this.device = device;
    this.params = new Params(spec.seed());
    this.manager = NDManager.newBaseManager(device);
  }

  /** Builds the network {@code spec} describes on {@code device}. */
  public static ActorCritic create(ModelSpec spec, Device device) {
    ActorCritic net;
    if (spec.kind().equals("mlp")) {
      net = new MlpActorCritic(spec, device);
    } else if (ModelSpec.isImpala(spec.kind())) {
      net = new ImpalaActorCritic(spec, device);
    } else if (spec.recurrent()) {
      net = new GruActorCritic(spec, device);
    } else {
      throw new IllegalArgumentException("unknown model kind " + spec.kind());
    }
    net.params.attach(net.manager, device);
    return net;
  }

  public ModelSpec spec() {
    return spec;
  }

  public Params params() {
    return params;
  }

  public Device device() {
    return device;
  }

  /** Policy outputs plus one value per row. */
  public int outputs() {
    return spec.policyOutputs() + 1;
  }

  /** The Gaussian policy's log standard deviations (Java-only), or null for a categorical policy. */
  public float[] logStd() {
    return spec.gaussian() ? params.get("java:logstd").value : null;
  }

  /**
   * Wraps {@code batch} observations stored end to end in {@code data} (float32, or uint8 for
   * images; position 0 to batch * observation bytes) as a tensor of {@code mgr} on this
   * network's device.
   */
  public NDArray input(NDManager mgr, ByteBuffer data, int batch) {
    long[] shape = new long[spec.observationShape().length + 1];
    shape[0] = batch;
    for (int i = 0; i < spec.observationShape().length; i++) {
      shape[i + 1] = spec.observationShape()[i];
    }
    DataType type = spec.imageInput() ? DataType.UINT8 : DataType.FLOAT32;
    ByteBuffer slice = data.duplicate().order(data.order()).position(0)
        .limit(batch * spec.observationSize() * (spec.imageInput() ? 1 : 4));
    NDArray x = mgr.create(slice.slice().order(data.order()), new Shape(shape), type);
    if (device.isGpu()) {
      x = x.toDevice(device, false);
    }
    return x;
  }

  /** [batch, policyOutputs + 1]: policy outputs, then the value (the path gradients flow through). */
  public abstract NDArray forward(NDArray observations);

  /** The same function for inference, without gradients (a network may use a faster form). */
  public NDArray forwardNoGrad(NDArray observations) {
    return forward(observations);
  }

  /** Whether {@link #forwardJava} is available (small networks act faster without torch). */
  public boolean actsInJava() {
    return false;
  }

  /**
   * The same function as {@link #forward}, computed in Java: {@code n} float observations
   * end to end in {@code obs}, [n, policyOutputs + 1] into {@code out}.
   */
  public void forwardJava(float[] obs, int n, float[] out) {
    throw new UnsupportedOperationException(spec.kind() + " acts through torch");
  }

  /** Tensors alive in the network's own manager (constant once built: the leak check). */
  public int liveTensors() {
    return manager.getManagedArrays().size();
  }

  @Override
  public void close() {
    manager.close();
  }
}
