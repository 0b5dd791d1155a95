package dev.zeroshot.cli;

import static dev.zeroshot.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.zeroshot.agents.Agent;
import dev.zeroshot.agents.Envs;
import dev.zeroshot.agents.Ppo;
import dev.zeroshot.agents.PpoConfig;
import dev.zeroshot.agents.nn.Param;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.VectorEnvApi;
import dev.zeroshot.server.EnvServer;
import dev.zeroshot.server.ServerLimits;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zeroshot train ppo}, {@code --resume}, {@code eval} and remote training, as a user runs them. */
class PpoCommandsTest {

  @Test
  void trainWritesARunFolderResumeContinuesItAndEvalScoresEachContext(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("run");
    CliRun r = run("train", "ppo", "--env", "CartPole-v1", "--steps", "2048", "--seed", "4", "--out", dir.toString(),
        "--no-progress", "--device", "cpu", "--checkpoint-every", "2");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("done: 2048 steps in 4 updates"), r.out);
    for (String f : new String[] {"config.json", "metrics.csv", "checkpoint.ckpt", "learning_curve.png"}) {
      assertTrue(Files.size(dir.resolve(f)) > 0, f);
    }
    assertEquals(1 + 4, Files.readAllLines(dir.resolve("metrics.csv")).size());
    // The same folder again is refused; --resume with more steps continues it.
    assertEquals(2, run("train", "ppo", "--env", "CartPole-v1", "--out", dir.toString(), "--no-progress").exit);
    r = run("train", "ppo", "--resume", dir.toString(), "--steps", "3072", "--no-progress", "--device", "cpu");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("done: 3072 steps in 6 updates"), r.out);
    List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
    assertEquals(1 + 6, rows.size());
    assertTrue(rows.get(6).startsWith("6,3072,"), rows.get(6));
    // Zero-shot evaluation over a grid of pole lengths.
    Path csv = tmp.resolve("eval.csv");
    r = run("eval", "--checkpoint", dir.toString(), "--contexts", "length=0.25:1.0:3", "--episodes", "4",
        "--out", csv.toString());
    assertEquals(0, r.exit, r.err);
    List<String> lines = Files.readAllLines(csv);
    assertEquals(1 + 3, lines.size(), String.join("\n", lines));
    // the feature that varies is a column of its own; the rest of the context is one note
    assertTrue(lines.get(0).startsWith("length,episodes,mean_return,") && lines.get(0).endsWith(",fixed_context"),
        lines.get(0));
    assertTrue(lines.get(1).startsWith("0.25,4,"), lines.get(1));
    assertTrue(lines.get(3).startsWith("1.0,4,"), lines.get(3));
    String fixed = "gravity=9.8,masscart=1.0,masspole=0.1,force_mag=10.0,tau=0.02,initial_state_lower=-0.05,"
        + "initial_state_upper=0.05";
    assertTrue(lines.get(1).endsWith(",\"" + fixed + "\""), lines.get(1));
    assertTrue(r.out.contains("\nfixed context: " + fixed + "\nlength\n0.25    mean "), r.out);
  }

  @Test
  void badInputIsOneClearLine(@TempDir Path tmp) {
    CliRun r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("x").toString(), "--device", "gpu",
        "--no-progress", "--steps", "512");
    assertEquals(2, r.exit);
    // The default build carries the CPU libtorch, so this fails fast on any machine.
    assertTrue(r.err.contains("--device gpu: no CUDA GPU is usable") && r.err.contains("-Pcuda"), r.err);
    r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("y").toString(), "--context", "gravity=-1");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("gravity"), r.err);
    r = run("eval", "--checkpoint", tmp.resolve("missing").toString());
    assertTrue(r.exit != 0);
    r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("z").toString(), "--device", "tpu");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("--device must be cpu, gpu or auto"), r.err);
  }

  @Test
  void trainingOnARemoteEnvGivesTheSameWeightsAsInProcess() throws Exception {
    PpoConfig c = PpoConfig.controlDiscrete();
    c.totalTimesteps = 2 * 512;
    c.seed = 5;
    List<float[]> local = train(c, Envs.local(c));
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1).start()) {
      List<float[]> remote = train(c, TrainPpoCommand.remote("127.0.0.1:" + server.port(), null, c, NO_OUTPUT));
      for (int i = 0; i < local.size(); i++) {
        assertArrayEquals(local.get(i), remote.get(i), "param " + i);
      }
    }
  }

  private static final PrintWriter NO_OUTPUT = new PrintWriter(Writer.nullWriter());

  /** --server with two addresses: by default one session on each server, and the same weights as in-process. */
  @Test
  void trainingOnEnvsSpreadOverTwoServersGivesTheSameWeightsAsInProcess() throws Exception {
    PpoConfig c = PpoConfig.controlDiscrete();
    c.totalTimesteps = 2 * 512;
    c.seed = 5;
    List<float[]> local = train(c, Envs.local(c));
    try (EnvServer a = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1).start();
        EnvServer b = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1).start()) {
      VectorEnvApi env = TrainPpoCommand.remote("127.0.0.1:" + a.port() + ",127.0.0.1:" + b.port(), null, c, NO_OUTPUT);
      assertEquals(1, a.liveSessions(), "sessions on the first server");
      assertEquals(1, b.liveSessions(), "sessions on the second server");
      List<float[]> remote = train(c, env);
      for (int i = 0; i < local.size(); i++) {
        assertArrayEquals(local.get(i), remote.get(i), "param " + i);
      }
    }
  }

  @Test
  void badSessionCountsAreOneClearLine(@TempDir Path tmp) {
    CliRun r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("s0").toString(), "--server",
        "127.0.0.1:1,127.0.0.1:2", "--sessions", "0");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("--sessions must be in 1..4 (one or more of the 4 envs each), got 0"), r.err);
    assertFalse(Files.exists(tmp.resolve("s0")), "nothing made for bad input");
    r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("s1").toString(), "--sessions", "2");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("--sessions splits the envs of --server"), r.err);
  }

  private static List<float[]> train(PpoConfig c, VectorEnvApi env) {
    try (env; Ppo ppo = new Ppo(c, env, Agent.modelFor(env.singleObservationSpace(), env.singleActionSpace(), c.model,
        c.hidden, c.seed), Device.cpu())) {
      ppo.train(null, () -> false);
      List<float[]> out = new ArrayList<>();
      for (Param p : ppo.agent().net().params().list()) {
        out.add(p.value.clone());
      }
      return out;
    }
  }

  @Test
  void benchPpoShowsWhereTheTimeWentAndTheOverlapsGain(@TempDir Path tmp) throws Exception {
    Path csv = tmp.resolve("breakdown.csv");
    CliRun r = run("bench-ppo", "--env", "CartPole-v1", "--steps", "1024", "--seeds", "3", "--compare-overlap",
        "--policy-cost-us", "5", "--breakdown-csv", csv.toString());
    assertEquals(0, r.exit, r.err);
    for (String s : new String[] {"where the time went", "env stepping", "inference", "host->device", "learning",
        "waiting", "seed 3+ov (overlapped rollout)", "overlapped/sequential rollout steps/s"}) {
      assertTrue(r.out.contains(s), s + " in:\n" + r.out);
    }
    // CartPole's MLP acts row by row in Java: the overlapped run learns exactly the same.
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("final return (\\S+) vs (\\S+)").matcher(r.out);
    assertTrue(m.find(), r.out);
    assertEquals(m.group(2), m.group(1));
    List<String> rows = Files.readAllLines(csv);
    assertEquals(1 + 2 * 7, rows.size(), String.join("\n", rows));
    assertTrue(rows.get(1).startsWith("seed 3,env_step,") && rows.get(8).startsWith("seed 3+ov,env_step,"), rows.toString());
    r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("x").toString(), "--overlap", "--server",
        "localhost:1", "--no-progress");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("--overlap splits in-process envs"), r.err);
  }

  @Test
  void benchPpoComparesThePolicyLagAndBadLagsAreOneClearLine(@TempDir Path tmp) throws Exception {
    Path csv = tmp.resolve("breakdown.csv");
    CliRun r = run("bench-ppo", "--env", "CartPole-v1", "--steps", "1536", "--seeds", "3", "--compare-policy-lag",
        "--breakdown-csv", csv.toString());
    assertEquals(0, r.exit, r.err);
    for (String s : new String[] {"policy lag's gain", "lag 1/lag 0 whole iteration steps/s", "seed 3+lag:",
        "seed 3+lag, the learner thread"}) {
      assertTrue(r.out.contains(s), s + " in:\n" + r.out);
    }
    List<String> rows = Files.readAllLines(csv);
    assertEquals(1 + 3 * 7, rows.size(), String.join("\n", rows));
    assertTrue(rows.get(15).startsWith("seed 3+lag learner,env_step,"), rows.toString());
    r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("x").toString(), "--policy-lag", "2",
        "--no-progress");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("policy lag must be 0 (on-policy) or 1"), r.err);
    r = run("bench-ppo", "--steps", "1024", "--compare-policy-lag", "--compare-overlap");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("compare one thing at a time"), r.err);
  }

  @Test
  void trainsOnASymbolicProcgenId(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("run");
    CliRun r = run("train", "ppo", "--env", "procgen/maze-easy-symbolic-v0", "--num-envs", "4", "--num-steps", "128",
        "--minibatches", "2", "--steps", "1024", "--seed", "1", "--out", dir.toString(), "--no-progress",
        "--device", "cpu");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("done: 1024 steps in 2 updates"), r.out);
    // A uint8 [C, H, W] Box picks the procgen preset's CNN, here on the [2, 29, 29] symbolic window.
    assertTrue(Files.readString(dir.resolve("config.json")).contains("\"model\": \"impala\""));
  }
}
