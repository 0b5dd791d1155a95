package dev.zeroshot.offline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.context.LevelRange;
import dev.zeroshot.env.space.Discrete;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorTest {

  static DatasetInfo info(String id, EnvSpec spec, String algo) {
    var env = EnvRegistry.builtin().make(spec.id());
    return new DatasetInfo(DatasetId.parse(id), env.observationSpace(), env.actionSpace(), algo, "test", null, null,
        Map.of());
  }

  /**
   * Pendulum's Box actions (float32[1]) are stored as Minari stores them and read back bit for
   * bit: replaying the stored actions from the stored seed reproduces every stored reward and
   * observation exactly; the metadata holds Minari's Box space JSON.
   */
  @Test
  void pendulumBoxActionsRoundTripBitExact(@TempDir Path tmp) throws IOException {
    EnvSpec spec = EnvRegistry.builtin().spec("Pendulum-v1");
    Collector c = new Collector(spec.id(), null, 1, 5);
    Collector.Result r;
    try (DatasetWriter w = DatasetWriter.create(tmp, info("t/pendulum-v0", spec, "random"))) {
      assertEquals(new ActionFormat(new int[] {1}), w.actionFormat());
      r = c.collect(CollectionPolicy.random(), 400, w, null, () -> false);
    }
    assertEquals(2, r.episodes());
    Dataset ds = Dataset.open(tmp);
    assertTrue(ds.verify().isEmpty(), ds.verify().toString());
    assertEquals(spec.make(spec.contextSpace().defaults()).actionSpace(), ds.actionSpace());
    assertTrue(ds.meta("action_space").startsWith("{\"type\": \"Box\", \"dtype\": \"float32\", \"shape\": [1]"),
        ds.meta("action_space"));
    Episode first = ds.episode(ds.episodes().get(0));
    assertEquals(null, first.actions());
    assertEquals(first.length(), first.boxActions().length);
    // replay: env 0's first episode started from reset(seed 5)
    GymEnv env = new GymEnv(spec.make(spec.contextSpace().defaults()), spec.maxEpisodeSteps());
    StepBuffers buf = StepBuffers.allocate(env);
    env.reset(5, buf, 0);
    int ob = ds.observationFormat().bytes();
    byte[] o = new byte[ob];
    buf.observations().get(0, o);
    assertArrayEquals(Arrays.copyOfRange(first.observations(), 0, ob), o);
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (int t = 0; t < first.length(); t++) {
      float a = first.boxActions()[t];
      lo = Math.min(lo, a);
      hi = Math.max(hi, a);
      buf.actions().putFloat(0, a);
      env.step(buf, 0);
      assertEquals(Double.doubleToRawLongBits(first.rewards()[t]), Double.doubleToRawLongBits(buf.reward(0)), "step " + t);
      buf.observations().get(0, o);
      assertArrayEquals(Arrays.copyOfRange(first.observations(), (t + 1) * ob, (t + 2) * ob), o, "step " + t);
    }
    assertTrue(lo >= -2 && hi <= 2 && hi - lo > 3, "random torques spread over [-2, 2]: " + lo + ".." + hi);
    // a hand-made episode with awkward float bits survives the Arrow round trip bit for bit
    float[] odd = {-0.0f, Float.MIN_VALUE, 1.0000001f, -2f};
    byte[] obs = new byte[5 * ob];
    Episode e = Episode.ofBoxActions(0, ob, obs, odd, new double[4], new boolean[4], new boolean[] {false, false, false,
        true}, -1);
    try (DatasetWriter w = DatasetWriter.open(tmp)) {
      w.append(e);
    }
    Dataset again = Dataset.open(tmp);
    Episode back = again.episode(again.episodes().get(2));
    for (int k = 0; k < odd.length; k++) {
      assertEquals(Float.floatToRawIntBits(odd[k]), Float.floatToRawIntBits(back.boxActions()[k]), "value " + k);
    }
    assertTrue(again.verify().isEmpty());
  }

  @Test
  void mazePlannerSolvesEveryTrainingLevelOptimallyAndStaysInTheRange(@TempDir Path tmp) throws IOException {
    EnvSpec spec = EnvRegistry.builtin().spec("procgen/maze-easy-v0");
    LevelRange levels = LevelRange.parse("0:20");
    Collector c = new Collector(spec.id(), levels.apply(spec.contextSpace().defaults()), 4, 1);
    Collector.Result r;
    try (DatasetWriter w = DatasetWriter.create(tmp, info("t/maze-v0", spec, "planner"))) {
      r = c.collect(Planners.maze(), 1500, w, null, () -> false);
    }
    assertTrue(r.steps() >= 1500);
    Dataset ds = Dataset.open(tmp);
    assertEquals(r.episodes(), ds.episodes().size());
    assertTrue(ds.verify().isEmpty());
    Set<Long> seeds = new HashSet<>();
    for (Dataset.EpisodeInfo e : ds.episodes()) {
      Episode ep = ds.episode(e);
      assertEquals(10.0, ep.totalReturn(), "episode " + e.id() + " on level " + e.levelSeed());
      assertTrue(ep.terminations()[ep.length() - 1]);
      assertTrue(e.levelSeed() >= 0 && e.levelSeed() < 20, "level " + e.levelSeed());
      seeds.add(e.levelSeed());
      // every transition's next frame is the following row: the last one is the final state,
      // not a reset frame (the last frame differs from the first of a new level)
      assertEquals((ep.length() + 1) * 3 * 64 * 64, ep.observations().length);
    }
    assertTrue(seeds.size() > 10, "levels seen: " + seeds);
  }

  @Test
  void mazePlannerDrivesTheSymbolicMazeToo(@TempDir Path tmp) throws IOException {
    EnvSpec spec = EnvRegistry.builtin().spec("procgen/maze-easy-symbolic-v0");
    Collector c = new Collector(spec.id(), LevelRange.parse("0:20").apply(spec.contextSpace().defaults()), 2, 1);
    Collector.Result r;
    try (DatasetWriter w = DatasetWriter.create(tmp, info("t/maze-symbolic-v0", spec, "planner"))) {
      r = c.collect(Planners.forEnv(spec.id()), 300, w, null, () -> false);
    }
    assertTrue(r.episodes() > 3);
    for (Dataset.EpisodeInfo e : Dataset.open(tmp).episodes()) {
      assertEquals(10.0, e.totalReturn(), "episode " + e.id() + " on level " + e.levelSeed());
    }
  }

  @Test
  void randomMazeDataIsWorseThanThePlannersAndEpsilonMixesThem(@TempDir Path tmp) throws IOException {
    EnvSpec spec = EnvRegistry.builtin().spec("procgen/maze-easy-v0");
    var ctx = LevelRange.parse("0:50").apply(spec.contextSpace().defaults());
    Collector c = new Collector(spec.id(), ctx, 4, 2);
    Collector.Result planner;
    Collector.Result mixed;
    try (DatasetWriter w = DatasetWriter.create(tmp.resolve("p"), info("t/p-v0", spec, "p"))) {
      planner = c.collect(Planners.maze(), 2000, w, null, () -> false);
    }
    try (DatasetWriter w = DatasetWriter.create(tmp.resolve("m"), info("t/m-v0", spec, "m"))) {
      mixed = c.collect(CollectionPolicy.epsilonMixed(Planners.maze(), 0.5), 2000, w, null, () -> false);
    }
    double plannerLen = (double) planner.steps() / planner.episodes();
    double mixedLen = (double) mixed.steps() / mixed.episodes();
    assertTrue(mixedLen > plannerLen * 1.3, "epsilon 0.5 must take longer paths: " + mixedLen + " vs " + plannerLen);
  }

  @Test
  void cartPolePlannerHoldsThePoleForTheWholeEpisode(@TempDir Path tmp) throws IOException {
    EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
    Collector c = new Collector(spec.id(), null, 2, 3);
    Collector.Result r;
    try (DatasetWriter w = DatasetWriter.create(tmp, info("t/cp-v0", spec, "planner"))) {
      r = c.collect(Planners.cartPole(), 2000, w, null, () -> false);
    }
    assertEquals(500.0, r.minReturn(), "every episode reaches the time limit");
    Dataset ds = Dataset.open(tmp);
    assertEquals(2, ds.actionCount());
    assertEquals(4 * 4, ds.observationFormat().bytes());
  }

  @Test
  void anInterruptedCollectionLeavesAValidDatasetOfTheFinishedEpisodes(@TempDir Path tmp) throws IOException {
    EnvSpec spec = EnvRegistry.builtin().spec("procgen/maze-easy-v0");
    Collector c = new Collector(spec.id(), null, 2, 4);
    int[] calls = {0};
    DatasetWriter w = DatasetWriter.create(tmp, info("t/int-v0", spec, "random"));
    Collector.Result r = c.collect(CollectionPolicy.random(), 1_000_000, w, null, () -> ++calls[0] > 600);
    // no close(): as if the process died here, with episodes in flight
    Dataset ds = Dataset.open(tmp);
    assertEquals(r.episodes(), ds.episodes().size());
    assertEquals(r.steps(), ds.totalSteps());
    assertTrue(ds.verify().isEmpty(), () -> ds.verify().toString());
    assertTrue(new Discrete(15).contains(ds.episode(ds.episodes().get(0)).actions()[0]));
  }
}
