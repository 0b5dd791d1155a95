package dev.zeroshot.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSampler;
import dev.zeroshot.env.space.Box;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Vector semantics (next-step autoreset, seeding), determinism, and bad input. */
class VectorEnvTest {

  private final EnvRegistry registry = EnvRegistry.builtin();

  /**
   * Runs {@code steps} steps with actions drawn from a seeded stream and digests every
   * observation byte and reward bit, so two runs match only if bit-identical.
   */
  private static String digestRun(VectorEnv env, long seed, int steps) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    StepBuffers b = StepBuffers.allocate(env);
    SplittableRandom policy = new SplittableRandom(seed ^ 0x5DEECE66DL);
    env.reset(seed, b);
    digest(md, b);
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < env.numEnvs(); i++) {
        env.singleActionSpace().sample(policy, b.actions(), i * b.actionBytes());
      }
      env.step(b);
      digest(md, b);
    }
    StringBuilder sb = new StringBuilder();
    for (byte x : md.digest()) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }

  private static void digest(MessageDigest md, StepBuffers b) {
    ByteBuffer obs = b.observations().duplicate();
    obs.clear();
    md.update(obs);
    for (int i = 0; i < b.numEnvs(); i++) {
      long bits = Double.doubleToRawLongBits(b.reward(i));
      for (int k = 0; k < 8; k++) {
        md.update((byte) (bits >>> (8 * k)));
      }
      md.update((byte) ((b.terminated(i) ? 1 : 0) | (b.truncated(i) ? 2 : 0)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"CartPole-v1", "Pendulum-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Acrobot-v1",
      "TrafficSignal-v0"})
  void sameSeedAndActionsGiveBitIdenticalRunsForAnyThreadCount(String id) throws Exception {
    for (int numEnvs : new int[] {1, 64}) {
      String reference = null;
      for (int threads : new int[] {1, 2, 4}) {
        try (VectorEnv env = registry.vector(id).numEnvs(numEnvs).threads(threads).build()) {
          String d = digestRun(env, 42, 600);
          if (reference == null) {
            reference = d;
          }
          assertEquals(reference, d, id + " with " + numEnvs + " envs differs on " + threads + " threads");
          assertEquals(d, digestRun(env, 42, 600), "a second run on the same env differs");
        }
      }
      try (VectorEnv env = registry.vector(id).numEnvs(numEnvs).build()) {
        assertNotEquals(reference, digestRun(env, 43, 600), "another seed should give another run");
      }
    }
  }

  @Test
  void contextsResampledAtEveryResetAreDeterministicForAnyThreadCount() throws Exception {
    Context base = registry.spec("CartPole-v1").contextSpace().defaults();
    ContextSampler sampler = ContextSampler.uniform(base, List.of("length", "masspole"));
    String reference = null;
    for (int threads : new int[] {1, 2, 4}) {
      try (VectorEnv env = registry.vector("CartPole-v1").numEnvs(64).threads(threads)
          .contextSampler(sampler).resampleOnReset(true).build()) {
        String d = digestRun(env, 7, 400);
        if (reference == null) {
          reference = d;
        }
        assertEquals(reference, d, "resampled contexts differ on " + threads + " threads");
      }
    }
  }

  @Test
  void envIOfAVectorEnvIsASingleEnvSeededWithSeedPlusI() {
    int n = 4;
    try (VectorEnv vec = registry.vector("Acrobot-v1").numEnvs(n).threads(2).build()) {
      StepBuffers vb = StepBuffers.allocate(vec);
      GymEnv[] singles = new GymEnv[n];
      StepBuffers[] sb = new StepBuffers[n];
      vec.reset(100, vb);
      for (int i = 0; i < n; i++) {
        singles[i] = registry.make("Acrobot-v1");
        sb[i] = StepBuffers.allocate(singles[i]);
        singles[i].reset(100 + i, sb[i], 0);
      }
      SplittableRandom policy = new SplittableRandom(9);
      for (int t = 0; t < 1200; t++) { // longer than an episode: autoresets happen
        for (int i = 0; i < n; i++) {
          long a = policy.nextInt(3);
          vb.setDiscreteAction(i, a);
          sb[i].setDiscreteAction(0, a);
        }
        vec.step(vb);
        for (int i = 0; i < n; i++) {
          boolean resetting = singles[i].needsReset();
          if (resetting) {
            singles[i].reset(sb[i], 0); // next-step autoreset: the action is ignored
          } else {
            singles[i].step(sb[i], 0);
          }
          for (int j = 0; j < 6; j++) {
            assertEquals(sb[i].floatObservation(0, j), vb.floatObservation(i, j));
          }
          assertEquals(sb[i].reward(0), vb.reward(i));
          assertEquals(sb[i].terminated(0), vb.terminated(i));
          assertEquals(sb[i].truncated(0), vb.truncated(i));
        }
      }
    }
  }

  @Test
  void theStepAfterAnEpisodeEndsResetsWithRewardZeroAndIgnoresTheAction() {
    try (VectorEnv env = registry.vector("CartPole-v1").numEnvs(2).build()) {
      StepBuffers b = StepBuffers.allocate(env);
      env.reset(5, b);
      int steps = 0;
      do {
        b.setDiscreteAction(0, 1);
        b.setDiscreteAction(1, 0);
        env.step(b);
        steps++;
      } while (!b.episodeEnded(0));
      assertTrue(b.terminated(0));
      assertEquals(steps, b.episodeLength(0));
      b.setDiscreteAction(0, 99); // ignored: env 0 is resetting, so this is not even checked
      b.setDiscreteAction(1, 0);
      env.step(b);
      assertEquals(0.0, b.reward(0));
      assertFalse(b.terminated(0) || b.truncated(0) || b.episodeEnded(0));
      for (int j = 0; j < 4; j++) {
        assertTrue(Math.abs(b.floatObservation(0, j)) <= 0.05f, "a fresh CartPole state is within +-0.05");
      }
      b.setDiscreteAction(0, 99);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> env.step(b));
      assertEquals("action 99 out of range for Discrete(2) in env 0", e.getMessage());
    }
  }

  @Test
  void anInvalidActionStepsNothingAndNamesTheEnv() {
    try (VectorEnv env = registry.vector("Pendulum-v1").numEnvs(8).build()) {
      StepBuffers b = StepBuffers.allocate(env);
      assertThrows(IllegalStateException.class, () -> env.step(b), "step before reset");
      env.reset(0, b);
      byte[] before = new byte[8 * 12];
      b.observations().get(0, before);
      b.setFloatAction(3, 0, 7.5f);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> env.step(b));
      assertTrue(e.getMessage().contains("in env 3") && e.getMessage().contains("7.5"), e.getMessage());
      byte[] after = new byte[8 * 12];
      b.observations().get(0, after);
      assertArrayEquals(before, after);
      b.setFloatAction(3, 0, 1f);
      env.step(b); // and the env still works
    }
  }

  @Test
  void buffersOfTheWrongShapeAreRefused() {
    try (VectorEnv env = registry.vector("CartPole-v1").numEnvs(4).build();
        VectorEnv other = registry.vector("Pendulum-v1").numEnvs(4).build()) {
      assertThrows(IllegalArgumentException.class, () -> env.reset(0, StepBuffers.allocate(other)));
      assertThrows(IllegalArgumentException.class, () -> registry.vector("CartPole-v1").numEnvs(0));
      assertThrows(IllegalArgumentException.class, () -> registry.vector("CartPole-v1").threads(0));
    }
  }

  @Test
  void contextsComeFromTheSamplerAtResetsAndAutoresets() {
    Context base = registry.spec("CartPole-v1").contextSpace().defaults();
    List<Context> grid = ContextSampler.grid(base, "length", 0.5, 2.5, 5);
    try (VectorEnv env = registry.vector("CartPole-v1").numEnvs(3).contextSampler(ContextSampler.list(grid, true))
        .resampleOnReset(true).build()) {
      StepBuffers b = StepBuffers.allocate(env);
      env.reset(0, b);
      for (int i = 0; i < 3; i++) {
        assertEquals(grid.get(i), env.context(i));
      }
      do {
        b.setDiscreteAction(0, 1);
        b.setDiscreteAction(1, 1);
        b.setDiscreteAction(2, 1);
        env.step(b);
      } while (!b.episodeEnded(0));
      env.step(b); // autoreset of env 0: its second context
      assertEquals(grid.get(1), env.context(0));
    }
    try (VectorEnv fixed = registry.vector("CartPole-v1").numEnvs(2).context(grid.get(4)).build()) {
      fixed.reset(0, StepBuffers.allocate(fixed));
      assertEquals(grid.get(4), fixed.context(1));
    }
  }

  @Test
  void visibleContextIsAppendedToTheObservation() {
    Context ctx = registry.spec("CartPole-v1").contextSpace().parse("masspole=0.25");
    try (VectorEnv env = registry.vector("CartPole-v1").numEnvs(2).context(ctx)
        .visibleContext(List.of("masspole", "length")).build()) {
      Box box = (Box) env.singleObservationSpace();
      assertArrayEquals(new int[] {6}, box.shape());
      assertEquals(0.01, box.low(4));
      assertEquals(5.0, box.high(5));
      StepBuffers b = StepBuffers.allocate(env);
      env.reset(0, b);
      assertEquals(0.25f, b.floatObservation(1, 4));
      assertEquals(0.5f, b.floatObservation(1, 5));
      b.setDiscreteAction(0, 0);
      b.setDiscreteAction(1, 0);
      env.step(b);
      assertEquals(0.25f, b.floatObservation(0, 4));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> registry.vector("CartPole-v1").visibleContext(List.of("mass")).build());
    assertTrue(e.getMessage().contains("unknown context feature 'mass'"), e.getMessage());
  }
}
