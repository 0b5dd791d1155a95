package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.offline.Dataset;
import dev.zeroshot.offline.DatasetId;
import dev.zeroshot.offline.DatasetInfo;
import dev.zeroshot.offline.DatasetWriter;
import dev.zeroshot.offline.Episode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EL2N and GraNd on a network small enough to work out by hand: an MLP with one input, one
 * tanh unit and two actions, h = tanh(w0 x + b0), logits = W1 h + b1, with w0 = b0 = 0 (so
 * h = 0), W1 = (1, 2) and b1 = (0, ln 3), so softmax = (1/4, 3/4) for every state.
 */
class ExampleScoresTest {

  /** One episode: states x = 2 then x = -1 (and a final state), actions 0 then 1. */
  static Dataset dataset(Path dir) throws Exception {
    DatasetInfo info = new DatasetInfo(DatasetId.parse("t/hand-v0"), Box.uniform(-10, 10, new int[] {1}, DType.FLOAT32),
        new Discrete(2), "test", "hand-worked", null, null, Map.of());
    ByteBuffer obs = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(2).putFloat(-1).putFloat(0);
    try (DatasetWriter w = DatasetWriter.create(dir, info)) {
      w.append(new Episode(0, 4, obs.array(), new long[] {0, 1}, new double[2], new boolean[] {false, true},
          new boolean[2], -1));
    }
    return Dataset.open(dir);
  }

  static ActorCritic handWorked() {
    Torch.init(1);
    ActorCritic net = ActorCritic.create(new ModelSpec("mlp", new int[] {1}, false, 2, false, new int[] {1}, 5), Device.cpu());
    set(net, "actor0.w", 0);
    set(net, "actor0.b", 0);
    set(net, "actor1.w", 1, 2);
    set(net, "actor1.b", 0, (float) Math.log(3));
    net.params().push();
    return net;
  }

  static void set(ActorCritic net, String name, float... v) {
    System.arraycopy(v, 0, net.params().get(name).value, 0, v.length);
  }

  @Test
  void el2nIsTheNormOfSoftmaxMinusOneHot(@TempDir Path tmp) throws Exception {
    Dataset ds = dataset(tmp);
    // p - y = (1/4 - 1, 3/4) for action 0 and (1/4, 3/4 - 1) for action 1
    double[] expected = {0.75 * Math.sqrt(2), 0.25 * Math.sqrt(2)};
    try (ActorCritic net = handWorked()) {
      assertArrayEquals(expected, ExampleScores.el2n(ds, net, 1), 1e-6);
      assertArrayEquals(expected, ExampleScores.el2n(ds, net, 256), 1e-6, "batching changes nothing");
    }
    assertEquals(Math.sqrt(2) * 0.5, ExampleScores.el2n(new float[] {9, 0, 0, 9}, 1, 2, 1), 1e-12, "an offset row");
  }

  @Test
  void grandIsTheNormOfTheExamplesLossGradient(@TempDir Path tmp) throws Exception {
    Dataset ds = dataset(tmp);
    // With d = p - y and h = 0: dL/db1 = d, dL/dW1 = d h = 0, dL/db0 = (W1 . d)(1 - h^2) = W1 . d,
    // dL/dw0 = x (W1 . d); the critic's weights get no gradient.
    // x = 2, a = 0: d = (-3/4, 3/4), W1 . d = 3/4: |g|^2 = 9/8 + 9/16 + 9/4 = 63/16
    // x = -1, a = 1: d = (1/4, -1/4), W1 . d = -1/4: |g|^2 = 1/8 + 1/16 + 1/16 = 1/4
    double[] expected = {Math.sqrt(63) / 4, 0.5};
    try (ActorCritic net = handWorked()) {
      assertArrayEquals(expected, ExampleScores.grand(ds, net), 1e-6);
      assertArrayEquals(expected, ExampleScores.grand(ds, net), 1e-6, "gradients do not accumulate across calls");
    }
  }
}
