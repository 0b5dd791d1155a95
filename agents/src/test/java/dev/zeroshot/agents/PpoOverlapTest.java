package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.agents.nn.Param;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.VectorEnvApi;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The overlapped rollout (envs in two halves) and the time breakdown of PPO's phases. */
class PpoOverlapTest {

  @BeforeAll
  static void engine() {
    Torch.init(1);
  }

  private static PpoConfig cartPole(boolean overlap, int numEnvs) {
    PpoConfig c = PpoConfig.controlDiscrete();
    c.numEnvs = numEnvs;
    c.totalTimesteps = 4L * numEnvs * c.numSteps;
    c.seed = 11;
    c.envThreads = 2;
    c.overlap = overlap;
    return c;
  }

  /** The weights after training, and the recent return after every update. */
  private record Run(float[][] weights, List<Double> returns, PpoTiming timing) {}

  private static Run train(PpoConfig c) {
    List<Double> returns = new ArrayList<>();
    try (VectorEnvApi env = Envs.forTraining(c); Ppo ppo = PpoTrainingTest.trainer(c, env)) {
      ppo.train(m -> returns.add(m.recentReturn), () -> false);
      List<Param> ps = ppo.agent().net().params().list();
      float[][] w = new float[ps.size()][];
      for (int i = 0; i < w.length; i++) {
        w[i] = ps.get(i).value.clone();
      }
      return new Run(w, returns, ppo.timing());
    }
  }

  @Test
  void overlappedRolloutLearnsExactlyWhatTheSequentialOneLearns() {
    // 5 envs: halves of 2 and 3. The MLP acts in Java, row by row, so even the floats agree.
    Run off = train(cartPole(false, 5));
    Run on = train(cartPole(true, 5));
    assertEquals(off.returns(), on.returns());
    for (int i = 0; i < off.weights().length; i++) {
      assertArrayEquals(off.weights()[i], on.weights()[i], "param " + i);
    }
    assertTrue(on.timing().nanos(PpoTiming.Phase.WAITING) > 0, "the overlapped rollout waits for its halves");
    assertEquals(0, off.timing().nanos(PpoTiming.Phase.WAITING));
  }

  @Test
  void overlappedRolloutDrivesACurriculumExactlyAsTheSequentialOne() {
    // robust PLR (some levels new: no gradient), ACCEL (mutations from its own stream), SFL
    // (successes): the same levels handed to the same envs, the same feedback, the same weights.
    for (String[] cur : new String[][] {{"robust-plr", "capacity=8,min-fill=0.5"}, {"accel", "capacity=16,min-fill=0.25"},
        {"sfl", ""}}) {
      List<String> off = new ArrayList<>();
      List<String> on = new ArrayList<>();
      Run a = trainWithCurriculum(curriculum(false, cur[0], cur[1]), off);
      Run b = trainWithCurriculum(curriculum(true, cur[0], cur[1]), on);
      assertTrue(off.size() > 20, cur[0] + " saw episodes: " + off.size());
      assertEquals(off, on, cur[0] + ": episodes and feedback");
      assertEquals(a.returns(), b.returns(), cur[0]);
      for (int i = 0; i < a.weights().length; i++) {
        assertArrayEquals(a.weights()[i], b.weights()[i], cur[0] + ": param " + i);
      }
      if (cur[0].equals("robust-plr")) {
        assertTrue(off.stream().anyMatch(e -> e.endsWith(":new")) && off.stream().anyMatch(e -> e.endsWith(":train")),
            "robust PLR both skipped and trained some levels");
      }
    }
  }

  private static PpoConfig curriculum(boolean overlap, String name, String options) {
    PpoConfig c = CurriculumPpoTest.config(name, options);
    c.numEnvs = 5;
    c.totalTimesteps = 4L * 5 * c.numSteps;
    c.envThreads = 2;
    c.overlap = overlap;
    return c.validate();
  }

  /** Trains {@code c}; every episode the curriculum is told of goes to {@code episodes} as text. */
  private static Run trainWithCurriculum(PpoConfig c, List<String> episodes) {
    List<Double> returns = new ArrayList<>();
    try (VectorEnvApi env = Envs.forTraining(c); Ppo ppo = PpoTrainingTest.trainer(c, env)) {
      ppo.onEpisode((step, i, level, f) -> episodes.add(step + ":" + i + ":" + level.levelId() + ":" + level.level()
          + ":" + f + (level.train() ? ":train" : ":new")));
      ppo.train(m -> returns.add(m.recentReturn), () -> false);
      List<Param> ps = ppo.agent().net().params().list();
      float[][] w = new float[ps.size()][];
      for (int i = 0; i < w.length; i++) {
        w[i] = ps.get(i).value.clone();
      }
      return new Run(w, returns, ppo.timing());
    }
  }

  @Test
  void halvedEnvGivesTheSameStepsAsOneVectorEnv() {
    try (VectorEnv one = EnvRegistry.builtin().vector("CartPole-v1").numEnvs(7).threads(1).build();
        HalvedVectorEnv two = new HalvedVectorEnv(Envs.spec("CartPole-v1"), Envs.spec("CartPole-v1").contextSpace().defaults(), 7, 2)) {
      StepBuffers a = StepBuffers.allocate(one);
      StepBuffers b = StepBuffers.allocate(two);
      one.reset(5, a);
      two.reset(5, b);
      for (int t = 0; t < 60; t++) {
        assertEquals(a.observations(), b.observations(), "observations at step " + t);
        assertEquals(a.results(), b.results(), "results at step " + t);
        for (int i = 0; i < 7; i++) {
          a.setDiscreteAction(i, (t * 7 + i) % 3 == 0 ? 1 : 0);
          b.setDiscreteAction(i, (t * 7 + i) % 3 == 0 ? 1 : 0);
        }
        one.step(a);
        if (t % 2 == 0) {
          two.step(b);
        } else {
          two.stepInBackground(b, 1);
          two.stepInBackground(b, 0);
          two.await(0);
          two.await(1);
        }
      }
    }
  }

  @Test
  void badActionInABackgroundStepIsReportedByAwait() {
    try (HalvedVectorEnv env = new HalvedVectorEnv(Envs.spec("CartPole-v1"), Envs.spec("CartPole-v1").contextSpace().defaults(), 4, 1)) {
      StepBuffers b = StepBuffers.allocate(env);
      env.reset(1, b);
      b.setDiscreteAction(3, 9);
      env.stepInBackground(b, 1);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> env.await(1));
      assertTrue(e.getMessage().contains("env 1"), e.getMessage()); // env 1 of the second half
    }
  }

  @Test
  void overlapIsRefusedWhereItCannotWork() {
    IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class, () -> cartPole(true, 1).validate());
    assertTrue(tooFew.getMessage().contains("num-envs must be >= 2"), tooFew.getMessage());
    PpoConfig c = cartPole(true, 4);
    try (VectorEnv plain = Envs.local(c)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PpoTrainingTest.trainer(c, plain));
      assertTrue(e.getMessage().contains("in-process envs split in two halves"), e.getMessage());
    }
  }

  @Test
  void timingCoversThePhasesAndAddsUp() {
    Run r = train(cartPole(false, 4));
    PpoTiming t = r.timing();
    assertEquals(4L * 4 * 128, t.steps());
    for (PpoTiming.Phase p : new PpoTiming.Phase[] {PpoTiming.Phase.ENV_STEP, PpoTiming.Phase.INFERENCE,
        PpoTiming.Phase.UPLOAD, PpoTiming.Phase.LEARNING}) {
      assertTrue(t.nanos(p) > 0, p + " was timed");
    }
    assertTrue(t.otherNanos() >= 0, "phases add up to at most the wall time: other " + t.otherNanos());
    String csv = t.csvRows("x");
    assertEquals(7, csv.lines().count());
    assertTrue(csv.lines().allMatch(l -> l.startsWith("x,")), csv);
  }
}
