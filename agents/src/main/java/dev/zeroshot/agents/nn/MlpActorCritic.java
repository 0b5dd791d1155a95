package dev.zeroshot.agents.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * CleanRL's {@code Agent} for vector observations: separate actor and critic MLPs with tanh
 * activations, orthogonal init with gain sqrt(2), 0.01 for the policy output and 1 for the
 * value output, zero biases; a Gaussian policy adds state-free log stds, initialized at 0.
 * Weights are stored [out, in] for torch's {@code linear}.
 *
 * <p>Two forward paths compute the same function. Training ({@link #forward}) runs the two
 * MLPs separately, so no flop is wasted on a large minibatch. Acting ({@link #forwardNoGrad},
 * a few observations per call, where the cost is the number of tensor ops, not flops) runs
 * one fused network: layer 0 stacks the actor's and the critic's weights, later layers are
 * block-diagonal, so the actor's units never feed the critic's or the other way round; the
 * fused weights are rebuilt from the trained ones whenever they change (once per update).
 */
final class MlpActorCritic extends ActorCritic {

  private final int layers;
  private final int[] actorOut;
  private final int[] criticOut;
  private final int[] actorIn;
  private final int[] criticIn;
  // The fused copy for acting: per layer [outA + outC, inTotal] and [outA + outC].
  private NDArray[] fusedW;
  private NDArray[] fusedB;
  private ByteBuffer[] fusedWStage;
  private ByteBuffer[] fusedBStage;
  private long fusedVersion = -1;

  MlpActorCritic(ModelSpec spec, Device device) {
    super(spec, device);
    int[] h = spec.hidden();
    layers = h.length + 1;
    actorOut = new int[layers];
    criticOut = new int[layers];
    actorIn = new int[layers];
    criticIn = new int[layers];
    for (String net : new String[] {"actor", "critic"}) {
      int in = spec.observationSize();
      for (int l = 0; l < layers; l++) {
        boolean last = l == layers - 1;
        boolean actor = net.equals("actor");
        int out = last ? (actor ? spec.policyOutputs() : 1) : h[l];
        double gain = !last ? Math.sqrt(2) : actor ? 0.01 : 1.0;
        float[] w = params.orthogonalValues(in, out, gain); // [in, out]
        params.add(net + l + ".w", new int[] {out, in}, transpose(w, in, out));
        params.zeros(net + l + ".b", out);
        (actor ? actorIn : criticIn)[l] = in;
        (actor ? actorOut : criticOut)[l] = out;
        in = out;
      }
    }
    if (spec.gaussian()) {
      params.zeros("java:logstd", spec.policyOutputs());
    }
  }

  private static float[] transpose(float[] w, int rows, int cols) {
    float[] t = new float[w.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = w[r * cols + c];
      }
    }
    return t;
  }

  @Override
  public NDArray forward(NDArray x) {
    NDArray actor = mlp("actor", x);
    NDArray critic = mlp("critic", x);
    return NDArrays.concat(new NDList(actor, critic), 1);
  }

  private NDArray mlp(String net, NDArray x) {
    NDArray h = x;
    for (int l = 0; l < layers; l++) {
      h = Linear.linear(h, params.get(net + l + ".w").array(), params.get(net + l + ".b").array()).head();
      if (l < layers - 1) {
        h = h.tanh();
      }
    }
    return h;
  }

  @Override
  public NDArray forwardNoGrad(NDArray x) {
    if (fusedVersion != params.version()) {
      rebuildFused();
    }
    NDArray h = x;
    for (int l = 0; l < layers; l++) {
      h = Linear.linear(h, fusedW[l], fusedB[l]).head();
      if (l < layers - 1) {
        h = h.tanh();
      }
    }
    return h;
  }

  private void rebuildFused() {
    if (fusedW == null) {
      fusedW = new NDArray[layers];
      fusedB = new NDArray[layers];
      fusedWStage = new ByteBuffer[layers];
      fusedBStage = new ByteBuffer[layers];
    }
    for (int l = 0; l < layers; l++) {
      int outA = actorOut[l];
      int outC = criticOut[l];
      int inTotal = l == 0 ? actorIn[0] : actorIn[l] + criticIn[l];
      int criticColumn = l == 0 ? 0 : actorIn[l];
      float[] w = new float[(outA + outC) * inTotal];
      float[] wa = params.get("actor" + l + ".w").value;
      float[] wc = params.get("critic" + l + ".w").value;
      for (int o = 0; o < outA; o++) {
        System.arraycopy(wa, o * actorIn[l], w, o * inTotal, actorIn[l]);
      }
      for (int o = 0; o < outC; o++) {
        System.arraycopy(wc, o * criticIn[l], w, (outA + o) * inTotal + criticColumn, criticIn[l]);
      }
      float[] b = new float[outA + outC];
      System.arraycopy(params.get("actor" + l + ".b").value, 0, b, 0, outA);
      System.arraycopy(params.get("critic" + l + ".b").value, 0, b, outA, outC);
      if (fusedW[l] == null) {
        fusedWStage[l] = ByteBuffer.allocateDirect(4 * w.length).order(ByteOrder.nativeOrder());
        fusedBStage[l] = ByteBuffer.allocateDirect(4 * b.length).order(ByteOrder.nativeOrder());
        fusedW[l] = create(fusedWStage[l], w, new Shape(outA + outC, inTotal));
        fusedB[l] = create(fusedBStage[l], b, new Shape(outA + outC));
      } else {
        write(fusedW[l], fusedWStage[l], w);
        write(fusedB[l], fusedBStage[l], b);
      }
    }
    fusedVersion = params.version();
  }

  private NDArray create(ByteBuffer stage, float[] values, Shape shape) {
    FloatBuffer fb = stage.asFloatBuffer();
    fb.put(values);
    ByteBuffer copy = ByteBuffer.allocateDirect(stage.capacity()).order(ByteOrder.nativeOrder());
    copy.put(stage.duplicate().rewind()).rewind();
    NDArray cpu = manager().create(copy, shape, DataType.FLOAT32);
    if (device.isGpu()) {
      NDArray g = cpu.toDevice(device, false);
      cpu.close();
      return g;
    }
    return cpu;
  }

  private static void write(NDArray target, ByteBuffer stage, float[] values) {
    stage.asFloatBuffer().put(values);
    JniUtils.set((PtNDArray) target, stage);
  }

  /** The fused weights' manager is the network's own. */
  private NDManager manager() {
    return params.list().get(0).array().getManager();
  }
}
