package dev.zeroshot.offline;

import java.util.Map;

/**
 * Procgen's return range (R_min, R_max) per game in easy and in hard mode, the min-max
 * normalization of the Procgen paper (Cobbe et al. 2020, appendix) that gen_dgrl's
 * {@code utils/plot.py} uses (easy); written to a dataset's {@code ref_min_score}/{@code ref_max_score}
 * so that {@code minari.get_normalized_score} gives the same normalized return. Every pair matches
 * the table of {@code shared/reference/procgen.md} (section 1). The paper gives no range for the
 * memory and extreme modes, so those ids have none.
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

  private static final Map<String, double[]> HARD = Map.ofEntries(
      Map.entry("coinrun", new double[] {5, 10}), Map.entry("starpilot", new double[] {1.5, 35}),
      Map.entry("caveflyer", new double[] {2, 13.4}), Map.entry("dodgeball", new double[] {1.5, 19}),
      Map.entry("fruitbot", new double[] {-.5, 27.2}), Map.entry("chaser", new double[] {.5, 14.2}),
      Map.entry("miner", new double[] {1.5, 20}), Map.entry("jumper", new double[] {1, 10}),
      Map.entry("leaper", new double[] {1.5, 10}), Map.entry("maze", new double[] {4, 10}),
      Map.entry("bigfish", new double[] {0, 40}), Map.entry("heist", new double[] {2, 10}),
      Map.entry("climber", new double[] {1, 12.6}), Map.entry("plunder", new double[] {3, 30}),
      Map.entry("ninja", new double[] {2, 10}), Map.entry("bossfight", new double[] {.5, 13}));

  private ProcgenScores() {}

  /**
   * {R_min, R_max} for a Procgen env id: {@code procgen/GAME-easy-v0} has easy mode's,
   * {@code procgen/GAME-v0} hard mode's (a symbolic twin, {@code -symbolic-v0}, its pixel id's);
   * null for the other modes and for other envs.
   */
  public static double[] range(String envId) {
    if (!envId.startsWith("procgen/") || !envId.endsWith("-v0")) {
      return null;
    }
    String name = envId.substring("procgen/".length(), envId.length() - "-v0".length());
    if (name.endsWith("-symbolic")) {
      name = name.substring(0, name.length() - "-symbolic".length());
    }
    int dash = name.indexOf('-');
    Map<String, double[]> table = dash < 0 ? HARD : name.substring(dash + 1).equals("easy") ? EASY : null;
    double[] r = table == null ? null : table.get(dash < 0 ? name : name.substring(0, dash));
    return r == null ? null : r.clone();
  }

  /** (ret - R_min) / (R_max - R_min), or NaN without a range. */
  public static double normalize(String envId, double ret) {
    double[] r = range(envId);
    return r == null ? Double.NaN : (ret - r[0]) / (r[1] - r[0]);
  }
}
