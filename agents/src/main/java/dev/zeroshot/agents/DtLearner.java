package dev.zeroshot.agents;

import ai.djl.Device;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.env.space.Space;

/**
 * The Decision Transformer (Chen et al. 2021) as gen_dgrl trains it: each step's action
 * predicted from the return-to-go, states and actions before it ({@link SequenceLearner});
 * evaluated from a return-to-go of {@code returnMultiplier} x the dataset's best return.
 */
final class DtLearner extends SequenceLearner {

  DtLearner(OfflineConfig cfg, ModelSpec spec, Space actionSpace, Device device) {
    super(cfg, spec, actionSpace, device, true);
  }
}
