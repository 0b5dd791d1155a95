package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.Adam;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.agents.nn.Param;
import dev.zeroshot.agents.nn.Params;
import dev.zeroshot.agents.nn.Tensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The training path (network forward, loss gradient in Java, torch backward from that output
 * gradient, Java Adam) against finite differences of the loss, for the MLP and a small IMPALA
 * CNN; plus the optimizer and initializer against their definitions.
 */
class NetworkGradientTest {

  @BeforeAll
  static void engine() {
    Torch.init(1);
  }

  @Test
  void mlpGradientThroughTheNetworkMatchesFiniteDifferences() {
    ModelSpec spec = new ModelSpec("mlp", new int[] {4}, false, 3, false, new int[] {8, 8}, 3);
    checkGradient(spec, 6, 4 * 4);
  }

  @Test
  void gaussianMlpGradientMatchesFiniteDifferences() {
    ModelSpec spec = new ModelSpec("mlp", new int[] {3}, false, 2, true, new int[] {8}, 4);
    checkGradient(spec, 5, 4 * 3);
  }

  @Test
  void impalaGradientThroughTheNetworkMatchesFiniteDifferences() {
    ModelSpec spec = new ModelSpec("impala", new int[] {3, 8, 8}, true, 4, false, new int[] {4, 4, 16}, 5);
    checkGradient(spec, 3, 3 * 8 * 8);
  }

  @Test
  void pooledImpalaGradientMatchesFiniteDifferences() {
    ModelSpec spec = new ModelSpec("impala/2", new int[] {3, 8, 8}, true, 4, false, new int[] {4, 4, 16}, 5);
    checkGradient(spec, 3, 3 * 8 * 8);
  }

  @Test
  void pooledImpalaSeesTheAveragePooledFrame() {
    // impala/4 on a 64x64 frame is impala on the frame averaged over 4x4 blocks (16x16): same
    // parameter shapes, so the same seed gives the same weights.
    ModelSpec pooled = new ModelSpec("impala/4", new int[] {3, 64, 64}, true, 15, false, new int[] {4, 8, 32}, 3);
    ModelSpec small = new ModelSpec("impala", new int[] {3, 16, 16}, true, 15, false, new int[] {4, 8, 32}, 3);
    SplittableRandom r = new SplittableRandom(7);
    ByteBuffer obs = ByteBuffer.allocateDirect(2 * 3 * 64 * 64);
    float[] avg = new float[2 * 3 * 16 * 16];
    for (int i = 0; i < 2 * 3 * 64 * 64; i++) {
      int v = r.nextInt(256);
      obs.put(i, (byte) v);
      int plane = i / (64 * 64);
      int y = i % (64 * 64) / 64;
      int x = i % 64;
      avg[plane * 256 + y / 4 * 16 + x / 4] += v / 16f;
    }
    try (ActorCritic a = ActorCritic.create(pooled, Device.cpu()); ActorCritic b = ActorCritic.create(small, Device.cpu());
        NDManager m = NDManager.newBaseManager()) {
      assertEquals(a.params().count(), b.params().count());
      float[] ya = a.forward(a.input(m, obs, 2)).toFloatArray();
      float[] yb = b.forward(m.create(avg, new Shape(2, 3, 16, 16))).toFloatArray();
      assertEquals(2 * 16, ya.length);
      for (int i = 0; i < ya.length; i++) {
        assertEquals(yb[i], ya[i], 1e-4, "output " + i);
      }
    }
    assertThrows(IllegalArgumentException.class,
        () -> new ModelSpec("impala/3", new int[] {3, 64, 64}, true, 15, false, new int[] {4, 8, 32}, 3));
  }

  private static void checkGradient(ModelSpec spec, int n, int obsBytes) {
    SplittableRandom r = new SplittableRandom(42);
    ByteBuffer obs = ByteBuffer.allocateDirect(n * obsBytes).order(ByteOrder.nativeOrder());
    if (spec.imageInput()) {
      for (int i = 0; i < n * obsBytes; i++) {
        obs.put(i, (byte) r.nextInt(256));
      }
    } else {
      for (int i = 0; i < n * obsBytes / 4; i++) {
        obs.putFloat(4 * i, (float) r.nextGaussian());
      }
    }
    int a = spec.policyOutputs();
    int w = a + 1;
    long[] actsL = new long[n];
    float[] acts = new float[n * a];
    float[] oldLogp = new float[n];
    float[] adv = new float[n];
    float[] ret = new float[n];
    float[] oldV = new float[n];
    for (int i = 0; i < n; i++) {
      actsL[i] = r.nextInt(a);
      for (int k = 0; k < a; k++) {
        acts[i * a + k] = (float) r.nextGaussian();
      }
      oldLogp[i] = (float) (spec.gaussian() ? -2 - r.nextDouble() : -Math.log(a) + 0.3 * (r.nextDouble() - 0.5));
      adv[i] = (float) r.nextGaussian();
      ret[i] = (float) r.nextGaussian();
      oldV[i] = (float) (0.1 * r.nextGaussian());
    }
    PpoLoss.Coefs c = new PpoLoss.Coefs(0.2, true, 0.01, 0.5);
    try (ActorCritic net = ActorCritic.create(spec, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
      float[] logStd = net.logStd();
      if (logStd != null) {
        logStd[0] = 0.3f;
      }
      // Analytic: Java loss gradient, backward through the network.
      float[] out = new float[n * w];
      try (NDManager sub = m.newSubManager(); GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
        NDArray y = net.forward(net.input(sub, obs, n));
        Tensors.read(y, out);
        float[] gPol = new float[n * a];
        float[] gVal = new float[n];
        lossOf(spec, n, a, out, logStd, actsL, acts, oldLogp, adv, ret, oldV, c, gPol, gVal,
            logStd == null ? null : net.params().get("java:logstd").grad);
        float[] g = new float[n * w];
        for (int i = 0; i < n; i++) {
          System.arraycopy(gPol, i * a, g, i * w, a);
          g[i * w + a] = gVal[i];
        }
        NDArray gNd = sub.create(g, new Shape(n, w));
        JniUtils.backward((PtNDArray) y, (PtNDArray) gNd, false, false);
      }
      net.params().pullGradients();
      // Numeric: perturb a sample of every parameter's entries.
      int checked = 0;
      for (Param p : net.params().list()) {
        for (int t = 0; t < 3; t++) {
          int j = r.nextInt(p.size());
          float orig = p.value[j];
          double h = 1e-3;
          p.value[j] = (float) (orig + h);
          net.params().push();
          double up = loss(net, m, spec, n, a, obs, actsL, acts, oldLogp, adv, ret, oldV, c);
          p.value[j] = (float) (orig - h);
          net.params().push();
          double down = loss(net, m, spec, n, a, obs, actsL, acts, oldLogp, adv, ret, oldV, c);
          p.value[j] = orig;
          net.params().push();
          double fd = (up - down) / (2 * h);
          assertEquals(fd, p.grad[j], 2e-3 + 2e-2 * Math.abs(fd), p.name + "[" + j + "]");
          checked++;
        }
      }
      assertTrue(checked >= 9);
    }
  }

  private static double loss(ActorCritic net, NDManager m, ModelSpec spec, int n, int a, ByteBuffer obs, long[] actsL,
      float[] acts, float[] oldLogp, float[] adv, float[] ret, float[] oldV, PpoLoss.Coefs c) {
    float[] out = new float[n * (a + 1)];
    try (NDManager sub = m.newSubManager()) {
      Tensors.read(net.forward(net.input(sub, obs, n)), out);
    }
    return lossOf(spec, n, a, out, net.logStd(), actsL, acts, oldLogp, adv, ret, oldV, c, new float[n * a],
        new float[n], new float[a]);
  }

  private static double lossOf(ModelSpec spec, int n, int a, float[] out, float[] logStd, long[] actsL, float[] acts,
      float[] oldLogp, float[] adv, float[] ret, float[] oldV, PpoLoss.Coefs c, float[] gPol, float[] gVal,
      float[] gLogStd) {
    float[] pol = new float[n * a];
    float[] val = new float[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(out, i * (a + 1), pol, i * a, a);
      val[i] = out[i * (a + 1) + a];
    }
    if (spec.gaussian()) {
      return PpoLoss.gaussian(n, a, pol, logStd, acts, oldLogp, adv, ret, oldV, val, c, gPol, gLogStd, gVal).loss;
    }
    return PpoLoss.categorical(n, a, pol, actsL, oldLogp, adv, ret, oldV, val, c, gPol, gVal).loss;
  }

  @Test
  void theJavaActingPathComputesTheSameFunctionAsTheTorchTrainingPath() {
    ModelSpec spec = new ModelSpec("mlp", new int[] {5}, false, 3, false, new int[] {16, 8}, 8);
    SplittableRandom r = new SplittableRandom(1);
    ByteBuffer obs = ByteBuffer.allocateDirect(4 * 5 * 6).order(ByteOrder.nativeOrder());
    for (int i = 0; i < 30; i++) {
      obs.putFloat(4 * i, (float) r.nextGaussian());
    }
    try (ActorCritic net = ActorCritic.create(spec, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
      for (int round = 0; round < 2; round++) {
        float[] train = Tensors.read(net.forward(net.input(m, obs, 6)));
        float[] obsF = new float[30];
        obs.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer().get(obsF);
        float[] act = new float[6 * 4];
        assertTrue(net.actsInJava());
        net.forwardJava(obsF, 6, act);
        for (int i = 0; i < act.length; i++) {
          assertEquals(train[i], act[i], 1e-5, "output " + i + " in round " + round);
        }
        // Change the weights (as an optimizer step does): the acting copy must follow.
        for (Param p : net.params().list()) {
          for (int i = 0; i < p.size(); i++) {
            p.value[i] += (float) (0.1 * r.nextGaussian());
          }
        }
        net.params().push();
      }
    }
  }

  @Test
  void adamFirstStepMovesEachWeightByTheLearningRateAgainstItsGradientSign() {
    Params ps = new Params(0);
    Param p = ps.add("w", new int[] {3}, new float[] {1, 1, 1});
    p.grad[0] = 2f;
    p.grad[1] = -0.5f;
    p.grad[2] = 0f;
    Adam adam = new Adam(ps, 0.9, 0.999, 1e-8);
    adam.step(0.1);
    // m_hat = g, v_hat = g^2: the step is lr * g / (|g| + eps).
    assertEquals(0.9, p.value[0], 1e-6);
    assertEquals(1.1, p.value[1], 1e-6);
    assertEquals(1.0, p.value[2], 0);
    // Second step with the same gradient: m_hat = g, v_hat = g^2 again, another lr.
    adam.step(0.1);
    assertEquals(0.8, p.value[0], 1e-5);
  }

  @Test
  void clipGradNormScalesByOneGlobalNorm() {
    Params ps = new Params(0);
    Param a = ps.add("a", new int[] {1}, new float[] {0});
    Param b = ps.add("b", new int[] {1}, new float[] {0});
    a.grad[0] = 3;
    b.grad[0] = 4;
    Adam adam = new Adam(ps, 0.9, 0.999, 1e-8);
    assertEquals(5, adam.clipGradNorm(1.0), 1e-9);
    assertEquals(0.6, a.grad[0], 1e-6);
    assertEquals(0.8, b.grad[0], 1e-6);
    assertEquals(Math.sqrt(0.36 + 0.64), adam.clipGradNorm(10), 1e-6); // under the limit: unchanged
    assertEquals(0.6, a.grad[0], 1e-6);
  }

  @Test
  void orthogonalInitHasOrthonormalColumnsOrRowsTimesTheGain() {
    Params ps = new Params(9);
    Param tall = ps.orthogonal("tall", 6, 3, 2.0);   // W: 6 x 3, W^T W = 4 I
    Param wide = ps.orthogonal("wide", 2, 5, 1.0);   // W: 2 x 5, W W^T = I
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double dot = 0;
        for (int r = 0; r < 6; r++) {
          dot += tall.value[r * 3 + i] * tall.value[r * 3 + j];
        }
        assertEquals(i == j ? 4 : 0, dot, 1e-5);
      }
    }
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        double dot = 0;
        for (int col = 0; col < 5; col++) {
          dot += wide.value[i * 5 + col] * wide.value[j * 5 + col];
        }
        assertEquals(i == j ? 1 : 0, dot, 1e-5);
      }
    }
  }

  @Test
  void imageInputIsScaledAndTheImpalaShapeIsTheProcgenOne() {
    ModelSpec spec = new ModelSpec("impala", new int[] {3, 64, 64}, true, 15, false, new int[] {16, 32, 32, 256}, 1);
    try (ActorCritic net = ActorCritic.create(spec, Device.cpu()); NDManager m = NDManager.newBaseManager()) {
      // The Procgen paper's network: ~626k parameters (build.md).
      int count = net.params().count();
      assertTrue(count > 600_000 && count < 650_000, "IMPALA CNN has " + count + " parameters");
      ByteBuffer obs = ByteBuffer.allocateDirect(2 * 3 * 64 * 64);
      NDArray y = net.forward(net.input(m, obs, 2));
      assertEquals(new Shape(2, 16), y.getShape());
      assertEquals(DataType.FLOAT32, y.getDataType());
    }
  }
}
