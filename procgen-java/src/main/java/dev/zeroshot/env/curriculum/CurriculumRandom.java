package dev.zeroshot.env.curriculum;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The curricula's random stream: SplitMix64 (the generator behind {@link java.util.SplittableRandom}),
 * kept here because its whole state is one {@code long} that a checkpoint can save, so a resumed
 * curriculum makes the same picks as one that never stopped.
 */
public final class CurriculumRandom {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private long state;

  public CurriculumRandom(long seed) {
    this.state = seed;
  }

  public long nextLong() {
    long z = (state += GOLDEN);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, 1), 53 bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound), bound >= 1 (Lemire's rejection, unbiased). */
  public long nextLong(long bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be >= 1, got " + bound);
    }
    long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
    long r;
    do {
      r = nextLong() >>> 1;
    } while (r >= limit);
    return r % bound;
  }

  public int nextInt(int bound) {
    return (int) nextLong(bound);
  }

  void write(DataOutputStream out) throws IOException {
    out.writeLong(state);
  }

  void read(DataInputStream in) throws IOException {
    state = in.readLong();
  }
}
