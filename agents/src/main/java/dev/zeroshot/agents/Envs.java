package dev.zeroshot.agents;

import dev.zeroshot.agents.bench.SideImageEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.context.Context;
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

  /** The vector env a PPO config asks for, in-process. */
  public static VectorEnv local(PpoConfig cfg) {
    return local(cfg.envId, context(cfg), cfg.numEnvs, cfg.envThreads);
  }

  /**
   * The in-process envs a PPO config trains on: {@link #local}, or with {@link PpoConfig#overlap}
   * the same envs as a {@link HalvedVectorEnv}.
   */
  public static dev.zeroshot.env.VectorEnvApi forTraining(PpoConfig cfg) {
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
