package dev.zeroshot.agents.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/**
 * The IMPALA ResNet encoder of the Procgen paper (and CleanRL's {@code ppo_procgen.py}): for each
 * stack of channels c (16, 32, 32): conv 3x3 -> max-pool 3x3 stride 2 -> two residual blocks
 * (relu, conv, relu, conv, + input); then flatten, relu, fc (256), relu, and one linear layer
 * for the policy logits and the value. Pixels are scaled by 1/255. Convolutions and the fc
 * layer use PyTorch's default init (uniform, bound 1/sqrt(fan_in)); the heads are orthogonal
 * with gain 0.01 (policy) and 1 (value), as CleanRL. Kind {@code impala/N} average-pools the
 * scaled frame N x N (stride N) before the first stack, for CPU-scale runs.
 */
final class ImpalaActorCritic extends ActorCritic {

  private static final Shape K3 = new Shape(3, 3);
  private static final Shape S1 = new Shape(1, 1);
  private static final Shape S2 = new Shape(2, 2);
  private static final Shape P1 = new Shape(1, 1);

  private final int stacks;
  private final int flat;
  private final int pool;

  ImpalaActorCritic(ModelSpec spec, Device device) {
    super(spec, device);
    int[] h = spec.hidden();
    stacks = h.length - 1;
    int c = spec.observationShape()[0];
    pool = ModelSpec.inputPool(spec.kind());
    int height = spec.observationShape()[1] / pool;
    int width = spec.observationShape()[2] / pool;
    for (int s = 0; s < stacks; s++) {
      int out = h[s];
      conv("s" + s + ".conv", c, out);
      for (int r = 0; r < 2; r++) {
        conv("s" + s + ".res" + r + ".conv0", out, out);
        conv("s" + s + ".res" + r + ".conv1", out, out);
      }
      c = out;
      height = (height + 1) / 2; // max-pool 3x3, stride 2, padding 1
      width = (width + 1) / 2;
    }
    flat = c * height * width;
    int fc = h[h.length - 1];
    params.uniform("fc.w", 1 / Math.sqrt(flat), flat, fc);
    params.uniform("fc.b", 1 / Math.sqrt(flat), fc);
    // Policy and value heads as one [fc, A + 1] matrix: columns 0..A-1 policy, A value.
    var pol = params.orthogonal("tmp.pi", fc, spec.policyOutputs(), 0.01);
    var val = params.orthogonal("tmp.v", fc, 1, 1.0);
    int a = spec.policyOutputs();
    float[] w = new float[fc * (a + 1)];
    for (int r = 0; r < fc; r++) {
      System.arraycopy(pol.value, r * a, w, r * (a + 1), a);
      w[r * (a + 1) + a] = val.value[r];
    }
    Params heads = params;
    heads.remove("tmp.pi");
    heads.remove("tmp.v");
    params.add("heads.w", new int[] {fc, a + 1}, w);
    params.zeros("heads.b", a + 1);
    if (spec.gaussian()) {
      params.zeros("java:logstd", spec.policyOutputs());
    }
  }

  private void conv(String name, int in, int out) {
    double bound = 1 / Math.sqrt(in * 9.0);
    params.uniform(name + ".w", bound, out, in, 3, 3);
    params.uniform(name + ".b", bound, out);
  }

  private NDArray conv(String name, NDArray x) {
    return Conv2d.conv2d(x, params.get(name + ".w").array(), params.get(name + ".b").array(), S1, P1, S1, 1).head();
  }

  @Override
  public NDArray forward(NDArray obs) {
    NDArray x = obs.getDataType() == DataType.FLOAT32 ? obs.div(255f) : obs.toType(DataType.FLOAT32, false).div(255f);
    if (pool > 1) {
      Shape k = new Shape(pool, pool);
      x = Pool.avgPool2d(x, k, k, new Shape(0, 0), false, true);
    }
    for (int s = 0; s < stacks; s++) {
      x = conv("s" + s + ".conv", x);
      x = Pool.maxPool2d(x, K3, S2, P1, false);
      for (int r = 0; r < 2; r++) {
        String b = "s" + s + ".res" + r;
        NDArray h = conv(b + ".conv1", Activation.relu(conv(b + ".conv0", Activation.relu(x))));
        x = x.add(h);
      }
    }
    x = Activation.relu(x.reshape(x.getShape().get(0), flat));
    x = Activation.relu(x.matMul(params.get("fc.w").array()).add(params.get("fc.b").array()));
    return x.matMul(params.get("heads.w").array()).add(params.get("heads.b").array());
  }
}
