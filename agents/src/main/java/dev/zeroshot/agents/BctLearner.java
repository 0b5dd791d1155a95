package dev.zeroshot.agents;

import ai.djl.Device;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.env.space.Space;

/**
 * Behaviour cloning with a transformer (BCT, gen_dgrl's "naive" model): the Decision
 * Transformer's network and training ({@link SequenceLearner}) without return-to-go tokens,
 * each action predicted from the states and actions before it.
 */
final class BctLearner extends SequenceLearner {

  BctLearner(OfflineConfig cfg, ModelSpec spec, Space actionSpace, Device device) {
    super(cfg, spec, actionSpace, device, false);
  }
}
