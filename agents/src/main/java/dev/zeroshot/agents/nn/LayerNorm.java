package dev.zeroshot.agents.nn;

import ai.djl.ndarray.NDArray;

/**
 * Layer normalization over the last axis (Ba et al. 2016), as {@code torch.nn.LayerNorm}:
 * y = (x - mean) / sqrt(var + 1e-5) * gain + shift, with the biased variance, gain 1 and shift 0
 * at initialization.
 */
final class LayerNorm {

  static final float EPS = 1e-5f;

  private final Param gain;
  private final Param shift;

  LayerNorm(Params params, String name, int width) {
    float[] ones = new float[width];
    java.util.Arrays.fill(ones, 1f);
    this.gain = params.add(name + ".gain", new int[] {width}, ones);
    this.shift = params.zeros(name + ".shift", width);
  }

  NDArray apply(NDArray x) {
    int[] last = {x.getShape().dimension() - 1};
    NDArray centred = x.sub(x.mean(last, true));
    NDArray variance = centred.square().mean(last, true);
    return centred.div(variance.add(EPS).sqrt()).mul(gain.array()).add(shift.array());
  }
}
