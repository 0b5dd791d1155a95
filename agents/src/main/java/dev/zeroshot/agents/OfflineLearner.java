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
 *   <li><b>Discrete BCQ</b> (Fujimoto et al. 2019): a Q-network trained with the Double-DQN
 *       smooth-L1 loss whose next action is the argmax of Q over the actions an imitation
 *       network (trained by BC on the same batch) gives at least {@code bcqThreshold} times
 *       the probability of its most likely one; it acts the same way ({@link BcqNetwork}).
 *       Unlike gen_dgrl's {@code bcqresnetbase}, the two heads do not share a trunk.</li>
 *   <li><b>Discrete IQL</b> (Kostrikov et al. 2022, as gen_dgrl's): twin Q-networks regressed
 *       (MSE) on {@code r + gamma (1 - terminated) V(s')}; V fitted by the expectile loss to
 *       the target Q-networks' {@code min(Q1, Q2)(s, a)}; the actor by advantage-weighted
 *       cross-entropy with weights {@code min(exp(beta (Q - V)), 100)}; targets hard-copied
 *       every {@code targetUpdateEvery} steps; acts with the actor's mode. The actor (the acting
 *       network's policy columns) and V (the value column of a network of its own) are separate
 *       networks with separate optimizers, as in gen_dgrl and the paper: V's regression toward
 *       returns of up to 10 does not reach the actor's weights.</li>
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
  private final ActorCritic imitation;
  private final Adam optimizer;
  private final Adam imitationOptimizer;
  private final float[] outImitation;
  // IQL: twin Q-networks, their targets and optimizers; the V network and its optimizer.
  private final ActorCritic[] iqlQ;
  private final ActorCritic iqlV;
  private final Adam iqlVAdam;
  private final double[] iqlWeight;
  private final ActorCritic[] iqlTarget;
  private final Adam[] iqlAdam;
  private final float[][] iqlTargetOut;
  private final float[] nextImitation;
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
    if (!(actionSpace instanceof dev.zeroshot.env.space.Discrete)) {
      throw new IllegalArgumentException("offline learners need Discrete actions, got " + actionSpace);
    }
    boolean bcq = cfg.algo.equals("bcq");
    this.net = ActorCritic.create(spec, device);
    this.imitation = bcq ? ActorCritic.create(imitationSpec(spec), device) : null;
    this.agent = new Agent(bcq ? new BcqNetwork(net, imitation, cfg.bcqThreshold) : net, false, actionSpace);
    boolean iql = cfg.algo.equals("iql");
    this.target = cfg.algo.equals("bc") || iql ? null : ActorCritic.create(spec, device);
    if (iql) {
      iqlQ = new ActorCritic[2];
      iqlTarget = new ActorCritic[2];
      iqlAdam = new Adam[2];
      iqlTargetOut = new float[2][cfg.batchSize * (spec.policyOutputs() + 1)];
      for (int k = 0; k < 2; k++) {
        ModelSpec qs = new ModelSpec(spec.kind(), spec.observationShape(), spec.imageInput(), spec.policyOutputs(),
            spec.gaussian(), spec.hidden(), spec.seed() + 10 + k);
        iqlQ[k] = ActorCritic.create(qs, device);
        iqlTarget[k] = ActorCritic.create(qs, device);
        iqlAdam[k] = new Adam(iqlQ[k].params(), 0.9, 0.999, cfg.adamEps);
      }
      iqlV = ActorCritic.create(valueSpec(spec), device);
      iqlVAdam = new Adam(iqlV.params(), 0.9, 0.999, cfg.adamEps);
      iqlWeight = new double[cfg.batchSize];
    } else {
      iqlV = null;
      iqlVAdam = null;
      iqlWeight = null;
      iqlQ = null;
      iqlTarget = null;
      iqlAdam = null;
      iqlTargetOut = null;
    }
    this.optimizer = new Adam(net.params(), 0.9, 0.999, cfg.adamEps);
    this.imitationOptimizer = bcq ? new Adam(imitation.params(), 0.9, 0.999, cfg.adamEps) : null;
    this.outImitation = new float[cfg.batchSize * (spec.policyOutputs() + 1)];
    this.nextImitation = new float[cfg.batchSize * (spec.policyOutputs() + 1)];
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

  /** BCQ's imitation network has its own initial weights. */
  static ModelSpec imitationSpec(ModelSpec q) {
    return new ModelSpec(q.kind(), q.observationShape(), q.imageInput(), q.policyOutputs(), q.gaussian(), q.hidden(),
        q.seed() + 1);
  }

  /** IQL's V network (its value column is V) has its own initial weights. */
  static ModelSpec valueSpec(ModelSpec actor) {
    return new ModelSpec(actor.kind(), actor.observationShape(), actor.imageInput(), actor.policyOutputs(),
        actor.gaussian(), actor.hidden(), actor.seed() + 20);
  }

  /** Trainable parameters of every network that acts (BCQ: Q and imitation). */
  public int parameterCount() {
    return net.params().count() + (imitation == null ? 0 : imitation.params().count());
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

  /** Whether the policy acts greedily when evaluated (CQL, BCQ: argmax Q; IQL: the actor's mode; BC samples, as gen_dgrl). */
  public boolean greedy() {
    return !cfg.algo.equals("bc");
  }

  private void syncTarget() {
    if (target != null) {
      copy(net, target);
    }
    if (iqlQ != null) {
      copy(iqlQ[0], iqlTarget[0]);
      copy(iqlQ[1], iqlTarget[1]);
    }
  }

  private static void copy(ActorCritic from, ActorCritic to) {
    for (int k = 0; k < from.params().list().size(); k++) {
      Param src = from.params().list().get(k);
      System.arraycopy(src.value, 0, to.params().list().get(k).value, 0, src.value.length);
    }
    to.params().push();
  }

  /** One gradient step on a fresh minibatch from {@code sampler}. */
  public Stats step(TransitionSampler sampler, SplittableRandom rng) throws DatasetException {
    int n = cfg.batchSize;
    long t0 = System.nanoTime();
    sampler.sample(n, rng, batch);
    Stats s = new Stats();
    s.sampleSeconds = (System.nanoTime() - t0) / 1e9;
    if (iqlQ != null) {
      iqlStep(n, s);
      step++;
      if (step % cfg.targetUpdateEvery == 0) {
        syncTarget();
      }
      return s;
    }
    if (target != null) {
      try (NDManager m = root.newSubManager()) {
        Tensors.read(net.forward(net.input(m, batch.nextObservations, n)), nextOnline);
        Tensors.read(target.forward(target.input(m, batch.nextObservations, n)), nextTarget);
        if (imitation != null) {
          Tensors.read(imitation.forward(imitation.input(m, batch.nextObservations, n)), nextImitation);
        }
      }
    }
    try (NDManager mgr = root.newSubManager(); GradientCollector collector = engine.newGradientCollector()) {
      NDArray y = net.forward(net.input(mgr, batch.observations, n));
      Tensors.read(y, out);
      java.util.Arrays.fill(grad, 0, n * outputs, 0f);
      if (target == null) {
        double[] la = crossEntropy(n, out, grad, null);
        s.loss = la[0] / n;
        s.accuracyOrTd = la[1] / n;
        s.meanQOrLogp = -s.loss;
      } else if (imitation == null) {
        cqlLoss(n, s);
      } else {
        bcqQLoss(n, s);
      }
      backward(mgr, y, n);
    }
    s.gradNorm = update(net, optimizer);
    if (imitation != null) {
      try (NDManager mgr = root.newSubManager(); GradientCollector collector = engine.newGradientCollector()) {
        NDArray y = imitation.forward(imitation.input(mgr, batch.observations, n));
        Tensors.read(y, outImitation);
        java.util.Arrays.fill(grad, 0, n * outputs, 0f);
        s.loss += crossEntropy(n, outImitation, grad, null)[0] / n;
        backward(mgr, y, n);
      }
      update(imitation, imitationOptimizer);
    }
    step++;
    if (target != null && step % cfg.targetUpdateEvery == 0) {
      syncTarget();
    }
    return s;
  }

  /** Backpropagates {@code grad} (the loss gradient with respect to {@code y}) through {@code y}'s graph. */
  private void backward(NDManager mgr, NDArray y, int n) {
    gradOut.clear();
    gradOut.asFloatBuffer().put(grad, 0, n * outputs);
    NDArray g = mgr.create(gradOut.duplicate().position(0).limit(4 * n * outputs).slice().order(gradOut.order()),
        new Shape(n, outputs), DataType.FLOAT32);
    if (net.device().isGpu()) {
      g = g.toDevice(net.device(), false);
    }
    JniUtils.backward((PtNDArray) y, (PtNDArray) g, false, false);
  }

  /** One optimizer step on the gradients of {@code network}'s last backward pass (clipped); returns their norm. */
  private double update(ActorCritic network, Adam adam) {
    network.params().pullGradients();
    double norm = adam.clipGradNorm(cfg.maxGradNorm);
    adam.step(cfg.learningRate);
    network.params().push();
    return norm;
  }

  /**
   * Cross-entropy of the batch's actions under softmax of {@code out}'s policy columns, row r
   * weighted by {@code weights[r]} (null: every weight 1, plain BC); writes the gradient into
   * {@code grad} and returns {summed weighted loss, rows whose argmax is the batch's action}.
   */
  private double[] crossEntropy(int n, float[] out, float[] grad, double[] weights) {
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
      double w = weights == null ? 1 : weights[r];
      loss -= w * (out[row + a] - logZ);
      correct += argmax == a ? 1 : 0;
      for (int k = 0; k < actions; k++) {
        double p = Math.exp(out[row + k] - logZ);
        grad[row + k] = (float) (w * (p - (k == a ? 1 : 0)) / n);
      }
    }
    return new double[] {loss, correct};
  }

  private void bcqQLoss(int n, Stats s) {
    double td = 0;
    double q = 0;
    double logThreshold = Math.log(cfg.bcqThreshold);
    for (int r = 0; r < n; r++) {
      int row = r * outputs;
      int a = (int) batch.actions[r];
      double maxLogit = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < actions; k++) {
        maxLogit = Math.max(maxLogit, nextImitation[row + k]);
      }
      int best = -1;
      for (int k = 0; k < actions; k++) {
        if (nextImitation[row + k] - maxLogit >= logThreshold && (best < 0 || nextOnline[row + k] > nextOnline[row + best])) {
          best = k;
        }
      }
      double yv = batch.rewards[r] + (batch.terminated[r] ? 0 : cfg.gamma * nextTarget[row + best]);
      double d = out[row + a] - yv;
      td += Math.abs(d) < 1 ? 0.5 * d * d : Math.abs(d) - 0.5;
      q += out[row + a];
      grad[row + a] = (float) (Math.max(-1, Math.min(1, d)) / n);
    }
    s.loss = td / n;
    s.accuracyOrTd = td / n;
    s.meanQOrLogp = q / n;
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

  private void iqlStep(int n, Stats s) {
    int a1 = actions;
    try (NDManager m = root.newSubManager()) {
      Tensors.read(iqlTarget[0].forward(iqlTarget[0].input(m, batch.observations, n)), iqlTargetOut[0]);
      Tensors.read(iqlTarget[1].forward(iqlTarget[1].input(m, batch.observations, n)), iqlTargetOut[1]);
      Tensors.read(iqlV.forward(iqlV.input(m, batch.nextObservations, n)), nextOnline); // V(s') in column A
    }
    // V: expectile regression toward min(Q1, Q2)(s, a) of the target networks; A = that - V(s).
    double vLoss = 0;
    double aLoss = 0;
    try (NDManager mgr = root.newSubManager(); GradientCollector collector = engine.newGradientCollector()) {
      NDArray y = iqlV.forward(iqlV.input(mgr, batch.observations, n));
      Tensors.read(y, nextTarget); // V(s) in column A (IQL has no other use for nextTarget)
      java.util.Arrays.fill(grad, 0, n * outputs, 0f);
      for (int r = 0; r < n; r++) {
        int row = r * outputs;
        int a = (int) batch.actions[r];
        double q = Math.min(iqlTargetOut[0][row + a], iqlTargetOut[1][row + a]);
        double u = q - nextTarget[row + a1];
        double wv = u < 0 ? 1 - cfg.iqlExpectile : cfg.iqlExpectile;
        vLoss += wv * u * u;
        grad[row + a1] = (float) (-2 * wv * u / n);
        iqlWeight[r] = Math.min(Math.exp(cfg.iqlTemperature * u), 100);
      }
      backward(mgr, y, n);
    }
    update(iqlV, iqlVAdam);
    // Actor: cross-entropy of the dataset action weighted by min(exp(beta A), 100).
    try (NDManager mgr = root.newSubManager(); GradientCollector collector = engine.newGradientCollector()) {
      NDArray y = net.forward(net.input(mgr, batch.observations, n));
      Tensors.read(y, out);
      java.util.Arrays.fill(grad, 0, n * outputs, 0f);
      aLoss = crossEntropy(n, out, grad, iqlWeight)[0];
      backward(mgr, y, n);
    }
    s.gradNorm = update(net, optimizer);
    // Twin Qs on r + gamma (1 - terminated) V(s').
    double qLoss = 0;
    double qMean = 0;
    for (int k = 0; k < 2; k++) {
      ActorCritic qn = iqlQ[k];
      try (NDManager mgr = root.newSubManager(); GradientCollector collector = engine.newGradientCollector()) {
        NDArray y = qn.forward(qn.input(mgr, batch.observations, n));
        Tensors.read(y, outImitation);
        java.util.Arrays.fill(grad, 0, n * outputs, 0f);
        for (int r = 0; r < n; r++) {
          int row = r * outputs;
          int a = (int) batch.actions[r];
          double target = batch.rewards[r] + (batch.terminated[r] ? 0 : cfg.gamma * nextOnline[row + a1]);
          double d = outImitation[row + a] - target;
          qLoss += d * d;
          qMean += outImitation[row + a];
          grad[row + a] = (float) (2 * d / n);
        }
        backward(mgr, y, n);
      }
      update(qn, iqlAdam[k]);
    }
    s.loss = (vLoss + aLoss + qLoss) / n;
    s.accuracyOrTd = qLoss / (2 * n);
    s.meanQOrLogp = qMean / (2 * n);
  }

  /** The acting weights: the agent's (BC, CQL, IQL's actor), or the Q and imitation networks' (BCQ). */
  public void writePolicy(DataOutputStream o) throws IOException {
    if (imitation == null) {
      agent.write(o);
    } else {
      net.params().write(o);
      imitation.params().write(o);
    }
  }

  /** Reads what {@link #writePolicy} wrote. */
  public void readPolicy(DataInputStream in) throws IOException {
    if (imitation == null) {
      agent.read(in);
    } else {
      net.params().read(in);
      imitation.params().read(in);
    }
  }

  /** Counters, Adam's moments and the target network (the acting weights are written apart). */
  public void writeTrainerState(DataOutputStream o) throws IOException {
    o.writeLong(step);
    optimizer.write(o);
    if (imitationOptimizer != null) {
      imitationOptimizer.write(o);
    }
    o.writeBoolean(target != null);
    if (target != null) {
      target.params().write(o);
    }
    if (iqlQ != null) {
      for (int k = 0; k < 2; k++) {
        iqlQ[k].params().write(o);
        iqlTarget[k].params().write(o);
        iqlAdam[k].write(o);
      }
      iqlV.params().write(o); // last, so that a checkpoint written before V had a network of its own fails to resume
      iqlVAdam.write(o);
    }
  }

  public void readTrainerState(DataInputStream in) throws IOException {
    step = in.readLong();
    optimizer.read(in);
    if (imitationOptimizer != null) {
      imitationOptimizer.read(in);
    }
    if (in.readBoolean() != (target != null)) {
      throw new IOException("checkpoint and config disagree on the target network");
    }
    if (target != null) {
      target.params().read(in);
      target.params().push();
    }
    if (iqlQ != null) {
      for (int k = 0; k < 2; k++) {
        iqlQ[k].params().read(in);
        iqlTarget[k].params().read(in);
        iqlAdam[k].read(in);
      }
      try {
        iqlV.params().read(in);
        iqlVAdam.read(in);
      } catch (IOException e) { // EOF or a count mismatch: an IQL checkpoint from before V had its own network
        throw new IOException("this IQL checkpoint holds no state for V's own network (it was written before IQL's V "
            + "got a network of its own, commit 6739704): it still loads for gap, rollout and collect, but training "
            + "cannot resume from it; start a new training (" + e.getMessage() + ")", e);
      }
    }
  }

  @Override
  public void close() {
    root.close();
    if (target != null) {
      target.close();
    }
    if (iqlQ != null) {
      for (int k = 0; k < 2; k++) {
        iqlQ[k].close();
        iqlTarget[k].close();
      }
      iqlV.close();
    }
    agent.close(); // BCQ: closes the Q and imitation networks too
  }
}
