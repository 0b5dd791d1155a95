package dev.zeroshot.agents;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.agents.nn.Tensors;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.Space;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * A policy that acts in a vector env: the network, the observation normalizer (if any) and
 * the action distribution (categorical over a {@link Discrete}, diagonal Gaussian over a
 * float32 {@link Box}, clipped to the box when sent to the env). Training and evaluation
 * share it, so a checkpoint acts exactly as it did when saved.
 */
public final class Agent implements AutoCloseable {

  /** Observation clip after normalization (CleanRL's TransformObservation). */
  static final float OBS_CLIP = 10f;

  private final ActorCritic net;
  private final RunningMeanStd obsRms;
  private final boolean discrete;
  private final long actionStart;
  private final int actionDim;
  private final double[] actionLow;
  private final double[] actionHigh;
  private final int observationBytes;
  private float[] scratch = new float[0];

  public Agent(ActorCritic net, boolean normalizeObservations, Space actionSpace) {
    this.net = net;
    ModelSpec s = net.spec();
    this.obsRms = normalizeObservations ? new RunningMeanStd(s.observationSize()) : null;
    if (normalizeObservations && s.imageInput()) {
      throw new IllegalArgumentException("observation normalization is for vector observations, not images");
    }
    if (actionSpace instanceof Discrete d) {
      discrete = true;
      actionStart = d.start();
      actionDim = (int) d.n();
      actionLow = actionHigh = null;
    } else if (actionSpace instanceof Box b && b.dtype() == DType.FLOAT32) {
      discrete = false;
      actionStart = 0;
      actionDim = b.low().length;
      actionLow = b.low();
      actionHigh = b.high();
    } else {
      throw new IllegalArgumentException("PPO supports Discrete and float32 Box actions, not " + actionSpace);
    }
    this.observationBytes = s.observationSize() * (s.imageInput() ? 1 : 4);
  }

  /** The model an env with these spaces needs, with {@code kind} and {@code hidden} widths. */
  public static ModelSpec modelFor(Space observationSpace, Space actionSpace, String kind, int[] hidden, long seed) {
    if (!(observationSpace instanceof Box box)) {
      throw new IllegalArgumentException("PPO needs Box observations, not " + observationSpace);
    }
    boolean image = box.dtype() == DType.UINT8;
    if (!image && box.dtype() != DType.FLOAT32) {
      throw new IllegalArgumentException("PPO needs float32 vectors or uint8 images, not " + box.dtype().numpyName());
    }
    if (image && box.shape().length != 3) {
      throw new IllegalArgumentException("uint8 observations must be [C, H, W] images, got " + java.util.Arrays.toString(box.shape()));
    }
    String k = kind;
    if (k == null) {
      k = image ? "impala" : "mlp";
    }
    boolean gaussian = !(actionSpace instanceof Discrete);
    int outputs = actionSpace instanceof Discrete d ? (int) d.n() : box(actionSpace).low().length;
    return new ModelSpec(k, box.shape(), image, outputs, gaussian, hidden, seed);
  }

  private static Box box(Space s) {
    if (s instanceof Box b) {
      return b;
    }
    throw new IllegalArgumentException("PPO supports Discrete and float32 Box actions, not " + s);
  }

  public ActorCritic net() {
    return net;
  }

  public RunningMeanStd observationNormalizer() {
    return obsRms;
  }

  public boolean discrete() {
    return discrete;
  }

  /** Logits (Discrete) or means (Box) per observation. */
  public int policyOutputs() {
    return net.spec().policyOutputs();
  }

  /** Floats (or bytes for images) per prepared observation. */
  public int observationBytes() {
    return observationBytes;
  }

  /** Action values stored per env: 1 for Discrete, the box's size for Box. */
  public int actionWidth() {
    return discrete ? 1 : actionDim;
  }

  /**
   * Copies the {@code n} observations in {@code buf} into {@code dst} (starting at byte
   * {@code dstOffset}) as the network expects them: normalized and clipped if this agent
   * normalizes (updating the statistics first if {@code update}, as Gymnasium's wrapper does).
   */
  public void prepare(StepBuffers buf, ByteBuffer dst, int dstOffset, boolean update) {
    int n = buf.numEnvs();
    ByteBuffer src = buf.observations();
    if (obsRms == null) {
      ByteBuffer d = dst.duplicate();
      d.position(dstOffset);
      d.put(src.duplicate().position(0).limit(n * observationBytes));
      return;
    }
    int dim = obsRms.size();
    if (scratch.length < n * dim) {
      scratch = new float[n * dim];
    }
    src.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(0).asFloatBuffer().get(scratch, 0, n * dim);
    if (update) {
      obsRms.update(scratch, n);
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < dim; j++) {
        double z = (scratch[i * dim + j] - obsRms.mean(j)) / Math.sqrt(obsRms.var(j) + 1e-8);
        float c = (float) Math.max(-OBS_CLIP, Math.min(OBS_CLIP, z));
        dst.putFloat(dstOffset + 4 * (i * dim + j), c);
      }
    }
  }

  /** Forward pass without gradients: [n, policyOutputs + 1] into {@code out}. */
  public void evaluate(NDManager parent, ByteBuffer prepared, int n, float[] out) {
    evaluate(net, parent, prepared, n, out);
  }

  /** The same with {@code net}, a network of this agent's spec (PPO's acting copy under a policy lag). */
  void evaluate(ActorCritic net, NDManager parent, ByteBuffer prepared, int n, float[] out) {
    if (net.actsInJava()) {
      int size = n * net.spec().observationSize();
      if (javaObs.length < size) {
        javaObs = new float[size];
      }
      long t0 = System.nanoTime();
      prepared.duplicate().order(prepared.order()).position(0).asFloatBuffer().get(javaObs, 0, size);
      net.forwardJava(javaObs, n, out);
      if (timing != null) {
        timing.add(PpoTiming.Phase.INFERENCE, System.nanoTime() - t0);
      }
      return;
    }
    try (NDManager m = parent.newSubManager()) {
      long t0 = System.nanoTime();
      NDArray x = net.input(m, prepared, n);
      long t1 = System.nanoTime();
      NDArray y = net.forward(x);
      Tensors.read(y, out);
      if (timing != null) {
        timing.add(PpoTiming.Phase.UPLOAD, t1 - t0);
        timing.add(PpoTiming.Phase.INFERENCE, System.nanoTime() - t1);
      }
    }
  }

  private float[] javaObs = new float[0];
  /** Null, or where {@link #evaluate} adds its upload and forward times (PPO's rollouts). */
  private PpoTiming timing;

  void timeWith(PpoTiming t) {
    this.timing = t;
  }

  /**
   * Samples env i's action from row i of {@code out}, writes it to {@code buf} (clipped to
   * the box for Gaussian policies), stores the raw action in {@code actions[i * actionWidth()]}
   * and returns its log-probability. {@code greedy} takes the mode instead.
   */
  public double act(float[] out, int i, SplittableRandom rng, boolean greedy, StepBuffers buf, float[] actions) {
    int width = policyOutputs() + 1;
    int row = i * width;
    if (discrete) {
      double max = Double.NEGATIVE_INFINITY;
      int argmax = 0;
      for (int k = 0; k < actionDim; k++) {
        if (out[row + k] > max) {
          max = out[row + k];
          argmax = k;
        }
      }
      double sum = 0;
      for (int k = 0; k < actionDim; k++) {
        sum += Math.exp(out[row + k] - max);
      }
      int a = argmax;
      if (!greedy) {
        double u = rng.nextDouble() * sum;
        double c = 0;
        a = actionDim - 1;
        for (int k = 0; k < actionDim; k++) {
          c += Math.exp(out[row + k] - max);
          if (u < c) {
            a = k;
            break;
          }
        }
      }
      buf.setDiscreteAction(i, actionStart + a);
      actions[i] = a;
      return out[row + a] - max - Math.log(sum);
    }
    float[] logStd = net.logStd();
    double logp = 0;
    for (int k = 0; k < actionDim; k++) {
      double mean = out[row + k];
      double std = Math.exp(logStd[k]);
      double eps = greedy ? 0 : rng.nextGaussian();
      double a = mean + std * eps;
      actions[i * actionDim + k] = (float) a;
      logp += -0.5 * eps * eps - logStd[k] - 0.5 * Math.log(2 * Math.PI);
      buf.setFloatAction(i, k, (float) Math.max(actionLow[k], Math.min(actionHigh[k], a)));
    }
    return logp;
  }

  /** Writes the weights and the observation statistics. */
  public void write(DataOutputStream out) throws IOException {
    net.params().write(out);
    out.writeBoolean(obsRms != null);
    if (obsRms != null) {
      obsRms.write(out);
    }
  }

  public void read(DataInputStream in) throws IOException {
    net.params().read(in);
    boolean hasRms = in.readBoolean();
    if (hasRms != (obsRms != null)) {
      throw new IOException("checkpoint " + (hasRms ? "has" : "lacks") + " observation statistics; the agent "
          + (obsRms != null ? "needs" : "has no use for") + " them");
    }
    if (obsRms != null) {
      obsRms.read(in);
    }
  }

  /** A new direct buffer for {@code n} prepared observations. */
  public ByteBuffer newObservationBuffer(int n) {
    return ByteBuffer.allocateDirect(Math.multiplyExact(n, observationBytes)).order(ByteOrder.nativeOrder());
  }

  public Device device() {
    return net.device();
  }

  @Override
  public void close() {
    net.close();
  }
}
