package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.zeroshot.agents.nn.Param;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.curriculum.Curriculum;
import dev.zeroshot.env.curriculum.CurriculumLink;
import dev.zeroshot.env.curriculum.CurriculumSampler;
import dev.zeroshot.env.curriculum.PrioritizedLevelReplay;
import dev.zeroshot.env.curriculum.ScoreFunction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PPO driven by a curriculum: the scores it reports, robust PLR's skipped updates, checkpoints. */
class CurriculumPpoTest {

  @BeforeAll
  static void engine() {
    Torch.init(1);
  }

  @Test
  void scoresOnAFixedGaeTrace() {
    // GaeTest's trace (gamma 0.9, lambda 0.5): r = [1, 0, 2], V = [0.5, 1, 1.5], V(o_3) = 2
    // gives A = [2.02325, 1.385, 2.3]; then one of A = [-1, 0.5, -0.2] by hand:
    float[] adv = new float[3];
    float[] ret = new float[3];
    float[] values = {0.5f, 1, 1.5f};
    Gae.compute(3, 1, new float[] {1, 0, 2}, values, new float[] {2}, new boolean[3], new boolean[3], 0.9, 0.5, adv,
        ret);
    ScoreFunction.Episode e = new ScoreFunction.Episode();
    for (int t = 0; t < 3; t++) {
      e.add(adv[t], values[t]);
    }
    assertEquals((2.02325 + 1.385 + 2.3) / 3, e.score(ScoreFunction.VALUE_L1, 0), 1e-6);
    assertEquals((2.02325 + 1.385 + 2.3) / 3, e.score(ScoreFunction.POSITIVE_VALUE_LOSS, 0), 1e-6);
    assertEquals(4.0 - (0.5 + 1 + 1.5) / 3, e.score(ScoreFunction.MAX_MC, 4.0), 1e-6); // best return 4
    e.clear();
    double[] a = {-1, 0.5, -0.2};
    for (int t = 0; t < 3; t++) {
      e.add(a[t], values[t]);
    }
    assertEquals(1.7 / 3, e.score(ScoreFunction.VALUE_L1, 0), 1e-12);
    assertEquals(0.5 / 3, e.score(ScoreFunction.POSITIVE_VALUE_LOSS, 0), 1e-12);
  }

  static PpoConfig config(String curriculum, String options) {
    PpoConfig c = PpoConfig.controlDiscrete();
    c.totalTimesteps = 4 * 512;
    c.seed = 5;
    c.curriculum = curriculum;
    c.curriculumOptions = options;
    c.curriculumFeatures = "length=0.1:2.0";
    return c.validate();
  }

  static Ppo trainer(PpoConfig c, VectorEnv env) {
    return new Ppo(c, env, Agent.modelFor(env.singleObservationSpace(), env.singleActionSpace(), c.model, c.hidden,
        c.seed), Device.cpu());
  }

  private static float[][] weights(Ppo ppo) {
    List<Param> ps = ppo.agent().net().params().list();
    float[][] out = new float[ps.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = ps.get(i).value.clone();
    }
    return out;
  }

  @Test
  void robustPlrTakesNoGradientStepOnNewLevels() {
    // the buffer never fills to min-fill 1: every level is new, so no step may train
    PpoConfig robust = config("robust-plr", "capacity=100000,min-fill=1");
    try (VectorEnv env = Envs.local(robust); Ppo ppo = trainer(robust, env)) {
      float[][] before = weights(ppo);
      List<Curriculum.Pick> reported = new ArrayList<>();
      ppo.onEpisode((step, i, level, f) -> reported.add(level));
      ppo.iterate();
      ppo.iterate();
      float[][] after = weights(ppo);
      for (int i = 0; i < before.length; i++) {
        assertArrayEquals(before[i], after[i], "param " + i);
      }
      assertFalse(reported.isEmpty());
      assertTrue(reported.stream().noneMatch(Curriculum.Pick::train));
      PrioritizedLevelReplay c = (PrioritizedLevelReplay) ((CurriculumSampler) CurriculumLink.of(env)).curriculum();
      assertEquals(reported.size(), c.bufferSize(), "every new level entered the buffer with its score");
    }
    // PLR trains on new levels
    PpoConfig plr = config("plr", "");
    try (VectorEnv env = Envs.local(plr); Ppo ppo = trainer(plr, env)) {
      float[][] before = weights(ppo);
      ppo.iterate();
      assertFalse(java.util.Arrays.equals(before[0], weights(ppo)[0]));
    }
  }

  @Test
  void reportedScoresAreTheCurriculumsOwnAndRunsAreDeterministic() {
    List<String> a = run("plr", "capacity=64", 5);
    assertEquals(a, run("plr", "capacity=64", 5));
    assertNotEquals(a, run("plr", "capacity=64", 6));
    assertTrue(a.stream().anyMatch(s -> s.endsWith("replay")), "PLR replays once levels are seen");
  }

  private static List<String> run(String name, String options, long seed) {
    PpoConfig c = config(name, options);
    c.seed = seed;
    List<String> out = new ArrayList<>();
    try (VectorEnv env = Envs.local(c); Ppo ppo = trainer(c, env)) {
      ppo.onEpisode((step, i, level, f) -> {
        assertTrue(f.score() >= 0, "value_l1 is a mean of absolute values");
        assertEquals(f.episodeReturn(), f.length(), 0, "CartPole pays 1 per step");
        out.add(step + ":" + i + ":" + level.levelId() + ":" + f.score() + (level.replay() ? ":replay" : ""));
      });
      ppo.train(null, () -> false);
    }
    return out;
  }

  @Test
  void theCheckpointCarriesTheCurriculum(@TempDir Path dir) throws IOException {
    PpoConfig c = config("accel", "capacity=32,min-fill=0.25");
    c.totalTimesteps = 3 * 512;
    Path file = dir.resolve("ckpt");
    List<Curriculum.Pick> expected = new ArrayList<>();
    try (VectorEnv env = Envs.local(c); Ppo ppo = trainer(c, env)) {
      ppo.train(null, () -> false);
      Checkpoint.save(ppo, file);
      Curriculum cur = ((CurriculumSampler) CurriculumLink.of(env)).curriculum();
      for (int k = 0; k < 20; k++) {
        expected.add(cur.next());
      }
    }
    try (VectorEnv env = Envs.local(c); Ppo resumed = (Ppo) Checkpoint.resume(file, env, Device.cpu())) {
      Curriculum cur = ((CurriculumSampler) CurriculumLink.of(env)).curriculum();
      for (Curriculum.Pick p : expected) {
        Curriculum.Pick q = cur.next();
        assertEquals(p.levelId(), q.levelId());
        assertEquals(p.level(), q.level());
        assertEquals(p.replay(), q.replay());
      }
    }
  }
}
