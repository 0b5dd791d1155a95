package dev.zeroshot.env.xland;

import dev.zeroshot.env.Env;
import dev.zeroshot.env.LevelInfo;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A meta-RL trial: several episodes of one ruleset, the rules hidden, as XLand-MiniGrid trains and
 * evaluates its meta-RL agents (its {@code GymAutoResetWrapper} over one ruleset for the whole
 * trial). Each reset starts a trial: it draws a level (a ruleset) as {@link XLandEnv} does. Within
 * the trial, an episode ends when the goal is met (reward {@code 1 - 0.9 * steps / max_steps}, the
 * episode's own steps) or after the episode's {@code 3 * width * height} steps (no reward); then the
 * same ruleset starts again on the same step: the layout built again, the objects and the agent placed
 * again on fresh random cells (XLand-MiniGrid's reset: "initial objects positions will be randomized
 * on each reset"), the step's observation the new episode's first. The trial terminates after
 * {@code trial_episodes} episodes (XLand-MiniGrid's evaluation: a fixed number of episodes) or is
 * truncated by the registered time limit (its training: a fixed number of steps per trial); with
 * {@code trial_episodes = 0} only the time limit ends it. The observation is the plain view: nothing
 * tells the rules or the episode boundaries but the reward.
 */
public final class XLandTrialEnv implements Env, LevelInfo {

  /** XLand-MiniGrid's paper evaluates trials of 25 episodes (configs/meta.yaml). */
  public static final int MAX_TRIAL_EPISODES = 25;
  /** XLand-MiniGrid's default evaluation trial (train_meta_task.py: eval_num_episodes). */
  public static final int DEFAULT_TRIAL_EPISODES = 10;

  private final XLandEnv episode;
  private int trialEpisodes;
  private int episodes;
  private boolean goalMet;
  private boolean terminated;

  public XLandTrialEnv(Context context, Layout layout, int width, int height, int view) {
    this.episode = new XLandEnv(context, layout, width, height, view);
    setContext(context);
  }

  /** The XLand features plus {@code trial_episodes}. */
  public static ContextSpace contextSpace(String owner) {
    return XLandEnv.contextSpace(owner, List.of(new ContextFeature("trial_episodes", DEFAULT_TRIAL_EPISODES, 0,
        MAX_TRIAL_EPISODES, "episodes of the same ruleset per trial (0: until the time limit)", true)));
  }

  /** The time limit of a trial: room for the longest trial's episodes, each at its own limit. */
  public static int maxTrialSteps(int width, int height) {
    return MAX_TRIAL_EPISODES * XLandEnv.maxSteps(width, height);
  }

  @Override
  public Space observationSpace() {
    return episode.observationSpace();
  }

  @Override
  public Space actionSpace() {
    return episode.actionSpace();
  }

  @Override
  public Context context() {
    return episode.context();
  }

  @Override
  public void setContext(Context c) {
    episode.setContext(c);
    trialEpisodes = (int) c.get("trial_episodes");
  }

  @Override
  public void seed(long seed) {
    episode.seed(seed);
  }

  @Override
  public void reset(ByteBuffer obs, int obsOffset) {
    episode.reset(obs, obsOffset);
    episodes = 0;
    goalMet = false;
    terminated = false;
  }

  @Override
  public double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int obsOffset) {
    double reward = episode.step(actions, actionOffset, obs, obsOffset);
    goalMet = episode.terminated(); // before a restart clears it
    if (goalMet || episode.episodeSteps() == episode.maxSteps()) {
      episodes++;
      if (episodes == trialEpisodes) {
        terminated = true;
      } else {
        episode.restart(obs, obsOffset);
      }
    }
    return reward;
  }

  @Override
  public boolean terminated() {
    return terminated;
  }

  /** Episodes of this trial that have ended. */
  public int episodes() {
    return episodes;
  }

  @Override
  public long levelSeed() {
    return episode.levelSeed();
  }

  /** Whether the last step met the goal (so an episode of the trial ended with a reward). */
  @Override
  public boolean levelComplete() {
    return goalMet;
  }

  /** The env of the current episode, for tests and renderers. */
  public XLandEnv episode() {
    return episode;
  }
}
