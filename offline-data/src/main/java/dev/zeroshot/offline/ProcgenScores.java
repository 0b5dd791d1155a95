package dev.zeroshot.offline;

import java.util.Map;

/**
 * Procgen's easy-mode return range (R_min, R_max) per game, the min-max normalization of the
 * Procgen paper (Cobbe et al. 2020, appendix) that gen_dgrl's {@code utils/plot.py} uses;
 * written to a dataset's {@code ref_min_score}/{@code ref_max_score} so that
 * {@code minari.get_normalized_score} gives the same normalized return. Every pair matches the
 * easy-mode table of {@code shared/reference/procgen.md} (section 1).
 */
public final class ProcgenScores {

  private static final Map<String, double[]> EASY = Map.ofEntries(
      Map.entry("coinrun", new double[] {5, 10}), Map.entry("starpilot", new double[] {2.5, 64}),
      Map.entry("caveflyer", new double[] {3.5, 12}), Map.entry("dodgeball", new double[] {1.5, 19}),
      Map.entry("fruitbot", new double[] {-1.5, 32.4}), Map.entry("chaser", new double[] {.5, 13}),
      Map.entry("miner", new double[] {1.5, 13}), Map.entry("jumper", new double[] {3, 10}),
      Map.entry("leaper", new double[] {3, 10}), Map.entry("maze", new double[] {5, 10}),
      Map.entry("bigfish", new double[] {1, 40}), Map.entry("heist", new double[] {3.5, 10}),
      Map.entry("climber", new double[] {2, 12.6}), Map.entry("plunder", new double[] {4.5, 30}),
      Map.entry("ninja", new double[] {3.5, 10}), Map.entry("bossfight", new double[] {.5, 13}));

  private ProcgenScores() {}

  /** {R_min, R_max} for a Procgen env id in easy mode, or null (other modes and envs have none). */
  public static double[] range(String envId) {
    if (!envId.startsWith("procgen/") || !envId.contains("-easy-")) {
      return null;
    }
    String game = envId.substring("procgen/".length(), envId.indexOf("-easy-"));
    double[] r = EASY.get(game);
    return r == null ? null : r.clone();
  }

  /** (ret - R_min) / (R_max - R_min), or NaN without a range. */
  public static double normalize(String envId, double ret) {
    double[] r = range(envId);
    return r == null ? Double.NaN : (ret - r[0]) / (r[1] - r[0]);
  }
}
