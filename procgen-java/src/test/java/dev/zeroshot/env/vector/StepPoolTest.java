package dev.zeroshot.env.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class StepPoolTest {

  @Test
  void everyIndexRunsExactlyOnceForAnySizeAndThreadCount() {
    for (int threads = 1; threads <= 5; threads++) {
      try (StepPool pool = new StepPool(threads)) {
        for (int count : new int[] {1, 2, 3, 7, 64, 1000}) {
          AtomicIntegerArray hits = new AtomicIntegerArray(count);
          for (int round = 0; round < 50; round++) {
            pool.run(count, (from, to) -> {
              for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
              }
            });
          }
          for (int i = 0; i < count; i++) {
            assertEquals(50, hits.get(i), "index " + i + " of " + count + " on " + threads + " threads");
          }
        }
      }
    }
  }

  @Test
  void aFailureInAnyRangeReachesTheCallerAndThePoolKeepsWorking() {
    try (StepPool pool = new StepPool(3)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(30, (from, to) -> {
        if (from >= 20) {
          throw new IllegalStateException("boom in " + from);
        }
      }));
      assertEquals("boom in 20", e.getMessage());
      int[] sum = new int[1];
      pool.run(1, (from, to) -> sum[0] += to - from);
      assertEquals(1, sum[0]);
    }
    assertThrows(IllegalArgumentException.class, () -> new StepPool(0));
    StepPool closed = new StepPool(2);
    closed.close();
    assertThrows(IllegalStateException.class, () -> closed.run(4, (a, b) -> { }));
  }
}
