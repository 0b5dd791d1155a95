package dev.zeroshot.agents;

import ai.djl.Device;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.env.space.Space;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Discrete CQL (Kumar et al. 2020, as gen_dgrl and d3rlpy's DiscreteCQL) on a Q-network (the
 * network's policy columns): a Double-DQN target
 * {@code y = r + gamma (1 - terminated) Q_target(s', argmax_a Q(s', a))}, smooth-L1 loss on
 * {@code Q(s, a) - y}, plus {@code alpha (logsumexp_a Q(s, a) - Q(s, a))}; the target network is
 * hard-copied every {@code targetUpdateEvery} steps. Acts greedily on Q.
 */
final class CqlLearner extends OfflineLearner {

  private final ActorCritic target;
  private final float[] out = newRows();
  private final float[] nextOnline = newRows();
  private final float[] nextTarget = newRows();

  CqlLearner(OfflineConfig cfg, ModelSpec spec, Space actionSpace, Device device) {
    super(cfg, ActorCritic.create(spec, device), actionSpace);
    this.target = ActorCritic.create(spec, device);
    syncTargets();
  }

  @Override
  protected void learn(Stats s) {
    forward(net, batch.nextObservations, nextOnline);
    forward(target, batch.nextObservations, nextTarget);
    s.gradNorm = train(net, optimizer, out, (o, g) -> loss(o, g, s));
  }

  private void loss(float[] out, float[] grad, Stats s) {
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
      double lse = PpoLoss.logSumExp(out, row, actions);
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

  @Override
  protected void syncTargets() {
    copyWeights(net, target);
  }

  @Override
  protected void writeOwnState(DataOutputStream o) throws IOException {
    writeTarget(o, target);
  }

  @Override
  protected void readOwnState(DataInputStream in) throws IOException {
    readTarget(in, target);
  }

  @Override
  public void close() {
    target.close();
    super.close();
  }
}
