package dev.zeroshot.agents;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Gymnasium's NormalizeReward: each reward divided by the running standard deviation of the
 * envs' discounted returns, then CleanRL's clip to [-10, 10]. The statistics are checkpointed,
 * the discounted returns are not (a resumed run starts them at zero, with freshly reset envs).
 */
final class RewardNormalizer {

  private final RunningMeanStd rms = new RunningMeanStd(1);
  private final double[] discountedReturn;
  private final double gamma;

  RewardNormalizer(int numEnvs, double gamma) {
    this.discountedReturn = new double[numEnvs];
    this.gamma = gamma;
  }

  /** Env i's reward {@code r}, scaled; {@code episodeEnded}: the step ended env i's episode. */
  double normalize(int i, double r, boolean episodeEnded) {
    discountedReturn[i] = discountedReturn[i] * gamma + r;
    rms.update(new float[] {(float) discountedReturn[i]}, 1);
    double scaled = r / Math.sqrt(rms.var(0) + 1e-8);
    if (episodeEnded) {
      discountedReturn[i] = 0;
    }
    return Math.max(-10, Math.min(10, scaled));
  }

  void write(DataOutputStream out) throws IOException {
    rms.write(out);
  }

  void read(DataInputStream in) throws IOException {
    rms.read(in);
  }
}
