package dev.zeroshot.env.space;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** {@code {start, ..., start + n - 1}}, stored as one int64 (as Gymnasium's Discrete). */
public record Discrete(long n, long start) implements Space {

  public Discrete {
    if (n <= 0) {
      throw new IllegalArgumentException("Discrete n must be positive, got " + n);
    }
  }

  public Discrete(long n) {
    this(n, 0);
  }

  @Override
  public int byteSize() {
    return 8;
  }

  @Override
  public int[] shape() {
    return new int[0];
  }

  public boolean contains(long value) {
    return value >= start && value - start < n;
  }

  @Override
  public String check(ByteBuffer buf, int offset) {
    long v = buf.getLong(offset);
    return contains(v) ? null : v + " out of range for " + this;
  }

  @Override
  public void sample(SplittableRandom rng, ByteBuffer buf, int offset) {
    buf.putLong(offset, start + rng.nextLong(n));
  }

  @Override
  public String toString() {
    return start == 0 ? "Discrete(" + n + ")" : "Discrete(" + n + ", start=" + start + ")";
  }
}
