package dev.zeroshot.agents.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A network's parameters in a fixed order, with their initializers (seeded Java random streams,
 * so initial weights do not depend on torch's generator) and a plain binary form for
 * checkpoints.
 */
public final class Params {

  private final List<Param> list = new ArrayList<>();
  private final SplittableRandom random;

  public Params(long seed) {
    this.random = new SplittableRandom(seed);
  }

  public List<Param> list() {
    return Collections.unmodifiableList(list);
  }

  public int count() {
    int n = 0;
    for (Param p : list) {
      n += p.size();
    }
    return n;
  }

  /** A parameter of {@code shape} filled with {@code values}. */
  public Param add(String name, int[] shape, float[] values) {
    for (Param p : list) {
      if (p.name.equals(name)) {
        throw new IllegalArgumentException("duplicate param " + name);
      }
    }
    Param p = new Param(name, shape, values);
    list.add(p);
    return p;
  }

  public Param zeros(String name, int... shape) {
    return add(name, shape, new float[product(shape)]);
  }

  /**
   * A [in, out] weight initialized like {@code torch.nn.init.orthogonal_(W^T, gain)} (CleanRL's
   * {@code layer_init}): a Gaussian matrix orthonormalized (QR with the signs of R's diagonal).
   */
  public Param orthogonal(String name, int in, int out, double gain) {
    return add(name, new int[] {in, out}, orthogonalValues(in, out, gain));
  }

  /** The values {@link #orthogonal} would fill an [in, out] weight with (row-major). */
  public float[] orthogonalValues(int in, int out, double gain) {
    int rows = Math.max(in, out);
    int cols = Math.min(in, out);
    double[][] q = new double[cols][rows]; // cols orthonormal vectors of length rows
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) {
        q[j][i] = random.nextGaussian();
      }
    }
    for (int j = 0; j < cols; j++) { // modified Gram-Schmidt
      for (int k = 0; k < j; k++) {
        double dot = 0;
        for (int i = 0; i < rows; i++) {
          dot += q[j][i] * q[k][i];
        }
        for (int i = 0; i < rows; i++) {
          q[j][i] -= dot * q[k][i];
        }
      }
      double norm = 0;
      for (int i = 0; i < rows; i++) {
        norm += q[j][i] * q[j][i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < rows; i++) {
        q[j][i] /= norm;
      }
    }
    float[] w = new float[in * out];
    for (int r = 0; r < in; r++) {
      for (int c = 0; c < out; c++) {
        // W[r][c]: if in >= out the columns of W are the orthonormal vectors, else the rows.
        double v = in >= out ? q[c][r] : q[r][c];
        w[r * out + c] = (float) (gain * v);
      }
    }
    return w;
  }

  /** Uniform in [-bound, bound] (PyTorch's default init uses bound = 1 / sqrt(fan_in)). */
  public Param uniform(String name, double bound, int... shape) {
    float[] w = new float[product(shape)];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
    return add(name, shape, w);
  }

  /** Gaussian with mean 0 and standard deviation {@code std} (GPT's init: 0.02 for linear and embedding weights). */
  public Param normal(String name, double std, int... shape) {
    float[] w = new float[product(shape)];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextGaussian() * std);
    }
    return add(name, shape, w);
  }

  /** Makes every parameter's tensor. */
  public void attach(NDManager manager, Device device) {
    for (Param p : list) {
      if (!p.name.startsWith("java:")) {
        p.attach(manager, device);
      }
    }
  }

  private long version;

  /** Copies every master value into its tensor. */
  public void push() {
    for (Param p : list) {
      p.push();
    }
    version++;
  }

  /** Incremented by every {@link #push}: derived copies of the weights compare it. */
  public long version() {
    return version;
  }

  /** Collects every tensor's gradient (Java-only params keep what the loss wrote). */
  public void pullGradients() {
    for (Param p : list) {
      p.pullGradient();
    }
  }

  /** Removes a parameter (used while composing initial values). */
  Param remove(String name) {
    Param p = get(name);
    list.remove(p);
    return p;
  }

  public Param get(String name) {
    for (Param p : list) {
      if (p.name.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no param " + name);
  }

  public void write(DataOutputStream out) throws IOException {
    out.writeInt(list.size());
    for (Param p : list) {
      out.writeUTF(p.name);
      out.writeInt(p.shape.length);
      for (int d : p.shape) {
        out.writeInt(d);
      }
      for (float v : p.value) {
        out.writeFloat(v);
      }
    }
  }

  /** Reads values written by {@link #write} into these (same-shaped) params, then pushes them. */
  public void read(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n != list.size()) {
      throw new IOException("checkpoint has " + n + " params, the network has " + list.size());
    }
    for (Param p : list) {
      String name = in.readUTF();
      int[] shape = new int[in.readInt()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = in.readInt();
      }
      if (!name.equals(p.name) || !Arrays.equals(shape, p.shape)) {
        throw new IOException("checkpoint param " + name + Arrays.toString(shape) + " does not match the network's "
            + p.name + Arrays.toString(p.shape));
      }
      for (int i = 0; i < p.value.length; i++) {
        p.value[i] = in.readFloat();
      }
    }
    push();
  }

  static int product(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}
