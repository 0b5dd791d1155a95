package dev.zeroshot.offline;

import java.util.Arrays;

/**
 * One episode as Minari stores it: {@code T + 1} observations (the first one included, the
 * last one the state the final step reached) and {@code T} actions, rewards and flags.
 * Observations are stored end to end, {@code observationBytes} each, little-endian (uint8
 * pixels channel-first, or float32 vectors). Actions are Discrete ({@code actions}, and
 * {@code boxActions} is null) or Box ({@code boxActions}, T actions of float32 values end to
 * end, and {@code actions} is null).
 *
 * @param id the episode's index in its dataset
 * @param observations {@code (T + 1) * observationBytes} bytes
 * @param actions T Discrete actions, or null for an episode of Box actions
 * @param levelSeed the Procgen level seed the episode ran on, or -1 if none
 * @param boxActions T Box actions' values, row-major, or null for an episode of Discrete actions
 */
public record Episode(int id, int observationBytes, byte[] observations, long[] actions, double[] rewards,
    boolean[] terminations, boolean[] truncations, long levelSeed, float[] boxActions) {

  public Episode {
    int t = rewards.length;
    if ((actions == null) == (boxActions == null)) {
      throw new IllegalArgumentException("an episode holds either Discrete or Box actions, not "
          + (actions == null ? "neither" : "both"));
    }
    if (actions == null && (t == 0 ? boxActions.length != 0 : boxActions.length == 0 || boxActions.length % t != 0)) {
      throw new IllegalArgumentException(boxActions.length + " Box action values do not make " + t + " actions");
    }
    int a = actions != null ? actions.length : t; // Box actions: checked against T just above
    if (a != t || terminations.length != t || truncations.length != t) {
      throw new IllegalArgumentException("actions, rewards, terminations and truncations must have one length, got "
          + a + ", " + t + ", " + terminations.length + ", " + truncations.length);
    }
    if (observationBytes <= 0 || observations.length != (long) (t + 1) * observationBytes) {
      throw new IllegalArgumentException("expected " + (t + 1) + " observations of " + observationBytes
          + " bytes (" + ((long) (t + 1) * observationBytes) + "), got " + observations.length + " bytes");
    }
  }

  /** An episode of Discrete actions. */
  public Episode(int id, int observationBytes, byte[] observations, long[] actions, double[] rewards,
      boolean[] terminations, boolean[] truncations, long levelSeed) {
    this(id, observationBytes, observations, actions, rewards, terminations, truncations, levelSeed, null);
  }

  /** An episode of Box actions ({@code boxActions}: T actions' float32 values end to end). */
  public static Episode ofBoxActions(int id, int observationBytes, byte[] observations, float[] boxActions,
      double[] rewards, boolean[] terminations, boolean[] truncations, long levelSeed) {
    return new Episode(id, observationBytes, observations, null, rewards, terminations, truncations, levelSeed,
        boxActions);
  }

  /** The number of steps T. */
  public int length() {
    return rewards.length;
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
        && Arrays.equals(e.truncations, truncations) && Arrays.equals(e.boxActions, boxActions);
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
