package dev.zeroshot.mbtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.zeroshot.agents.PpoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run mode with real PPO at toy scale (4 CartPole tasks, one 128-step update each): the report,
 * determinism across parallelism, and a crash mid-sweep then a resume. Asserts structure and
 * exact equality, never learning quality or time.
 */
class SweepPpoTest {

  @TempDir
  Path dir;

  static SweepSettings tiny(int budget, List<String> strategies, boolean baselines) {
    return tiny(4, budget, strategies, baselines);
  }

  static SweepSettings tiny(int n, int budget, List<String> strategies, boolean baselines) {
    return tiny(n, budget, strategies, baselines, false);
  }

  static SweepSettings tiny(int n, int budget, List<String> strategies, boolean baselines, boolean multiTask) {
    PpoConfig ppo = PpoConfig.controlDiscrete();
    ppo.numEnvs = 2;
    ppo.numSteps = 64;
    ppo.numMinibatches = 2;
    ppo.updateEpochs = 2;
    ppo.hidden = new int[] {16, 16};
    ppo.totalTimesteps = 256; // two updates
    return new SweepSettings(new TaskGrid("CartPole-v1", "length", 0.1, 2.0, n), budget, strategies, baselines, 5,
        2, 123, 0, 500, null, ppo, multiTask);
  }

  /** PPO's trainer, recording which tasks it trained. */
  static final class Recording implements TaskTrainer {
    final PpoTaskTrainer ppo;
    final List<Integer> calls = Collections.synchronizedList(new ArrayList<>());

    Recording(SweepSettings s, Path dir) {
      ppo = new PpoTaskTrainer(s, dir);
    }

    @Override
    public TrainedTask train(int task) throws java.io.IOException {
      calls.add(task);
      return ppo.train(task);
    }
  }

  @Test
  void endToEndWritesRunFoldersRowsAndTheReport() throws Exception {
    SweepSettings s = tiny(4, 2, List.of("mbtl"), true, true);
    Path out = dir.resolve("sweep");
    SweepResult r = Sweep.create(s, out).run(1, null);
    assertEquals(4, r.rows().size());
    for (int t = 0; t < 4; t++) {
      Path task = PpoTaskTrainer.taskDir(out, t);
      for (String f : new String[] {"config.json", "metrics.csv", "checkpoint.ckpt", "learning_curve.png", "eval.csv",
          "train.log"}) {
        assertTrue(Files.size(task.resolve(f)) > 0, task + "/" + f);
      }
      assertEquals(s.grid().contexts().get(t),
          PpoConfig.fromJson(Files.readString(task.resolve("config.json"))).context, "task " + t + "'s context");
      TrainedTask x = r.rows().get(t);
      assertEquals(256, x.samples());
      for (int j = 0; j < 4; j++) {
        assertEquals(x.returns()[j] / 500, x.row()[j], 1e-12, "normalized with CartPole's [0, 500]");
        assertTrue(x.returns()[j] >= 1 && x.returns()[j] <= 500);
      }
    }
    // the multi-task policy: N x S steps over all four contexts, round robin
    TrainedTask multi = r.multiTask();
    assertEquals(4 * 256, multi.samples());
    assertEquals(-1, multi.task());
    Path mt = PpoTaskTrainer.multiTaskDir(out);
    assertNull(PpoConfig.fromJson(Files.readString(mt.resolve("config.json"))).context);
    assertEquals(4 * 256, PpoConfig.fromJson(Files.readString(mt.resolve("config.json"))).totalTimesteps);
    assertEquals(java.util.Arrays.stream(multi.row()).average().orElseThrow(),
        r.strategy(SweepResult.MULTI_TASK).values()[0], 1e-12);
    assertEquals(Sweep.open(out).multiTask().row()[2], multi.row()[2], "saved in the state");
    List<Path> files = SweepReport.write(r, out);
    assertEquals(9 + Strategies.ALL.size(), files.size()); // with the TensorBoard event file
    JsonObject json = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
    assertEquals("zeroshot-mbtl-run/1", json.get("format").getAsString());
    assertEquals(4 * 256 + 4 * 256, json.get("samplesSpent").getAsLong(), "the four tasks and the multi-task policy");
    assertEquals(4 * 256, json.getAsJsonObject("independent").get("samples").getAsLong());
    assertEquals(Strategies.ALL.size() + 1, json.getAsJsonArray("strategies").size(), "every strategy and multi-task");
    assertEquals("lazily", json.getAsJsonArray("strategies").get(0).getAsJsonObject().get("trained").getAsString());
    assertFalse(json.getAsJsonArray("efficiency").isEmpty());
    assertFalse(json.getAsJsonArray("multiTaskEfficiency").isEmpty());
    assertEquals(4 * 256, json.getAsJsonObject("multiTask").get("samples").getAsLong());
    assertEquals(5, Files.readAllLines(out.resolve("trained.csv")).size());
    // the lazily trained mbtl made the picks that simulate mode makes on the matrix it filled
    StrategyResult sim = Strategies.run("mbtl", r.fullMatrix(), 2, s.strategyOptions(), Progress.NONE);
    assertArrayEquals(sim.picks(), r.strategy("mbtl").picks());
  }

  @Test
  void parallelTrainingInChildProcessesGivesTheSameRowsAsSerialInProcess() throws Exception {
    SweepSettings s = tiny(3, 2, List.of("mbtl", "greedy"), true, true);
    SweepResult serial = Sweep.create(s, dir.resolve("p1")).run(1, null);
    SweepResult parallel = Sweep.create(s, dir.resolve("p2")).run(2, null);
    assertTrue(Files.exists(dir.resolve("p2").resolve("tasks").resolve("worker-0.log")), "trained in a child JVM");
    for (int t = 0; t < 3; t++) {
      assertArrayEquals(serial.rows().get(t).returns(), parallel.rows().get(t).returns(), 0, "task " + t);
    }
    assertArrayEquals(serial.multiTask().returns(), parallel.multiTask().returns(), 0, "multi-task");
    for (StrategyResult x : serial.strategies()) {
      assertArrayEquals(x.picks(), parallel.strategy(x.name()).picks(), x.name());
      assertArrayEquals(x.values(), parallel.strategy(x.name()).values(), 0, x.name());
    }
  }

  @Test
  void stoppedMidSweepThenResumedTrainsOnlyWhatWasNotFinished() throws Exception {
    SweepSettings s = tiny(3, List.of("mbtl"), false);
    SweepResult whole = Sweep.create(s, dir.resolve("whole")).run(1, null);

    Path out = dir.resolve("crashed");
    RuntimeException e = assertThrows(RuntimeException.class, () -> Sweep.create(s, out).run(1, new Sweep.Listener() {
      @Override
      public void trained(TrainedTask t, int trainedNow, int trainedTotal) {
        if (trainedNow == 2) {
          throw new IllegalStateException("stop");
        }
      }
    }));
    assertEquals("stop", e.getMessage());
    // a training that was under way when the process died: a half-written run folder
    int next = whole.strategy("mbtl").picks()[2];
    Path half = PpoTaskTrainer.taskDir(out, next);
    Files.createDirectories(half);
    Files.writeString(half.resolve("metrics.csv"), "update,global_step\n1,128\n");

    Sweep reopened = Sweep.open(out);
    Map<Integer, TrainedTask> saved = reopened.trained();
    assertEquals(2, saved.size());
    Recording rec = new Recording(reopened.settings(), out);
    SweepResult resumed = reopened.run(rec, 1, null);
    assertEquals(List.of(next), rec.calls, "only the unfinished pick trains");
    assertArrayEquals(whole.strategy("mbtl").picks(), resumed.strategy("mbtl").picks());
    assertArrayEquals(whole.strategy("mbtl").values(), resumed.strategy("mbtl").values(), 0);
    for (int t : whole.rows().keySet()) {
      assertArrayEquals(whole.rows().get(t).returns(), resumed.rows().get(t).returns(), 0, "task " + t);
    }
    assertTrue(Files.size(half.resolve("checkpoint.ckpt")) > 0, "the half-written folder was redone");
  }
}
