package dev.zeroshot.offline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.context.LevelRange;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeistPlannerTest {

  @Test
  void heistPlannerSolvesAlmostEveryLevel(@TempDir Path tmp) throws IOException {
    EnvSpec spec = EnvRegistry.builtin().spec("procgen/heist-easy-v0");
    LevelRange levels = LevelRange.parse("0:200");
    Collector c = new Collector(spec.id(), levels.apply(spec.contextSpace().defaults()), 4, 1);
    Collector.Result r;
    try (DatasetWriter w = DatasetWriter.create(tmp, CollectorTest.info("t/heist-v0", spec, "planner"))) {
      r = c.collect(Planners.heist(), 3000, w, null, () -> false);
    }
    Dataset ds = Dataset.open(tmp);
    int solved = 0;
    for (Dataset.EpisodeInfo e : ds.episodes()) {
      if (ds.episode(e).totalReturn() == 10.0) {
        solved++;
      } else {
        System.out.println("failed level " + e.levelSeed() + " steps " + e.steps());
      }
    }
    System.out.println("solved " + solved + "/" + ds.episodes().size() + " steps " + r.steps());
    assertTrue(solved >= 0.95 * ds.episodes().size(), "solved " + solved + " of " + ds.episodes().size());
  }
}
