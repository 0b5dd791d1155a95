package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.Adam;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.offline.CollectionPolicy;
import dev.zeroshot.offline.Collector;
import dev.zeroshot.offline.Dataset;
import dev.zeroshot.offline.DatasetId;
import dev.zeroshot.offline.DatasetInfo;
import dev.zeroshot.offline.DatasetWriter;
import dev.zeroshot.offline.Planners;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline learners at toy scale on CartPole data from the scripted expert (return 500). */
class OfflineLearningTest {

  @TempDir
  static Path tmp;
  static Path data;
  static double expertReturn;

  @BeforeAll
  static void collect() throws IOException {
    EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
    var env = EnvRegistry.builtin().make(spec.id());
    data = tmp.resolve("cartpole-expert");
    Collector c = new Collector(spec.id(), null, 2, 7);
    try (DatasetWriter w = DatasetWriter.create(data, new DatasetInfo(DatasetId.parse("test/cartpole-expert-v0"),
        env.observationSpace(), env.actionSpace(), "planner", "test", null, null,
        Map.of(DatasetInfo.ENV_ID, spec.id())))) {
      expertReturn = c.collect(Planners.cartPole(), 5000, w, null, () -> false).meanReturn();
    }
  }

  static OfflineConfig config(String algo, Path data) {
    OfflineConfig cfg = new OfflineConfig();
    cfg.algo = algo;
    cfg.dataset = data.toString();
    cfg.seed = 3;
    cfg.batchSize = 64;
    cfg.learningRate = 1e-3;
    cfg.evalEvery = 0;
    cfg.evalEpisodes = 10;
    cfg.device = "cpu";
    cfg.logEvery = 100;
    return cfg;
  }

  static OfflineRun.Options quiet() {
    OfflineRun.Options o = new OfflineRun.Options();
    o.progressBar = false;
    o.log = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
    return o;
  }

  static double randomReturn() throws IOException {
    EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
    Path d = tmp.resolve("random");
    var env = EnvRegistry.builtin().make(spec.id());
    try (DatasetWriter w = DatasetWriter.create(d, new DatasetInfo(DatasetId.parse("test/r-v0"), env.observationSpace(),
        env.actionSpace(), "random", "", null, null, Map.of()))) {
      return new Collector(spec.id(), null, 2, 8).collect(CollectionPolicy.random(), 2000, w, null, () -> false)
          .meanReturn();
    }
  }

  @Test
  void bcReachesNinetyPercentOfTheExpertAndWritesARunFolder() throws IOException {
    assertEquals(500.0, expertReturn);
    OfflineConfig cfg = config("bc", data);
    cfg.steps = 1500;
    Path out = tmp.resolve("bc-run");
    OfflineRun.Result r = OfflineRun.train(cfg, out, quiet());
    System.out.printf("BC on CartPole expert data: return %.1f (expert %.1f), %.0f samples/s%n", r.evalReturn(),
        expertReturn, r.samplesPerSecond());
    assertTrue(r.evalReturn() >= 0.9 * expertReturn, "BC return " + r.evalReturn() + " vs expert " + expertReturn);
    for (String f : List.of("config.json", "metrics.csv", "checkpoint.ckpt", "learning_curve.png")) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
    List<String> rows = Files.readAllLines(out.resolve("metrics.csv"));
    assertEquals(OfflineRun.HEADER, rows.get(0));
    assertEquals(1 + 15, rows.size());
    TensorBoardEventsTest.assertEventsEqualCsv(out, "step", OfflineRun::tensorBoardTag);
    // the checkpoint reloads into a policy that acts as trained
    assertTrue(OfflineCheckpoint.isOffline(out.resolve("checkpoint.ckpt")));
    EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
    try (Agent a = OfflineCheckpoint.loadAgent(out.resolve("checkpoint.ckpt"),
        EnvRegistry.builtin().make(spec.id()).actionSpace(), ai.djl.Device.cpu())) {
      var again = OfflineRun.evaluate(a, spec, spec.contextSpace().defaults(), 10, cfg.seed + 1_000_000, false);
      assertEquals(r.evalReturn(), again.mean(), 1e-9);
    }
  }

  @Test
  void cqlBeatsRandomOnTheSameData() throws IOException {
    double random = randomReturn();
    OfflineConfig cfg = config("cql", data);
    cfg.steps = 1500;
    cfg.targetUpdateEvery = 200;
    OfflineRun.Result r = OfflineRun.train(cfg, tmp.resolve("cql-run"), quiet());
    System.out.printf("CQL on CartPole expert data: return %.1f (random %.1f)%n", r.evalReturn(), random);
    assertTrue(r.evalReturn() > 3 * random, "CQL return " + r.evalReturn() + " vs random " + random);
  }

  @Test
  void bcqBeatsRandomOnTheSameDataAndItsCheckpointActsAsTrained() throws IOException {
    double random = randomReturn2();
    OfflineConfig cfg = config("bcq", data);
    cfg.steps = 1000;
    cfg.targetUpdateEvery = 200;
    Path out = tmp.resolve("bcq-run");
    OfflineRun.Result r = OfflineRun.train(cfg, out, quiet());
    System.out.printf("BCQ on CartPole expert data: return %.1f (random %.1f)%n", r.evalReturn(), random);
    assertTrue(r.evalReturn() > 3 * random, "BCQ return " + r.evalReturn() + " vs random " + random);
    EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
    try (Agent a = OfflineCheckpoint.loadAgent(out.resolve("checkpoint.ckpt"),
        EnvRegistry.builtin().make(spec.id()).actionSpace(), ai.djl.Device.cpu())) {
      var again = OfflineRun.evaluate(a, spec, spec.contextSpace().defaults(), 10, cfg.seed + 1_000_000, true);
      assertEquals(r.evalReturn(), again.mean(), 1e-9);
    }
  }

  @Test
  void iqlBeatsRandomOnTheSameData() throws IOException {
    double random = randomReturn2();
    OfflineConfig cfg = config("iql", data);
    cfg.steps = 800;
    cfg.targetUpdateEvery = 100;
    OfflineRun.Result r = OfflineRun.train(cfg, tmp.resolve("iql-run"), quiet());
    System.out.printf("IQL on CartPole expert data: return %.1f (random %.1f)%n", r.evalReturn(), random);
    assertTrue(r.evalReturn() > 3 * random, "IQL return " + r.evalReturn() + " vs random " + random);
  }

  @Test
  void iqlCheckpointFromBeforeVHadItsOwnNetworkStillActsButDoesNotResume() throws IOException {
    OfflineConfig cfg = config("iql", data);
    cfg.steps = 20;
    cfg.logEvery = 10;
    cfg.evalEpisodes = 2;
    Path now = tmp.resolve("iql-now");
    OfflineRun.Result r = OfflineRun.train(cfg, now, quiet());
    // A copy cut down to the layout of before commit 6739704: the checkpoint ended with the
    // Q-networks; V's network and Adam (written last, just before the end marker) were not there.
    Path old = Files.createDirectories(tmp.resolve("iql-old"));
    for (String f : List.of("config.json", "metrics.csv", "checkpoint.ckpt")) {
      Files.copy(now.resolve(f), old.resolve(f));
    }
    Path ckpt = old.resolve("checkpoint.ckpt");
    ModelSpec model = OfflineCheckpoint.readHeader(ckpt).model();
    ByteArrayOutputStream vState = new ByteArrayOutputStream();
    try (ActorCritic v = ActorCritic.create(IqlLearner.valueSpec(model), Device.cpu());
        DataOutputStream o = new DataOutputStream(vState)) {
      v.params().write(o);
      new Adam(v.params(), 0.9, 0.999, cfg.adamEps).write(o);
    }
    byte[] full = Files.readAllBytes(ckpt);
    int end = 5; // writeUTF("end")
    byte[] cut = new byte[full.length - vState.size()];
    System.arraycopy(full, 0, cut, 0, cut.length - end);
    System.arraycopy(full, full.length - end, cut, cut.length - end, end);
    Files.write(ckpt, cut);

    OfflineRun.resume(now, 30L, null, quiet()); // today's checkpoint resumes
    IOException e = assertThrows(IOException.class, () -> OfflineRun.resume(old, 30L, null, quiet()));
    assertTrue(e.getMessage().contains("holds no state for V's own network"), e.getMessage());
    EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
    try (Agent a = OfflineCheckpoint.loadAgent(ckpt, EnvRegistry.builtin().make(spec.id()).actionSpace(), Device.cpu())) {
      var again = OfflineRun.evaluate(a, spec, spec.contextSpace().defaults(), 2, cfg.seed + 1_000_000, true);
      assertEquals(r.evalReturn(), again.mean(), 1e-9);
    }
  }

  static double randomReturn2() throws IOException {
    Path d = tmp.resolve("random2");
    if (Files.exists(d)) {
      return Dataset.open(d).episodes().stream().mapToDouble(e -> e.totalReturn()).average().orElseThrow();
    }
    EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
    var env = EnvRegistry.builtin().make(spec.id());
    try (DatasetWriter w = DatasetWriter.create(d, new DatasetInfo(DatasetId.parse("test/r2-v0"),
        env.observationSpace(), env.actionSpace(), "random", "", null, null, Map.of()))) {
      return new Collector(spec.id(), null, 2, 8).collect(CollectionPolicy.random(), 2000, w, null, () -> false)
          .meanReturn();
    }
  }
}
