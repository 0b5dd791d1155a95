package dev.zeroshot.cli;

import static dev.zeroshot.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes a newcomer makes get one line and exit code 2, not a stack trace or a silent no-op (issue 17). */
class RoughEdgesTest {

  @Test
  void aMissingOrMistypedPathIsOneLineAndExitCode2(@TempDir Path tmp) {
    String missing = tmp.resolve("nope").toString();
    for (List<String> args : List.of(
        List.of("eval", "--checkpoint", missing, "--contexts", "length=0.5"),
        List.of("gap", "--checkpoint", missing),
        List.of("train", "ppo", "--resume", missing, "--no-progress"),
        List.of("dataset", "verify", "nope/x-v0", "--root", missing),
        List.of("train", "bc", "--dataset", missing, "--out", tmp.resolve("bc").toString()))) {
      CliRun r = run(args.toArray(String[]::new));
      String cmd = String.join(" ", args);
      assertEquals(2, r.exit, cmd + ": " + r.err);
      assertEquals(1, r.err.strip().lines().count(), cmd + ": " + r.err);
      assertTrue(r.err.startsWith("error: ") && r.err.contains("nope"), cmd + ": " + r.err);
    }
  }

  @Test
  void aBudgetBelowOneBatchIsRefusedAndRoundingToWholeBatchesIsSaid(@TempDir Path tmp) {
    Path small = tmp.resolve("small");
    CliRun r = run("train", "ppo", "--env", "CartPole-v1", "--out", small.toString(), "--steps", "10", "--no-progress");
    assertEquals(2, r.exit, r.err);
    assertTrue(r.err.contains("--steps 10 is less than one batch of 512 steps (4 envs x 128 steps"), r.err);
    assertFalse(Files.exists(small), "nothing is written for a refused run");
    r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("round").toString(), "--steps", "1000",
        "--no-progress");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("steps: 1000 rounded down to 512 (1 whole batch of 512 = 4 envs x 128 steps)"), r.out);
    assertTrue(r.out.contains("done: 512 steps in 1 updates"), r.out);
  }

  @Test
  void envsTakesIdsRolloutTakesAGameNameAndTyposGetASuggestion() {
    CliRun r = run("envs", "CartPole-v1");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.startsWith("CartPole-v1  ("), r.out);
    assertFalse(r.out.contains("Pendulum-v1"), r.out);
    r = run("envs", "CartPol-v1");
    assertEquals(2, r.exit);
    assertEquals("error: unknown env id 'CartPol-v1'; did you mean CartPole-v1?", r.err.strip());
    r = run("rollout", "maze", "--episodes", "1");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.startsWith("procgen/maze-v0, context: "), r.out);
    r = run("rollout", "mazee", "--episodes", "1");
    assertEquals(2, r.exit);
    assertEquals("error: unknown env id 'mazee'; did you mean procgen/maze-v0?", r.err.strip());
  }

  @Test
  void collectOnABoxActionEnvWritesAMinariBoxDatasetThatDiscreteLearnersRefuse(@TempDir Path tmp) throws Exception {
    Path root = tmp.resolve("datasets");
    CliRun r = run("collect", "--env", "Pendulum-v1", "--policy", "random", "--transitions", "400", "--dataset",
        "test/pendulum-v0", "--root", root.toString(), "--no-progress", "--num-envs", "2");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("wrote 2 episodes, 400 transitions"), r.out);
    JsonObject meta = JsonParser.parseString(Files.readString(root.resolve("test/pendulum-v0/data/metadata.json")))
        .getAsJsonObject();
    assertEquals("{\"type\": \"Box\", \"dtype\": \"float32\", \"shape\": [1], \"low\": [-2.0], \"high\": [2.0]}",
        meta.get("action_space").getAsString(), "Minari's serialize_space form");
    r = run("dataset", "verify", "test/pendulum-v0", "--root", root.toString());
    assertEquals(0, r.exit, r.out + r.err);
    assertTrue(r.out.contains("test/pendulum-v0: 2 episodes checked, 0 bad"), r.out);
    r = run("dataset", "info", "test/pendulum-v0", "--root", root.toString());
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("observations float32[3], actions Box(-2.0, 2.0, [1], float32)"), r.out);
    r = run("train", "bc", "--dataset", "test/pendulum-v0", "--root", root.toString(), "--out",
        tmp.resolve("bc").toString(), "--steps", "1", "--eval-every", "0", "--no-progress");
    assertEquals(2, r.exit, r.err);
    assertEquals("error: dataset test/pendulum-v0 holds Box(-2.0, 2.0, [1], float32) actions; Zeroshot's offline "
        + "learners (bc, cql, bcq, iql) and their minibatch sampler read Discrete actions only", r.err.strip());

    // a collection that fails after its dataset was created leaves no stub behind
    r = run("collect", "--env", "Pendulum-v1", "--policy", "random", "--transitions", "0", "--dataset",
        "test/stub-v0", "--root", root.toString(), "--no-progress");
    assertEquals(2, r.exit, r.err);
    assertFalse(Files.exists(root.resolve("test/stub-v0")), "no dataset stub is left behind");
  }
}
