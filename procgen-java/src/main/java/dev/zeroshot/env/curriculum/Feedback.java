package dev.zeroshot.env.curriculum;

/**
 * What a learner reports about one finished episode on a level: its score (by the curriculum's
 * {@link ScoreFunction}; SFL ignores it), whether it succeeded, its return and its length.
 */
public record Feedback(double score, boolean success, double episodeReturn, int length) {

  public Feedback {
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("episode score must be a finite number, got " + score);
    }
    if (!Double.isFinite(episodeReturn)) {
      throw new IllegalArgumentException("episode return must be a finite number, got " + episodeReturn);
    }
    if (length < 0) {
      throw new IllegalArgumentException("episode length must be >= 0, got " + length);
    }
  }
}
