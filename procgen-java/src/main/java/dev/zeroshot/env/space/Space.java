package dev.zeroshot.env.space;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The set of valid observations or actions, with Gymnasium's meaning. One element of a space
 * occupies {@link #byteSize()} bytes of a little-endian buffer; batches lay elements end to end.
 */
public sealed interface Space permits Discrete, Box, MultiDiscrete, DictSpace {

  /** Bytes taken by one element of this space. */
  int byteSize();

  /** Shape of one element ({@code []} for a scalar). For a Dict, {@code [byteSize()]}. */
  int[] shape();

  /**
   * Checks the element stored at {@code offset}. Returns {@code null} if it belongs to the
   * space, or a message naming the offending value and what is allowed.
   */
  String check(ByteBuffer buf, int offset);

  /** Writes a uniformly (Gymnasium-style) sampled element at {@code offset}. */
  void sample(SplittableRandom rng, ByteBuffer buf, int offset);

  /** Number of scalar elements in one element of the space. */
  static int elementCount(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("shape dimensions must be >= 0, got " + java.util.Arrays.toString(shape));
      }
      n *= d;
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " has too many elements");
      }
    }
    return (int) n;
  }
}
