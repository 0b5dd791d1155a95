package dev.zeroshot.env.curriculum;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSampler;
import java.util.SplittableRandom;

/**
 * A curriculum as a vector env's {@link ContextSampler}: every reset asks it for the next level,
 * and the sampler remembers which level each env is playing, so a learner can report the
 * episode when it ends ({@link #playing}, {@link #report}). It is {@linkplain #sequential()
 * sequential}: the vector env draws from it on one thread in env order, so picks do not depend
 * on threads. Use it with {@code resampleOnReset(true)}.
 */
public final class CurriculumSampler implements ContextSampler, CurriculumLink {

  private final Curriculum curriculum;
  private final Curriculum.Pick[] playing;

  public CurriculumSampler(Curriculum curriculum, int numEnvs) {
    this.curriculum = curriculum;
    this.playing = new Curriculum.Pick[numEnvs];
  }

  public Curriculum curriculum() {
    return curriculum;
  }

  /** The env's random stream is not used: the curriculum has its own, saved with its state. */
  @Override
  public Context sample(int envIndex, long resetCount, SplittableRandom rng) {
    Curriculum.Pick p = curriculum.next();
    playing[envIndex] = p;
    return p.level();
  }

  @Override
  public Context base() {
    return curriculum.space().base();
  }

  @Override
  public boolean sequential() {
    return true;
  }

  /** The level env {@code envIndex} is playing (null before its first reset). */
  @Override
  public Curriculum.Pick playing(int envIndex) {
    return playing[envIndex];
  }

  /** Reports a finished episode of {@code levelId} to the curriculum. */
  @Override
  public void report(long levelId, Feedback feedback) {
    curriculum.update(levelId, feedback);
  }

  @Override
  public ScoreFunction scoreFunction() {
    return curriculum.scoreFunction();
  }

  @Override
  public double bestReturn(long levelId) {
    return curriculum.bestReturn(levelId);
  }

  @Override
  public String toString() {
    return curriculum.name() + " curriculum over " + curriculum.space();
  }
}
