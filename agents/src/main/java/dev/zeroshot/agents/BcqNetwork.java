package dev.zeroshot.agents;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.zeroshot.agents.nn.ActorCritic;

/**
 * Discrete BCQ's acting network (Fujimoto et al. 2019, "Benchmarking batch deep RL
 * algorithms"): a Q-network and an imitation network; actions whose imitation probability is
 * below {@code threshold} times the most likely action's are masked out, so the greedy
 * action is {@code argmax} of Q over the actions the data supports. The forward pass returns
 * the masked Q-values (masked ones pushed down by 1e9) and a zero value column, so an
 * {@link Agent} acting greedily takes BCQ's action.
 */
final class BcqNetwork extends ActorCritic {

  private final ActorCritic q;
  private final ActorCritic imitation;
  private final double logThreshold;

  BcqNetwork(ActorCritic q, ActorCritic imitation, double threshold) {
    super(q.spec(), q.device());
    this.q = q;
    this.imitation = imitation;
    this.logThreshold = Math.log(threshold);
  }

  ActorCritic q() {
    return q;
  }

  ActorCritic imitation() {
    return imitation;
  }

  @Override
  public NDArray forward(NDArray obs) {
    int a = spec.policyOutputs();
    String cols = ":, 0:" + a;
    NDArray qa = q.forward(obs).get(cols);
    NDArray logits = imitation.forward(obs).get(cols);
    NDArray rel = logits.sub(logits.max(new int[] {1}, true));
    NDArray allowed = rel.gte(logThreshold).toType(DataType.FLOAT32, false);
    NDArray masked = qa.add(allowed.sub(1f).mul(1e9f));
    return NDArrays.concat(new NDList(masked, masked.get(":, 0:1").zerosLike()), 1);
  }

  @Override
  public void close() {
    q.close();
    imitation.close();
    super.close();
  }
}
