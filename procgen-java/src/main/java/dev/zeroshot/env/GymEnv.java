package dev.zeroshot.env;

import dev.zeroshot.env.space.Space;

/**
 * A single environment with Gymnasium's semantics: {@code reset(seed)}, {@code step(action)},
 * a registered time limit that sets {@code truncated} (Gymnasium's TimeLimit: set once the
 * step count reaches the limit, even if the same step also terminated), and the episode's
 * return and length reported on the step that ends it. Reads the action of slot {@code i} of
 * a {@link StepBuffers} and writes that slot's results, so stepping allocates nothing.
 */
public final class GymEnv {

  private final Env env;
  private final int maxEpisodeSteps;
  private final int obsBytes;
  private final int actionBytes;
  private int elapsedSteps;
  private double episodeReturn;
  private boolean needsReset = true;

  /** @param maxEpisodeSteps the time limit, 0 for none */
  public GymEnv(Env env, int maxEpisodeSteps) {
    if (maxEpisodeSteps < 0) {
      throw new IllegalArgumentException("maxEpisodeSteps must be >= 0 (0 = no limit), got " + maxEpisodeSteps);
    }
    this.env = env;
    this.maxEpisodeSteps = maxEpisodeSteps;
    this.obsBytes = env.observationSpace().byteSize();
    this.actionBytes = env.actionSpace().byteSize();
  }

  public Env env() {
    return env;
  }

  public Space observationSpace() {
    return env.observationSpace();
  }

  public Space actionSpace() {
    return env.actionSpace();
  }

  public int maxEpisodeSteps() {
    return maxEpisodeSteps;
  }

  /** Reseeds, then resets. */
  public void reset(long seed, StepBuffers out, int i) {
    env.seed(seed);
    reset(out, i);
  }

  /** Resets with the env's random stream where it is (Gymnasium's {@code reset(seed=None)}). */
  public void reset(StepBuffers out, int i) {
    env.reset(out.observations(), i * obsBytes);
    elapsedSteps = 0;
    episodeReturn = 0;
    needsReset = false;
    out.setResult(i, 0, false, false);
  }

  /** Checks the action in slot {@code i}, then steps. */
  public void step(StepBuffers io, int i) {
    if (needsReset) {
      throw new IllegalStateException(elapsedSteps == 0 && episodeReturn == 0
          ? "step called before reset" : "step called after the episode ended; call reset first");
    }
    String problem = actionProblem(io, i);
    if (problem != null) {
      throw new IllegalArgumentException("action " + problem);
    }
    stepChecked(io, i);
  }

  /** Returns null if slot i's action is valid, else what is wrong with it. */
  String actionProblem(StepBuffers io, int i) {
    return env.actionSpace().check(io.actions(), i * actionBytes);
  }

  boolean needsReset() {
    return needsReset;
  }

  /** Steps with an action already checked. */
  void stepChecked(StepBuffers io, int i) {
    double reward = env.step(io.actions(), i * actionBytes, io.observations(), i * obsBytes);
    elapsedSteps++;
    episodeReturn += reward;
    boolean terminated = env.terminated();
    boolean truncated = maxEpisodeSteps > 0 && elapsedSteps >= maxEpisodeSteps;
    io.setResult(i, reward, terminated, truncated);
    if (terminated || truncated) {
      io.setEpisode(i, episodeReturn, elapsedSteps);
      needsReset = true;
    }
  }
}
