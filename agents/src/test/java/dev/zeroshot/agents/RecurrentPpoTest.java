package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.GruActorCritic;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.agents.nn.Param;
import dev.zeroshot.agents.nn.Tensors;
import dev.zeroshot.env.VectorEnv;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GRU policy (against a hand-computed step and finite differences) and {@link RecurrentPpo}:
 * state resets at episode starts, whole-sequence minibatches, determinism, checkpoints, and
 * learning a task that needs memory, which feed-forward PPO cannot.
 */
class RecurrentPpoTest {

  @BeforeAll
  static void engine() {
    Torch.init(1);
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void gruStepMatchesAHandComputedStep() {
    // No encoder, one observation feature, a state of two, two actions: every weight set by hand.
    ModelSpec spec = new ModelSpec("gru", new int[] {1}, false, 2, false, new int[] {2}, 1);
    try (GruActorCritic net = (GruActorCritic) ActorCritic.create(spec, Device.cpu())) {
      set(net, "gru.ih.w", 0.5f, -0.3f, 0.2f, 0.1f, -0.4f, 0.7f);         // [6, 1]: r, z, n rows
      set(net, "gru.ih.b", 0.1f, 0f, -0.1f, 0.2f, 0f, 0.05f);
      set(net, "gru.hh.w", 0.3f, -0.2f, 0.1f, 0.4f, -0.5f, 0.2f, 0.6f, 0.1f, 0.2f, -0.3f, 0.25f, 0.15f); // [6, 2]
      set(net, "gru.hh.b", 0f, 0.1f, 0f, -0.2f, 0.3f, 0f);
      set(net, "actor.w", 1f, -1f, 0.5f, 2f);
      set(net, "actor.b", 0.1f, -0.1f);
      set(net, "critic.w", 0.7f, -0.6f);
      set(net, "critic.b", 0.3f);
      net.params().push();
      double x = 0.8;
      double[] h = {0.2, -0.5};
      double r0 = sigmoid(0.5 * x + 0.1 + (0.3 * h[0] - 0.2 * h[1]) + 0);
      double r1 = sigmoid(-0.3 * x + 0 + (0.1 * h[0] + 0.4 * h[1]) + 0.1);
      double z0 = sigmoid(0.2 * x - 0.1 + (-0.5 * h[0] + 0.2 * h[1]) + 0);
      double z1 = sigmoid(0.1 * x + 0.2 + (0.6 * h[0] + 0.1 * h[1]) - 0.2);
      double n0 = Math.tanh(-0.4 * x + 0 + r0 * ((0.2 * h[0] - 0.3 * h[1]) + 0.3));
      double n1 = Math.tanh(0.7 * x + 0.05 + r1 * ((0.25 * h[0] + 0.15 * h[1]) + 0));
      double h0 = (1 - z0) * n0 + z0 * h[0];
      double h1 = (1 - z1) * n1 + z1 * h[1];
      double[] expected = {h0 - h1 + 0.1, 0.5 * h0 + 2 * h1 - 0.1, 0.7 * h0 - 0.6 * h1 + 0.3};

      ByteBuffer obs = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putFloat(0, (float) x);
      float[] state = {0.2f, -0.5f};
      float[] out = new float[3];
      net.step(obs, 1, state, out);
      assertEquals(h0, state[0], 1e-5, "new state, unit 0");
      assertEquals(h1, state[1], 1e-5, "new state, unit 1");
      for (int k = 0; k < 3; k++) {
        assertEquals(expected[k], out[k], 1e-5, "java output " + k);
      }
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray y = net.forwardSequence(net.input(m, obs, 1), net.tensor(m, new float[] {0.2f, -0.5f}, new Shape(1, 2)),
            net.tensor(m, new float[] {1}, new Shape(1, 1, 1)), 1, 1);
        float[] t = Tensors.read(y);
        for (int k = 0; k < 3; k++) {
          assertEquals(expected[k], t[k], 1e-5, "torch output " + k);
        }
      }
    }
  }

  private static void set(GruActorCritic net, String name, float... values) {
    float[] v = net.params().get(name).value;
    assertEquals(v.length, values.length, name);
    System.arraycopy(values, 0, v, 0, v.length);
  }

  /** A tiny GRU policy: two observation features, an encoder of 3, a state of 4, three actions. */
  private static final ModelSpec TINY = new ModelSpec("gru", new int[] {2}, false, 3, false, new int[] {3, 4}, 5);
  private static final int STEPS = 5;
  private static final int BATCH = 2;

  @Test
  void sequenceGradientMatchesFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(3);
    float[] obs = new float[STEPS * BATCH * 2];
    for (int i = 0; i < obs.length; i++) {
      obs[i] = (float) r.nextGaussian();
    }
    float[] h0 = new float[BATCH * 4];
    for (int i = 0; i < h0.length; i++) {
      h0[i] = (float) (0.5 * r.nextGaussian());
    }
    float[] keep = {1, 1, 1, 1, 0, 1, 1, 0, 1, 1}; // sequence 0 restarts at step 2, sequence 1 at step 3
    float[] weights = new float[STEPS * BATCH * 4];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) r.nextGaussian();
    }
    try (GruActorCritic net = (GruActorCritic) ActorCritic.create(TINY, Device.cpu())) {
      for (Param p : net.params().list()) { // non-zero biases, so that their gradients are tested too
        if (p.name.endsWith(".b")) {
          for (int i = 0; i < p.value.length; i++) {
            p.value[i] = (float) (0.3 * r.nextGaussian());
          }
        }
      }
      net.params().push();
      try (NDManager m = NDManager.newBaseManager();
          GradientCollector c = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
        NDArray y = net.forwardSequence(m.create(obs, new Shape(STEPS * BATCH, 2)),
            m.create(h0, new Shape(BATCH, 4)), m.create(keep, new Shape(STEPS, BATCH, 1)), STEPS, BATCH);
        JniUtils.backward((PtNDArray) y, (PtNDArray) m.create(weights, new Shape(STEPS * BATCH, 4)), false, false);
      }
      net.params().pullGradients();
      int checked = 0;
      for (Param p : net.params().list()) {
        for (int i = 0; i < p.value.length; i++) {
          float w = p.value[i];
          double eps = 1e-2;
          p.value[i] = (float) (w + eps);
          net.params().push();
          double plus = weighted(net, obs, h0, keep, weights);
          p.value[i] = (float) (w - eps);
          net.params().push();
          double minus = weighted(net, obs, h0, keep, weights);
          p.value[i] = w;
          double fd = (plus - minus) / (2 * eps);
          assertEquals(fd, p.grad[i], 2e-3 + 1e-2 * Math.abs(fd), p.name + "[" + i + "]");
          checked++;
        }
      }
      net.params().push();
      assertEquals(net.params().count(), checked);
    }
  }

  /** sum(weights * outputs) of the sequence, without gradients. */
  private static double weighted(GruActorCritic net, float[] obs, float[] h0, float[] keep, float[] weights) {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] y = Tensors.read(net.forwardSequence(m.create(obs, new Shape(STEPS * BATCH, 2)),
          m.create(h0, new Shape(BATCH, 4)), m.create(keep, new Shape(STEPS, BATCH, 1)), STEPS, BATCH));
      double s = 0;
      for (int i = 0; i < y.length; i++) {
        s += (double) y[i] * weights[i];
      }
      return s;
    }
  }

  @Test
  void javaStepsMatchTheTorchSequenceWithResets() {
    SplittableRandom r = new SplittableRandom(4);
    float[] obs = new float[STEPS * BATCH * 2];
    for (int i = 0; i < obs.length; i++) {
      obs[i] = (float) r.nextGaussian();
    }
    float[] keep = {1, 1, 1, 1, 0, 1, 1, 0, 1, 1};
    try (GruActorCritic net = (GruActorCritic) ActorCritic.create(TINY, Device.cpu());
        NDManager m = NDManager.newBaseManager()) {
      float[] torch = Tensors.read(net.forwardSequence(m.create(obs, new Shape(STEPS * BATCH, 2)),
          m.create(new float[BATCH * 4], new Shape(BATCH, 4)), m.create(keep, new Shape(STEPS, BATCH, 1)), STEPS, BATCH));
      float[] state = new float[BATCH * 4];
      float[] out = new float[BATCH * 4];
      ByteBuffer row = ByteBuffer.allocateDirect(BATCH * 2 * 4).order(ByteOrder.nativeOrder());
      for (int t = 0; t < STEPS; t++) {
        for (int j = 0; j < BATCH; j++) {
          if (keep[t * BATCH + j] == 0) {
            Arrays.fill(state, j * 4, j * 4 + 4, 0f);
          }
        }
        row.asFloatBuffer().put(obs, t * BATCH * 2, BATCH * 2);
        net.step(row, BATCH, state, out);
        for (int k = 0; k < BATCH * 4; k++) {
          assertEquals(torch[t * BATCH * 4 + k], out[k], 1e-5, "step " + t + " output " + k);
        }
      }
    }
  }

  /** A small recurrent PPO config on the cue task. */
  private static PpoConfig cueConfig(long seed) {
    PpoConfig c = PpoConfig.controlDiscrete();
    c.envId = "CartPole-v1"; // the config's env id only names the run; the test builds the cue env itself
    c.model = "gru";
    c.hidden = new int[] {16, 16};
    c.numEnvs = 8;
    c.numSteps = 20;
    c.numMinibatches = 2;
    c.updateEpochs = 4;
    c.learningRate = 1e-2; // learns the cue in about 10 updates (seeds 1-5 all score 1.0 after 30)
    c.seed = seed;
    c.totalTimesteps = 30L * c.batchSize();
    return c;
  }

  private static VectorEnv cueEnv(int numEnvs) {
    return VectorEnv.builder(CueEnv.SPEC).numEnvs(numEnvs).context(CueEnv.CONTEXT.defaults()).threads(1).build();
  }

  private static RecurrentPpo trainer(PpoConfig c, VectorEnv env) {
    return new RecurrentPpo(c, env, Agent.modelFor(env.singleObservationSpace(), env.singleActionSpace(), c.model,
        c.hidden, c.seed), Device.cpu());
  }

  @Test
  void stateIsZeroedBeforeEachEpisodesFirstStep() {
    PpoConfig c = cueConfig(2);
    try (VectorEnv env = cueEnv(c.numEnvs); RecurrentPpo ppo = trainer(c, env)) {
      GruActorCritic net = (GruActorCritic) ppo.agent().net();
      List<float[]> acted = new ArrayList<>();
      for (Param p : net.params().list()) {
        acted.add(p.value.clone());
      }
      ppo.iterate();
      for (int i = 0; i < acted.size(); i++) { // back to the weights the rollout acted with
        System.arraycopy(acted.get(i), 0, net.params().list().get(i).value, 0, acted.get(i).length);
      }
      PpoRollout ro = ppo.rollout;
      int n = c.numEnvs;
      int starts = 0;
      int carried = 0;
      float[] out = new float[net.outputs()];
      for (int t = 0; t < c.numSteps; t++) {
        for (int i = 0; i < n; i++) {
          int k = t * n + i;
          // An episode starts at the rollout's first step (the envs were just reset) and after each
          // reset step (the step after an episode's end, whose action the env ignored).
          boolean expectStart = t == 0 || !ro.valid[k - n];
          assertEquals(expectStart, ppo.starts[k], "step " + t + " env " + i);
          // Every episode here has 4 steps then a reset step: the cue sits exactly on the starts.
          ByteBuffer o = ro.observations.duplicate().order(ByteOrder.nativeOrder()).position(k * 8).slice()
              .order(ByteOrder.nativeOrder());
          assertEquals(expectStart, o.getFloat(0) + o.getFloat(4) == 1f, "the cue is on an episode's first step");
          // The value stored for the step is the net's output from a zero state exactly when it starts an episode.
          net.step(o, 1, new float[net.stateSize()], out);
          if (ppo.starts[k]) {
            assertEquals(out[out.length - 1], ro.values[k], "value at an episode start comes from a zero state");
            starts++;
          } else if (out[out.length - 1] != ro.values[k]) {
            carried++;
          }
        }
      }
      assertTrue(starts >= n * c.numSteps / 5, "episodes started: " + starts);
      assertEquals(n * c.numSteps - starts, carried, "every other step's value depends on the carried state");
    }
  }

  @Test
  void minibatchesHoldWholeSequencesOfTheirEnvs() {
    PpoConfig c = cueConfig(3);
    c.numEnvs = 6;
    c.numMinibatches = 3;
    try (VectorEnv env = cueEnv(c.numEnvs); RecurrentPpo ppo = trainer(c, env)) {
      ppo.iterate(); // shuffles the env order for its epochs
      PpoRollout ro = ppo.rollout;
      int n = c.numEnvs;
      int m = 2;
      List<Integer> seen = new ArrayList<>();
      for (int b = 0; b < 3; b++) {
        int valid = ppo.gatherSequences(2 * b, 2 * b + 2);
        int expectedValid = 0;
        for (int j = 0; j < m; j++) {
          int e = ppo.envOrder[2 * b + j];
          seen.add(e);
          for (int t = 0; t < c.numSteps; t++) {
            int k = t * n + e;
            int row = t * m + j;
            for (int byteIndex = 0; byteIndex < 8; byteIndex++) {
              assertEquals(ro.observations.get(k * 8 + byteIndex), ppo.sequenceObs.get(row * 8 + byteIndex),
                  "row " + row + " is step " + t + " of env " + e);
            }
            assertEquals(ppo.starts[k] ? 0f : 1f, ppo.sequenceKeep[row]);
            expectedValid += ro.valid[k] ? 1 : 0;
          }
          assertArrayEquals(Arrays.copyOfRange(ppo.initialState, e * 16, e * 16 + 16),
              Arrays.copyOfRange(ppo.sequenceState, j * 16, j * 16 + 16), "initial state of env " + e);
        }
        assertEquals(expectedValid, valid, "every valid step of the minibatch's envs, none of the others'");
        for (int v = 0; v < valid; v++) {
          int k = ppo.validIndex[v];
          assertEquals(ppo.envOrder[2 * b + (int) (ppo.validRows[v] % m)], k % n, "a valid row names its env's step");
          assertEquals(ppo.validRows[v] / m, k / n, "and its time");
        }
      }
      seen.sort(null);
      assertEquals(List.of(0, 1, 2, 3, 4, 5), seen, "each env in exactly one minibatch");
      // After the first update the initial state of the next rollout is the carried one, not zeros.
      ppo.iterate();
      float norm = 0;
      for (float v : ppo.initialState) {
        norm += Math.abs(v);
      }
      assertTrue(norm > 0, "the second rollout starts from the states the first one left");
    }
  }

  @Test
  void sameSeedGivesBitIdenticalWeights() {
    float[][] a = trainedWeights(7);
    float[][] b = trainedWeights(7);
    float[][] d = trainedWeights(8);
    for (int i = 0; i < a.length; i++) {
      assertArrayEquals(a[i], b[i], "param " + i);
    }
    assertTrue(!Arrays.equals(a[0], d[0]), "another seed trains other weights");
  }

  private static float[][] trainedWeights(long seed) {
    PpoConfig c = cueConfig(seed);
    c.totalTimesteps = 3L * c.batchSize();
    try (VectorEnv env = cueEnv(c.numEnvs); RecurrentPpo ppo = trainer(c, env)) {
      ppo.train(null, () -> false);
      List<Param> ps = ppo.agent().net().params().list();
      float[][] w = new float[ps.size()][];
      for (int i = 0; i < w.length; i++) {
        w[i] = ps.get(i).value.clone();
      }
      return w;
    }
  }

  @Test
  void checkpointRoundTripRestoresTheTrainer(@TempDir Path dir) throws IOException {
    PpoConfig c = cueConfig(4);
    c.totalTimesteps = 2L * c.batchSize();
    Path file = dir.resolve("ckpt");
    List<float[]> params = new ArrayList<>();
    try (VectorEnv env = cueEnv(c.numEnvs)) {
      try (RecurrentPpo ppo = trainer(c, env)) {
        ppo.train(null, () -> false);
        Checkpoint.save(ppo, file);
        for (Param p : ppo.agent().net().params().list()) {
          params.add(p.value.clone());
        }
      }
      assertEquals("gru", Checkpoint.readHeader(file).model().kind());
      try (Agent loaded = Checkpoint.loadAgent(file, env, Device.cpu())) {
        assertTrue(loaded.net() instanceof GruActorCritic, "a loaded recurrent agent acts with its GRU");
      }
      try (PpoTrainer resumed = Checkpoint.resume(file, env, Device.cpu())) {
        assertTrue(resumed instanceof RecurrentPpo, "a recurrent checkpoint resumes as recurrent PPO");
        assertEquals(2, resumed.updates());
        assertEquals(2L * c.batchSize(), resumed.globalStep());
        List<Param> ps = resumed.agent().net().params().list();
        for (int i = 0; i < ps.size(); i++) {
          assertArrayEquals(params.get(i), ps.get(i).value, ps.get(i).name);
        }
        resumed.config().totalTimesteps = 3L * c.batchSize();
        resumed.train(null, () -> false); // and it trains on
        assertEquals(3, resumed.updates());
      }
    }
  }

  @Test
  void badSettingsAreRefusedWithTheirNames() {
    PpoConfig c = cueConfig(1);
    c.numMinibatches = 9;
    try (VectorEnv env = cueEnv(c.numEnvs)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer(c, env));
      assertTrue(e.getMessage().contains("num-minibatches (9) must be at most num-envs (8)"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ModelSpec("gru", new int[] {2}, false, 2, false, new int[] {}, 1));
    assertTrue(e.getMessage().contains("state size"), e.getMessage());
  }

  @Test
  void recurrentPpoLearnsTheCueTaskThatFeedForwardPpoCannot() {
    PpoConfig c = cueConfig(1);
    Evaluator.Returns recurrent;
    Evaluator.Returns feedForward;
    try (VectorEnv env = cueEnv(c.numEnvs); RecurrentPpo ppo = trainer(c, env)) {
      ppo.train(null, () -> false);
      recurrent = Evaluator.run(ppo.agent(), env, 200, 11, true);
    }
    PpoConfig f = cueConfig(1);
    f.model = "mlp";
    f.hidden = new int[] {16, 16};
    try (VectorEnv env = cueEnv(f.numEnvs); Ppo ppo = new Ppo(f, env, Agent.modelFor(env.singleObservationSpace(),
        env.singleActionSpace(), f.model, f.hidden, f.seed), Device.cpu())) {
      ppo.train(null, () -> false);
      feedForward = Evaluator.run(ppo.agent(), env, 200, 11, true);
    }
    // Without memory the answer step looks the same for both cues: at best half the episodes pay.
    assertTrue(feedForward.mean() < 0.65, "feed-forward PPO scored " + feedForward.mean());
    assertTrue(recurrent.mean() > 0.95, "recurrent PPO scored " + recurrent.mean() + " (feed-forward "
        + feedForward.mean() + ")");
  }
}
