package dev.zeroshot.env.space;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/** A vector of independent Discrete values, element i in {@code [start[i], start[i] + nvec[i])}, int64. */
public record MultiDiscrete(long[] nvec, long[] start) implements Space {

  public MultiDiscrete {
    if (nvec.length == 0) {
      throw new IllegalArgumentException("MultiDiscrete needs at least one dimension");
    }
    if (start.length != nvec.length) {
      throw new IllegalArgumentException("MultiDiscrete start has " + start.length
          + " entries but nvec has " + nvec.length);
    }
    for (int i = 0; i < nvec.length; i++) {
      if (nvec[i] <= 0) {
        throw new IllegalArgumentException("MultiDiscrete nvec[" + i + "] must be positive, got " + nvec[i]);
      }
    }
    nvec = nvec.clone();
    start = start.clone();
  }

  public MultiDiscrete(long... nvec) {
    this(nvec, new long[nvec.length]);
  }

  @Override
  public long[] nvec() {
    return nvec.clone();
  }

  @Override
  public long[] start() {
    return start.clone();
  }

  @Override
  public int byteSize() {
    return 8 * nvec.length;
  }

  @Override
  public int[] shape() {
    return new int[] {nvec.length};
  }

  @Override
  public String check(ByteBuffer buf, int offset) {
    for (int i = 0; i < nvec.length; i++) {
      long v = buf.getLong(offset + 8 * i);
      if (v < start[i] || v - start[i] >= nvec[i]) {
        return "element " + i + " = " + v + " out of range [" + start[i] + ", " + (start[i] + nvec[i] - 1)
            + "] of " + this;
      }
    }
    return null;
  }

  @Override
  public void sample(SplittableRandom rng, ByteBuffer buf, int offset) {
    for (int i = 0; i < nvec.length; i++) {
      buf.putLong(offset + 8 * i, start[i] + rng.nextLong(nvec[i]));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MultiDiscrete m && Arrays.equals(nvec, m.nvec) && Arrays.equals(start, m.start);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(nvec) + Arrays.hashCode(start);
  }

  @Override
  public String toString() {
    return "MultiDiscrete(" + Arrays.toString(nvec) + ")";
  }
}
