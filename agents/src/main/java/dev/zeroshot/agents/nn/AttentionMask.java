package dev.zeroshot.agents.nn;

/**
 * The additive attention mask of a batch of token sequences: query token q may look at key
 * token k when k is not after q and k is not padding; every token may look at itself, so a
 * padding token's row is never empty (its output is computed, then ignored). Entries are 0
 * (allowed) or -infinity (softmax gives the key weight exactly 0), laid out [batch, 1, tokens,
 * tokens] to broadcast over the heads.
 */
public final class AttentionMask {

  private AttentionMask() {}

  /**
   * {@code real[b * steps + s]}: whether step s of sequence b is real (not padding); each step
   * is {@code tokensPerStep} consecutive tokens.
   */
  public static float[] of(boolean[] real, int batch, int steps, int tokensPerStep) {
    int tokens = steps * tokensPerStep;
    float[] mask = new float[batch * tokens * tokens];
    for (int b = 0; b < batch; b++) {
      for (int q = 0; q < tokens; q++) {
        int row = (b * tokens + q) * tokens;
        for (int k = 0; k < tokens; k++) {
          boolean visible = k == q || (k < q && real[b * steps + k / tokensPerStep]);
          mask[row + k] = visible ? 0f : Float.NEGATIVE_INFINITY;
        }
      }
    }
    return mask;
  }
}
