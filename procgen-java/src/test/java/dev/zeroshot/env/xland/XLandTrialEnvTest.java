package dev.zeroshot.env.xland;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Meta-RL trials: several episodes of one hidden ruleset, ended by episodes or the time limit. */
class XLandTrialEnvTest {

  static final String META = "XLand-MiniGrid-R1-9x9-Meta-v0";

  private final ByteBuffer obs = ByteBuffer.allocateDirect(50).order(ByteOrder.LITTLE_ENDIAN);
  private final ByteBuffer action = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN);

  private static XLandTrialEnv make(String context) {
    EnvSpec spec = EnvRegistry.builtin().spec(META);
    return (XLandTrialEnv) spec.make(spec.contextSpace().parse(context));
  }

  /** A trivial-benchmark trial whose goal is to hold an object (found by scanning the levels). */
  private static XLandTrialEnv holdGoalTrial(int trialEpisodes) {
    for (int level = 0; ; level++) {
      XLandTrialEnv env = make("num_levels=1,start_level=" + level + ",trial_episodes=" + trialEpisodes);
      env.seed(7);
      env.reset(ByteBuffer.allocateDirect(50), 0);
      if (env.episode().ruleset().goal().kind() == Goal.Kind.AGENT_HOLD) {
        return env;
      }
    }
  }

  private double step(XLandTrialEnv env, int a) {
    action.putLong(0, a);
    return env.step(action, 0, obs, 0);
  }

  /** Puts the goal's object in front of the agent and picks it up: the goal is met on this step. */
  private double meetTheGoal(XLandTrialEnv env) {
    World w = env.episode().world();
    w.clear();
    w.placeAgent(4, 4, World.UP);
    w.set(4, 3, env.episode().ruleset().goal().a());
    return step(env, World.PICK_UP);
  }

  @Test
  void registersTheVariantsWithTheirSpaces() {
    EnvSpec spec = EnvRegistry.builtin().spec(META);
    assertEquals(25 * 243, spec.maxEpisodeSteps());
    assertEquals(10, spec.contextSpace().defaults().get("trial_episodes"));
    XLandTrialEnv env = make("");
    assertEquals(EnvRegistry.builtin().make("XLand-MiniGrid-R1-9x9-v0").observationSpace(), env.observationSpace(),
        "a trial observes the plain view: nothing of the rules");
    assertEquals(25 * 768, EnvRegistry.builtin().spec("XLand-MiniGrid-R9-16x16-Meta-v0").maxEpisodeSteps());
  }

  @Test
  void aGoalStartsTheSameRulesetAgainUntilTheTrialsEpisodesAreDone() {
    XLandTrialEnv env = holdGoalTrial(3);
    env.reset(obs, 0);
    Ruleset ruleset = env.episode().ruleset();
    long level = env.levelSeed();
    for (int e = 1; e <= 3; e++) {
      step(env, World.TURN_LEFT);
      double reward = meetTheGoal(env);
      assertEquals(1.0 - 0.9 * 2 / 243, reward, 1e-12, "the episode's own steps set the reward");
      assertTrue(env.levelComplete());
      assertEquals(e, env.episodes());
      assertEquals(e == 3, env.terminated(), "episode " + e);
      assertSame(ruleset, env.episode().ruleset(), "the trial keeps its ruleset");
      assertEquals(level, env.levelSeed());
      if (e < 3) {
        assertEquals(0, env.episode().episodeSteps(), "a new episode started on the goal's step");
        assertEquals(Tiles.NOTHING, env.episode().world().pocket, "the new episode starts with an empty pocket");
      }
    }
  }

  @Test
  void anEpisodeOutOfStepsEndsWithoutRewardAndTheTrialGoesOn() {
    XLandTrialEnv env = holdGoalTrial(2);
    env.reset(obs, 0);
    byte[] before = env.episode().world().cells.clone();
    for (int t = 1; t <= 243; t++) {
      assertEquals(0.0, step(env, World.TURN_RIGHT)); // turning never meets a hold goal
    }
    assertEquals(1, env.episodes());
    assertFalse(env.terminated());
    assertEquals(0, env.episode().episodeSteps());
    assertFalse(java.util.Arrays.equals(before, env.episode().world().cells), "the objects are placed again");
  }

  @Test
  void zeroTrialEpisodesLeaveOnlyTheTimeLimit() {
    XLandTrialEnv env = holdGoalTrial(0);
    env.reset(obs, 0);
    for (int e = 1; e <= 30; e++) {
      meetTheGoal(env);
      assertEquals(e, env.episodes());
      assertFalse(env.terminated());
    }
  }

  /** Stepping a trial, episode restarts included, allocates nothing: only trial resets are left out. */
  @Test
  void trialStepsDoNotAllocate() {
    Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
    XLandTrialEnv env = make("chain_depth=3,distractor_rules=4,num_levels=50,trial_episodes=0");
    SplittableRandom policy = new SplittableRandom(9);
    env.seed(3);
    env.reset(obs, 0);
    long allocated = 0;
    int restarts = 0;
    for (int round = 0; round < 2; round++) { // the first round warms the JIT up
      long inResets = 0;
      restarts = 0;
      long start = mx.getCurrentThreadAllocatedBytes();
      for (int t = 0; t < 40_000; t++) {
        int episodes = env.episodes();
        step(env, policy.nextInt(6));
        restarts += env.episodes() - episodes;
        if (t % 6075 == 6074) {
          long before = mx.getCurrentThreadAllocatedBytes();
          env.reset(obs, 0);
          inResets += mx.getCurrentThreadAllocatedBytes() - before;
        }
      }
      allocated = mx.getCurrentThreadAllocatedBytes() - start - inResets;
    }
    assertTrue(restarts > 100, "only " + restarts + " episodes restarted within trials");
    assertTrue(allocated <= 16 * 1024, "allocated " + allocated + " bytes in 40000 steps");
  }
}
