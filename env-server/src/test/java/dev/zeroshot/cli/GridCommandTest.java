package dev.zeroshot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zeroshot grid} with the local executor (child processes). */
class GridCommandTest {

  @TempDir
  Path dir;

  private static CliRun run(String... args) {
    return CliRun.run(args);
  }

  /** results.csv without the columns that differ between runs (seconds, log path). */
  static List<String> results(Path grid) throws Exception {
    List<String> lines = Files.readAllLines(grid.resolve("results.csv"));
    List<String> head = List.of(lines.get(0).split(","));
    return lines.stream().map(l -> {
      List<String> f = new java.util.ArrayList<>(List.of(l.split(",", -1)));
      f.remove(head.indexOf("log"));
      f.remove(head.indexOf("seconds"));
      return String.join(",", f);
    }).toList();
  }

  @Test
  void trainsTheProductCollectsReturnsAndRetriesFailuresOnResume() throws Exception {
    Path grid = dir.resolve("grid");
    CliRun r = run("grid", "--env", "CartPole-v1", "--seed", "1,2", "--vary", "lr=0.001,nope", "--steps", "1024",
        "--out", grid.toString(), "--parallel", "2");
    assertEquals(2, r.exit, r.err);
    assertTrue(r.err.contains("error: 2 of 4 training(s) failed"), r.err);
    List<String> rows = results(grid);
    assertEquals("env,seed,lr,steps,final_return,state", rows.get(0));
    assertEquals(5, rows.size(), rows.toString());
    assertTrue(rows.get(1).matches("CartPole-v1,1,0.001,1024,\\d+\\.\\d{4},done"), rows.get(1));
    assertTrue(rows.get(2).matches("CartPole-v1,1,nope,0,,failed"), rows.get(2));
    assertTrue(rows.get(3).matches("CartPole-v1,2,0.001,1024,\\d+\\.\\d{4},done"), rows.get(3));
    assertTrue(r.out.contains("failed: local job"), r.out);
    String log = Files.readAllLines(grid.resolve("results.csv")).get(2).replaceAll(".*,", "");
    assertTrue(Files.readString(Path.of(log)).contains("nope"), "the log says why: " + Files.readString(Path.of(log)));

    // resume: the two done runs stay (their returns are kept), the failed ones are tried again
    CliRun again = run("grid", "--resume", grid.toString());
    assertEquals(2, again.exit, again.err);
    assertTrue(again.out.contains("4 training(s) in " + grid + " (2 done)"), again.out);
    assertEquals(rows, results(grid));
  }

  @Test
  void gapEvaluatesEachRunInItsJobAndAddsTrainAndTestReturns() throws Exception {
    Path grid = dir.resolve("gap-grid");
    CliRun r = run("grid", "--env", "procgen/maze-easy-v0", "--steps", "64", "--vary", "num-envs=2", "--vary",
        "num-steps=32", "--vary", "levels=0:10", "--gap", "--gap-train-levels", "0:10", "--gap-episodes", "2",
        "--out", grid.toString());
    assertEquals(0, r.exit, r.err);
    List<String> rows = results(grid);
    assertEquals("env,seed,num-envs,num-steps,levels,steps,final_return,train_return,test_return,gap,state",
        rows.get(0));
    assertEquals(2, rows.size(), rows.toString());
    String[] f = rows.get(1).split(",", -1);
    assertEquals("procgen/maze-easy-v0,1,2,32,0:10,64", String.join(",", List.of(f).subList(0, 6)));
    assertEquals("done", f[10]);

    // the same numbers as zeroshot gap run by hand on the run folder with the same options
    Path run = grid.resolve("runs/procgen_maze-easy-v0-seed1-num-envs2-num-steps32-levels0_10");
    Path byHand = dir.resolve("gap.csv");
    CliRun g = run("gap", "--checkpoint", run.toString(), "--train-levels", "0:10", "--test-levels", "250:",
        "--episodes", "2", "--out", byHand.toString());
    assertEquals(0, g.exit, g.err);
    assertEquals(Files.readString(byHand), Files.readString(run.resolve("gap.csv")));
    List<String> split = Files.readAllLines(byHand);
    double train = Double.parseDouble(split.get(1).split(",")[3]);
    double test = Double.parseDouble(split.get(2).split(",")[3]);
    assertEquals(String.format(java.util.Locale.ROOT, "%.4f", train), f[7]);
    assertEquals(String.format(java.util.Locale.ROOT, "%.4f", test), f[8]);
    assertEquals(String.format(java.util.Locale.ROOT, "%.4f", train - test), f[9]);
    assertTrue(r.out.lines().anyMatch(l -> l.matches(".*\\s+train\\s+test\\s+gap\\s+steps\\s+state")), r.out);

    // resume keeps the setting (grid.json) and the numbers
    assertTrue(Files.readString(grid.resolve("grid.json")).contains("\"episodes\": 2"));
    CliRun again = run("grid", "--resume", grid.toString());
    assertEquals(0, again.exit, again.err);
    assertEquals(rows, results(grid));
  }

  @Test
  void gapIsRefusedForEnvsWithoutLevelsBeforeAnythingStarts() {
    Path g = dir.resolve("g");
    CliRun a = run("grid", "--env", "procgen/maze-easy-v0,CartPole-v1", "--steps", "1024", "--out", g.toString(),
        "--gap");
    assertEquals(2, a.exit);
    assertTrue(a.err.startsWith("error: --gap evaluates on training and unseen levels, and CartPole-v1 has no levels "
        + "(no start_level/num_levels context features)"), a.err);
    assertEquals(1, a.err.lines().count(), a.err);
    assertTrue(!Files.exists(g), "nothing created");
    CliRun b = run("grid", "--env", "CartPole-v1", "--steps", "1024", "--out", g.toString(), "--gap-episodes", "2");
    assertTrue(b.err.startsWith("error: --gap-train-levels, --gap-test-levels and --gap-episodes need --gap"), b.err);
    CliRun c = run("grid", "--env", "procgen/maze-easy-v0", "--steps", "1024", "--out", g.toString(), "--gap",
        "--gap-episodes", "0");
    assertTrue(c.err.startsWith("error: --gap-episodes must be >= 1, got 0"), c.err);
  }

  @Test
  void badInputIsOneLine() {
    CliRun a = run("grid", "--env", "CartPole-v1", "--steps", "1024", "--out", dir.resolve("g").toString(), "--vary", "lr");
    assertEquals(2, a.exit);
    assertTrue(a.err.startsWith("error: --vary must be OPTION=V1,V2"), a.err);
    CliRun b = run("grid", "--env", "CartPole-v1", "--out", dir.resolve("g").toString());
    assertTrue(b.err.startsWith("error: zeroshot grid needs --env, --steps and --out"), b.err);
    CliRun c = run("grid", "--env", "CartPole-v1", "--steps", "1024", "--out", dir.resolve("g").toString(),
        "--slurm-partition", "x");
    assertTrue(c.err.startsWith("error: --slurm-partition needs --executor slurm"), c.err);
    CliRun d = run("grid", "--resume", dir.toString());
    assertTrue(d.err.contains("not a grid folder"), d.err);
  }
}
