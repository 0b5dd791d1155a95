package dev.zeroshot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees from {@code java -jar zeroshot.jar}, whole process and both streams (the
 * in-JVM tests cannot see what native code and logging print): a failed play is one line, and
 * a training prints no DJL noise unless --verbose.
 */
class CliOutputIT {

  private static final Path JAR = Path.of("target/zeroshot.jar").toAbsolutePath();

  private record Run(int exit, String out, String err) {}

  private static Run zeroshot(Path dir, Map<String, String> env, List<String> unset, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    unset.forEach(pb.environment()::remove);
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("zeroshot " + String.join(" ", args) + " ran past 5 minutes");
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void playWithoutADisplayIsOneLine(@TempDir Path tmp) throws Exception {
    Run r = zeroshot(tmp, Map.of(), List.of("DISPLAY", "WAYLAND_DISPLAY"), "play", "maze", "--frames", "5");
    assertEquals(2, r.exit, r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);
    assertTrue(r.err.startsWith("error: cannot open a window: GLFW found no display"), r.err);
  }

  /** Off a terminal (stderr is a file here) the collect bar is plain lines, its episode text not cut at 80 columns. */
  @Test
  void collectProgressOffATerminalIsPlainWholeLines(@TempDir Path tmp) throws Exception {
    Run r = zeroshot(tmp, Map.of(), List.of(), "collect", "--env", "CartPole-v1", "--policy", "random", "--transitions",
        "3000", "--dataset", "t/cp-v0", "--root", tmp.resolve("ds").toString());
    assertEquals(0, r.exit, r.err);
    assertFalse(r.err.contains("\r"), r.err);
    String last = r.err.strip().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(last.startsWith("collect 100%") && last.matches(".* \\d+ episodes \\| mean return -?\\d+\\.\\d\\d"), last);
  }

  @Test
  void trainingIsQuietUnlessVerbose(@TempDir Path tmp) throws Exception {
    Run quiet = zeroshot(tmp, Map.of(), List.of(), "train", "ppo", "--env", "CartPole-v1", "--steps", "512", "--out",
        tmp.resolve("quiet").toString(), "--no-progress");
    assertEquals(0, quiet.exit, quiet.err);
    assertFalse(quiet.err.contains("ai.djl") || quiet.err.contains("a.d.") || quiet.err.contains("CUDA driver"),
        quiet.err);
    assertTrue(quiet.err.contains("1 torch thread(s)"), quiet.err); // our own lines stay
    Run verbose = zeroshot(tmp, Map.of(), List.of(), "train", "ppo", "--env", "CartPole-v1", "--steps", "512", "--out",
        tmp.resolve("verbose").toString(), "--no-progress", "--verbose");
    assertEquals(0, verbose.exit, verbose.err);
    assertTrue(verbose.err.contains("PtEngine"), verbose.err);
  }

  @Test
  void aStoppedTrainingSaysWhereItsLastCheckpointIs(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("run");
    Path err = tmp.resolve("stopped-err.txt");
    Process p = new ProcessBuilder("java", "-jar", JAR.toString(), "train", "ppo", "--env", "CartPole-v1", "--steps",
        "10000000", "--checkpoint-every", "1", "--out", dir.toString(), "--no-progress")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!Files.exists(dir.resolve("checkpoint.ckpt")) && System.nanoTime() < deadline && p.isAlive()) {
        Thread.sleep(100);
      }
      assertTrue(Files.exists(dir.resolve("checkpoint.ckpt")), "no checkpoint within 3 minutes");
      p.destroy(); // SIGTERM
      assertTrue(p.waitFor(2, TimeUnit.MINUTES), "train ppo did not stop on SIGTERM");
    } finally {
      p.destroyForcibly();
    }
    String said = Files.readString(err, StandardCharsets.UTF_8);
    assertTrue(said.contains("stopped: the last checkpoint is " + dir.resolve("checkpoint.ckpt")
        + " (written every 1 updates); zeroshot train ppo --resume " + dir + " continues from it"), said);
  }
}
