package dev.zeroshot.env.curriculum;

import dev.zeroshot.env.context.Context;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Chooses the level (a Procgen level seed, a context, or both: see {@link LevelSpace}) each
 * episode is played on, adapting to feedback on finished episodes: unsupervised environment
 * design. {@link DomainRandomization}, {@link PrioritizedLevelReplay} (PLR, robust PLR, ACCEL)
 * and {@link SamplingForLearnability} (SFL); {@link Curricula} makes them by name with their
 * papers' defaults.
 *
 * <p>Not thread-safe: call from one thread (a {@link CurriculumSampler} in a vector env does).
 * Deterministic: the same seed and the same calls give the same picks, also after
 * {@link #write}/{@link #read} (levels handed out but not yet reported are not part of the state).
 */
public interface Curriculum {

  /**
   * One handed-out level. {@code replay}: it came from the curriculum's buffer (not new);
   * {@code train}: whether the learner should take gradient steps on the episode (robust PLR and
   * ACCEL do not on new levels).
   */
  record Pick(long levelId, Context level, boolean replay, boolean train) {}

  /** The level of the next episode. */
  Pick next();

  /**
   * Feedback on a finished episode of level {@code levelId}, which must have been handed out by
   * {@link #next} and not reported yet; anything else is refused, leaving the state unchanged.
   */
  void update(long levelId, Feedback feedback);

  /** The score the learner should report in its {@link Feedback}. */
  ScoreFunction scoreFunction();

  /** The highest return reported on the level so far (NaN when none), for MaxMC. */
  double bestReturn(long levelId);

  LevelSpace space();

  /** {@code dr}, {@code plr}, {@code robust-plr}, {@code accel} or {@code sfl}. */
  String name();

  /** Every hyperparameter with its value, by its option name. */
  Map<String, String> settings();

  void write(DataOutputStream out) throws IOException;

  /** Restores what {@link #write} saved, into a curriculum made with the same settings. */
  void read(DataInputStream in) throws IOException;
}
