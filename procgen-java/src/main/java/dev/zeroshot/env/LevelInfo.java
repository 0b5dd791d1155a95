package dev.zeroshot.env;

/**
 * Optional per-episode facts an env can report beside its observation, as Procgen's info dict
 * does ({@code level_seed}, {@code prev_level_complete}). Check with {@code instanceof}.
 */
public interface LevelInfo {

  /** The seed the current episode's level was generated from. */
  long levelSeed();

  /** Whether the last step completed the level (reached the goal), as opposed to dying. */
  boolean levelComplete();
}
