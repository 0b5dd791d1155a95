package dev.zeroshot.agents.nn;

import java.util.Arrays;

/**
 * What it takes to rebuild a network (saved with every checkpoint).
 *
 * @param kind {@code mlp} (CleanRL's separate 2-layer tanh actor and critic), {@code impala}
 *     (the IMPALA ResNet of Espeholt et al., as in the Procgen paper, shared by both heads), or
 *     {@code impala/N}: the same network on the frame average-pooled N x N first (64x64 frames
 *     become 64/N square), a cheaper encoder for CPU-scale runs; or {@code gru}: a recurrent
 *     policy ({@link GruActorCritic}) on the flattened observation
 * @param observationShape one observation's shape ([d] for vectors, [3, 64, 64] for images)
 * @param imageInput whether observations are uint8 pixels (scaled by 1/255 inside the network)
 * @param policyOutputs logits (Discrete) or Gaussian means (Box)
 * @param gaussian whether the policy is a diagonal Gaussian with state-free log stds
 * @param hidden MLP: hidden widths (CleanRL: 64, 64); IMPALA: stack channels then the fc width
 *     (16, 32, 32, 256); GRU: the tanh encoder's widths (maybe none), then the GRU's state size
 * @param seed the seed of the initial weights
 */
public record ModelSpec(String kind, int[] observationShape, boolean imageInput, int policyOutputs,
    boolean gaussian, int[] hidden, long seed) {

  public ModelSpec {
    if (!kind.equals("mlp") && !isImpala(kind) && !kind.equals("gru")) {
      throw new IllegalArgumentException("model kind must be mlp, impala, impala/N (N a whole number >= 1) or gru, got '"
          + kind + "'");
    }
    if (kind.equals("gru") && (hidden.length < 1 || Arrays.stream(hidden).anyMatch(w -> w < 1))) {
      throw new IllegalArgumentException("gru needs its encoder widths (maybe none) then its state size, all >= 1, got "
          + Arrays.toString(hidden));
    }
    if (isImpala(kind) && (observationShape.length != 3 || hidden.length < 2)) {
      throw new IllegalArgumentException("impala needs [C, H, W] observations and stack channels plus an fc width, got "
          + Arrays.toString(observationShape) + " and " + Arrays.toString(hidden));
    }
    if (isImpala(kind) && (observationShape[1] % inputPool(kind) != 0 || observationShape[2] % inputPool(kind) != 0)) {
      throw new IllegalArgumentException(kind + ": the pooling factor must divide the frame's height and width "
          + Arrays.toString(observationShape));
    }
    if (kind.equals("mlp") && (observationShape.length != 1 || hidden.length < 1)) {
      throw new IllegalArgumentException("mlp needs vector observations and at least one hidden layer, got "
          + Arrays.toString(observationShape) + " and " + Arrays.toString(hidden));
    }
    observationShape = observationShape.clone();
    hidden = hidden.clone();
  }

  /** Whether {@code kind} names the IMPALA network ({@code impala} or {@code impala/N}). */
  public static boolean isImpala(String kind) {
    return kind.equals("impala") || kind.matches("impala/[1-9][0-9]{0,2}");
  }

  /** Whether the network carries a state over steps (and so trains with {@code RecurrentPpo}). */
  public boolean recurrent() {
    return kind.equals("gru");
  }

  /** The input average-pooling factor of an IMPALA kind: N for {@code impala/N}, else 1. */
  public static int inputPool(String kind) {
    return kind.startsWith("impala/") ? Integer.parseInt(kind.substring("impala/".length())) : 1;
  }

  public int observationSize() {
    int n = 1;
    for (int d : observationShape) {
      n *= d;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec s && s.kind.equals(kind) && Arrays.equals(s.observationShape, observationShape)
        && s.imageInput == imageInput && s.policyOutputs == policyOutputs && s.gaussian == gaussian
        && Arrays.equals(s.hidden, hidden) && s.seed == seed;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + Arrays.hashCode(hidden) + 7 * Arrays.hashCode(observationShape) + policyOutputs;
  }

  @Override
  public String toString() {
    return kind + Arrays.toString(hidden) + " obs" + Arrays.toString(observationShape) + (gaussian ? " gaussian(" : " categorical(")
        + policyOutputs + ")";
  }
}
