package dev.zeroshot.env.curriculum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.context.Context;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CurriculumTest {

  private static final Context CARTPOLE = EnvRegistry.builtin().spec("CartPole-v1").contextSpace().defaults();
  private static final LevelSpace LENGTHS = LevelSpace.of(CARTPOLE, "length=0.1:2.0");

  private static PrioritizedLevelReplay plr(String options) {
    return (PrioritizedLevelReplay) Curricula.create("plr", options, LENGTHS, 7);
  }

  /** Three new levels, reported one after the other with these scores (levels 0, 1, 2). */
  private static PrioritizedLevelReplay threeScored(String options, double... scores) {
    PrioritizedLevelReplay c = plr("schedule=fixed,replay-prob=0," + options);
    for (double s : scores) {
      Curriculum.Pick p = c.next();
      assertFalse(p.replay());
      c.update(p.levelId(), new Feedback(s, false, 10, 10));
    }
    return c;
  }

  @Test
  void rankWeightsFollowTheTemperature() {
    // scores 0.5, 2.0, 1.0 -> ranks 3, 1, 2; h^(1/T) with T = 0.5: 1/9, 1, 1/4 (sum 49/36)
    Map<Long, Double> p = threeScored("temperature=0.5,staleness=0", 0.5, 2.0, 1.0).replayProbabilities();
    assertEquals((1.0 / 9) / (49.0 / 36), p.get(0L), 1e-12);
    assertEquals(1 / (49.0 / 36), p.get(1L), 1e-12);
    assertEquals(0.25 / (49.0 / 36), p.get(2L), 1e-12);
    // T = 1: 1/3, 1, 1/2 (sum 11/6)
    Map<Long, Double> q = threeScored("temperature=1,staleness=0", 0.5, 2.0, 1.0).replayProbabilities();
    assertEquals((1.0 / 3) / (11.0 / 6), q.get(0L), 1e-12);
    assertEquals(0.5 / (11.0 / 6), q.get(2L), 1e-12);
  }

  @Test
  void stalenessIsMixedIn() {
    // picked at c = 1, 2, 3 and now c = 3: staleness 2, 1, 0 -> P_C = 2/3, 1/3, 0
    // equal scores: ranks by slot 1, 2, 3 -> with T = 1, P_S = 6/11, 3/11, 2/11
    Map<Long, Double> p = threeScored("temperature=1,staleness=0.25", 1, 1, 1).replayProbabilities();
    assertEquals(0.75 * 6 / 11 + 0.25 * 2 / 3, p.get(0L), 1e-12);
    assertEquals(0.75 * 3 / 11 + 0.25 * 1 / 3, p.get(1L), 1e-12);
    assertEquals(0.75 * 2 / 11, p.get(2L), 1e-12);
  }

  @Test
  void replaySamplesFollowTheProbabilities() {
    LevelBuffer b = new LevelBuffer(8, 0.5, 0.3);
    CurriculumRandom rng = new CurriculumRandom(3);
    double[] scores = {0.3, 1.2, 0.7, 0.1, 2.5};
    for (int i = 0; i < scores.length; i++) {
      b.countPick();
      b.insert(i, LENGTHS.random(rng), scores[i], 0);
    }
    b.countPick();
    b.countPick();
    double[] p = b.probabilities();
    int[] counts = new int[scores.length];
    int n = 200_000;
    for (int k = 0; k < n; k++) {
      counts[b.sample(rng)]++;
    }
    for (int i = 0; i < scores.length; i++) {
      assertEquals(p[i], counts[i] / (double) n, 0.005, "slot " + i);
    }
  }

  @Test
  void aFullBufferReplacesItsLeastLikelyLevelOnlyForAHigherScore() {
    PrioritizedLevelReplay c = plr("schedule=fixed,replay-prob=0,capacity=2,staleness=0");
    report(c, c.next(), 1.0); // level 0
    report(c, c.next(), 3.0); // level 1
    report(c, c.next(), 0.5); // level 2: lower than level 0, not kept
    assertEquals(Set.of(0L, 1L), c.replayProbabilities().keySet());
    report(c, c.next(), 2.0); // level 3 replaces level 0 (rank 2)
    assertEquals(Set.of(1L, 3L), c.replayProbabilities().keySet());
    assertEquals(2.0, c.score(3), 0);
  }

  @Test
  void theReplacedLevelIsTheLeastLikelyOne() {
    CurriculumRandom rng = new CurriculumRandom(8);
    for (double staleness : new double[] {0, 0.1, 0.5, 1}) {
      LevelBuffer b = new LevelBuffer(50, 0.3, staleness);
      for (int k = 0; k < 2000; k++) {
        b.countPick();
        if (b.size() > 0 && rng.nextDouble() < 0.5) {
          int slot = b.sample(rng);
          b.played(slot);
          b.update(slot, rng.nextDouble(), 0);
          continue;
        }
        double[] p = b.probabilities();
        double least = Double.POSITIVE_INFINITY;
        int leastSlot = -1;
        for (int s = 0; s < p.length; s++) {
          if (p[s] < least) {
            least = p[s];
            leastSlot = s;
          }
        }
        double score = rng.nextDouble();
        int slot = b.insert(1000 + k, LENGTHS.random(rng), score, 0);
        if (b.size() == 50 && p.length == 50) {
          if (slot >= 0) {
            assertEquals(least, p[slot], 1e-12, "replaced a least likely level");
          } else {
            assertTrue(b.score(leastSlot) >= score - 1e-12 || p[leastSlot] - least < 1e-12);
          }
        }
      }
    }
  }

  @Test
  void proportionateScheduleReplaysAsManyAsHaveBeenSeen() {
    Context maze = EnvRegistry.builtin().spec("procgen/maze-easy-v0").contextSpace().parse("start_level=0,num_levels=4");
    LevelSpace seeds = LevelSpace.of(maze, "");
    assertEquals(4, seeds.size());
    Curriculum c = Curricula.create("plr", "", seeds, 11);
    Set<Double> seen = new HashSet<>();
    // new levels are drawn among the unseen ones until all 4 are in the buffer; then every pick replays
    for (int k = 0; k < 40; k++) {
      Curriculum.Pick p = c.next();
      double seed = p.level().get("start_level");
      assertEquals(1.0, p.level().get("num_levels"));
      assertEquals(p.replay(), seen.contains(seed), "pick " + k);
      seen.add(seed);
      report(c, p, seed);
      if (seen.size() == 4) {
        assertTrue(c.next().replay());
        return;
      }
    }
    throw new AssertionError("never saw all 4 levels");
  }

  @Test
  void robustPlrTrainsOnlyOnReplays() {
    Curriculum c = Curricula.create("robust-plr", "capacity=4,min-fill=0.5", LENGTHS, 5);
    int replays = 0;
    for (int k = 0; k < 200; k++) {
      Curriculum.Pick p = c.next();
      assertEquals(p.replay(), p.train());
      replays += p.replay() ? 1 : 0;
      report(c, p, k % 7);
    }
    assertTrue(replays > 100, "replay-prob 0.8 once 2 of 4 are in: " + replays);
  }

  @Test
  void accelEditsStayInBoundsAndChangeOneFeature() {
    Context base = CARTPOLE;
    LevelSpace two = LevelSpace.of(base, "length=0.1:2.0,masspole=0.05:0.5");
    CurriculumRandom rng = new CurriculumRandom(1);
    for (int k = 0; k < 2000; k++) {
      Context level = two.random(rng);
      Context edited = two.edit(level, 1, 0.5, rng);
      assertTrue(two.contains(edited), edited.toString());
      int changed = (edited.get("length") != level.get("length") ? 1 : 0)
          + (edited.get("masspole") != level.get("masspole") ? 1 : 0);
      assertTrue(changed <= 1, level + " -> " + edited);
      assertTrue(Math.abs(edited.get("length") - level.get("length")) <= 0.5 * 1.9 + 1e-12);
    }
    // levels with seeds: an edit is a new seed from the range, the knobs stay valid
    Context maze = EnvRegistry.builtin().spec("procgen/maze-easy-v0").contextSpace().parse("start_level=100,num_levels=50");
    LevelSpace seeded = LevelSpace.of(maze, "max_maze_dim=5:15");
    for (int k = 0; k < 500; k++) {
      Context edited = seeded.edit(seeded.random(rng), 5, 0.3, rng);
      assertTrue(seeded.contains(edited), edited.toString());
      assertEquals(1, (int) edited.get("max_maze_dim") % 2, "maze sides stay odd");
    }
    // ACCEL hands out edits of replayed levels: every non-replay pick after the first replays is an edit
    Curriculum accel = Curricula.create("accel", "capacity=8,min-fill=0.25", LENGTHS, 2);
    for (int k = 0; k < 300; k++) {
      Curriculum.Pick p = accel.next();
      assertTrue(LENGTHS.contains(p.level()));
      assertEquals(p.replay(), p.train());
      report(accel, p, p.level().get("length"));
    }
  }

  @Test
  void aGridAxisHandsOutOnlyItsPoints() {
    LevelSpace grid = LevelSpace.of(CARTPOLE, "length=0.1:2.0:20");
    assertEquals(20, grid.size());
    CurriculumRandom rng = new CurriculumRandom(4);
    Set<Double> seen = new HashSet<>();
    for (int k = 0; k < 1000; k++) {
      Context c = grid.random(rng);
      double x = c.get("length");
      long i = Math.round((x - 0.1) / 0.1);
      assertEquals(0.1 * (i + 1), x, 1e-12, "a grid point");
      assertEquals(new java.math.BigDecimal("0.1").multiply(java.math.BigDecimal.valueOf(i + 1)).toPlainString(),
          Double.toString(x), "a grid point as typed (0.8, 1.4; not 0.7999999999999999, 1.4000000000000001)");
      seen.add(x);
      assertTrue(grid.contains(grid.edit(c, 3, 0.2, rng)));
    }
    assertEquals(20, seen.size());
    assertFalse(grid.contains(CARTPOLE.with("length", 0.15)));
  }

  @Test
  void sflKeepsTheTopLearnabilityLevels() {
    Curriculum c = Curricula.create("sfl", "candidates=4,candidate-episodes=2,buffer-size=2,buffer-share=0", LENGTHS, 3);
    // the first 8 picks go round the 4 candidates twice
    List<Curriculum.Pick> picks = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      picks.add(c.next());
    }
    for (int k = 0; k < 8; k++) {
      assertEquals(picks.get(k % 4).levelId(), picks.get(k).levelId());
    }
    boolean[][] success = {{true, true}, {true, false}, {false, false}, {false, true}}; // p = 1, .5, 0, .5
    for (int k = 0; k < 8; k++) {
      Curriculum.Pick p = picks.get(k);
      c.update(p.levelId(), new Feedback(0, success[k % 4][k / 4], 0, 1));
    }
    SamplingForLearnability sfl = (SamplingForLearnability) c;
    assertEquals(1, sfl.rounds());
    assertEquals(List.of(picks.get(1).level(), picks.get(3).level()), sfl.buffer()); // 0.25 each, earlier first
    assertEquals(0.25, SamplingForLearnability.learnability(1, 2));
    assertEquals(0.0, SamplingForLearnability.learnability(2, 2));
  }

  @Test
  void sflMixesBufferAndFreshLevels() {
    Curriculum c = Curricula.create("sfl", "candidates=4,candidate-episodes=1,buffer-size=2", LENGTHS, 3);
    for (int k = 0; k < 4; k++) {
      Curriculum.Pick p = c.next();
      c.update(p.levelId(), new Feedback(0, k % 2 == 0, 0, 1));
    }
    int fromBuffer = 0;
    for (int k = 0; k < 2000; k++) {
      Curriculum.Pick p = c.next();
      fromBuffer += p.replay() ? 1 : 0;
      c.update(p.levelId(), new Feedback(0, k % 3 == 0, 0, 1));
    }
    assertEquals(0.5, fromBuffer / 2000.0, 0.05);
  }

  @Test
  void sameSeedSamePicksAndResumeContinuesThem() throws IOException {
    for (String name : Curricula.NAMES) {
      String options = name.equals("sfl") ? "candidates=16,candidate-episodes=2,buffer-size=4"
          : name.equals("dr") ? "" : "capacity=16,min-fill=0.25";
      Curriculum a = Curricula.create(name, options, LENGTHS, 42);
      Curriculum b = Curricula.create(name, options, LENGTHS, 42);
      assertEquals(play(a, 150), play(b, 150), name);
      Curriculum other = Curricula.create(name, options, LENGTHS, 43);
      assertNotEquals(play(a, 20), play(other, 20), name);

      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      a.write(new DataOutputStream(bytes));
      Curriculum resumed = Curricula.create(name, options, LENGTHS, 999);
      resumed.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      assertEquals(play(a, 100), play(resumed, 100), name + " after resume");
    }
  }

  /** {@code n} picks, each reported at once with a score and success made from the level. */
  private static List<String> play(Curriculum c, int n) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      Curriculum.Pick p = c.next();
      double len = p.level().get("length");
      c.update(p.levelId(), new Feedback(Math.abs(Math.sin(len * 7)), len > 1.0, len * 100, 10));
      out.add(p.levelId() + ":" + len + ":" + p.replay());
    }
    return out;
  }

  private static void report(Curriculum c, Curriculum.Pick p, double score) {
    c.update(p.levelId(), new Feedback(score, false, score, 1));
  }

  @Test
  void badFeedbackAndOptionsAreRefusedWithTheirNames() {
    Curriculum c = plr("");
    Curriculum.Pick p = c.next();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.update(p.levelId() + 1000, new Feedback(1, false, 0, 1)));
    assertTrue(e.getMessage().contains("never handed out"), e.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Feedback(Double.NaN, false, 0, 1))
        .getMessage().contains("finite"));
    c.update(p.levelId(), new Feedback(1, false, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> c.update(p.levelId(), new Feedback(1, false, 0, 1)),
        "reported twice");
    e = assertThrows(IllegalArgumentException.class, () -> Curricula.create("plr", "temprature=0.2", LENGTHS, 1));
    assertTrue(e.getMessage().contains("temprature") && e.getMessage().contains("temperature"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Curricula.create("plr", "staleness=2", LENGTHS, 1));
    assertTrue(e.getMessage().contains("[0.0, 1.0]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Curricula.create("dr", "capacity=3", LENGTHS, 1));
    assertTrue(e.getMessage().contains("no options"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Curricula.create("plrr", "", LENGTHS, 1));
    assertTrue(e.getMessage().contains("robust-plr"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LevelSpace.of(CARTPOLE, ""));
    assertTrue(e.getMessage().contains("no level seeds"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LevelSpace.of(CARTPOLE, "length=0.1:9"));
    assertTrue(e.getMessage().contains("length"), e.getMessage());
  }

  @Test
  void presetsHoldThePublishedDefaults() {
    Map<String, String> plr = Curricula.create("plr", "", LENGTHS, 1).settings();
    assertEquals("value_l1", plr.get("score"));
    assertEquals("0.1", plr.get("temperature"));
    assertEquals("0.1", plr.get("staleness"));
    Map<String, String> robust = Curricula.create("robust-plr", "", LENGTHS, 1).settings();
    assertEquals(List.of("maxmc", "4000", "0.8", "0.3", "0.3", "0.5", "false"), List.of(robust.get("score"),
        robust.get("capacity"), robust.get("replay-prob"), robust.get("staleness"), robust.get("temperature"),
        robust.get("min-fill"), robust.get("exploratory-grad")));
    assertEquals("5", Curricula.create("accel", "", LENGTHS, 1).settings().get("edits"));
    assertEquals("1000", Curricula.create("sfl", "candidates=10", LENGTHS, 1).settings().get("buffer-size"));
    assertEquals("0.2", Curricula.create("plr", "temperature=0.2", LENGTHS, 1).settings().get("temperature"));
  }

  @Test
  void aVectorEnvDrawsTheSameLevelsOnAnyNumberOfThreads() {
    List<String> one = levelsPlayed(1);
    assertEquals(one, levelsPlayed(3));
  }

  private static List<String> levelsPlayed(int threads) {
    var spec = EnvRegistry.builtin().spec("CartPole-v1");
    CurriculumSampler sampler = new CurriculumSampler(Curricula.create("plr", "capacity=8", LENGTHS, 9), 6);
    List<String> out = new ArrayList<>();
    try (VectorEnv env = VectorEnv.builder(spec).numEnvs(6).contextSampler(sampler).resampleOnReset(true)
        .threads(threads).build()) {
      StepBuffers buf = StepBuffers.allocate(env);
      env.reset(5, buf);
      for (int t = 0; t < 400; t++) {
        for (int i = 0; i < 6; i++) {
          buf.actions().putLong(i * 8, (t + i) % 2);
        }
        env.step(buf);
        for (int i = 0; i < 6; i++) {
          assertEquals(sampler.playing(i).level(), env.context(i));
          if (buf.episodeEnded(i)) {
            Curriculum.Pick p = sampler.playing(i);
            sampler.report(p.levelId(), new Feedback(buf.episodeLength(i) / 100.0, false, buf.episodeReturn(i),
                buf.episodeLength(i)));
            out.add(i + ":" + p.levelId() + ":" + t);
          }
        }
      }
    }
    return out;
  }
}
