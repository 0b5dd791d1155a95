package dev.zeroshot.offline;

import java.util.Arrays;

/**
 * One episode as Minari stores it: {@code T + 1} observations (the first one included, the
 * last one the state the final step reached) and {@code T} actions, rewards and flags.
 * Observations are stored end to end, {@code observationBytes} each, little-endian (uint8
 * pixels channel-first, or float32 vectors).
 *
 * @param id the episode's index in its dataset
 * @param observations {@code (T + 1) * observationBytes} bytes
 * @param levelSeed the Procgen level seed the episode ran on, or -1 if none
 */
public record Episode(int id, int observationBytes, byte[] observations, long[] actions, double[] rewards,
    boolean[] terminations, boolean[] truncations, long levelSeed) {

  public Episode {
    int t = actions.length;
    if (rewards.length != t || terminations.length != t || truncations.length != t) {
      throw new IllegalArgumentException("actions, rewards, terminations and truncations must have one length, got "
          + t + ", " + rewards.length + ", " + terminations.length + ", " + truncations.length);
    }
    if (observationBytes <= 0 || observations.length != (long) (t + 1) * observationBytes) {
      throw new IllegalArgumentException("expected " + (t + 1) + " observations of " + observationBytes
          + " bytes (" + ((long) (t + 1) * observationBytes) + "), got " + observations.length + " bytes");
    }
  }

  /** The number of steps T. */
  public int length() {
    return actions.length;
  }

  /** The sum of the rewards. */
  public double totalReturn() {
    double s = 0;
    for (double r : rewards) {
      s += r;
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Episode e && e.id == id && e.observationBytes == observationBytes && e.levelSeed == levelSeed
        && Arrays.equals(e.observations, observations) && Arrays.equals(e.actions, actions)
        && Arrays.equals(e.rewards, rewards) && Arrays.equals(e.terminations, terminations)
        && Arrays.equals(e.truncations, truncations);
  }

  @Override
  public int hashCode() {
    return id * 31 + Arrays.hashCode(actions);
  }

  @Override
  public String toString() {
    return "Episode " + id + " (" + length() + " steps, return " + totalReturn() + ")";
  }
}
