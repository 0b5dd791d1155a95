package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.zeroshot.agents.nn.AttentionMask;
import dev.zeroshot.agents.nn.DecisionTransformer;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.agents.nn.Param;
import dev.zeroshot.agents.nn.Tensors;
import dev.zeroshot.agents.nn.TransformerSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Decision Transformer's network on a tiny model: the causal mask (no token sees a later
 * one, a state token never sees its own action), padding invisible to real steps, and the
 * gradient through attention, layer norm and the embeddings against finite differences of the
 * loss (the training path: forward, loss gradient in Java, torch backward from it).
 */
class DecisionTransformerTest {

  static final int OBS = 3;
  static final int ACTIONS = 4;
  static final int K = 4;
  static final int BATCH = 2;

  @BeforeAll
  static void engine() {
    Torch.init(1);
  }

  static DecisionTransformer tiny(boolean returns, long seed) {
    return new DecisionTransformer(new ModelSpec("mlp", new int[] {OBS}, false, ACTIONS, false, new int[] {6}, seed),
        new TransformerSpec(2, 2, 8, K, 9, returns), Device.cpu());
  }

  /** Random inputs for BATCH windows of K steps. */
  static final class Inputs {
    final ByteBuffer obs = ByteBuffer.allocateDirect(BATCH * K * OBS * 4).order(ByteOrder.nativeOrder());
    final float[] rtg = new float[BATCH * K];
    final long[] actions = new long[BATCH * K];
    final long[] timesteps = new long[BATCH * K];
    final boolean[] real = new boolean[BATCH * K];

    Inputs(long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      for (int i = 0; i < BATCH * K * OBS; i++) {
        obs.putFloat(4 * i, (float) r.nextGaussian());
      }
      for (int i = 0; i < BATCH * K; i++) {
        rtg[i] = (float) (5 * r.nextDouble());
        actions[i] = r.nextInt(ACTIONS);
        timesteps[i] = i % K + 2;
        real[i] = true;
      }
      // Non-zero position and timestep tables, so that the test covers them (they start at 0).
    }

    float[] logits(DecisionTransformer net) {
      try (NDManager m = NDManager.newBaseManager()) {
        return Tensors.read(net.forward(m, obs, rtg, actions, timesteps, real, BATCH));
      }
    }
  }

  static void randomizeTables(DecisionTransformer net) {
    SplittableRandom r = new SplittableRandom(5);
    for (Param p : net.params().list()) {
      if (p.name.startsWith("position") || p.name.startsWith("timestep")) {
        for (int i = 0; i < p.value.length; i++) {
          p.value[i] = (float) (0.3 * r.nextGaussian());
        }
      }
    }
    net.params().push();
  }

  /** Logits of step s of window b. */
  static float[] step(float[] logits, int b, int s) {
    float[] row = new float[ACTIONS];
    System.arraycopy(logits, (b * K + s) * ACTIONS, row, 0, ACTIONS);
    return row;
  }

  @Test
  void noTokenSeesTheFutureAndAStateNeverSeesItsOwnAction() {
    for (boolean returns : new boolean[] {true, false}) {
      try (DecisionTransformer net = tiny(returns, 3)) {
        randomizeTables(net);
        Inputs in = new Inputs(11);
        float[] before = in.logits(net);
        // Change step 2 of window 0: its action first (invisible to its own state token), then
        // its return-to-go and observation (visible from step 2 on).
        in.actions[2] = (in.actions[2] + 1) % ACTIONS;
        float[] actionChanged = in.logits(net);
        for (int s = 0; s <= 2; s++) {
          assertArrayEquals(step(before, 0, s), step(actionChanged, 0, s), "step " + s + " saw the action of step 2");
        }
        assertNotEquals(step(before, 0, 3)[0], step(actionChanged, 0, 3)[0], "step 3 sees step 2's action");
        in.obs.putFloat(4 * (2 * OBS), 7f);
        in.rtg[2] += 3;
        float[] after = in.logits(net);
        for (int s = 0; s < 2; s++) {
          assertArrayEquals(step(before, 0, s), step(after, 0, s), "step " + s + " saw step 2");
        }
        assertNotEquals(step(actionChanged, 0, 2)[0], step(after, 0, 2)[0]);
        for (int s = 0; s < K; s++) {
          assertArrayEquals(step(before, 1, s), step(after, 1, s), "window 1 saw window 0");
        }
      }
    }
  }

  @Test
  void paddingAtTheEpisodeStartIsInvisibleToTheRealSteps() {
    try (DecisionTransformer net = tiny(true, 4)) {
      randomizeTables(net);
      Inputs in = new Inputs(12);
      in.real[0] = false; // window 0: two padding steps, then two real ones
      in.real[1] = false;
      float[] before = in.logits(net);
      in.obs.putFloat(0, 100f);
      in.rtg[1] = -40f;
      in.actions[0] = 3;
      in.timesteps[1] = 7;
      float[] after = in.logits(net);
      for (int s = 2; s < K; s++) {
        assertArrayEquals(step(before, 0, s), step(after, 0, s), "real step " + s + " saw the padding");
      }
    }
  }

  @Test
  void pixelsGoThroughTheImpalaEncoderUnderTheSameMask() {
    ModelSpec enc = new ModelSpec("impala", new int[] {3, 8, 8}, true, ACTIONS, false, new int[] {4, 8}, 2);
    try (DecisionTransformer net = new DecisionTransformer(enc, new TransformerSpec(1, 2, 8, 2, 5, true), Device.cpu());
        NDManager m = NDManager.newBaseManager()) {
      ByteBuffer frames = ByteBuffer.allocateDirect(2 * 3 * 8 * 8).order(ByteOrder.nativeOrder());
      SplittableRandom r = new SplittableRandom(1);
      for (int i = 0; i < frames.capacity(); i++) {
        frames.put(i, (byte) r.nextInt(256));
      }
      float[] rtg = {3, 2};
      long[] actions = {1, 0};
      long[] t = {0, 1};
      boolean[] real = {true, true};
      float[] before = Tensors.read(net.forward(m, frames, rtg, actions, t, real, 1));
      frames.put(3 * 8 * 8 + 5, (byte) 17); // step 1's frame
      float[] after = Tensors.read(net.forward(m, frames, rtg, actions, t, real, 1));
      assertEquals(2 * ACTIONS, before.length);
      for (int a = 0; a < ACTIONS; a++) {
        assertEquals(before[a], after[a], 0f, "step 0 saw step 1's frame");
      }
      boolean changed = false;
      for (int a = ACTIONS; a < 2 * ACTIONS; a++) {
        changed |= before[a] != after[a];
      }
      assertTrue(changed, "step 1's logits ignore its frame");
    }
  }

  @Test
  void maskAllowsEarlierRealTokensAndItself() {
    // 1 window, 2 steps of 2 tokens; step 0 is padding: token 2 (step 1's state) sees itself and
    // nothing before; token 3 sees 2 and 3.
    float[] m = AttentionMask.of(new boolean[] {false, true}, 1, 2, 2);
    float inf = Float.NEGATIVE_INFINITY;
    assertArrayEquals(new float[] {0, inf, inf, inf, inf, 0, inf, inf, inf, inf, 0, inf, inf, inf, 0, 0}, m);
  }

  @Test
  void gradientThroughAttentionMatchesFiniteDifferences() {
    try (DecisionTransformer net = tiny(true, 6)) {
      randomizeTables(net);
      Inputs in = new Inputs(13);
      in.real[0] = false;
      float[] grad = new float[BATCH * K * ACTIONS];
      try (NDManager m = NDManager.newBaseManager();
          GradientCollector c = Torch.init(1).newGradientCollector()) {
        NDArray y = net.forward(m, in.obs, in.rtg, in.actions, in.timesteps, in.real, BATCH);
        SequenceLearner.crossEntropy(Tensors.read(y), in.actions, in.real, ACTIONS, grad, new int[1]);
        JniUtils.backward((PtNDArray) y, (PtNDArray) m.create(grad, y.getShape()), false, false);
      }
      net.params().pullGradients();
      int checked = 0;
      SplittableRandom r = new SplittableRandom(2);
      for (Param p : net.params().list()) {
        boolean attention = p.name.contains(".attn.");
        int tries = attention ? 4 : 1;
        for (int t = 0; t < tries; t++) {
          int i = r.nextInt(p.value.length);
          double analytic = p.grad[i];
          float keep = p.value[i];
          double h = 1e-2;
          p.value[i] = (float) (keep + h);
          net.params().push();
          double up = loss(net, in);
          p.value[i] = (float) (keep - h);
          net.params().push();
          double down = loss(net, in);
          p.value[i] = keep;
          net.params().push();
          double numeric = (up - down) / (2 * h);
          assertEquals(numeric, analytic, 2e-3 + 0.05 * Math.abs(numeric), p.name + "[" + i + "]");
          checked++;
        }
      }
      assertTrue(checked > 40, "checked " + checked);
    }
  }

  private static double loss(DecisionTransformer net, Inputs in) {
    return SequenceLearner.crossEntropy(in.logits(net), in.actions, in.real, ACTIONS, new float[BATCH * K * ACTIONS],
        new int[1]);
  }

  @Test
  void crossEntropyAveragesOverRealStepsOnly() {
    // Two steps, two actions: padding [5, -5] ignored; real logits [0, 0], action 1: loss ln 2,
    // gradient (0.5, -0.5) over 1 real step.
    float[] grad = new float[4];
    int[] correct = new int[1];
    double loss = SequenceLearner.crossEntropy(new float[] {5, -5, 0, 0}, new long[] {0, 1},
        new boolean[] {false, true}, 2, grad, correct);
    assertEquals(Math.log(2), loss, 1e-12);
    assertArrayEquals(new float[] {0, 0, 0.5f, -0.5f}, grad);
    assertEquals(0, correct[0]); // argmax of a tie is the first action
  }

  @Test
  void badShapesAreOneClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TransformerSpec(2, 3, 8, 4, 9, true));
    assertTrue(e.getMessage().contains("multiple of the 3 heads"), e.getMessage());
  }
}
