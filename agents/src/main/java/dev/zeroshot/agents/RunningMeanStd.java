package dev.zeroshot.agents;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Running mean and variance per element with the parallel (Chan et al.) batch update, as
 * Gymnasium's {@code RunningMeanStd} (count starts at 1e-4).
 */
public final class RunningMeanStd {

  private final double[] mean;
  private final double[] var;
  private double count = 1e-4;

  public RunningMeanStd(int size) {
    mean = new double[size];
    var = new double[size];
    java.util.Arrays.fill(var, 1.0);
  }

  public int size() {
    return mean.length;
  }

  /** Updates with a batch of {@code n} rows of {@code size()} values, row-major. */
  public void update(float[] batch, int n) {
    int d = mean.length;
    for (int j = 0; j < d; j++) {
      double bm = 0;
      for (int i = 0; i < n; i++) {
        bm += batch[i * d + j];
      }
      bm /= n;
      double bv = 0;
      for (int i = 0; i < n; i++) {
        double x = batch[i * d + j] - bm;
        bv += x * x;
      }
      bv /= n; // numpy's np.var: population variance
      double delta = bm - mean[j];
      double total = count + n;
      double newMean = mean[j] + delta * n / total;
      double m2 = var[j] * count + bv * n + delta * delta * count * n / total;
      mean[j] = newMean;
      var[j] = m2 / total;
    }
    count += n;
  }

  public double mean(int j) {
    return mean[j];
  }

  public double var(int j) {
    return var[j];
  }

  public double count() {
    return count;
  }

  public void write(DataOutputStream out) throws IOException {
    out.writeInt(mean.length);
    out.writeDouble(count);
    for (int j = 0; j < mean.length; j++) {
      out.writeDouble(mean[j]);
      out.writeDouble(var[j]);
    }
  }

  public void read(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n != mean.length) {
      throw new IOException("normalizer of size " + n + " in checkpoint, expected " + mean.length);
    }
    count = in.readDouble();
    for (int j = 0; j < n; j++) {
      mean[j] = in.readDouble();
      var[j] = in.readDouble();
    }
  }
}
