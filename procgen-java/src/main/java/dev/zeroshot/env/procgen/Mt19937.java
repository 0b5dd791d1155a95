package dev.zeroshot.env.procgen;

/**
 * The 32-bit Mersenne Twister ({@code std::mt19937}) with the helper draws of Procgen's
 * {@code RandGen}: {@code randint}, {@code randn}, {@code rand01}. Procgen's levels are a
 * function of this exact stream and the order of draws, so generators call these in the
 * order Procgen's games do.
 */
public final class Mt19937 {

  private static final int N = 624;
  private static final int M = 397;

  private final int[] mt = new int[N];
  private int index = N;

  public Mt19937() {
    seed(5489);
  }

  public Mt19937(int seed) {
    seed(seed);
  }

  /** {@code std::mt19937::seed}: the seed is taken as an unsigned 32-bit value. */
  public void seed(int seed) {
    mt[0] = seed;
    for (int i = 1; i < N; i++) {
      mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    }
    index = N;
  }

  /** The next raw output as an unsigned value in [0, 2^32). */
  public long nextUnsigned() {
    return nextInt() & 0xFFFFFFFFL;
  }

  /** The next raw output's 32 bits. */
  public int nextInt() {
    if (index >= N) {
      twist();
    }
    int y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9D2C5680;
    y ^= (y << 15) & 0xEFC60000;
    y ^= y >>> 18;
    return y;
  }

  private void twist() {
    for (int i = 0; i < N; i++) {
      int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7FFFFFFF);
      int next = mt[(i + M) % N] ^ (y >>> 1);
      if ((y & 1) != 0) {
        next ^= 0x9908B0DF;
      }
      mt[i] = next;
    }
    index = 0;
  }

  /** {@code low + u32 % (high - low)} with the range taken unsigned, as Procgen computes it. */
  public int randint(int low, int high) {
    long range = (high - low) & 0xFFFFFFFFL;
    return (int) (low + nextUnsigned() % range);
  }

  /** {@code u32 % n}: an int in [0, n). */
  public int randn(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("randn needs n > 0, got " + n);
    }
    return (int) (nextUnsigned() % n);
  }

  /** {@code (float) (u32 / 2^32)}: a float in [0, 1] (rounding can reach 1.0f, as in Procgen). */
  public float rand01() {
    return (float) (nextUnsigned() / 4294967296.0);
  }

  /** {@code rand01() > 0.5}. */
  public boolean randbool() {
    return rand01() > .5f;
  }

  /** {@code rand01() * (high - low) + low}, in float arithmetic. */
  public float randrange(float low, float high) {
    return rand01() * (high - low) + low;
  }
}
