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
 * Discrete BCQ (Fujimoto et al. 2019): a Q-network trained with the Double-DQN smooth-L1 loss
 * whose next action is the argmax of Q over the actions an imitation network (trained by BC on
 * the same batch) gives at least {@code bcqThreshold} times the probability of its most likely
 * one; it acts the same way ({@link BcqNetwork}). Unlike gen_dgrl's {@code bcqresnetbase}, the
 * two networks do not share a trunk.
 */
final class BcqLearner extends OfflineLearner {

  private final ActorCritic imitation;
  private final Adam imitationOptimizer;
  private final ActorCritic target;
  private final float[] out = newRows();
  private final float[] outImitation = newRows();
  private final float[] nextOnline = newRows();
  private final float[] nextTarget = newRows();
  private final float[] nextImitation = newRows();

  BcqLearner(OfflineConfig cfg, ModelSpec spec, Space actionSpace, Device device) {
    this(cfg, ActorCritic.create(spec, device), ActorCritic.create(imitationSpec(spec), device), actionSpace);
  }

  private BcqLearner(OfflineConfig cfg, ActorCritic q, ActorCritic imitation, Space actionSpace) {
    super(cfg, q, new BcqNetwork(q, imitation, cfg.bcqThreshold), actionSpace);
    this.imitation = imitation;
    this.imitationOptimizer = newAdam(imitation);
    this.target = ActorCritic.create(q.spec(), q.device());
    syncTargets();
  }

  /** The imitation network has its own initial weights. */
  static ModelSpec imitationSpec(ModelSpec q) {
    return reseeded(q, 1);
  }

  @Override
  protected void learn(Stats s) {
    forward(net, batch.nextObservations, nextOnline);
    forward(target, batch.nextObservations, nextTarget);
    forward(imitation, batch.nextObservations, nextImitation);
    s.gradNorm = train(net, optimizer, out, (o, g) -> qLoss(o, g, s));
    train(imitation, imitationOptimizer, outImitation, (o, g) -> s.loss += crossEntropy(o, g, null) / n);
  }

  private void qLoss(float[] out, float[] grad, Stats s) {
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

  @Override
  public int parameterCount() {
    return net.params().count() + imitation.params().count();
  }

  @Override
  protected void syncTargets() {
    copyWeights(net, target);
  }

  /** The Q and imitation networks' weights. */
  @Override
  public void writePolicy(DataOutputStream o) throws IOException {
    net.params().write(o);
    imitation.params().write(o);
  }

  @Override
  public void readPolicy(DataInputStream in) throws IOException {
    net.params().read(in);
    imitation.params().read(in);
  }

  @Override
  protected void writeOwnState(DataOutputStream o) throws IOException {
    imitationOptimizer.write(o);
    writeTarget(o, target);
  }

  @Override
  protected void readOwnState(DataInputStream in) throws IOException {
    imitationOptimizer.read(in);
    readTarget(in, target);
  }

  /** The agent's {@link BcqNetwork} closes the Q and imitation networks. */
  @Override
  public void close() {
    target.close();
    super.close();
  }
}
