package dev.zeroshot.agents;

import ai.djl.Device;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.Adam;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.env.space.Space;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Discrete IQL (Kostrikov et al. 2022, as gen_dgrl's): twin Q-networks regressed (MSE) on
 * {@code r + gamma (1 - terminated) V(s')}; V fitted by the expectile loss to the target
 * Q-networks' {@code min(Q1, Q2)(s, a)}; the actor by advantage-weighted cross-entropy with
 * weights {@code min(exp(beta (Q - V)), 100)}; targets hard-copied every
 * {@code targetUpdateEvery} steps; acts with the actor's mode. The actor (the acting network's
 * policy columns) and V (the value column of a network of its own) are separate networks with
 * separate optimizers, as in gen_dgrl and the paper: V's regression toward returns of up to 10
 * does not reach the actor's weights.
 */
final class IqlLearner extends OfflineLearner {

  /** One step's loss sums over the batch (the twin Qs': over both networks, in turn). */
  private static final class Sums {
    double value;
    double actor;
    double td;
    double q;
  }

  private final ActorCritic[] q = new ActorCritic[2];
  private final ActorCritic[] qTarget = new ActorCritic[2];
  private final Adam[] qAdam = new Adam[2];
  private final ActorCritic v;
  private final Adam vAdam;
  private final float[][] qTargetOut = {newRows(), newRows()};
  private final float[] vNext = newRows();
  private final float[] vOut = newRows();
  private final float[] out = newRows();
  private final float[] qOut = newRows();
  private final double[] weights = new double[n];

  IqlLearner(OfflineConfig cfg, ModelSpec spec, Space actionSpace, Device device) {
    super(cfg, ActorCritic.create(spec, device), actionSpace);
    for (int k = 0; k < 2; k++) {
      ModelSpec qs = reseeded(spec, 10 + k);
      q[k] = ActorCritic.create(qs, device);
      qTarget[k] = ActorCritic.create(qs, device);
      qAdam[k] = newAdam(q[k]);
    }
    v = ActorCritic.create(valueSpec(spec), device);
    vAdam = newAdam(v);
    syncTargets();
  }

  /** V's network (its value column is V) has its own initial weights. */
  static ModelSpec valueSpec(ModelSpec actor) {
    return reseeded(actor, 20);
  }

  @Override
  protected void learn(Stats s) {
    Sums sums = new Sums();
    forward(qTarget[0], batch.observations, qTargetOut[0]);
    forward(qTarget[1], batch.observations, qTargetOut[1]);
    forward(v, batch.nextObservations, vNext);
    // V: expectile regression toward min(Q1, Q2)(s, a) of the target networks.
    train(v, vAdam, vOut, (o, g) -> sums.value = expectileLoss(o, g));
    // Actor: cross-entropy of the dataset action weighted by min(exp(beta A), 100), A = min(Q1, Q2)(s, a) - V(s).
    for (int r = 0; r < n; r++) {
      weights[r] = Math.min(Math.exp(cfg.iqlTemperature * (minTargetQ(r) - vOut[r * outputs + actions])), 100);
    }
    s.gradNorm = train(net, optimizer, out, (o, g) -> sums.actor = crossEntropy(o, g, weights));
    // Twin Qs on r + gamma (1 - terminated) V(s').
    for (int k = 0; k < 2; k++) {
      train(q[k], qAdam[k], qOut, (o, g) -> tdLoss(o, g, sums));
    }
    s.loss = (sums.value + sums.actor + sums.td) / n;
    s.accuracyOrTd = sums.td / (2 * n);
    s.meanQOrLogp = sums.q / (2 * n);
  }

  /** min(Q1, Q2)(s, a) of the target networks for row r. */
  private double minTargetQ(int r) {
    int i = r * outputs + (int) batch.actions[r];
    return Math.min(qTargetOut[0][i], qTargetOut[1][i]);
  }

  /** The expectile loss of V(s) (the value column of {@code vs}) toward min(Q1, Q2)(s, a); returns its sum. */
  private double expectileLoss(float[] vs, float[] grad) {
    double loss = 0;
    for (int r = 0; r < n; r++) {
      int col = r * outputs + actions;
      double u = minTargetQ(r) - vs[col];
      double w = u < 0 ? 1 - cfg.iqlExpectile : cfg.iqlExpectile;
      loss += w * u * u;
      grad[col] = (float) (-2 * w * u / n);
    }
    return loss;
  }

  /** Squared error of Q(s, a) (in {@code qs}) against r + gamma (1 - terminated) V(s'), added to {@code sums}. */
  private void tdLoss(float[] qs, float[] grad, Sums sums) {
    for (int r = 0; r < n; r++) {
      int row = r * outputs;
      int a = (int) batch.actions[r];
      double target = batch.rewards[r] + (batch.terminated[r] ? 0 : cfg.gamma * vNext[row + actions]);
      double d = qs[row + a] - target;
      sums.td += d * d;
      sums.q += qs[row + a];
      grad[row + a] = (float) (2 * d / n);
    }
  }

  @Override
  protected void syncTargets() {
    copyWeights(q[0], qTarget[0]);
    copyWeights(q[1], qTarget[1]);
  }

  /** No target of the acting network; each Q-network, its target and Adam; then V's network and Adam. */
  @Override
  protected void writeOwnState(DataOutputStream o) throws IOException {
    writeTarget(o, null);
    for (int k = 0; k < 2; k++) {
      q[k].params().write(o);
      qTarget[k].params().write(o);
      qAdam[k].write(o);
    }
    v.params().write(o); // last, so that a checkpoint written before V had a network of its own fails to resume
    vAdam.write(o);
  }

  @Override
  protected void readOwnState(DataInputStream in) throws IOException {
    readTarget(in, null);
    for (int k = 0; k < 2; k++) {
      q[k].params().read(in);
      qTarget[k].params().read(in);
      qAdam[k].read(in);
    }
    try {
      v.params().read(in);
      vAdam.read(in);
    } catch (IOException e) { // EOF or a count mismatch: an IQL checkpoint from before V had its own network
      throw new IOException("this IQL checkpoint holds no state for V's own network (it was written before IQL's V "
          + "got a network of its own, commit 6739704): it still loads for gap, rollout and collect, but training "
          + "cannot resume from it; start a new training (" + e.getMessage() + ")", e);
    }
  }

  @Override
  public void close() {
    for (int k = 0; k < 2; k++) {
      q[k].close();
      qTarget[k].close();
    }
    v.close();
    super.close();
  }
}
