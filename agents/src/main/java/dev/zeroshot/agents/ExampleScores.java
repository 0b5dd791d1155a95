package dev.zeroshot.agents;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.Param;
import dev.zeroshot.agents.nn.Tensors;
import dev.zeroshot.offline.Dataset;
import dev.zeroshot.offline.DatasetException;
import dev.zeroshot.offline.Episode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The two example-difficulty scores of <i>Deep Learning on a Data Diet</i> (Paul et al. 2021)
 * for a dataset's transitions under a policy network, the state the input and the dataset's
 * action the label (the BC view of offline RL data):
 *
 * <ul>
 *   <li><b>EL2N</b>: {@code || softmax(logits(s)) - onehot(a) ||_2}, the error vector's norm;
 *   <li><b>GraNd</b>: {@code || d CE(logits(s), a) / d theta ||_2}, the norm of the example's
 *       loss gradient over every trainable weight (the value head's is zero: BC does not train it).
 * </ul>
 *
 * The paper averages each over networks of several seeds; {@link #el2n} and {@link #grand} score
 * one network, and the caller averages. Episodes are read one at a time, so a dataset never has
 * to fit in memory.
 */
public final class ExampleScores {

  private ExampleScores() {}

  /** EL2N of the policy logits in {@code out[off, off + actions)} for the label {@code action}. */
  public static double el2n(float[] out, int off, int actions, int action) {
    double[] p = softmax(out, off, actions);
    double sum = 0;
    for (int k = 0; k < actions; k++) {
      double d = p[k] - (k == action ? 1 : 0);
      sum += d * d;
    }
    return Math.sqrt(sum);
  }

  /** Each transition's EL2N under {@code net}, in the dataset's order, forwarding {@code batch} states at a time. */
  public static double[] el2n(Dataset ds, ActorCritic net, int batch) throws DatasetException {
    int actions = net.spec().policyOutputs();
    int outputs = net.outputs();
    int obsBytes = ds.observationFormat().bytes();
    double[] scores = new double[Math.toIntExact(ds.totalSteps())];
    ByteBuffer obs = ByteBuffer.allocateDirect(batch * obsBytes).order(ByteOrder.LITTLE_ENDIAN);
    int[] labels = new int[batch];
    float[] out = new float[batch * outputs];
    int filled = 0;
    int done = 0;
    try (NDManager root = NDManager.newBaseManager(net.device())) {
      for (Dataset.EpisodeInfo info : ds.episodes()) {
        Episode ep = ds.episode(info);
        for (int t = 0; t < ep.length(); t++) {
          obs.put(filled * obsBytes, ep.observations(), t * obsBytes, obsBytes);
          labels[filled++] = (int) ep.actions()[t];
          if (filled == batch) {
            forward(root, net, obs, filled, out);
            for (int r = 0; r < filled; r++) {
              scores[done++] = el2n(out, r * outputs, actions, labels[r]);
            }
            filled = 0;
          }
        }
      }
      if (filled > 0) {
        forward(root, net, obs, filled, out);
        for (int r = 0; r < filled; r++) {
          scores[done++] = el2n(out, r * outputs, actions, labels[r]);
        }
      }
    }
    return scores;
  }

  /**
   * Each transition's GraNd under {@code net}: one backward pass per transition, since a batch's
   * backward pass gives only the sum of its examples' gradients.
   */
  public static double[] grand(Dataset ds, ActorCritic net) throws DatasetException {
    int actions = net.spec().policyOutputs();
    int outputs = net.outputs();
    int obsBytes = ds.observationFormat().bytes();
    double[] scores = new double[Math.toIntExact(ds.totalSteps())];
    ByteBuffer obs = ByteBuffer.allocateDirect(obsBytes).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer dy = ByteBuffer.allocateDirect(4 * outputs).order(ByteOrder.nativeOrder());
    float[] out = new float[outputs];
    int done = 0;
    var engine = Torch.init(0); // the engine, leaving its thread count as set
    try (NDManager root = NDManager.newBaseManager(net.device())) {
      for (Dataset.EpisodeInfo info : ds.episodes()) {
        Episode ep = ds.episode(info);
        for (int t = 0; t < ep.length(); t++) {
          obs.put(0, ep.observations(), t * obsBytes, obsBytes);
          try (NDManager m = root.newSubManager(); GradientCollector c = engine.newGradientCollector()) {
            NDArray y = net.forward(net.input(m, obs, 1));
            Tensors.read(y, out);
            // d CE / d logits = softmax - onehot; the value column gets no gradient
            double[] p = softmax(out, 0, actions);
            dy.clear();
            for (int k = 0; k < outputs; k++) {
              dy.putFloat(4 * k, k < actions ? (float) (p[k] - (k == ep.actions()[t] ? 1 : 0)) : 0f);
            }
            NDArray g = m.create(dy.duplicate().order(dy.order()), new Shape(1, outputs), DataType.FLOAT32);
            if (net.device().isGpu()) {
              g = g.toDevice(net.device(), false);
            }
            JniUtils.backward((PtNDArray) y, (PtNDArray) g, false, false);
          }
          net.params().pullGradients(); // reads and zeroes every tensor's gradient
          double sum = 0;
          for (Param q : net.params().list()) {
            if (q.array() == null) {
              continue; // Java-only (a Gaussian's log stds): not part of a categorical policy
            }
            for (float v : q.grad) {
              sum += (double) v * v;
            }
          }
          scores[done++] = Math.sqrt(sum);
        }
      }
    }
    return scores;
  }

  private static void forward(NDManager root, ActorCritic net, ByteBuffer obs, int n, float[] out) {
    try (NDManager m = root.newSubManager()) {
      Tensors.read(net.forward(net.input(m, obs, n)), out);
    }
  }

  private static double[] softmax(float[] out, int off, int actions) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < actions; k++) {
      max = Math.max(max, out[off + k]);
    }
    double[] p = new double[actions];
    double sum = 0;
    for (int k = 0; k < actions; k++) {
      p[k] = Math.exp(out[off + k] - max);
      sum += p[k];
    }
    for (int k = 0; k < actions; k++) {
      p[k] /= sum;
    }
    return p;
  }
}
