package dev.zeroshot.agents.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.core.Linear;

/**
 * An MLP on flat observations (vectors, or symbolic grids flattened: their cell codes are small
 * integers, fed as they are): tanh hidden layers of {@code spec.hidden()} widths with PyTorch's
 * default init (uniform, bound 1/sqrt(fan_in)).
 */
final class MlpEncoder implements StateEncoder {

  private final Param[] weights;
  private final Param[] biases;

  MlpEncoder(ModelSpec spec, Params params) {
    int[] h = spec.hidden();
    weights = new Param[h.length];
    biases = new Param[h.length];
    int in = spec.observationSize();
    for (int l = 0; l < h.length; l++) {
      double bound = 1 / Math.sqrt(in);
      weights[l] = params.uniform("enc.mlp" + l + ".w", bound, h[l], in);
      biases[l] = params.uniform("enc.mlp" + l + ".b", bound, h[l]);
      in = h[l];
    }
  }

  @Override
  public NDArray apply(NDArray observations) {
    NDArray x = observations.getDataType() == DataType.FLOAT32 ? observations
        : observations.toType(DataType.FLOAT32, false);
    for (int l = 0; l < weights.length; l++) {
      x = Linear.linear(x, weights[l].array(), biases[l].array()).head().tanh();
    }
    return x;
  }

  @Override
  public int features() {
    return weights[weights.length - 1].shape[0];
  }
}
