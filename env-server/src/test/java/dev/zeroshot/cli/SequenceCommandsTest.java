package dev.zeroshot.cli;

import static dev.zeroshot.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zeroshot train dt|bct}, then {@code gap}, {@code eval}, {@code dataset bench} on the symbolic maze, as a user runs them. */
class SequenceCommandsTest {

  @Test
  void trainResumeGapEvalAndBenchADecisionTransformer(@TempDir Path tmp) throws Exception {
    String root = tmp.resolve("datasets").toString();
    CliRun r = run("collect", "--env", "procgen/maze-easy-symbolic-v0", "--levels", "0:20", "--policy", "planner",
        "--transitions", "300", "--dataset", "test/maze-symbolic-v0", "--root", root, "--no-progress");
    assertEquals(0, r.exit, r.err + r.out);
    Path dt = tmp.resolve("dt");
    String[] tiny = {"--layers", "1", "--heads", "2", "--embedding", "8", "--hidden", "8", "--context", "3",
        "--batch-size", "8", "--eval-every", "0", "--eval-episodes", "2", "--log-every", "2", "--no-progress",
        "--device", "cpu"};
    r = run(concat(new String[] {"train", "dt", "--dataset", "test/maze-symbolic-v0", "--root", root, "--out",
        dt.toString(), "--steps", "4"}, tiny));
    assertEquals(0, r.exit, r.err + r.out);
    assertTrue(r.out.contains("DT: 4 gradient steps"), r.out);
    for (String f : new String[] {"config.json", "metrics.csv", "checkpoint.ckpt", "learning_curve.png"}) {
      assertTrue(Files.size(dt.resolve(f)) > 0, f);
    }
    String config = Files.readString(dt.resolve("config.json"));
    assertTrue(config.contains("\"targetReturn\": 50.0") && config.contains("\"contextLength\": 3"), config);
    r = run("train", "dt", "--resume", dt.toString(), "--steps", "6", "--no-progress", "--device", "cpu");
    assertEquals(0, r.exit, r.err + r.out);
    assertTrue(r.out.contains("DT: 6 gradient steps"), r.out);
    r = run("train", "bct", "--resume", dt.toString(), "--steps", "8", "--no-progress");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("is a dt run"), r.err);

    r = run("gap", "--checkpoint", dt.toString(), "--train-levels", "0:20", "--test-levels", "250:", "--episodes", "2");
    assertEquals(0, r.exit, r.err + r.out);
    assertTrue(r.out.contains("DT checkpoint") && r.out.contains("sampled actions") && r.out.contains("gap (train - test)"),
        r.out);
    r = run("eval", "--checkpoint", dt.toString(), "--levels", "250:", "--episodes", "2", "--out",
        tmp.resolve("eval.csv").toString());
    assertEquals(0, r.exit, r.err + r.out);
    assertEquals(2, Files.readAllLines(tmp.resolve("eval.csv")).size());

    r = run("collect", "--env", "procgen/maze-easy-symbolic-v0", "--policy", dt.toString(), "--transitions", "10",
        "--dataset", "test/from-dt-v0", "--root", root, "--no-progress");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("context window") && r.err.strip().lines().count() == 1, r.err);
    assertFalse(Files.exists(tmp.resolve("datasets/test/from-dt-v0")));

    r = run("dataset", "bench", "test/maze-symbolic-v0", "--root", root, "--batch-size", "8", "--seconds", "0.2",
        "--learner-steps", "1", "--sequence-model", "bct", "--context", "3");
    assertEquals(0, r.exit, r.err + r.out);
    assertTrue(r.out.contains("learner: BCT") && r.out.contains("a BCT step takes"), r.out);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
