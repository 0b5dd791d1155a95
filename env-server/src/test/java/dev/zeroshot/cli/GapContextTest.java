package dev.zeroshot.cli;

import static dev.zeroshot.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gap} tests a policy under the generator settings it trained with unless told otherwise. */
class GapContextTest {

  @Test
  void gapDefaultsToTheCheckpointsTrainingContext(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("small-maze");
    CliRun r = run("train", "ppo", "--env", "procgen/maze-easy-symbolic-v0", "--context", "world_dim=9,max_maze_dim=9",
        "--levels", "0:10", "--num-envs", "2", "--num-steps", "32", "--steps", "64", "--seed", "1", "--out",
        dir.toString(), "--no-progress", "--device", "cpu");
    assertEquals(0, r.exit, r.err);

    Path implicit = tmp.resolve("implicit.csv");
    CliRun g = run("gap", "--checkpoint", dir.toString(), "--train-levels", "0:10", "--test-levels", "100:",
        "--episodes", "4", "--out", implicit.toString());
    assertEquals(0, g.exit, g.err);
    assertTrue(g.out.contains("context world_dim=9,max_maze_dim=9, as the checkpoint trained"), g.out);
    // XLand's measures end the CSV; a maze episode returns 0 or 10, so any reward is a solved level
    java.util.List<String> csv = Files.readAllLines(implicit);
    assertTrue(csv.get(0).endsWith(",cvar10_return,solved_share,participation,p10_return,p50_return"), csv.get(0));
    for (String row : csv.subList(1, 3)) {
      String[] f = row.split(",");
      assertEquals(Double.parseDouble(f[7]), Double.parseDouble(f[8]), 1e-9, row);
      assertTrue(Double.parseDouble(f[9]) <= Double.parseDouble(f[10]), row);
    }
    assertTrue(g.out.contains("any reward (participation), return 10th / 50th percentile: train "), g.out);

    Path explicit = tmp.resolve("explicit.csv");
    CliRun e = run("gap", "--checkpoint", dir.toString(), "--context", "world_dim=9,max_maze_dim=9",
        "--train-levels", "0:10", "--test-levels", "100:", "--episodes", "4", "--out", explicit.toString());
    assertEquals(0, e.exit, e.err);
    assertFalse(e.out.contains("as the checkpoint trained"), e.out);
    assertEquals(Files.readString(explicit), Files.readString(implicit));
  }
}
