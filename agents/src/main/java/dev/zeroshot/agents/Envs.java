package dev.zeroshot.agents;

import dev.zeroshot.agents.bench.SideImageEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.curriculum.Curricula;
import dev.zeroshot.env.curriculum.Curriculum;
import dev.zeroshot.env.curriculum.CurriculumSampler;
import dev.zeroshot.env.curriculum.LevelSpace;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Env ids to in-process vector envs: the builtin registry plus the synthetic image task. */
public final class Envs {

  private static final Pattern SIDE_IMAGE = Pattern.compile("synthetic/SideImage(\\d+)-v0");

  private Envs() {}

  /** The spec of {@code id}: a registered env, or {@code synthetic/SideImage<size>-v0}. */
  public static EnvSpec spec(String id) {
    Matcher m = SIDE_IMAGE.matcher(id);
    if (m.matches()) {
      return SideImageEnv.spec(Integer.parseInt(m.group(1)));
    }
    return EnvRegistry.builtin().spec(id);
  }

  /** The context a PPO config runs in: its own, or its env's defaults. */
  public static Context context(PpoConfig cfg) {
    return cfg.context != null ? cfg.context : spec(cfg.envId).contextSpace().defaults();
  }

  /** The vector env a PPO config asks for, in-process; with a curriculum, it picks every episode's level. */
  public static VectorEnv local(PpoConfig cfg) {
    if (cfg.curriculum == null) {
      return local(cfg.envId, context(cfg), cfg.numEnvs, cfg.envThreads);
    }
    return VectorEnv.builder(spec(cfg.envId)).numEnvs(cfg.numEnvs).threads(cfg.envThreads)
        .contextSampler(curriculumSampler(cfg)).resampleOnReset(true).build();
  }

  private static CurriculumSampler curriculumSampler(PpoConfig cfg) {
    return new CurriculumSampler(curriculum(cfg), cfg.numEnvs);
  }

  /** The curriculum a PPO config names, fresh (its options and levels checked). */
  public static Curriculum curriculum(PpoConfig cfg) {
    LevelSpace levels = LevelSpace.of(context(cfg), cfg.curriculumFeatures);
    return Curricula.create(cfg.curriculum, cfg.curriculumOptions, levels, curriculumSeed(cfg));
  }

  /** The seed of a PPO run's curriculum, derived from the run's seed (the same in-process and on a server). */
  public static long curriculumSeed(PpoConfig cfg) {
    return cfg.seed * 0x2545F4914F6CDD1DL + 17;
  }

  /**
   * The return at which an episode of {@code id} counts as solved: the env's registered threshold
   * (CartPole-v1: 475), else Procgen easy mode's R_max (a completed level), else NaN.
   */
  public static double successReturn(String id) {
    Double t = spec(id).rewardThreshold();
    if (t != null) {
      return t;
    }
    double[] r = dev.zeroshot.offline.ProcgenScores.range(id);
    return r == null ? Double.NaN : r[1];
  }

  /**
   * The in-process envs a PPO config trains on: {@link #local}, or with {@link PpoConfig#overlap}
   * the same envs as a {@link HalvedVectorEnv}.
   */
  public static dev.zeroshot.env.VectorEnvApi forTraining(PpoConfig cfg) {
    if (cfg.overlap && cfg.curriculum != null) {
      return new HalvedVectorEnv(spec(cfg.envId), curriculumSampler(cfg), true, cfg.numEnvs, cfg.envThreads);
    }
    if (cfg.overlap) {
      return new HalvedVectorEnv(spec(cfg.envId), context(cfg), cfg.numEnvs, cfg.envThreads);
    }
    return local(cfg);
  }

  /** {@code numEnvs} copies of env {@code id} in {@code context}, stepped by {@code threads} threads. */
  public static VectorEnv local(String id, Context context, int numEnvs, int threads) {
    EnvSpec spec = spec(id);
    return VectorEnv.builder(spec).numEnvs(numEnvs).context(context).threads(threads).build();
  }
}
