package dev.zeroshot.agents;

import ai.djl.Device;
import ai.djl.engine.Engine;
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
import dev.zeroshot.agents.nn.Tensors;
import dev.zeroshot.env.space.Space;
import dev.zeroshot.offline.DatasetException;
import dev.zeroshot.offline.TransitionBatch;
import dev.zeroshot.offline.TransitionSampler;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Offline learners on the PPO agents' networks (MLP or IMPALA CNN), trained from random
 * minibatches of a dataset. The network's policy columns are the action logits (BC) or the
 * Q-values (CQL); its value column is unused (its gradient is zero). As in {@link Ppo}, the
 * loss and its gradient with respect to the network's output are computed in Java and torch
 * runs the backward pass from there.
 * <ul>
 *   <li><b>BC</b>: cross-entropy of the dataset's action under softmax(logits) (gen_dgrl's NLL
 *       loss on a Categorical head).</li>
 *   <li><b>Discrete CQL</b> (Kumar et al. 2020, as gen_dgrl and d3rlpy's DiscreteCQL): a
 *       Double-DQN target {@code y = r + gamma (1 - terminated) Q_target(s', argmax_a Q(s', a))},
 *       smooth-L1 loss on {@code Q(s, a) - y}, plus {@code alpha (logsumexp_a Q(s, a) - Q(s, a))};
 *       the target network is hard-copied every {@code targetUpdateEvery} steps.</li>
 * </ul>
 */
public final class OfflineLearner implements AutoCloseable {

  /** One gradient step's numbers. */
  public static final class Stats {
    public double loss;
    /** BC: fraction of the batch whose dataset action is the argmax; CQL: the TD part of the loss. */
    public double accuracyOrTd;
    /** CQL: mean Q(s, a) of the batch; BC: mean log-probability of the dataset action. */
    public double meanQOrLogp;
    public double gradNorm;
    /** Seconds spent drawing the minibatch from the dataset (the rest of the step is learning). */
    public double sampleSeconds;
  }

  private final OfflineConfig cfg;
  private final Agent agent;
  private final ActorCritic net;
  private final ActorCritic target;
  private final Adam optimizer;
  private final NDManager root;
  private final Engine engine;
  private final int actions;
  private final int outputs;
  private final TransitionBatch batch;
  private final float[] out;
  private final float[] nextOnline;
  private final float[] nextTarget;
  private final ByteBuffer gradOut;
  private final float[] grad;
  private long step;

  public OfflineLearner(OfflineConfig cfg, ModelSpec spec, Space actionSpace, Device device) {
    this.cfg = cfg.validate();
    this.engine = Torch.init(cfg.torchThreads);
    this.net = ActorCritic.create(spec, device);
    this.agent = new Agent(net, false, actionSpace);
    if (!agent.discrete()) {
      net.close();
      throw new IllegalArgumentException("offline learners need Discrete actions, got " + actionSpace);
    }
    this.target = cfg.algo.equals("cql") ? ActorCritic.create(spec, device) : null;
    this.optimizer = new Adam(net.params(), 0.9, 0.999, cfg.adamEps);
    this.root = NDManager.newBaseManager(device);
    this.actions = spec.policyOutputs();
    this.outputs = net.outputs();
    int obsBytes = spec.observationSize() * (spec.imageInput() ? 1 : 4);
    this.batch = new TransitionBatch(cfg.batchSize, obsBytes);
    this.out = new float[cfg.batchSize * outputs];
    this.nextOnline = new float[cfg.batchSize * outputs];
    this.nextTarget = new float[cfg.batchSize * outputs];
    this.grad = new float[cfg.batchSize * outputs];
    this.gradOut = ByteBuffer.allocateDirect(4 * cfg.batchSize * outputs).order(ByteOrder.nativeOrder());
    syncTarget();
  }

  public Agent agent() {
    return agent;
  }

  public OfflineConfig config() {
    return cfg;
  }

  public long steps() {
    return step;
  }

  /** Whether the policy acts greedily when evaluated (CQL: argmax Q; BC samples, as gen_dgrl). */
  public boolean greedy() {
    return cfg.algo.equals("cql");
  }

  private void syncTarget() {
    if (target == null) {
      return;
    }
    for (int k = 0; k < net.params().list().size(); k++) {
      Param src = net.params().list().get(k);
      System.arraycopy(src.value, 0, target.params().list().get(k).value, 0, src.value.length);
    }
    target.params().push();
  }

  /** One gradient step on a fresh minibatch from {@code sampler}. */
  public Stats step(TransitionSampler sampler, SplittableRandom rng) throws DatasetException {
    int n = cfg.batchSize;
    long t0 = System.nanoTime();
    sampler.sample(n, rng, batch);
    Stats s = new Stats();
    s.sampleSeconds = (System.nanoTime() - t0) / 1e9;
    if (target != null) {
      try (NDManager m = root.newSubManager()) {
        Tensors.read(net.forward(net.input(m, batch.nextObservations, n)), nextOnline);
        Tensors.read(target.forward(target.input(m, batch.nextObservations, n)), nextTarget);
      }
    }
    try (NDManager mgr = root.newSubManager(); GradientCollector collector = engine.newGradientCollector()) {
      NDArray y = net.forward(net.input(mgr, batch.observations, n));
      Tensors.read(y, out);
      java.util.Arrays.fill(grad, 0, n * outputs, 0f);
      if (target == null) {
        bcLoss(n, s);
      } else {
        cqlLoss(n, s);
      }
      gradOut.clear();
      gradOut.asFloatBuffer().put(grad, 0, n * outputs);
      NDArray g = mgr.create(gradOut.duplicate().position(0).limit(4 * n * outputs).slice().order(gradOut.order()),
          new Shape(n, outputs), DataType.FLOAT32);
      if (net.device().isGpu()) {
        g = g.toDevice(net.device(), false);
      }
      JniUtils.backward((PtNDArray) y, (PtNDArray) g, false, false);
    }
    net.params().pullGradients();
    s.gradNorm = optimizer.clipGradNorm(cfg.maxGradNorm);
    optimizer.step(cfg.learningRate);
    net.params().push();
    step++;
    if (target != null && step % cfg.targetUpdateEvery == 0) {
      syncTarget();
    }
    return s;
  }

  private void bcLoss(int n, Stats s) {
    double loss = 0;
    int correct = 0;
    for (int r = 0; r < n; r++) {
      int row = r * outputs;
      int a = (int) batch.actions[r];
      double max = Double.NEGATIVE_INFINITY;
      int argmax = 0;
      for (int k = 0; k < actions; k++) {
        if (out[row + k] > max) {
          max = out[row + k];
          argmax = k;
        }
      }
      double sum = 0;
      for (int k = 0; k < actions; k++) {
        sum += Math.exp(out[row + k] - max);
      }
      double logZ = max + Math.log(sum);
      loss -= out[row + a] - logZ;
      correct += argmax == a ? 1 : 0;
      for (int k = 0; k < actions; k++) {
        double p = Math.exp(out[row + k] - logZ);
        grad[row + k] = (float) ((p - (k == a ? 1 : 0)) / n);
      }
    }
    s.loss = loss / n;
    s.accuracyOrTd = (double) correct / n;
    s.meanQOrLogp = -s.loss;
  }

  private void cqlLoss(int n, Stats s) {
    double td = 0;
    double cql = 0;
    double q = 0;
    float gamma = (float) cfg.gamma;
    for (int r = 0; r < n; r++) {
      int row = r * outputs;
      int a = (int) batch.actions[r];
      int best = 0;
      for (int k = 1; k < actions; k++) {
        if (nextOnline[row + k] > nextOnline[row + best]) {
          best = k;
        }
      }
      double yv = batch.rewards[r] + (batch.terminated[r] ? 0 : gamma * nextTarget[row + best]);
      double qa = out[row + a];
      double d = qa - yv;
      td += Math.abs(d) < 1 ? 0.5 * d * d : Math.abs(d) - 0.5;
      double dTd = Math.max(-1, Math.min(1, d));
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < actions; k++) {
        max = Math.max(max, out[row + k]);
      }
      double sum = 0;
      for (int k = 0; k < actions; k++) {
        sum += Math.exp(out[row + k] - max);
      }
      double lse = max + Math.log(sum);
      cql += lse - qa;
      q += qa;
      for (int k = 0; k < actions; k++) {
        double p = Math.exp(out[row + k] - lse);
        grad[row + k] = (float) ((cfg.cqlAlpha * (p - (k == a ? 1 : 0)) + (k == a ? dTd : 0)) / n);
      }
    }
    s.accuracyOrTd = td / n;
    s.loss = (td + cfg.cqlAlpha * cql) / n;
    s.meanQOrLogp = q / n;
  }

  /** Counters, Adam's moments and the target network (the agent's weights are written apart). */
  public void writeTrainerState(DataOutputStream o) throws IOException {
    o.writeLong(step);
    optimizer.write(o);
    o.writeBoolean(target != null);
    if (target != null) {
      target.params().write(o);
    }
  }

  public void readTrainerState(DataInputStream in) throws IOException {
    step = in.readLong();
    optimizer.read(in);
    if (in.readBoolean() != (target != null)) {
      throw new IOException("checkpoint and config disagree on the target network");
    }
    if (target != null) {
      target.params().read(in);
      target.params().push();
    }
  }

  @Override
  public void close() {
    root.close();
    if (target != null) {
      target.close();
    }
    agent.close();
  }
}
