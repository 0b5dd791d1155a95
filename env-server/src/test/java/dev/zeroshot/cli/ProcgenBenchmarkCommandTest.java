package dev.zeroshot.cli;

import static dev.zeroshot.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.offline.ProcgenScores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code zeroshot procgen-benchmark} on two games with a tiny budget: the table is computed from
 * the checkpoints' evaluations (the same returns 'zeroshot gap' measures), normalized with the
 * mode's range, and re-evaluating the checkpoints gives the same table. Not a learning test.
 */
class ProcgenBenchmarkCommandTest {

  private static final String[] TINY = {"--num-envs", "4", "--num-steps", "32", "--minibatches", "2", "--steps", "128",
      "--train-levels", "0:20", "--episodes", "3", "--device", "cpu", "--no-progress"};

  private static String[] args(String... first) {
    String[] a = new String[first.length + TINY.length];
    System.arraycopy(first, 0, a, 0, first.length);
    System.arraycopy(TINY, 0, a, first.length, TINY.length);
    return a;
  }

  @Test
  void trainsEvaluatesAndTabulatesTwoGames(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("bench");
    CliRun r = run(args("procgen-benchmark", "--games", "bigfish,chaser", "--out", out.toString()));
    assertEquals(0, r.exit, r.err);
    List<String> csv = Files.readAllLines(out.resolve(ProcgenBenchmarkCommand.CSV));
    assertEquals(1 + 2 + 1, csv.size(), String.join("\n", csv));
    assertTrue(Files.size(out.resolve(ProcgenBenchmarkCommand.CHART)) > 0);
    double sumTrain = 0;
    double sumTest = 0;
    for (int k = 0; k < 2; k++) {
      String[] c = csv.get(1 + k).split(",");
      String game = k == 0 ? "bigfish" : "chaser";
      String id = "procgen/" + game + "-easy-v0";
      assertEquals(game, c[0]);
      assertEquals(id, c[1]);
      assertEquals("0:20", c[2]);
      assertEquals("20:", c[3], "unseen levels default to every level after the training ones");
      assertTrue(Files.isRegularFile(out.resolve(game).resolve("checkpoint.ckpt")));
      double trainReturn = Double.parseDouble(c[5]);
      double testReturn = Double.parseDouble(c[7]);
      // The returns are the checkpoint's, as 'zeroshot gap' measures them with the same seeds.
      Path gapCsv = tmp.resolve(game + "-gap.csv");
      CliRun g = run("gap", "--checkpoint", out.resolve(game).toString(), "--env", id, "--train-levels", "0:20",
          "--test-levels", "20:", "--episodes", "3", "--out", gapCsv.toString());
      assertEquals(0, g.exit, g.err);
      List<String> gap = Files.readAllLines(gapCsv);
      assertEquals(trainReturn, Double.parseDouble(gap.get(1).split(",")[3]), 1e-6, "train return of " + game);
      assertEquals(testReturn, Double.parseDouble(gap.get(2).split(",")[3]), 1e-6, "test return of " + game);
      // Normalized with easy mode's range; the gap is train - test.
      double nTrain = ProcgenScores.normalize(id, trainReturn);
      double nTest = ProcgenScores.normalize(id, testReturn);
      assertEquals(nTrain, Double.parseDouble(c[9]), 1e-5);
      assertEquals(nTest, Double.parseDouble(c[10]), 1e-5);
      assertEquals(nTrain - nTest, Double.parseDouble(c[11]), 1e-5);
      assertTrue(r.out.contains(String.format(java.util.Locale.ROOT, "%-12s %8.3f %8.3f %8.3f", game, nTrain, nTest,
          nTrain - nTest)), r.out);
      sumTrain += nTrain;
      sumTest += nTest;
    }
    String[] mean = csv.get(3).split(",");
    assertEquals("mean", mean[0]);
    assertEquals(sumTrain / 2, Double.parseDouble(mean[9]), 1e-5);
    assertEquals(sumTest / 2, Double.parseDouble(mean[10]), 1e-5);
    assertTrue(r.out.contains(String.format(java.util.Locale.ROOT, "%-12s %8.3f %8.3f", "mean", sumTrain / 2,
        sumTest / 2)), r.out);

    // The runs again, evaluated from their checkpoints: the same table.
    Path again = tmp.resolve("again");
    r = run(args("procgen-benchmark", "--games", "bigfish,chaser", "--checkpoints", out.toString(), "--out",
        again.toString()));
    assertEquals(0, r.exit, r.err);
    assertEquals(csv, Files.readAllLines(again.resolve(ProcgenBenchmarkCommand.CSV)));
    // Training into a folder that holds the runs is refused before anything trains.
    r = run(args("procgen-benchmark", "--games", "bigfish", "--out", out.toString()));
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("already holds a run") && r.err.contains("--checkpoints"), r.err);
  }

  @Test
  void badInputIsOneClearLine(@TempDir Path tmp) {
    CliRun r = run(args("procgen-benchmark", "--games", "maze,nosuch", "--out", tmp.toString()));
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("unknown game 'nosuch'") && r.err.contains("maze, heist"), r.err);
    r = run(args("procgen-benchmark", "--mode", "memory", "--out", tmp.toString()));
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("--mode must be easy or hard"), r.err);
    r = run(args("procgen-benchmark", "--games", "maze", "--checkpoints", tmp.resolve("none").toString(), "--out",
        tmp.toString()));
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("no maze/checkpoint.ckpt"), r.err);
  }
}
