package dev.zeroshot.cli;

import static dev.zeroshot.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zeroshot collect}, {@code dataset}, {@code train bc|cql} and {@code gap}, as a user runs them. */
class OfflineCommandsTest {

  @Test
  void collectVerifyTrainAndGapOnPlannerMazeData(@TempDir Path tmp) throws Exception {
    String root = tmp.resolve("datasets").toString();
    CliRun r = run("collect", "--env", "procgen/maze-easy-v0", "--levels", "0:20", "--policy", "planner", "--transitions",
        "600", "--dataset", "test/maze-expert-v0", "--root", root, "--no-progress", "--num-envs", "4");
    assertEquals(0, r.exit, r.err + r.out);
    assertTrue(r.out.contains("return mean 10.000") && r.out.contains("(normalized 1.000)"), r.out);
    Path data = tmp.resolve("datasets/test/maze-expert-v0/data");
    assertTrue(Files.isRegularFile(data.resolve("metadata.json")));
    r = run("dataset", "verify", "test/maze-expert-v0", "--root", root);
    assertEquals(0, r.exit, r.out);
    r = run("dataset", "info", data.toString());
    assertTrue(r.out.contains("zeroshot_levels    0:20") && r.out.contains("distinct levels"), r.out);
    // The same id again is refused; --append adds to it.
    assertEquals(2, run("collect", "--env", "procgen/maze-easy-v0", "--policy", "random", "--transitions", "10",
        "--dataset", "test/maze-expert-v0", "--root", root, "--no-progress").exit);

    Path bc = tmp.resolve("bc");
    r = run("train", "bc", "--dataset", "test/maze-expert-v0", "--root", root, "--out", bc.toString(), "--steps", "4",
        "--batch-size", "8", "--hidden", "4,4,8", "--eval-every", "0", "--eval-episodes", "2", "--log-every", "2",
        "--no-progress", "--device", "cpu");
    assertEquals(0, r.exit, r.err + r.out);
    assertTrue(r.out.contains("BC: 4 gradient steps"), r.out);
    for (String f : new String[] {"config.json", "metrics.csv", "checkpoint.ckpt", "learning_curve.png"}) {
      assertTrue(Files.size(bc.resolve(f)) > 0, f);
    }
    assertEquals(1 + 2, Files.readAllLines(bc.resolve("metrics.csv")).size());
    // --resume continues from the checkpoint to a new total; the wrong algorithm is refused
    r = run("train", "bc", "--resume", bc.toString(), "--steps", "6", "--no-progress", "--device", "cpu");
    assertEquals(0, r.exit, r.err + r.out);
    assertTrue(r.out.contains("BC: 6 gradient steps"), r.out);
    assertEquals(1 + 3, Files.readAllLines(bc.resolve("metrics.csv")).size());
    assertTrue(Files.readAllLines(bc.resolve("metrics.csv")).get(3).startsWith("6,"));
    r = run("train", "cql", "--resume", bc.toString(), "--steps", "8", "--no-progress");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("is a bc run"), r.err);
    r = run("gap", "--checkpoint", bc.toString(), "--train-levels", "0:20", "--test-levels", "250:", "--episodes", "2",
        "--out", tmp.resolve("gap.csv").toString());
    assertEquals(0, r.exit, r.err + r.out);
    assertTrue(r.out.contains("gap (train - test)") && r.out.contains("procgen/maze-easy-v0"), r.out);
    assertEquals(3, Files.readAllLines(tmp.resolve("gap.csv")).size());

    // A truncated episode file: verify names it and exits 1; training skips it with a warning.
    Path f = data.resolve("3/part-0.arrow");
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(raf.length() - 100);
    }
    r = run("dataset", "verify", data.toString());
    assertEquals(1, r.exit, r.out);
    assertTrue(r.out.contains("3/part-0.arrow") && r.out.contains("1 bad"), r.out);
  }

  @Test
  void badInputIsOneClearLine(@TempDir Path tmp) {
    CliRun r = run("collect", "--env", "procgen/coinrun-easy-v0", "--policy", "planner", "--transitions", "10", "--dataset",
        "t/x-v0", "--root", tmp.toString(), "--no-progress");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("no planner expert for procgen/coinrun-easy-v0"), r.err);
    r = run("collect", "--env", "procgen/maze-easy-v0", "--policy", "random", "--transitions", "10", "--dataset",
        "no-version", "--root", tmp.toString());
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("NAMESPACE/NAME-vN"), r.err);
    r = run("collect", "--env", "procgen/maze-easy-v0", "--levels", "5:2", "--policy", "random", "--transitions", "10",
        "--dataset", "t/x-v0", "--root", tmp.toString());
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("level range '5:2'"), r.err);
  }

  /** Issue 16: ids stay under --root in every command, and a missing dataset is one error line. */
  @Test
  void datasetIdsStayUnderTheRoot(@TempDir Path tmp) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Files.createDirectories(tmp.resolve("outside/secret/leak-v0/data"));
    Files.createSymbolicLink(root.resolve("evil"), tmp.resolve("outside"));
    String rootArg = root.toString();
    String[][] refused = {
        {"collect", "--env", "CartPole-v1", "--policy", "random", "--transitions", "10", "--root", rootArg,
            "--no-progress", "--dataset", "../outside/secret/leak-v0"},
        {"collect", "--env", "CartPole-v1", "--policy", "random", "--transitions", "10", "--root", rootArg,
            "--no-progress", "--dataset", "evil/secret/leak-v0"},
        {"dataset", "info", "evil/secret/leak-v0", "--root", rootArg},
        {"dataset", "verify", "evil/secret/leak-v0", "--root", rootArg},
        {"train", "bc", "--dataset", "evil/secret/leak-v0", "--root", rootArg, "--out", tmp.resolve("bc").toString(),
            "--steps", "1", "--no-progress", "--device", "cpu"},
    };
    for (String[] args : refused) {
      CliRun r = run(args);
      assertEquals(2, r.exit, String.join(" ", args) + "\n" + r.err + r.out);
      assertTrue(r.err.startsWith("error: dataset id '") && r.err.strip().lines().count() == 1, r.err);
      assertTrue(r.err.contains("'..' part") || r.err.contains("symbolic link"), r.err);
    }
    assertFalse(Files.exists(tmp.resolve("outside/secret/leak-v0/data/metadata.json")), "collect wrote outside the root");
    assertFalse(Files.exists(tmp.resolve("bc")));

    CliRun r = run("dataset", "verify", "test/maze-v99999999999", "--root", rootArg);
    assertEquals(2, r.exit);
    assertEquals("error: dataset id 'test/maze-v99999999999': version 99999999999 must be in [0, 2147483647]",
        r.err.strip());
    // a dataset that is not there: one line naming what is missing, not a stack trace
    for (String cmd : new String[] {"verify", "info"}) {
      r = run("dataset", cmd, "test/none-v0", "--root", rootArg);
      assertEquals(2, r.exit, r.err);
      assertTrue(r.err.startsWith("error: ") && r.err.contains("metadata.json not found"), r.err);
      assertEquals(1, r.err.strip().lines().count(), r.err);
    }
    r = run("train", "bc", "--dataset", "test/none-v0", "--root", rootArg, "--out", tmp.resolve("bc").toString(),
        "--steps", "1", "--no-progress", "--device", "cpu");
    assertEquals(2, r.exit, r.err);
    assertTrue(r.err.startsWith("error: ") && r.err.contains("metadata.json not found"), r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);
  }

  /** Issue 16 defect 8: --transitions is the dataset's total, and --append completes the dataset to it. */
  @Test
  void collectAppendCompletesTheDatasetToTransitionsInAll(@TempDir Path tmp) throws Exception {
    String root = tmp.resolve("datasets").toString();
    String[] common = {"collect", "--env", "CartPole-v1", "--policy", "random", "--dataset", "test/cartpole-random-v0",
        "--root", root, "--no-progress", "--num-envs", "2"};
    CliRun r = run(concat(common, "--transitions", "100"));
    assertEquals(0, r.exit, r.err + r.out);
    long first = steps(tmp);
    assertTrue(first >= 100, "at least --transitions: " + first);
    r = run(concat(common, "--transitions", "300", "--append"));
    assertEquals(0, r.exit, r.err + r.out);
    assertTrue(r.out.contains("collecting " + String.format("%,d", 300 - first) + " transitions"), r.out);
    long total = steps(tmp);
    // whole episodes: the last may overshoot, by less than one CartPole episode (500 steps) per env
    assertTrue(total >= 300 && total < 300 + 2 * 500, "completed to 300 in all, not 300 more: " + total);
    assertTrue(total - first < 300, "the append collected what was missing, not 300 more: " + (total - first));
    r = run(concat(common, "--transitions", "200", "--append"));
    assertEquals(0, r.exit, r.err + r.out);
    assertTrue(r.out.contains("already holds") && r.out.contains("nothing to collect"), r.out);
    assertEquals(total, steps(tmp));
  }

  private static long steps(Path tmp) throws Exception {
    return dev.zeroshot.offline.Dataset.open(tmp.resolve("datasets/test/cartpole-random-v0/data")).totalSteps();
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
