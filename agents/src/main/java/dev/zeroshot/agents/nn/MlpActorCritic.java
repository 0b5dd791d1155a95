package dev.zeroshot.agents.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;

/**
 * CleanRL's {@code Agent} for vector observations: separate actor and critic MLPs with tanh
 * activations, orthogonal init with gain sqrt(2), 0.01 for the policy output and 1 for the
 * value output, zero biases; a Gaussian policy adds state-free log stds, initialized at 0.
 * Weights are stored [out, in] for torch's {@code linear}.
 *
 * <p>Two forward paths compute the same function: training ({@link #forward}) in torch, with
 * autograd; acting ({@link #forwardJava}) in plain Java on the master weights, since for a
 * few observations per call the cost of a torch call per layer dominates the arithmetic.
 */
final class MlpActorCritic extends ActorCritic {

  private final int layers;
  private final int[] actorOut;
  private final int[] criticOut;
  private final int[] actorIn;
  private final int[] criticIn;
  // The Java copy for acting: per net and layer, [in, out] weights and biases.
  private float[][] javaW;
  private float[][] javaB;
  private float[] scratchIn;
  private float[] scratchOut;
  private long javaVersion = -1;

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
  public boolean actsInJava() {
    return true;
  }

  /**
   * The forward pass in plain Java on the master weights, for acting: a few observations per
   * call, where a torch call per layer costs more (JNI, tensor wrappers, a manager) than the
   * arithmetic. Weights are kept transposed ([in, out]) so the inner loop runs over
   * independent outputs, which the JIT vectorizes; rebuilt when the weights change.
   */
  @Override
  public void forwardJava(float[] obs, int n, float[] out) {
    if (javaVersion != params.version() || javaW == null) {
      rebuildJava();
    }
    int width = spec.policyOutputs() + 1;
    int obsSize = spec.observationSize();
    for (int r = 0; r < n; r++) {
      for (int net = 0; net < 2; net++) {
        float[] x = scratchIn;
        System.arraycopy(obs, r * obsSize, x, 0, obsSize);
        int in = obsSize;
        for (int l = 0; l < layers; l++) {
          int k = net * layers + l;
          int outSize = net == 0 ? actorOut[l] : criticOut[l];
          float[] y = x == scratchIn ? scratchOut : scratchIn;
          float[] wT = javaW[k];
          System.arraycopy(javaB[k], 0, y, 0, outSize);
          for (int i = 0; i < in; i++) {
            float xi = x[i];
            int row = i * outSize;
            for (int o = 0; o < outSize; o++) {
              y[o] += wT[row + o] * xi;
            }
          }
          if (l < layers - 1) {
            for (int o = 0; o < outSize; o++) {
              y[o] = tanh(y[o]);
            }
          }
          x = y;
          in = outSize;
        }
        if (net == 0) {
          System.arraycopy(x, 0, out, r * width, width - 1);
        } else {
          out[r * width + width - 1] = x[0];
        }
      }
    }
  }

  /**
   * Float tanh as Eigen computes it (a 13/6-degree rational minimax fit, clamped at +-7.9053,
   * where float tanh is +-1): within a few ulp of torch's, and ~5x cheaper than an exp.
   */
  static float tanh(float x) {
    float c = Math.max(-7.90531110763549805f, Math.min(7.90531110763549805f, x));
    if (Math.abs(c) < 0.0004f) {
      return c;
    }
    float x2 = c * c;
    float p = -2.76076847742355e-16f;
    p = p * x2 + 2.00018790482477e-13f;
    p = p * x2 + -8.60467152213735e-11f;
    p = p * x2 + 5.12229709037114e-08f;
    p = p * x2 + 1.48572235717979e-05f;
    p = p * x2 + 6.37261928875436e-04f;
    p = p * x2 + 4.89352455891786e-03f;
    p = p * c;
    float q = 1.19825839466702e-06f;
    q = q * x2 + 1.18534705686654e-04f;
    q = q * x2 + 2.26843463243900e-03f;
    q = q * x2 + 4.89352518554385e-03f;
    return p / q;
  }

  private void rebuildJava() {
    javaW = new float[2 * layers][];
    javaB = new float[2 * layers][];
    int widest = spec.observationSize();
    for (int net = 0; net < 2; net++) {
      String name = net == 0 ? "actor" : "critic";
      for (int l = 0; l < layers; l++) {
        int in = net == 0 ? actorIn[l] : criticIn[l];
        int outSize = net == 0 ? actorOut[l] : criticOut[l];
        javaW[net * layers + l] = transpose(params.get(name + l + ".w").value, outSize, in);
        javaB[net * layers + l] = params.get(name + l + ".b").value.clone();
        widest = Math.max(widest, outSize);
      }
    }
    if (scratchIn == null || scratchIn.length < widest) {
      scratchIn = new float[widest];
      scratchOut = new float[widest];
    }
    javaVersion = params.version();
  }
}
