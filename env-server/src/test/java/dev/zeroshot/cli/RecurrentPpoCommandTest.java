package dev.zeroshot.cli;

import static dev.zeroshot.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zeroshot train ppo --recurrent gru}, its resume and its evaluation, as a user runs them. */
class RecurrentPpoCommandTest {

  @Test
  void recurrentRunTrainsResumesAndEvaluates(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("run");
    CliRun r = run("train", "ppo", "--env", "CartPole-v1", "--recurrent", "gru", "--hidden", "16,16", "--steps", "1024",
        "--num-steps", "64", "--out", dir.toString(), "--no-progress", "--device", "cpu");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("done: 1024 steps in 4 updates"), r.out);
    assertTrue(Files.readString(dir.resolve("config.json")).contains("\"model\": \"gru\""));
    r = run("train", "ppo", "--resume", dir.toString(), "--steps", "1280", "--no-progress", "--device", "cpu");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("done: 1280 steps in 5 updates"), r.out);
    r = run("eval", "--checkpoint", dir.toString(), "--episodes", "4", "--out", tmp.resolve("eval.csv").toString());
    assertEquals(0, r.exit, r.err);
    assertEquals(2, Files.readAllLines(tmp.resolve("eval.csv")).size());
  }

  @Test
  void badRecurrentSettingsAreOneClearLine(@TempDir Path tmp) {
    CliRun r = run("train", "ppo", "--env", "CartPole-v1", "--recurrent", "lstm", "--out", tmp.resolve("a").toString());
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("--recurrent must be gru (an LSTM core is not built), got lstm"), r.err);
    r = run("train", "ppo", "--env", "CartPole-v1", "--recurrent", "gru", "--model", "mlp", "--out",
        tmp.resolve("b").toString());
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("drop --model mlp"), r.err);
    r = run("train", "ppo", "--env", "CartPole-v1", "--recurrent", "gru", "--minibatches", "8", "--out",
        tmp.resolve("c").toString());
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("num-minibatches (8) must be at most num-envs (4)"), r.err);
    assertFalse(Files.exists(tmp.resolve("c")), "refused before the run folder exists");
    for (String[] option : new String[][] {{"--overlap"}, {"--policy-lag", "1"}}) {
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "ppo", "--env", "CartPole-v1",
          "--recurrent", "gru", "--out", tmp.resolve("d").toString()));
      args.addAll(java.util.List.of(option));
      r = run(args.toArray(String[]::new));
      assertEquals(2, r.exit, String.join(" ", option));
      assertTrue(r.err.contains("--overlap and --policy-lag are not built for it"), r.err);
      assertFalse(Files.exists(tmp.resolve("d")), "refused before the run folder exists");
    }
  }
}
