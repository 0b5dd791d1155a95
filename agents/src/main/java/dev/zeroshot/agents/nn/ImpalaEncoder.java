package dev.zeroshot.agents.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/**
 * The IMPALA ResNet trunk of the Procgen paper, shared by {@link ImpalaActorCritic} and the
 * sequence models: pixels / 255 (average-pooled N x N first for {@code impala/N}), per stack of
 * channels a 3x3 conv, a 3x3 stride-2 max-pool and two residual blocks (relu, conv, relu, conv,
 * + input), then flatten, relu, fc and relu. PyTorch's default init (uniform, bound
 * 1/sqrt(fan_in)). Its parameters are named under a prefix ({@code enc.} in the sequence models,
 * none in PPO's net, whose checkpoints name them so).
 */
final class ImpalaEncoder implements StateEncoder {

  private static final Shape K3 = new Shape(3, 3);
  private static final Shape S1 = new Shape(1, 1);
  private static final Shape S2 = new Shape(2, 2);
  private static final Shape P1 = new Shape(1, 1);

  private final Params params;
  private final String prefix;
  private final int stacks;
  private final int flat;
  private final int pool;
  private final int fc;

  ImpalaEncoder(ModelSpec spec, Params params, String prefix) {
    this.params = params;
    this.prefix = prefix;
    int[] h = spec.hidden();
    stacks = h.length - 1;
    pool = ModelSpec.inputPool(spec.kind());
    int c = spec.observationShape()[0];
    int height = spec.observationShape()[1] / pool;
    int width = spec.observationShape()[2] / pool;
    for (int s = 0; s < stacks; s++) {
      conv("s" + s + ".conv", c, h[s]);
      for (int r = 0; r < 2; r++) {
        conv("s" + s + ".res" + r + ".conv0", h[s], h[s]);
        conv("s" + s + ".res" + r + ".conv1", h[s], h[s]);
      }
      c = h[s];
      height = (height + 1) / 2; // max-pool 3x3, stride 2, padding 1
      width = (width + 1) / 2;
    }
    flat = c * height * width;
    fc = h[h.length - 1];
    params.uniform(prefix + "fc.w", 1 / Math.sqrt(flat), flat, fc);
    params.uniform(prefix + "fc.b", 1 / Math.sqrt(flat), fc);
  }

  private void conv(String name, int in, int out) {
    double bound = 1 / Math.sqrt(in * 9.0);
    params.uniform(prefix + name + ".w", bound, out, in, 3, 3);
    params.uniform(prefix + name + ".b", bound, out);
  }

  private NDArray conv(String name, NDArray x) {
    return Conv2d.conv2d(x, params.get(prefix + name + ".w").array(), params.get(prefix + name + ".b").array(), S1, P1, S1,
        1).head();
  }

  @Override
  public NDArray apply(NDArray observations) {
    NDArray x = (observations.getDataType() == DataType.FLOAT32 ? observations
        : observations.toType(DataType.FLOAT32, false)).div(255f);
    if (pool > 1) {
      Shape k = new Shape(pool, pool);
      x = Pool.avgPool2d(x, k, k, new Shape(0, 0), false, true);
    }
    for (int s = 0; s < stacks; s++) {
      x = Pool.maxPool2d(conv("s" + s + ".conv", x), K3, S2, P1, false);
      for (int r = 0; r < 2; r++) {
        String b = "s" + s + ".res" + r;
        x = x.add(conv(b + ".conv1", Activation.relu(conv(b + ".conv0", Activation.relu(x)))));
      }
    }
    x = Activation.relu(x.reshape(x.getShape().get(0), flat));
    return Activation.relu(x.matMul(params.get(prefix + "fc.w").array()).add(params.get(prefix + "fc.b").array()));
  }

  @Override
  public int features() {
    return fc;
  }
}
