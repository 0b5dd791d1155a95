package dev.zeroshot.agents.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A recurrent policy and value network, after CleanRL's {@code ppo_atari_lstm.py} with a GRU
 * core: the observation (flattened; uint8 ones scaled by 1/255) through tanh layers of
 * {@code hidden[0..L-2]} (none when {@code hidden} has one width), then a GRU cell of
 * {@code hidden[L-1]} units whose state carries over steps, then a policy head and a value head
 * on the GRU's output, shared like CleanRL's. Orthogonal init: gain sqrt(2) for the encoder, 1
 * for the GRU's weights (zero biases, as CleanRL initializes its LSTM), 0.01 for the policy
 * head, 1 for the value head.
 *
 * <p>The GRU cell is PyTorch's ({@code torch.nn.GRUCell}, gates in the order r, z, n):
 * <pre>
 *   r  = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
 *   z  = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
 *   n  = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 *   h' = (1 - z) * n + z * h
 * </pre>
 *
 * <p>Two paths compute the same function: acting ({@link #step}) one step of each env in plain
 * Java on the master weights; training ({@link #forwardSequence}) whole sequences in torch, with
 * autograd through time. The state is the caller's: this network holds none.
 */
public final class GruActorCritic extends ActorCritic {

  private final int encoderLayers;
  private final int[] widthIn;
  private final int[] widthOut;
  private final int stateSize;

  GruActorCritic(ModelSpec spec, Device device) {
    super(spec, device);
    int[] h = spec.hidden();
    encoderLayers = h.length - 1;
    stateSize = h[h.length - 1];
    widthIn = new int[encoderLayers];
    widthOut = new int[encoderLayers];
    int in = spec.observationSize();
    for (int l = 0; l < encoderLayers; l++) {
      widthIn[l] = in;
      widthOut[l] = h[l];
      addLinear("enc" + l, in, h[l], Math.sqrt(2));
      in = h[l];
    }
    addLinear("gru.ih", in, 3 * stateSize, 1.0);
    addLinear("gru.hh", stateSize, 3 * stateSize, 1.0);
    addLinear("actor", stateSize, spec.policyOutputs(), 0.01);
    addLinear("critic", stateSize, 1, 1.0);
    if (spec.gaussian()) {
      params.zeros("java:logstd", spec.policyOutputs());
    }
  }

  /** A [out, in] weight (torch's layout), orthogonal with {@code gain}, and a zero bias. */
  private void addLinear(String name, int in, int out, double gain) {
    float[] w = params.orthogonalValues(in, out, gain); // [in, out]
    float[] t = new float[w.length];
    for (int r = 0; r < in; r++) {
      for (int c = 0; c < out; c++) {
        t[c * in + r] = w[r * out + c];
      }
    }
    params.add(name + ".w", new int[] {out, in}, t);
    params.zeros(name + ".b", out);
  }

  /** Floats of one env's state. */
  public int stateSize() {
    return stateSize;
  }

  /** A recurrent network has no stateless forward pass: its callers hold the state ({@link #step}). */
  @Override
  public NDArray forward(NDArray observations) {
    throw new UnsupportedOperationException("the GRU policy needs each env's state: it acts through "
        + "GruActorCritic.step (RecurrentPpo, Evaluator), not through a stateless forward pass");
  }

  /**
   * One step of {@code n} envs in Java: reads each env's prepared observation from
   * {@code prepared} (end to end, position 0) and its state from {@code state[i * stateSize()]},
   * writes the new state there and [n, policyOutputs + 1] (policy outputs, then the value) into
   * {@code out}. A caller that starts an episode zeroes the env's state first.
   */
  public void step(ByteBuffer prepared, int n, float[] state, float[] out) {
    int obsSize = spec.observationSize();
    int width = spec.policyOutputs() + 1;
    float[] x = new float[obsSize];
    float[] gi = new float[3 * stateSize];
    float[] gh = new float[3 * stateSize];
    float[] h = new float[stateSize];
    float[] head = new float[width];
    ByteBuffer bytes = prepared.duplicate().order(ByteOrder.nativeOrder());
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < obsSize; j++) {
        x[j] = spec.imageInput() ? (bytes.get(i * obsSize + j) & 0xFF) / 255f : bytes.getFloat(4 * (i * obsSize + j));
      }
      for (int l = 0; l < encoderLayers; l++) {
        float[] y = new float[widthOut[l]];
        linear("enc" + l, x, widthIn[l], widthOut[l], y);
        for (int o = 0; o < y.length; o++) {
          y[o] = MlpActorCritic.tanh(y[o]);
        }
        x = y;
      }
      System.arraycopy(state, i * stateSize, h, 0, stateSize);
      linear("gru.ih", x, x.length, 3 * stateSize, gi);
      linear("gru.hh", h, stateSize, 3 * stateSize, gh);
      for (int u = 0; u < stateSize; u++) {
        float r = sigmoid(gi[u] + gh[u]);
        float z = sigmoid(gi[stateSize + u] + gh[stateSize + u]);
        float c = MlpActorCritic.tanh(gi[2 * stateSize + u] + r * gh[2 * stateSize + u]);
        state[i * stateSize + u] = c + z * (h[u] - c); // (1 - z) * n + z * h
      }
      System.arraycopy(state, i * stateSize, h, 0, stateSize);
      linear("actor", h, stateSize, width - 1, head);
      System.arraycopy(head, 0, out, i * width, width - 1);
      linear("critic", h, stateSize, 1, head);
      out[i * width + width - 1] = head[0];
    }
  }

  /** y = W x + b for the [out, in] weight {@code name}. */
  private void linear(String name, float[] x, int in, int out, float[] y) {
    float[] w = params.get(name + ".w").value;
    float[] b = params.get(name + ".b").value;
    for (int o = 0; o < out; o++) {
      float s = b[o];
      int row = o * in;
      for (int i = 0; i < in; i++) {
        s += w[row + i] * x[i];
      }
      y[o] = s;
    }
  }

  private static float sigmoid(float x) {
    return (float) (1 / (1 + Math.exp(-x)));
  }

  /**
   * The outputs for {@code steps} steps of {@code batch} sequences, with autograd through time
   * (CleanRL's {@code get_states}): {@code observations} time-major ([steps * batch, ...], row
   * t * batch + j is step t of sequence j), {@code initialState} [batch, stateSize] and
   * {@code keep} [steps, batch, 1], 0 where a step starts an episode (the state is zeroed before
   * it) and 1 elsewhere. Returns [steps * batch, policyOutputs + 1], in the observations' order.
   */
  public NDArray forwardSequence(NDArray observations, NDArray initialState, NDArray keep, int steps, int batch) {
    NDArray x = observations.reshape(steps * (long) batch, spec.observationSize());
    x = spec.imageInput() ? x.toType(DataType.FLOAT32, false).div(255f) : x;
    for (int l = 0; l < encoderLayers; l++) {
      x = Linear.linear(x, weight("enc" + l), bias("enc" + l)).head().tanh();
    }
    NDArray gi = Linear.linear(x, weight("gru.ih"), bias("gru.ih")).head().reshape(steps, batch, 3L * stateSize);
    NDArray h = initialState;
    NDList outputs = new NDList(steps);
    for (int t = 0; t < steps; t++) {
      h = h.mul(keep.get(t));
      NDList a = gi.get(t).split(3, 1);
      NDList b = Linear.linear(h, weight("gru.hh"), bias("gru.hh")).head().split(3, 1);
      NDArray r = Activation.sigmoid(a.get(0).add(b.get(0)));
      NDArray z = Activation.sigmoid(a.get(1).add(b.get(1)));
      NDArray c = a.get(2).add(r.mul(b.get(2))).tanh();
      h = c.add(z.mul(h.sub(c)));
      outputs.add(h);
    }
    NDArray all = NDArrays.stack(outputs, 0).reshape(steps * (long) batch, stateSize);
    NDArray actor = Linear.linear(all, weight("actor"), bias("actor")).head();
    NDArray critic = Linear.linear(all, weight("critic"), bias("critic")).head();
    return NDArrays.concat(new NDList(actor, critic), 1);
  }

  /** The first values of {@code values} as a float tensor of {@code shape} in {@code mgr}, on this network's device. */
  public NDArray tensor(NDManager mgr, float[] values, Shape shape) {
    NDArray a = mgr.create(java.util.Arrays.copyOf(values, (int) shape.size()), shape);
    return device.isGpu() ? a.toDevice(device, false) : a;
  }

  private NDArray weight(String name) {
    return params.get(name + ".w").array();
  }

  private NDArray bias(String name) {
    return params.get(name + ".b").array();
  }
}
