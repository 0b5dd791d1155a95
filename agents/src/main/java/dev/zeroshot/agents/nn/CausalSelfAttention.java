package dev.zeroshot.agents.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

/**
 * Multi-head self-attention in which a token sees only itself and the tokens before it
 * (minGPT's {@code CausalSelfAttention}, without dropout): queries, keys and values are linear
 * maps of the input split into heads, each head computes softmax(q k^T / sqrt(d) + mask) v, and
 * a last linear map mixes the heads. The mask ({@link AttentionMask}) is added to the scores:
 * 0 where a token may look, -infinity where it may not (the future, and padding).
 */
final class CausalSelfAttention {

  private final int heads;
  private final int width;
  private final Param[] query;
  private final Param[] key;
  private final Param[] value;
  private final Param[] output;

  CausalSelfAttention(Params params, String name, int width, int heads) {
    if (width % heads != 0) {
      throw new IllegalArgumentException("embedding width " + width + " is not a multiple of the " + heads + " heads");
    }
    this.heads = heads;
    this.width = width;
    this.query = linear(params, name + ".query", width);
    this.key = linear(params, name + ".key", width);
    this.value = linear(params, name + ".value", width);
    this.output = linear(params, name + ".proj", width);
  }

  /** A [width, width] linear layer with GPT's init: weights N(0, 0.02), biases 0. */
  static Param[] linear(Params params, String name, int width) {
    return new Param[] {params.normal(name + ".w", 0.02, width, width), params.zeros(name + ".b", width)};
  }

  /** {@code x}: [batch, tokens, width]; {@code mask}: [batch, 1, tokens, tokens], added to the scores. */
  NDArray apply(NDArray x, NDArray mask) {
    long batch = x.getShape().get(0);
    long tokens = x.getShape().get(1);
    NDArray q = split(project(x, query), batch, tokens);
    NDArray k = split(project(x, key), batch, tokens);
    NDArray v = split(project(x, value), batch, tokens);
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul((float) (1 / Math.sqrt(width / heads))).add(mask);
    NDArray mixed = scores.softmax(-1).matMul(v); // [batch, heads, tokens, head width]
    return project(mixed.transpose(0, 2, 1, 3).reshape(batch, tokens, width), output);
  }

  private static NDArray project(NDArray x, Param[] layer) {
    return Linear.linear(x, layer[0].array(), layer[1].array()).head();
  }

  /** [batch, tokens, width] to [batch, heads, tokens, width / heads]. */
  private NDArray split(NDArray x, long batch, long tokens) {
    return x.reshape(batch, tokens, heads, width / heads).transpose(0, 2, 1, 3);
  }
}
