package dev.zeroshot.agents.nn;

import ai.djl.ndarray.NDArray;

/** Maps a batch of observations [n, ...] to feature rows [n, {@link #features()}]. */
interface StateEncoder {

  NDArray apply(NDArray observations);

  int features();

  /** The encoder {@code spec} names, its parameters added to {@code params} under "enc.". */
  static StateEncoder create(ModelSpec spec, Params params) {
    return ModelSpec.isImpala(spec.kind()) ? new ImpalaEncoder(spec, params, "enc.") : new MlpEncoder(spec, params);
  }
}
