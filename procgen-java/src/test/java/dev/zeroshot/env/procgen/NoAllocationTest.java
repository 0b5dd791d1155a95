package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Stepping (rules and rendering) allocates nothing once the entity pool has grown: measured, not assumed. */
class NoAllocationTest {

  static java.util.stream.Stream<String> procgenIds() {
    return ProcgenDeterminismTest.procgenIds();
  }

  @ParameterizedTest
  @MethodSource("procgenIds")
  void stepsDoNotAllocate(String id) {
    Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
    GameDriver d = new GameDriver(id).level(3);
    SplittableRandom policy = new SplittableRandom(9);
    run(d, policy, 4000, mx); // warm-up: the JIT compiles, the entity pool grows
    long steps = 4000;
    long allocated = run(d, policy, steps, mx);
    assertTrue(allocated <= 16 * 1024, id + " allocated " + allocated + " bytes in " + steps + " steps");
  }

  /** Bytes allocated by {@code steps} steps, not counting resets (level generation may allocate). */
  private static long run(GameDriver d, SplittableRandom policy, long steps, com.sun.management.ThreadMXBean mx) {
    long inResets = 0;
    long start = mx.getCurrentThreadAllocatedBytes();
    for (long t = 0; t < steps; t++) {
      d.step(policy.nextInt(15));
      if (d.game.terminated()) {
        long before = mx.getCurrentThreadAllocatedBytes();
        d.game.reset(d.obs, 0);
        inResets += mx.getCurrentThreadAllocatedBytes() - before;
      }
    }
    return mx.getCurrentThreadAllocatedBytes() - start - inResets;
  }
}
