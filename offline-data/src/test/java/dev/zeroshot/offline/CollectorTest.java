package dev.zeroshot.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.context.LevelRange;
import dev.zeroshot.env.space.Discrete;
import java.io.IOException;
import java.nio.file.Path;
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
