package dev.zeroshot.env.curriculum;

import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.VectorEnvApi;

/**
 * What a learner sees of the curriculum choosing its envs' levels, wherever it runs: which level
 * each env is playing, and where a finished episode's feedback goes. In-process it is the
 * vector env's {@link CurriculumSampler}; over gRPC the remote vector env (the server's session
 * holds the curriculum).
 */
public interface CurriculumLink {

  /** The level env {@code envIndex} is playing now. */
  Curriculum.Pick playing(int envIndex);

  /** Reports a finished episode of {@code levelId}. */
  void report(long levelId, Feedback feedback);

  /** The score the curriculum wants in the feedback. */
  ScoreFunction scoreFunction();

  /** The best return seen on the level (NaN when unknown), for MaxMC. */
  double bestReturn(long levelId);

  /** A vector env that may have a curriculum elsewhere (the remote vector env: on its server). */
  interface Provider {
    /** The link, or null when this env's levels come from no curriculum. */
    CurriculumLink curriculumLink();
  }

  /** The link of {@code env}'s curriculum, or null when its levels come from no curriculum. */
  static CurriculumLink of(VectorEnvApi env) {
    if (env instanceof VectorEnv v && v.sampler() instanceof CurriculumSampler s) {
      return s;
    }
    return env instanceof Provider p ? p.curriculumLink() : null;
  }
}
