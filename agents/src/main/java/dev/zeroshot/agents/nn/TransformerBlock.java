package dev.zeroshot.agents.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * One pre-norm transformer block (GPT-2, minGPT's {@code Block} without dropout): x + attention(
 * norm(x)), then x + MLP(norm(x)) with a hidden layer four times as wide and GELU.
 */
final class TransformerBlock {

  private final LayerNorm attentionNorm;
  private final CausalSelfAttention attention;
  private final LayerNorm mlpNorm;
  private final Param expandW;
  private final Param expandB;
  private final Param contractW;
  private final Param contractB;

  TransformerBlock(Params params, String name, int width, int heads) {
    attentionNorm = new LayerNorm(params, name + ".ln1", width);
    attention = new CausalSelfAttention(params, name + ".attn", width, heads);
    mlpNorm = new LayerNorm(params, name + ".ln2", width);
    expandW = params.normal(name + ".mlp1.w", 0.02, 4 * width, width);
    expandB = params.zeros(name + ".mlp1.b", 4 * width);
    contractW = params.normal(name + ".mlp2.w", 0.02, width, 4 * width);
    contractB = params.zeros(name + ".mlp2.b", width);
  }

  NDArray apply(NDArray x, NDArray mask) {
    NDArray h = x.add(attention.apply(attentionNorm.apply(x), mask));
    NDArray hidden = Activation.gelu(Linear.linear(mlpNorm.apply(h), expandW.array(), expandB.array()).head());
    return h.add(Linear.linear(hidden, contractW.array(), contractB.array()).head());
  }
}
