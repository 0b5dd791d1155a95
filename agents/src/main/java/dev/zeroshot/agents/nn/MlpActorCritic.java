package dev.zeroshot.agents.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * CleanRL's {@code Agent} for vector observations: separate actor and critic MLPs with tanh
 * activations, orthogonal init with gain sqrt(2), 0.01 for the policy output and 1 for the
 * value output, zero biases; a Gaussian policy adds state-free log stds, initialized at 0.
 */
final class MlpActorCritic extends ActorCritic {

  private final int layers;

  MlpActorCritic(ModelSpec spec, Device device) {
    super(spec, device);
    int[] h = spec.hidden();
    layers = h.length + 1;
    for (String net : new String[] {"actor", "critic"}) {
      int in = spec.observationSize();
      for (int l = 0; l < layers; l++) {
        boolean last = l == layers - 1;
        int out = last ? (net.equals("actor") ? spec.policyOutputs() : 1) : h[l];
        double gain = !last ? Math.sqrt(2) : net.equals("actor") ? 0.01 : 1.0;
        params.orthogonal(net + l + ".w", in, out, gain);
        params.zeros(net + l + ".b", out);
        in = out;
      }
    }
    if (spec.gaussian()) {
      params.zeros("java:logstd", spec.policyOutputs());
    }
  }

  @Override
  public NDArray forward(NDArray x) {
    NDArray actor = mlp("actor", x);
    NDArray critic = mlp("critic", x);
    return NDArrays.concat(new NDList(actor, critic), 1);
  }

  private NDArray mlp(String net, NDArray x) {
    NDArray h = x;
    for (int l = 0; l < layers; l++) {
      h = h.matMul(params.get(net + l + ".w").array()).add(params.get(net + l + ".b").array());
      if (l < layers - 1) {
        h = h.tanh();
      }
    }
    return h;
  }
}
