package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.offline.CollectionPolicy;
import dev.zeroshot.offline.Collector;
import dev.zeroshot.offline.Dataset;
import dev.zeroshot.offline.DatasetId;
import dev.zeroshot.offline.DatasetInfo;
import dev.zeroshot.offline.DatasetWriter;
import dev.zeroshot.offline.Episode;
import dev.zeroshot.offline.Planners;
import dev.zeroshot.offline.SequenceBatch;
import dev.zeroshot.offline.SequenceSampler;
import dev.zeroshot.offline.TransitionSampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DT and BCT at toy scale on CartPole data from the scripted expert (return 500). */
class SequenceLearningTest {

  @TempDir
  static Path tmp;
  static Path data;

  @BeforeAll
  static void collect() throws IOException {
    EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
    var env = EnvRegistry.builtin().make(spec.id());
    data = tmp.resolve("cartpole-expert");
    // epsilon 0.3: short episodes of varied return, so that windows cross episode starts often
    Collector c = new Collector(spec.id(), null, 2, 7);
    try (DatasetWriter w = DatasetWriter.create(data, new DatasetInfo(DatasetId.parse("test/cartpole-eps-v0"),
        env.observationSpace(), env.actionSpace(), "planner", "test", null, null,
        Map.of(DatasetInfo.ENV_ID, spec.id())))) {
      c.collect(CollectionPolicy.epsilonMixed(Planners.cartPole(), 0.3), 4000, w, null, () -> false);
    }
  }

  static OfflineConfig config(String algo) {
    OfflineConfig cfg = OfflineLearningTest.config(algo, data);
    cfg.contextLength = 4;
    cfg.transformerLayers = 1;
    cfg.transformerHeads = 2;
    cfg.embeddingWidth = 16;
    cfg.hidden = new int[] {16};
    cfg.batchSize = 32;
    return cfg;
  }

  @Test
  void returnsToGoSumTheRewardsFromEachStepOn() {
    assertArrayEquals(new float[] {3.5f, 2.5f, 2.5f, 0.5f}, SequenceSampler.returnsToGo(new double[] {1, 0, 2, 0.5}));
    assertArrayEquals(new float[0], SequenceSampler.returnsToGo(new double[0]));
  }

  @Test
  void windowsEndAtTheDrawnStepAndArePaddedOnTheLeftAtEpisodeStarts() throws IOException {
    Dataset ds = Dataset.open(data);
    SequenceSampler s = new SequenceSampler(new TransitionSampler(ds, 64, true, null));
    int k = 6;
    SequenceBatch b = new SequenceBatch(200, k, ds.observationFormat().bytes());
    s.sample(200, new SplittableRandom(3), b);
    int padded = 0;
    for (int w = 0; w < 200; w++) {
      int id = b.episode[w];
      Dataset.EpisodeInfo info = ds.episodes().stream().filter(e -> e.id() == id).findFirst().orElseThrow();
      Episode e = ds.episode(info);
      long last = b.timesteps[w * k + k - 1];
      assertTrue(b.real[w * k + k - 1]);
      for (int j = 0; j < k; j++) {
        int row = w * k + j;
        long t = last - (k - 1) + j;
        assertEquals(t >= 0, b.real[row], "window " + w + " step " + j);
        if (t < 0) {
          padded++;
          assertEquals(0, b.timesteps[row]);
          assertEquals(0f, b.returnsToGo[row]);
          assertEquals(0L, b.actions[row]);
          for (int i = 0; i < b.observationBytes; i++) {
            assertEquals(0, b.observations.get(row * b.observationBytes + i));
          }
        } else {
          assertEquals(t, b.timesteps[row]);
          assertEquals(e.actions()[(int) t], b.actions[row]);
          assertEquals(info.steps() - t, b.returnsToGo[row], 1e-4, "CartPole pays 1 per step");
          for (int i = 0; i < b.observationBytes; i++) {
            assertEquals(e.observations()[(int) t * b.observationBytes + i], b.observations.get(row * b.observationBytes + i));
          }
        }
      }
    }
    assertTrue(padded > 0, "no window crossed an episode start");
  }

  @Test
  void evaluationKeepsEachEnvsWindowAndReturnToGoAcrossSteps() {
    try (SequencePolicy p = new SequencePolicy(DecisionTransformerTest.tiny(true, 1), 20.0,
        new dev.zeroshot.env.space.Discrete(DecisionTransformerTest.ACTIONS), true)) {
      // The tiny network reads 3 floats and has 4 actions: check the bookkeeping on a fake env
      // buffer, stepping rewards by hand.
      StepBuffers buf = StepBuffers.allocate(dev.zeroshot.env.space.Box.uniform(-1, 1, new int[] {3},
          dev.zeroshot.env.space.DType.FLOAT32), new dev.zeroshot.env.space.Discrete(DecisionTransformerTest.ACTIONS), 2);
      SplittableRandom rng = new SplittableRandom(1);
      p.reset(2);
      p.act(buf, rng, false);
      assertArrayEquals(new boolean[] {false, false, false, true}, p.realSteps(0));
      assertArrayEquals(new float[] {0, 0, 0, 20}, p.returnsToGo(0));
      buf.setResult(0, 1.5, false, false);
      buf.setResult(1, 0.0, false, false);
      p.stepped(buf);
      assertEquals(18.5, p.returnToGo(0), 1e-12);
      assertEquals(20.0, p.returnToGo(1), 1e-12);
      p.act(buf, rng, false);
      assertArrayEquals(new boolean[] {false, false, true, true}, p.realSteps(0));
      assertArrayEquals(new float[] {0, 0, 20, 18.5f}, p.returnsToGo(0));
      for (int i = 0; i < 4; i++) { // the window slides: only the last 4 steps stay
        buf.setResult(0, 1, false, false);
        buf.setResult(1, 1, false, false);
        p.stepped(buf);
        p.act(buf, rng, false);
      }
      assertArrayEquals(new boolean[] {true, true, true, true}, p.realSteps(0));
      assertArrayEquals(new float[] {17.5f, 16.5f, 15.5f, 14.5f}, p.returnsToGo(0));
      buf.setResult(0, 2, true, false); // env 0's episode ends: its window is padding again
      buf.setResult(1, 1, false, false);
      p.stepped(buf);
      p.act(buf, rng, false);
      assertArrayEquals(new boolean[] {false, false, false, true}, p.realSteps(0));
      assertArrayEquals(new float[] {0, 0, 0, 20}, p.returnsToGo(0));
      assertArrayEquals(new float[] {18, 17, 16, 15}, p.returnsToGo(1));
    }
  }

  @Test
  void dtAndBctBeatRandomWriteARunFolderAndActAsTrainedFromTheCheckpoint() throws IOException {
    double random = randomReturn();
    EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
    for (String algo : List.of("dt", "bct")) {
      OfflineConfig cfg = config(algo);
      cfg.steps = 300;
      cfg.learningRate = 2e-3;
      Path out = tmp.resolve(algo + "-run");
      OfflineRun.Result r = OfflineRun.train(cfg, out, OfflineLearningTest.quiet());
      System.out.printf("%s on CartPole data: return %.1f (random %.1f), %.0f samples/s%n", algo, r.evalReturn(), random,
          r.samplesPerSecond());
      assertTrue(r.evalReturn() > 3 * random, algo + " return " + r.evalReturn() + " vs random " + random);
      for (String f : List.of("config.json", "metrics.csv", "checkpoint.ckpt", "learning_curve.png")) {
        assertTrue(Files.isRegularFile(out.resolve(f)), f);
      }
      TensorBoardEventsTest.assertEventsEqualCsv(out, "step", OfflineRun::tensorBoardTag);
      OfflineConfig saved = OfflineConfig.fromJson(Files.readString(out.resolve("config.json")));
      assertEquals(algo.equals("dt") ? 5 * bestReturn() : 0, saved.targetReturn, 1e-9);
      Path ckpt = out.resolve("checkpoint.ckpt");
      try (EnvPolicy p = OfflineCheckpoint.loadPolicy(ckpt, EnvRegistry.builtin().make(spec.id()).actionSpace(),
          Device.cpu())) {
        var again = OfflineRun.evaluate(p, spec, spec.contextSpace().defaults(), cfg.evalEpisodes, cfg.seed + 1_000_000,
            false);
        assertEquals(r.evalReturn(), again.mean(), 1e-9);
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> OfflineCheckpoint.loadAgent(ckpt, EnvRegistry.builtin().make(spec.id()).actionSpace(), Device.cpu()));
      assertTrue(e.getMessage().contains("context window"), e.getMessage());
    }
  }

  static double randomReturn() throws IOException {
    EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
    var env = EnvRegistry.builtin().make(spec.id());
    try (DatasetWriter w = DatasetWriter.create(tmp.resolve("random"), new DatasetInfo(DatasetId.parse("test/r-v0"),
        env.observationSpace(), env.actionSpace(), "random", "", null, null, Map.of()))) {
      return new Collector(spec.id(), null, 2, 8).collect(CollectionPolicy.random(), 2000, w, null, () -> false)
          .meanReturn();
    }
  }

  static double bestReturn() throws IOException {
    return Dataset.open(data).episodes().stream().mapToDouble(Dataset.EpisodeInfo::totalReturn).max().orElseThrow();
  }

  @Test
  void trainingIsBitIdenticalUnderASeedAndResumesFromItsCheckpoint() throws IOException {
    OfflineConfig cfg = config("dt");
    cfg.steps = 12;
    cfg.logEvery = 4;
    cfg.checkpointEvery = 6;
    cfg.evalEpisodes = 2;
    OfflineRun.train(cfg, tmp.resolve("seed-a"), OfflineLearningTest.quiet());
    OfflineConfig again = config("dt");
    again.steps = 12;
    again.logEvery = 4;
    again.checkpointEvery = 6;
    again.evalEpisodes = 2;
    OfflineRun.train(again, tmp.resolve("seed-b"), OfflineLearningTest.quiet());
    assertEquals(lossColumn(tmp.resolve("seed-a")), lossColumn(tmp.resolve("seed-b")));
    assertArrayEquals(weights(tmp.resolve("seed-a")), weights(tmp.resolve("seed-b")));
    // the checkpoint restores weights, Adam and the step: resuming to 16 steps continues from 12
    OfflineRun.Result r = OfflineRun.resume(tmp.resolve("seed-a"), 16L, null, OfflineLearningTest.quiet());
    assertEquals(16, r.steps());
    assertFalse(java.util.Arrays.equals(weights(tmp.resolve("seed-a")), weights(tmp.resolve("seed-b"))));
  }

  private static List<String> lossColumn(Path run) throws IOException {
    return Files.readAllLines(run.resolve("metrics.csv")).stream().skip(1).map(l -> l.split(",")[3]).toList();
  }

  private static float[] weights(Path run) throws IOException {
    try (SequencePolicy p = (SequencePolicy) OfflineCheckpoint.loadPolicy(run.resolve("checkpoint.ckpt"),
        new dev.zeroshot.env.space.Discrete(2), Device.cpu())) {
      int n = p.net().params().count();
      float[] all = new float[n];
      int at = 0;
      for (var param : p.net().params().list()) {
        System.arraycopy(param.value, 0, all, at, param.value.length);
        at += param.value.length;
      }
      return all;
    }
  }

  @Test
  void aDatasetOfAnotherEnvIsOneClearError() {
    OfflineConfig cfg = config("dt");
    cfg.envId = "procgen/maze-easy-symbolic-v0";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OfflineRun.train(cfg, tmp.resolve("mismatch"), OfflineLearningTest.quiet()));
    assertTrue(e.getMessage().startsWith("dataset observations are"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("mismatch")));
    OfflineConfig heads = config("bct");
    heads.embeddingWidth = 10;
    heads.transformerHeads = 4;
    e = assertThrows(IllegalArgumentException.class, () -> OfflineRun.train(heads, tmp.resolve("heads"),
        OfflineLearningTest.quiet()));
    assertTrue(e.getMessage().contains("the embedding a multiple of the heads"), e.getMessage());
  }
}
