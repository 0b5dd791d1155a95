package dev.zeroshot.cli;

import static dev.zeroshot.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.offline.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zeroshot dataset score} and {@code dataset prune}, as a user runs them (issue 18, Data Diet). */
class DataDietCommandsTest {

  static Map<String, String> hashes(Path dir) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(p).toString(),
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return m;
  }

  @Test
  void scoreThenPruneLeavesTheParentByteIdentical(@TempDir Path tmp) throws Exception {
    String root = tmp.resolve("datasets").toString();
    CliRun r = run("collect", "--env", "CartPole-v1", "--policy", "random", "--transitions", "300", "--dataset",
        "test/cp-v0", "--root", root, "--no-progress", "--num-envs", "2");
    assertEquals(0, r.exit, r.err + r.out);
    Path data = tmp.resolve("datasets/test/cp-v0/data");
    Map<String, String> before = hashes(data);
    String[] el2n = {"dataset", "score", "--method", "el2n", "--seeds", "2", "--epochs", "1", "--batch-size", "64",
        "test/cp-v0", "--root", root};
    r = run(el2n);
    assertEquals(0, r.exit, r.err + r.out);
    assertTrue(r.out.startsWith("el2n: ") && r.out.contains("transitions/s"), r.out);
    Path scores = tmp.resolve("datasets/test/cp-v0/scores");
    String first = Files.readString(scores.resolve("el2n.transitions.csv"));
    assertTrue(first.startsWith("# el2n scores of test/cp-v0: mean over 2 BC networks (mlp [64, 64], seeds 1-2) after 1.0"
        + " epochs"), first.lines().findFirst().orElse(""));
    r = run(el2n);
    assertEquals(first, Files.readString(scores.resolve("el2n.transitions.csv")), "same seeds, same scores");
    r = run("dataset", "score", "--method", "grand", "--seeds", "1", "test/cp-v0", "--root", root);
    assertEquals(0, r.exit, r.err + r.out);
    assertTrue(Files.isRegularFile(scores.resolve("grand.episodes.csv")));
    assertEquals(before, hashes(data), "scoring changed the episodes");

    r = run("dataset", "prune", "--keep", "0.5", "--by", "el2n", "test/cp-v0", "test/cp-el2n50-v0", "--root", root);
    assertEquals(0, r.exit, r.err + r.out);
    Dataset parent = Dataset.open(data);
    Dataset child = Dataset.open(tmp.resolve("datasets/test/cp-el2n50-v0/data"));
    assertEquals(Math.round(0.5 * parent.totalSteps()), child.totalSteps());
    assertEquals("test/cp-v0", child.meta("zeroshot_parent"));
    assertEquals("keep 0.5 of the transitions by el2n (highest scores first)", child.meta("zeroshot_pruning"));
    r = run("dataset", "verify", "test/cp-el2n50-v0", "--root", root);
    assertEquals(0, r.exit, r.out);
    r = run("dataset", "prune", "--keep", "0.25", "--by", "length", "--unit", "episode", "--keep-lowest", "test/cp-v0",
        "test/cp-short-v0", "--root", root);
    assertEquals(0, r.exit, r.err + r.out);
    assertEquals(Math.round(0.25 * parent.episodes().size()),
        Dataset.open(tmp.resolve("datasets/test/cp-short-v0/data")).episodes().size());
    assertEquals(before, hashes(data), "pruning changed the parent");
  }

  @Test
  void badInputIsOneClearLineAndWritesNothing(@TempDir Path tmp) throws Exception {
    String root = tmp.resolve("datasets").toString();
    assertEquals(0, run("collect", "--env", "CartPole-v1", "--policy", "random", "--transitions", "100", "--dataset",
        "test/cp-v0", "--root", root, "--no-progress").exit);
    assertEquals(0, run("collect", "--env", "procgen/maze-easy-v0", "--levels", "0:5", "--policy", "random",
        "--transitions", "20", "--dataset", "test/maze-v0", "--root", root, "--no-progress").exit);
    CliRun r = run("train", "bc", "--dataset", "test/cp-v0", "--root", root, "--out", tmp.resolve("bc").toString(),
        "--steps", "1", "--eval-every", "0", "--eval-episodes", "1", "--no-progress");
    assertEquals(0, r.exit, r.err + r.out);
    Map<String, String> before = hashes(tmp.resolve("datasets"));

    r = run("dataset", "score", "--method", "el2n", "--checkpoint", tmp.resolve("bc").toString(), "test/maze-v0",
        "--root", root);
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("takes [4] float32 observations and 2 actions, but test/maze-v0 has [3, 64, 64] uint8"
        + " observations and 15 actions"), r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);
    for (String keep : new String[] {"0", "1.5", "-1"}) {
      r = run("dataset", "prune", "--keep", keep, "--by", "random", "test/cp-v0", "test/new-v0", "--root", root);
      assertEquals(2, r.exit);
      assertTrue(r.err.contains("--keep must be in (0, 1], got"), r.err);
      assertEquals(1, r.err.strip().lines().count(), r.err);
    }
    r = run("dataset", "prune", "--keep", "0.5", "--by", "random", "test/cp-v0", "test/maze-v0", "--root", root);
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("dataset test/maze-v0 already exists; prune to a new id"), r.err);
    r = run("dataset", "prune", "--keep", "0.5", "--by", "el2n", "test/cp-v0", "test/new-v0", "--root", root);
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("run 'zeroshot dataset score --method el2n test/cp-v0' first"), r.err);
    r = run("dataset", "prune", "--keep", "0.5", "--by", "size", "test/cp-v0", "test/new-v0", "--root", root);
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("--by must be one of el2n, grand, random, return, length"), r.err);
    r = run("dataset", "score", "--method", "return", "--checkpoint", tmp.resolve("bc").toString(), "test/cp-v0",
        "--root", root);
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("takes no --checkpoint"), r.err);
    assertEquals(before, hashes(tmp.resolve("datasets")), "nothing written");
    assertFalse(Files.exists(tmp.resolve("datasets/test/new-v0")));
  }
}
