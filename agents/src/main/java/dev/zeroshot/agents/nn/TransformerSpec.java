package dev.zeroshot.agents.nn;

/**
 * The shape of a {@link DecisionTransformer} besides its state encoder (which a {@link ModelSpec}
 * describes): gen_dgrl's is 6 layers, 8 heads, width 128.
 *
 * @param layers transformer blocks
 * @param heads attention heads per block (they divide the width)
 * @param width the embedding width of every token
 * @param context steps per sequence (DT: 3 tokens each, return-to-go, state, action; BCT: 2)
 * @param maxTimestep the largest episode step with its own timestep embedding (later steps share it)
 * @param returns whether return-to-go tokens condition the policy (DT) or not (BCT)
 */
public record TransformerSpec(int layers, int heads, int width, int context, int maxTimestep, boolean returns) {

  public TransformerSpec {
    if (layers < 1 || heads < 1 || width < 1 || context < 1 || maxTimestep < 0) {
      throw new IllegalArgumentException("transformer layers, heads, width and context must be >= 1 and the largest "
          + "timestep >= 0, got " + layers + ", " + heads + ", " + width + ", " + context + ", " + maxTimestep);
    }
    if (width % heads != 0) {
      throw new IllegalArgumentException("the embedding width " + width + " must be a multiple of the " + heads + " heads");
    }
  }

  /** Tokens per step: return-to-go, state and action (DT), or state and action (BCT). */
  public int tokensPerStep() {
    return returns ? 3 : 2;
  }

  /** Where in its step the state token sits (the action is predicted from it). */
  public int stateToken() {
    return returns ? 1 : 0;
  }
}
