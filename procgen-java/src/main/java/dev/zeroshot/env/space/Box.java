package dev.zeroshot.env.space;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A (possibly unbounded) box in R^n with per-element bounds, as Gymnasium's Box: floats may
 * use -inf/+inf bounds; integer dtypes need finite bounds inside the dtype's range.
 */
public record Box(double[] low, double[] high, int[] shape, DType dtype) implements Space {

  public Box {
    shape = shape.clone();
    int n = Space.elementCount(shape);
    if (low.length != n || high.length != n) {
      throw new IllegalArgumentException("Box bounds have " + low.length + " and " + high.length
          + " values but shape " + Arrays.toString(shape) + " has " + n + " elements");
    }
    low = low.clone();
    high = high.clone();
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(low[i]) || Double.isNaN(high[i])) {
        throw new IllegalArgumentException("Box bound " + i + " is NaN; bounds must be numbers or +-inf");
      }
      if (low[i] > high[i]) {
        throw new IllegalArgumentException("Box low[" + i + "] = " + low[i] + " is above high[" + i + "] = " + high[i]);
      }
      if (dtype.isIntegral()) {
        double min = dtype == DType.UINT8 ? 0 : dtype == DType.INT32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
        double max = dtype == DType.UINT8 ? 255 : dtype == DType.INT32 ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (low[i] < min || high[i] > max || low[i] != Math.rint(low[i]) || high[i] != Math.rint(high[i])) {
          throw new IllegalArgumentException("Box of " + dtype.numpyName() + " needs integer bounds in ["
              + (long) min + ", " + (long) max + "], got [" + low[i] + ", " + high[i] + "] at element " + i);
        }
      }
    }
  }

  /** A box with the same bounds for every element. */
  public static Box uniform(double low, double high, int[] shape, DType dtype) {
    int n = Space.elementCount(shape);
    double[] lo = new double[n];
    double[] hi = new double[n];
    Arrays.fill(lo, low);
    Arrays.fill(hi, high);
    return new Box(lo, hi, shape, dtype);
  }

  /** A float32 vector box with the given per-element bounds. */
  public static Box float32(double[] low, double[] high) {
    return new Box(low, high, new int[] {low.length}, DType.FLOAT32);
  }

  @Override
  public double[] low() {
    return low.clone();
  }

  @Override
  public double[] high() {
    return high.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  public int elementCount() {
    return low.length;
  }

  public double low(int i) {
    return low[i];
  }

  public double high(int i) {
    return high[i];
  }

  @Override
  public int byteSize() {
    return low.length * dtype.byteSize();
  }

  @Override
  public String check(ByteBuffer buf, int offset) {
    int size = dtype.byteSize();
    for (int i = 0; i < low.length; i++) {
      double v = dtype.read(buf, offset + i * size);
      if (Double.isNaN(v)) {
        return "element " + i + " is NaN; " + this + " needs numbers in [" + low[i] + ", " + high[i] + "]";
      }
      if (v < low[i] || v > high[i]) {
        return "element " + i + " = " + v + " outside [" + low[i] + ", " + high[i] + "] of " + this;
      }
    }
    return null;
  }

  /** Gymnasium's Box.sample: uniform when bounded, exponential when half-bounded, normal when unbounded. */
  @Override
  public void sample(SplittableRandom rng, ByteBuffer buf, int offset) {
    int size = dtype.byteSize();
    for (int i = 0; i < low.length; i++) {
      boolean lowBounded = low[i] != Double.NEGATIVE_INFINITY;
      boolean highBounded = high[i] != Double.POSITIVE_INFINITY;
      double hi = dtype.isIntegral() ? high[i] + 1 : high[i];
      double v;
      if (lowBounded && highBounded) {
        v = low[i] + rng.nextDouble() * (hi - low[i]);
      } else if (lowBounded) {
        v = low[i] - Math.log(1 - rng.nextDouble());
      } else if (highBounded) {
        v = hi + Math.log(1 - rng.nextDouble());
      } else {
        v = normal(rng);
      }
      if (dtype.isIntegral()) {
        v = Math.min(Math.floor(v), high[i]);
      }
      dtype.write(buf, offset + i * size, v);
    }
  }

  private static double normal(SplittableRandom rng) {
    // Box-Muller: one normal from two uniforms, deterministic for a given stream.
    double u1 = 1 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Box b && dtype == b.dtype && Arrays.equals(shape, b.shape)
        && Arrays.equals(low, b.low) && Arrays.equals(high, b.high);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(low) * 31 + Arrays.hashCode(high) * 17 + Arrays.hashCode(shape) + dtype.hashCode();
  }

  @Override
  public String toString() {
    boolean same = true;
    for (int i = 1; i < low.length; i++) {
      same &= low[i] == low[0] && high[i] == high[0];
    }
    String bounds = same && low.length > 0 ? low[0] + ", " + high[0]
        : Arrays.toString(low) + ", " + Arrays.toString(high);
    return "Box(" + bounds + ", " + Arrays.toString(shape) + ", " + dtype.numpyName() + ")";
  }
}
