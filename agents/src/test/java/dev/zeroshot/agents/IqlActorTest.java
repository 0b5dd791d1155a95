package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.agents.nn.Param;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.GymEnv;
import dev.zeroshot.offline.Collector;
import dev.zeroshot.offline.Dataset;
import dev.zeroshot.offline.DatasetId;
import dev.zeroshot.offline.DatasetInfo;
import dev.zeroshot.offline.DatasetWriter;
import dev.zeroshot.env.context.LevelRange;
import dev.zeroshot.offline.Planners;
import dev.zeroshot.offline.TransitionSampler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IQL's actor is trained only by its advantage-weighted cross-entropy: V is a network of its
 * own (gen_dgrl, Kostrikov et al.). At temperature 0 every weight is exp(0) = 1, so the actor's
 * loss is BC's, and from the same initial weights and the same minibatches the actor must take
 * BC's steps exactly. When V was the value column of the actor's network, V's regression
 * toward Procgen returns (up to 10) also moved the shared IMPALA trunk, and Adam's shared
 * moments, and the actor did not.
 */
class IqlActorTest {

  @Test
  void atTemperatureZeroTheActorTakesExactlyBcsSteps(@TempDir Path tmp) throws IOException {
    EnvSpec spec = EnvRegistry.builtin().spec("procgen/maze-easy-v0");
    var ctx = LevelRange.parse("0:20").apply(spec.contextSpace().parse("world_dim=9,max_maze_dim=9"));
    GymEnv env = EnvRegistry.builtin().make(spec.id(), ctx);
    try (DatasetWriter w = DatasetWriter.create(tmp, new DatasetInfo(DatasetId.parse("t/maze-v0"),
        env.observationSpace(), env.actionSpace(), "planner", "test", null, null, Map.of()))) {
      new Collector(spec.id(), ctx, 2, 1).collect(Planners.maze(), 300, w, null, () -> false);
    }
    Dataset ds = Dataset.open(tmp);
    ModelSpec model = Agent.modelFor(env.observationSpace(), env.actionSpace(), "impala/4", new int[] {4, 8, 8, 16}, 5);
    List<float[]> bc = train("bc", ds, model, env);
    List<float[]> iql = train("iql", ds, model, env);
    assertEquals(bc.size(), iql.size());
    double moved = 0;
    for (int k = 0; k < bc.size(); k++) {
      float[] b = bc.get(k);
      float[] q = iql.get(k);
      for (int i = 0; i < b.length; i++) {
        assertEquals(b[i], q[i], 1e-5 + 1e-4 * Math.abs(b[i]), "param " + k + "[" + i + "]");
      }
    }
    // and the steps did move the weights (so the equality is not that of two untouched networks)
    try (var fresh = dev.zeroshot.agents.nn.ActorCritic.create(model, Device.cpu())) {
      for (int k = 0; k < bc.size(); k++) {
        float[] b = bc.get(k);
        float[] f = fresh.params().list().get(k).value;
        for (int i = 0; i < b.length; i++) {
          moved = Math.max(moved, Math.abs(b[i] - f[i]));
        }
      }
    }
    assertTrue(moved > 1e-3, "largest change from the initial weights " + moved);
  }

  /** 30 steps of {@code algo} (IQL at temperature 0) from {@code model}'s weights; returns the acting network's params. */
  private static List<float[]> train(String algo, Dataset ds, ModelSpec model, GymEnv env) throws IOException {
    OfflineConfig cfg = new OfflineConfig();
    cfg.algo = algo;
    cfg.dataset = ds.dataDir().toString();
    cfg.batchSize = 32;
    cfg.learningRate = 1e-3;
    cfg.iqlTemperature = 0;
    cfg.targetUpdateEvery = 10;
    cfg.device = "cpu";
    TransitionSampler sampler = new TransitionSampler(ds, 64, true, new PrintStream(OutputStream.nullOutputStream()));
    SplittableRandom rng = new SplittableRandom(9);
    OfflineLearner learner = OfflineLearner.create(cfg, model, env.actionSpace(), Device.cpu());
    for (int t = 0; t < 30; t++) {
      learner.step(sampler, rng);
    }
    List<Param> params = learner.agent().net().params().list();
    List<float[]> copy = new java.util.ArrayList<>();
    for (Param p : params) {
      copy.add(p.value.clone());
    }
    learner.close();
    return copy;
  }
}
