package dev.zeroshot.cli;

import static dev.zeroshot.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** {@code train ppo --curriculum}, its resume, {@code curriculum show}, and the tail in {@code eval}. */
class CurriculumCommandTest {

  @Test
  void aCurriculumRunResumesAndShowsWhatItPlayed(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("plr");
    CliRun r = run("train", "ppo", "--env", "CartPole-v1", "--steps", "2048", "--seed", "3", "--out", dir.toString(),
        "--curriculum", "plr", "--curriculum-opt", "capacity=50", "--curriculum-features", "length=0.1:2.0",
        "--no-progress", "--device", "cpu", "--checkpoint-every", "2");
    assertEquals(0, r.exit, r.err);
    List<String> rows = Files.readAllLines(dir.resolve("curriculum.csv"));
    assertEquals("global_step,env,level,replay,trained,length,score,success,return,length", rows.get(0));
    assertTrue(rows.size() > 10, "episodes reported: " + rows.size());
    assertTrue(Files.readString(dir.resolve("curriculum.json")).contains("\"capacity\": \"50\""));
    r = run("train", "ppo", "--resume", dir.toString(), "--steps", "3072", "--no-progress", "--device", "cpu");
    assertEquals(0, r.exit, r.err);
    List<String> more = Files.readAllLines(dir.resolve("curriculum.csv"));
    assertTrue(more.size() > rows.size());
    assertTrue(more.stream().skip(1).anyMatch(l -> Long.parseLong(l.split(",")[0]) > 2048));

    r = run("curriculum", "show", dir.toString(), "--step-bins", "3", "--level-bins", "5");
    assertEquals(0, r.exit, r.err);
    assertTrue(Files.size(dir.resolve("curriculum.png")) > 1000);
    List<String> counts = Files.readAllLines(dir.resolve("curriculum_counts.csv"));
    assertEquals(1 + 5, counts.size(), String.join("\n", counts));
    long total = counts.stream().skip(1).mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(',') + 1))).sum();
    assertEquals(more.size() - 1, total, "every episode counted once");

    // eval reports the worst 10% and the share solved beside the mean
    r = run("eval", "--checkpoint", dir.toString(), "--contexts", "length=0.1:2.0:4", "--episodes", "3");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("over 4 contexts: mean") && r.out.contains("worst-10% mean (CVaR)"), r.out);
  }

  /** The curriculum on the server's session picks the same levels as in-process: the same weights. */
  @Test
  void aCurriculumOnTheServerTrainsTheSameWeightsAsInProcess() throws Exception {
    PpoConfig c = PpoConfig.controlDiscrete();
    c.totalTimesteps = 3 * 512;
    c.seed = 5;
    c.curriculum = "plr";
    c.curriculumOptions = "capacity=32";
    c.curriculumFeatures = "length=0.1:2.0";
    List<float[]> local = train(c, Envs.local(c));
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1).start()) {
      List<float[]> remote = train(c, TrainPpoCommand.remote("127.0.0.1:" + server.port(), null, c,
          new PrintWriter(Writer.nullWriter())));
      for (int i = 0; i < local.size(); i++) {
        assertArrayEquals(local.get(i), remote.get(i), "param " + i);
      }
    }
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
  void badCurriculumInputIsOneClearLine(@TempDir Path tmp) {
    CliRun r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("a").toString(), "--curriculum", "plr",
        "--curriculum-opt", "temprature=0.3", "--curriculum-features", "length");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("unknown plr option temprature") && r.err.contains("temperature"), r.err);
    assertTrue(Files.notExists(tmp.resolve("a")));
    r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("b").toString(), "--curriculum", "plr");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("no level seeds") && r.err.contains("length"), r.err);
    r = run("train", "ppo", "--env", "CartPole-v1", "--out", tmp.resolve("c").toString(), "--curriculum", "ucb");
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("robust-plr"), r.err);
    r = run("curriculum", "show", tmp.toString());
    assertEquals(2, r.exit);
    assertTrue(r.err.contains("curriculum.csv"), r.err);
  }
}
