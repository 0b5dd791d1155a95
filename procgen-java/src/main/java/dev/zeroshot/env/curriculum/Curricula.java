package dev.zeroshot.env.curriculum;

import java.util.List;

/**
 * Makes a curriculum by name, with its paper's defaults as the preset and any setting changed by
 * {@code k=v,...} options:
 *
 * <ul>
 *   <li>{@code dr}: uniform (no options).
 *   <li>{@code plr} (level-replay's reference run): score value_l1, rank prioritization,
 *       temperature 0.1, staleness 0.1, proportionate replay schedule (replay-prob 0.5 where
 *       the level space is unbounded: level-replay's nu), capacity 4,000, min-fill 0.
 *   <li>{@code robust-plr} (JaxUED's maze defaults): score maxmc, temperature 0.3, staleness
 *       0.3, fixed schedule with replay-prob 0.8, capacity 4,000, min-fill 0.5, no gradient
 *       steps on new levels.
 *   <li>{@code accel}: robust-plr plus 5 edits per new level made from a replayed one
 *       (edit-scale 0.05 of a feature's range: chosen here).
 *   <li>{@code sfl} (the paper's): buffer-size 1,000, candidates 25,000 (5 x 5,000), buffer-share
 *       0.5, candidate-episodes 4 (chosen here; see {@link SamplingForLearnability}).
 * </ul>
 */
public final class Curricula {

  public static final List<String> NAMES = List.of("dr", "plr", "robust-plr", "accel", "sfl");

  private Curricula() {}

  /** {@code name} over {@code space}, seeded; {@code options} may be null or empty. */
  public static Curriculum create(String name, String options, LevelSpace space, long seed) {
    Options o = new Options(name, options);
    switch (name) {
      case "dr":
        o.requireAllUsed("");
        return new DomainRandomization(space, seed);
      case "plr":
      case "robust-plr":
      case "accel": {
        PrioritizedLevelReplay.Settings s = preset(name);
        s.apply(o);
        return new PrioritizedLevelReplay(s, space, seed);
      }
      case "sfl": {
        SamplingForLearnability.Settings s = new SamplingForLearnability.Settings();
        s.apply(o);
        return new SamplingForLearnability(s, space, seed);
      }
      default:
        throw new IllegalArgumentException("unknown curriculum '" + name + "'; known: " + String.join(", ", NAMES));
    }
  }

  /** The preset of plr, robust-plr or accel. */
  static PrioritizedLevelReplay.Settings preset(String name) {
    PrioritizedLevelReplay.Settings s = new PrioritizedLevelReplay.Settings();
    s.name = name;
    if (!name.equals("plr")) {
      s.score = ScoreFunction.MAX_MC;
      s.temperature = 0.3;
      s.staleness = 0.3;
      s.schedule = "fixed";
      s.replayProb = 0.8;
      s.minFill = 0.5;
      s.exploratoryGrad = false;
    }
    if (name.equals("accel")) {
      s.edits = 5;
    }
    return s;
  }
}
