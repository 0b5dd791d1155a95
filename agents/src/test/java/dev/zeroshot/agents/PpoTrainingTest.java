package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.zeroshot.agents.bench.SideImageEnv;
import dev.zeroshot.agents.nn.Param;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.VectorEnvApi;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PPO end to end on CartPole-v1 and a synthetic image task, with fixed seeds. */
class PpoTrainingTest {

  @BeforeAll
  static void engine() {
    Torch.init(1);
  }

  static VectorEnv cartPole(PpoConfig c) {
    return EnvRegistry.builtin().vector(c.envId).numEnvs(c.numEnvs).threads(1).build();
  }

  static Ppo trainer(PpoConfig c, VectorEnvApi env) {
    return new Ppo(c, env, Agent.modelFor(env.singleObservationSpace(), env.singleActionSpace(), c.model, c.hidden,
        c.seed), Device.cpu());
  }

  @Test
  void ppoOnCartPoleLearnsFarAboveRandom() {
    // CleanRL's ppo.py settings; 60 updates of 512 steps. A random policy averages ~22.
    PpoConfig c = PpoConfig.controlDiscrete();
    c.totalTimesteps = 60 * 512;
    c.seed = 1;
    List<Double> recent = new ArrayList<>();
    try (VectorEnv env = cartPole(c); Ppo ppo = trainer(c, env)) {
      ppo.train(m -> recent.add(m.recentReturn), () -> false);
      assertEquals(60, ppo.updates());
      assertEquals(60 * 512, ppo.globalStep());
      double finalReturn = recent.get(recent.size() - 1);
      assertTrue(finalReturn > 100, "recent mean return after 30k steps: " + finalReturn);
      // The trained policy, evaluated on fresh episodes with other seeds.
      try (VectorEnv eval = EnvRegistry.builtin().vector("CartPole-v1").numEnvs(8).threads(1).build()) {
        Evaluator.Returns r = Evaluator.run(ppo.agent(), eval, 16, 12345, false);
        assertTrue(r.mean() > 100, "evaluation mean return " + r.mean());
        assertEquals(16, r.episodes());
      }
    }
  }

  @Test
  void sameSeedSameRunDifferentSeedDifferentRun() {
    float[][] a = trainBriefly(7);
    float[][] b = trainBriefly(7);
    float[][] other = trainBriefly(8);
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i], "param " + i + " differs between two runs with seed 7");
    }
    assertNotEquals(a[0][0], other[0][0]);
  }

  private static float[][] trainBriefly(long seed) {
    PpoConfig c = PpoConfig.controlDiscrete();
    c.totalTimesteps = 3 * 512;
    c.seed = seed;
    try (VectorEnv env = cartPole(c); Ppo ppo = trainer(c, env)) {
      ppo.train(null, () -> false);
      List<Param> ps = ppo.agent().net().params().list();
      float[][] out = new float[ps.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = ps.get(i).value.clone();
      }
      return out;
    }
  }

  @Test
  void checkpointRoundTripGivesTheSameOutputsAndState(@TempDir Path dir) throws IOException {
    PpoConfig c = PpoConfig.controlContinuous(); // Gaussian policy with observation and reward statistics
    c.envId = "Pendulum-v1";
    c.numSteps = 256;
    c.numMinibatches = 4;
    c.updateEpochs = 2;
    c.totalTimesteps = 2 * 256;
    c.seed = 3;
    Path file = dir.resolve("ckpt");
    try (VectorEnv env = EnvRegistry.builtin().vector(c.envId).numEnvs(1).threads(1).build()) {
      float[] before;
      List<float[]> params = new ArrayList<>();
      try (Ppo ppo = trainer(c, env)) {
        ppo.train(null, () -> false);
        Checkpoint.save(ppo, file);
        before = outputs(ppo.agent(), env);
        for (Param p : ppo.agent().net().params().list()) {
          params.add(p.value.clone());
        }
        assertTrue(ppo.agent().observationNormalizer().count() > 500);
      }
      try (Agent loaded = Checkpoint.loadAgent(file, env, Device.cpu())) {
        assertArrayEquals(before, outputs(loaded, env), "network outputs after reload");
      }
      try (Ppo resumed = (Ppo) Checkpoint.resume(file, env, Device.cpu())) {
        assertEquals(2, resumed.updates());
        assertEquals(512, resumed.globalStep());
        List<Param> ps = resumed.agent().net().params().list();
        for (int i = 0; i < ps.size(); i++) {
          assertArrayEquals(params.get(i), ps.get(i).value, ps.get(i).name);
        }
        assertArrayEquals(before, outputs(resumed.agent(), env));
        resumed.config().totalTimesteps = 3 * 256;
        resumed.train(null, () -> false); // and it trains on
        assertEquals(3, resumed.updates());
      }
    }
    // A truncated file is reported, not loaded.
    byte[] bytes = Files.readAllBytes(file);
    Path bad = dir.resolve("bad");
    Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    try (VectorEnv env = EnvRegistry.builtin().vector("Pendulum-v1").numEnvs(1).threads(1).build()) {
      assertThrows(IOException.class, () -> Checkpoint.resume(bad, env, Device.cpu()).close());
    }
  }

  /** The agent's outputs on the env's first observations (normalized with frozen statistics). */
  private static float[] outputs(Agent agent, VectorEnvApi env) {
    StepBuffers buf = StepBuffers.allocate(env);
    env.reset(99, buf);
    ByteBuffer prepared = agent.newObservationBuffer(env.numEnvs());
    agent.prepare(buf, prepared, 0, false);
    float[] out = new float[env.numEnvs() * (agent.policyOutputs() + 1)];
    try (NDManager m = NDManager.newBaseManager()) {
      agent.evaluate(m, prepared, env.numEnvs(), out);
    }
    return out;
  }

  @Test
  void nativeMemoryStaysFlatAcrossUpdates() {
    PpoConfig c = PpoConfig.controlDiscrete();
    c.totalTimesteps = 20L * 512;
    try (VectorEnv env = cartPole(c); Ppo ppo = trainer(c, env)) {
      ppo.iterate();
      int after1 = ppo.liveTensors();
      for (int i = 0; i < 15; i++) {
        ppo.iterate();
      }
      // Each update runs 16 forward and backward passes through torch; none leave a tensor behind.
      assertEquals(after1, ppo.liveTensors());
    }
  }

  @Test
  void impalaCnnLearnsTheSyntheticImageTask() {
    // Small images and a narrow IMPALA net keep this to seconds on a CPU.
    PpoConfig c = PpoConfig.procgen();
    c.numEnvs = 8;
    c.numSteps = 32;
    c.numMinibatches = 4;
    c.updateEpochs = 3;
    c.gamma = 0.99;
    c.hidden = new int[] {8, 16, 64};
    c.totalTimesteps = 48 * 256;
    c.torchThreads = 1;
    c.seed = 2;
    List<Double> recent = new ArrayList<>();
    try (VectorEnv env = VectorEnv.builder(SideImageEnv.spec(16)).numEnvs(c.numEnvs)
            .context(SideImageEnv.CONTEXT.parse("noise=0")).threads(1).build();
        Ppo ppo = trainer(c, env)) {
      ppo.train(m -> recent.add(m.recentReturn), () -> false);
      double first = recent.get(0);
      double last = recent.get(recent.size() - 1);
      // Random play scores 5 of 10.
      assertTrue(first < 6.5, "first return " + first);
      assertTrue(last > 8, "return after 12k steps: " + last);
    }
  }
}
