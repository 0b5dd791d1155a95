package dev.zeroshot.cli;

import static dev.zeroshot.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.context.LevelRange;
import dev.zeroshot.env.procgen.RandomPolicyStats;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** {@code zeroshot procgen-stats}, as a user runs it. */
class ProcgenStatsCommandTest {

  @Test
  void aGameStandsForItsModesAndEachRowIsThatIdsStatistics() {
    CliRun r = run("procgen-stats", "maze", "procgen/bigfish-easy-v0", "--episodes", "12", "--levels", "0:50",
        "--seed", "7");
    assertEquals(0, r.exit, r.err);
    List<String> rows = r.out.lines().filter(l -> l.startsWith("procgen/")).toList();
    assertEquals(List.of("procgen/maze-v0", "procgen/maze-easy-v0", "procgen/maze-memory-v0", "procgen/bigfish-easy-v0"),
        rows.stream().map(l -> l.split("\\s+")[0]).toList());
    for (String row : rows) {
      String id = row.split("\\s+")[0];
      EnvSpec spec = EnvRegistry.builtin().spec(id);
      RandomPolicyStats.Result s = RandomPolicyStats.run(spec, LevelRange.parse("0:50").apply(spec.contextSpace().defaults()),
          12, 7);
      assertEquals(String.format(Locale.ROOT, "%-30s %9d %12.1f %12.3f %9.1f%%", id, 12, s.meanLength(), s.meanReturn(),
          100 * s.completedShare()), row);
    }
    assertEquals(r.out, run("procgen-stats", "maze", "procgen/bigfish-easy-v0", "--episodes", "12", "--levels", "0:50",
        "--seed", "7").out, "the same seed prints the same table");
  }

  @Test
  void aSymbolicIdPlaysTheSameEpisodesAsItsPixelTwin() {
    CliRun r = run("procgen-stats", "procgen/maze-easy-v0", "procgen/maze-easy-symbolic-v0", "--episodes", "12",
        "--levels", "0:50", "--seed", "7");
    assertEquals(0, r.exit, r.err);
    List<String> rows = r.out.lines().filter(l -> l.startsWith("procgen/")).toList();
    assertEquals(2, rows.size(), r.out);
    assertEquals(rows.get(0).substring(30), rows.get(1).substring(30), "same levels and rules, same random actions");
  }

  @Test
  void badInputIsOneClearLine() {
    CliRun r = run("procgen-stats", "nosuch");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("'nosuch' is neither a Procgen id (pixel or symbolic) nor a game") && r.err.contains("maze, heist"), r.err);
    r = run("procgen-stats", "maze", "--episodes", "0");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("--episodes must be >= 1"), r.err);
    r = run("procgen-stats", "maze", "--levels", "5:2");
    assertTrue(r.exit != 0 && r.err.contains("level range"), r.err);
    r = run("procgen-stats", "maze", "--context", "num_levels=3");
    assertEquals(2, r.exit, r.err);
  }
}
