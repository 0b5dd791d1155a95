package dev.zeroshot.agents.nn;

import java.util.Arrays;

/**
 * What it takes to rebuild a network (saved with every checkpoint).
 *
 * @param kind {@code mlp} (CleanRL's separate 2-layer tanh actor and critic) or {@code impala}
 *     (the IMPALA ResNet of Espeholt et al., as in the Procgen paper, shared by both heads)
 * @param observationShape one observation's shape ([d] for vectors, [3, 64, 64] for images)
 * @param imageInput whether observations are uint8 pixels (scaled by 1/255 inside the network)
 * @param policyOutputs logits (Discrete) or Gaussian means (Box)
 * @param gaussian whether the policy is a diagonal Gaussian with state-free log stds
 * @param hidden MLP: hidden widths (CleanRL: 64, 64); IMPALA: stack channels then the fc width
 *     (16, 32, 32, 256)
 * @param seed the seed of the initial weights
 */
public record ModelSpec(String kind, int[] observationShape, boolean imageInput, int policyOutputs,
    boolean gaussian, int[] hidden, long seed) {

  public ModelSpec {
    if (!kind.equals("mlp") && !kind.equals("impala")) {
      throw new IllegalArgumentException("model kind must be mlp or impala, got '" + kind + "'");
    }
    if (kind.equals("impala") && (observationShape.length != 3 || hidden.length < 2)) {
      throw new IllegalArgumentException("impala needs [C, H, W] observations and stack channels plus an fc width, got "
          + Arrays.toString(observationShape) + " and " + Arrays.toString(hidden));
    }
    if (kind.equals("mlp") && (observationShape.length != 1 || hidden.length < 1)) {
      throw new IllegalArgumentException("mlp needs vector observations and at least one hidden layer, got "
          + Arrays.toString(observationShape) + " and " + Arrays.toString(hidden));
    }
    observationShape = observationShape.clone();
    hidden = hidden.clone();
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
