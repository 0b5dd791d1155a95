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

  /**
   * Adds a Procgen level range {@code A:B} (levels A to B-1: {@code start_level=A,
   * num_levels=B-A}) to a {@code k=v,...} context string; null or empty leaves it as it is.
   */
  public static String withLevels(String context, String levels) {
    if (levels == null || levels.isBlank()) {
      return context == null ? "" : context;
    }
    String[] p = levels.split(":");
    long from;
    long to;
    try {
      if (p.length != 2) {
        throw new NumberFormatException();
      }
      from = Long.parseLong(p[0].strip());
      to = Long.parseLong(p[1].strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--levels must be A:B (levels A to B-1), got '" + levels + "'");
    }
    if (from < 0 || to <= from) {
      throw new IllegalArgumentException("--levels A:B needs 0 <= A < B, got '" + levels + "'");
    }
    String c = context == null ? "" : context.strip();
    if (c.contains("start_level") || c.contains("num_levels")) {
      throw new IllegalArgumentException("give the level range either with --levels or in --context, not both");
    }
    String range = "start_level=" + from + ",num_levels=" + (to - from);
    return c.isEmpty() ? range : c + "," + range;
  }

  /** The vector env a PPO config asks for, in-process. */
  public static VectorEnv local(PpoConfig cfg) {
    return local(cfg.envId, cfg.context, cfg.numEnvs, cfg.envThreads);
  }

  public static VectorEnv local(String id, String context, int numEnvs, int threads) {
    EnvSpec spec = spec(id);
    Context ctx = spec.contextSpace().parse(context == null ? "" : context);
    return VectorEnv.builder(spec).numEnvs(numEnvs).context(ctx).threads(threads).build();
  }
}
