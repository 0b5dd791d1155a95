package dev.zeroshot.agents.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;

/**
 * The IMPALA ResNet encoder of the Procgen paper (and CleanRL's {@code ppo_procgen.py}): for each
 * stack of channels c (16, 32, 32): conv 3x3 -> max-pool 3x3 stride 2 -> two residual blocks
 * (relu, conv, relu, conv, + input); then flatten, relu, fc (256), relu, and one linear layer
 * for the policy logits and the value. Pixels are scaled by 1/255. Convolutions and the fc
 * layer use PyTorch's default init (uniform, bound 1/sqrt(fan_in)); the heads are orthogonal
 * with gain 0.01 (policy) and 1 (value), as CleanRL. Kind {@code impala/N} average-pools the
 * scaled frame N x N (stride N) before the first stack, for CPU-scale runs.
 */
final class ImpalaActorCritic extends ActorCritic {

  private final ImpalaEncoder encoder;

  ImpalaActorCritic(ModelSpec spec, Device device) {
    super(spec, device);
    encoder = new ImpalaEncoder(spec, params, ""); // checkpoints name the trunk's parameters without a prefix
    int fc = encoder.features();
    // Policy and value heads as one [fc, A + 1] matrix: columns 0..A-1 policy, A value.
    var pol = params.orthogonal("tmp.pi", fc, spec.policyOutputs(), 0.01);
    var val = params.orthogonal("tmp.v", fc, 1, 1.0);
    int a = spec.policyOutputs();
    float[] w = new float[fc * (a + 1)];
    for (int r = 0; r < fc; r++) {
      System.arraycopy(pol.value, r * a, w, r * (a + 1), a);
      w[r * (a + 1) + a] = val.value[r];
    }
    Params heads = params;
    heads.remove("tmp.pi");
    heads.remove("tmp.v");
    params.add("heads.w", new int[] {fc, a + 1}, w);
    params.zeros("heads.b", a + 1);
    if (spec.gaussian()) {
      params.zeros("java:logstd", spec.policyOutputs());
    }
  }

  @Override
  public NDArray forward(NDArray obs) {
    return encoder.apply(obs).matMul(params.get("heads.w").array()).add(params.get("heads.b").array());
  }
}
