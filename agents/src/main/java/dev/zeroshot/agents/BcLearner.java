package dev.zeroshot.agents;

import ai.djl.Device;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.env.space.Space;

/**
 * Behavioural cloning: cross-entropy of the dataset's action under softmax(logits) (gen_dgrl's
 * NLL loss on a Categorical head); the network's value column is unused (its gradient is
 * zero). The policy samples when evaluated, as gen_dgrl's does.
 */
final class BcLearner extends OfflineLearner {

  private final float[] out = newRows();

  BcLearner(OfflineConfig cfg, ModelSpec spec, Space actionSpace, Device device) {
    super(cfg, ActorCritic.create(spec, device), actionSpace);
  }

  @Override
  protected void learn(Stats s) {
    s.gradNorm = train(net, optimizer, out, (o, g) -> s.loss = crossEntropy(o, g, null) / n);
    s.accuracyOrTd = (double) argmaxMatches(out) / n;
    s.meanQOrLogp = -s.loss;
  }

  @Override
  public boolean greedy() {
    return false;
  }
}
