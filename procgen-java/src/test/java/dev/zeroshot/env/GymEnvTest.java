package dev.zeroshot.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Gymnasium's single-env semantics: time limits, terminated vs truncated, episode statistics. */
class GymEnvTest {

  private final EnvRegistry registry = EnvRegistry.builtin();

  @Test
  void registeredTimeLimitsAreGymnasiums() {
    assertEquals(500, registry.spec("CartPole-v1").maxEpisodeSteps());
    assertEquals(475.0, registry.spec("CartPole-v1").rewardThreshold());
    assertEquals(200, registry.spec("Pendulum-v1").maxEpisodeSteps());
    assertEquals(200, registry.spec("MountainCar-v0").maxEpisodeSteps());
    assertEquals(999, registry.spec("MountainCarContinuous-v0").maxEpisodeSteps());
    assertEquals(500, registry.spec("Acrobot-v1").maxEpisodeSteps());
  }

  @Test
  void pendulumIsTruncatedAtItsTimeLimitNeverTerminated() {
    GymEnv env = registry.make("Pendulum-v1");
    StepBuffers b = StepBuffers.allocate(env);
    env.reset(3, b, 0);
    double sum = 0;
    for (int t = 1; t <= 200; t++) {
      b.setFloatAction(0, 0, 0.5f);
      env.step(b, 0);
      sum += b.reward(0);
      assertFalse(b.terminated(0));
      assertEquals(t == 200, b.truncated(0), "truncated at step " + t);
      assertEquals(t == 200, b.episodeEnded(0));
    }
    assertEquals(200, b.episodeLength(0));
    assertEquals(sum, b.episodeReturn(0), 1e-9);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> env.step(b, 0));
    assertTrue(e.getMessage().contains("after the episode ended"), e.getMessage());
  }

  @Test
  void mountainCarDoingNothingIsTruncatedAt200() {
    GymEnv env = registry.make("MountainCar-v0");
    StepBuffers b = StepBuffers.allocate(env);
    env.reset(0, b, 0);
    int steps = 0;
    do {
      b.setDiscreteAction(0, 1);
      env.step(b, 0);
      steps++;
    } while (!b.episodeEnded(0));
    assertEquals(200, steps);
    assertTrue(b.truncated(0));
    assertFalse(b.terminated(0));
    assertEquals(-200.0, b.episodeReturn(0));
  }

  @Test
  void cartPoleFallsTerminatedNotTruncated() {
    GymEnv env = registry.make("CartPole-v1");
    StepBuffers b = StepBuffers.allocate(env);
    env.reset(1, b, 0);
    int steps = 0;
    do {
      b.setDiscreteAction(0, 1); // always push right: falls in a few dozen steps
      env.step(b, 0);
      steps++;
    } while (!b.episodeEnded(0));
    assertTrue(b.terminated(0));
    assertFalse(b.truncated(0));
    assertEquals(steps, b.episodeLength(0));
    assertEquals(steps, b.episodeReturn(0)); // reward 1 on every step, the last one included
    assertTrue(steps < 100);
  }

  @Test
  void truncationIsSetEvenWhenTheLastStepAlsoTerminates() {
    // Gymnasium's TimeLimit sets truncated once the limit is reached, whatever terminated says.
    GymEnv env = new GymEnv(registry.spec("CartPole-v1").make(registry.spec("CartPole-v1").contextSpace().defaults()), 3);
    StepBuffers b = StepBuffers.allocate(env);
    env.reset(0, b, 0);
    ((dev.zeroshot.env.control.CartPole) env.env()).setState(0, 0, 0, 0);
    for (int t = 0; t < 2; t++) {
      b.setDiscreteAction(0, 0);
      env.step(b, 0);
    }
    ((dev.zeroshot.env.control.CartPole) env.env()).setState(2.399, 5, 0, 0);
    env.step(b, 0);
    assertTrue(b.terminated(0));
    assertTrue(b.truncated(0));
  }

  @Test
  void badActionsAndEarlyStepsAreRefused() {
    GymEnv env = registry.make("CartPole-v1");
    StepBuffers b = StepBuffers.allocate(env);
    IllegalStateException early = assertThrows(IllegalStateException.class, () -> env.step(b, 0));
    assertTrue(early.getMessage().contains("before reset"), early.getMessage());
    env.reset(0, b, 0);
    b.setDiscreteAction(0, 2);
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> env.step(b, 0));
    assertEquals("action 2 out of range for Discrete(2)", bad.getMessage());
    GymEnv pendulum = registry.make("Pendulum-v1");
    StepBuffers p = StepBuffers.allocate(pendulum);
    pendulum.reset(0, p, 0);
    p.setFloatAction(0, 0, Float.NaN);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> pendulum.step(p, 0)).getMessage().contains("NaN"));
    assertThrows(IllegalArgumentException.class, () -> new GymEnv(env.env(), -1));
  }

  @Test
  void unknownIdsAreRefusedWithSuggestions() {
    IllegalArgumentException v0 = assertThrows(IllegalArgumentException.class, () -> registry.spec("CartPole-v0"));
    assertEquals("unknown env id 'CartPole-v0'; did you mean CartPole-v1?", v0.getMessage());
    assertEquals("unknown env id 'CartPol-v1'; did you mean CartPole-v1?",
        assertThrows(IllegalArgumentException.class, () -> registry.spec("CartPol-v1")).getMessage());
    assertEquals("unknown env id 'pendulum'; did you mean Pendulum-v1?",
        assertThrows(IllegalArgumentException.class, () -> registry.spec("pendulum")).getMessage());
    assertEquals("unknown env id 'maze'; did you mean procgen/maze-v0?",
        assertThrows(IllegalArgumentException.class, () -> EnvRegistry.builtin().spec("maze")).getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> registry.spec("Hopper-v4"));
    assertTrue(none.getMessage().contains("registered: CartPole-v1, Pendulum-v1"), none.getMessage());
    assertThrows(IllegalArgumentException.class, () -> registry.register(registry.spec("CartPole-v1")));
  }
}
