package dev.zeroshot.agents;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.zeroshot.agents.nn.Param;
import dev.zeroshot.agents.nn.Tensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A PPO minibatch: rows of the rollout gathered by index (CleanRL's {@code b_obs[mb_inds]},
 * ...), and PPO's loss on the network's outputs for them with its gradient.
 */
final class PpoMinibatch {

  /** The loss's terms and dLoss/d(network output) as a tensor, for the backward pass. */
  record Loss(PpoLoss.Stats stats, NDArray gradient) {}

  /** Rows filled by the latest {@link #gather}. */
  int size;
  final ByteBuffer observations;
  private final long[] discreteActions;
  private final float[] actions;
  private final float[] logProbs;
  final float[] advantages;
  private final float[] returns;
  private final float[] values;

  private final Device device;
  private final int observationBytes;
  private final int actionWidth;
  private final int outputs;
  /** The Gaussian policy's log standard deviations, a parameter outside the torch network (null: categorical). */
  private final Param logStd;
  private final float[] out;
  private final float[] policy;
  private final float[] newValues;
  private final float[] gradPolicy;
  private final float[] gradValues;
  private final ByteBuffer gradOut;

  /** Room for {@code capacity} rows of {@code agent}'s observations, actions and outputs. */
  PpoMinibatch(Agent agent, int capacity) {
    this.device = agent.device();
    this.observationBytes = agent.observationBytes();
    this.actionWidth = agent.actionWidth();
    this.outputs = agent.policyOutputs() + 1;
    this.logStd = agent.discrete() ? null : agent.net().params().get("java:logstd");
    this.observations = agent.newObservationBuffer(capacity);
    this.discreteActions = new long[capacity];
    this.actions = new float[capacity * actionWidth];
    this.logProbs = new float[capacity];
    this.advantages = new float[capacity];
    this.returns = new float[capacity];
    this.values = new float[capacity];
    this.out = new float[capacity * outputs];
    this.policy = new float[capacity * (outputs - 1)];
    this.newValues = new float[capacity];
    this.gradPolicy = new float[capacity * (outputs - 1)];
    this.gradValues = new float[capacity];
    this.gradOut = ByteBuffer.allocateDirect(4 * capacity * outputs).order(ByteOrder.nativeOrder());
  }

  /** Copies the rollout's steps {@code index[from]} to {@code index[from + size - 1]} into rows 0 to size - 1. */
  void gather(PpoRollout rollout, int[] index, int from, int size) {
    this.size = size;
    for (int r = 0; r < size; r++) {
      int k = index[from + r];
      ByteBuffer src = rollout.observations.duplicate().position(k * observationBytes).limit((k + 1) * observationBytes);
      observations.duplicate().position(r * observationBytes).put(src);
      System.arraycopy(rollout.actions, k * actionWidth, actions, r * actionWidth, actionWidth);
      discreteActions[r] = (long) rollout.actions[k * actionWidth];
      logProbs[r] = rollout.logProbs[k];
      advantages[r] = rollout.advantages[k];
      returns[r] = rollout.returns[k];
      values[r] = rollout.values[k];
    }
  }

  /**
   * PPO's loss ({@link PpoLoss}) on {@code y}, the network's outputs for these rows (policy
   * columns, then the value), and its gradient with respect to {@code y} as a tensor of {@code mgr}.
   * A Gaussian policy's log-std gradient goes straight into its parameter.
   */
  Loss loss(NDManager mgr, NDArray y, PpoLoss.Coefs coefs) {
    int a = outputs - 1;
    Tensors.read(y, out);
    for (int r = 0; r < size; r++) {
      System.arraycopy(out, r * outputs, policy, r * a, a);
      newValues[r] = out[r * outputs + a];
    }
    PpoLoss.Stats s = logStd == null
        ? PpoLoss.categorical(size, a, policy, discreteActions, logProbs, advantages, returns, values, newValues, coefs,
            gradPolicy, gradValues)
        : PpoLoss.gaussian(size, a, policy, logStd.value, actions, logProbs, advantages, returns, values, newValues,
            coefs, gradPolicy, logStd.grad, gradValues);
    FloatBuffer g = gradOut.asFloatBuffer();
    for (int r = 0; r < size; r++) {
      g.put(gradPolicy, r * a, a);
      g.put(gradValues[r]);
    }
    NDArray grad = mgr.create(gradOut.duplicate().position(0).limit(4 * size * outputs).slice().order(gradOut.order()),
        new Shape(size, outputs), DataType.FLOAT32);
    return new Loss(s, device.isGpu() ? grad.toDevice(device, false) : grad);
  }
}
