package dev.zeroshot.env.curriculum;

import java.util.Arrays;

/**
 * How a level's score is computed from an episode on it, as the papers define them: PLR's
 * {@code value_l1} (mean |GAE advantage| over the episode's steps), robust PLR's positive value
 * loss (mean max(advantage, 0)) and MaxMC (mean of best return ever seen on the level minus
 * V(s_t)), and SFL's learnability, which the curriculum computes itself from successes.
 */
public enum ScoreFunction {
  VALUE_L1("value_l1"),
  POSITIVE_VALUE_LOSS("pvl"),
  MAX_MC("maxmc"),
  LEARNABILITY("learnability");

  private final String key;

  ScoreFunction(String key) {
    this.key = key;
  }

  /** The name options use: value_l1, pvl, maxmc, learnability. */
  public String key() {
    return key;
  }

  public static ScoreFunction parse(String text) {
    for (ScoreFunction f : values()) {
      if (f.key.equals(text)) {
        return f;
      }
    }
    throw new IllegalArgumentException("score '" + text + "' is not one of value_l1, pvl, maxmc, learnability");
  }

  /**
   * Sums over one episode's steps that every score needs; a learner adds each step's GAE
   * advantage and value estimate as it goes (an episode may span several rollouts).
   */
  public static final class Episode {
    private double sumAbsAdvantage;
    private double sumPositiveAdvantage;
    private double sumValue;
    private int steps;

    public void add(double advantage, double value) {
      sumAbsAdvantage += Math.abs(advantage);
      sumPositiveAdvantage += Math.max(advantage, 0);
      sumValue += value;
      steps++;
    }

    public int steps() {
      return steps;
    }

    /**
     * The episode's score under {@code f}; {@code bestReturn} is the highest return seen on the
     * level, this episode's included (only MaxMC reads it). 0 for an episode of no steps, and
     * for learnability (the curriculum's own score).
     */
    public double score(ScoreFunction f, double bestReturn) {
      if (steps == 0) {
        return 0;
      }
      return switch (f) {
        case VALUE_L1 -> sumAbsAdvantage / steps;
        case POSITIVE_VALUE_LOSS -> sumPositiveAdvantage / steps;
        case MAX_MC -> bestReturn - sumValue / steps;
        case LEARNABILITY -> 0;
      };
    }

    public void clear() {
      sumAbsAdvantage = 0;
      sumPositiveAdvantage = 0;
      sumValue = 0;
      steps = 0;
    }
  }

  /** Every score key, for messages. */
  static String keys() {
    return Arrays.toString(Arrays.stream(values()).map(ScoreFunction::key).toArray());
  }
}
