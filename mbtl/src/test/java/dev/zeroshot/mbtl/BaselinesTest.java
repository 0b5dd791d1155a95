package dev.zeroshot.mbtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BaselinesTest {

  @Test
  void greedySplitMatchesTheAuthorsSequence() {
    assertArrayEquals(new int[] {49, 82, 16, 32, 65, 40, 73, 93, 5}, Baselines.greedySplit(100, 9));
  }

  @Test
  void greedySplitNeverRepeats() {
    for (int n : new int[] {1, 2, 3, 10, 37, 100}) {
      int[] p = Baselines.greedySplit(n, n);
      int[] s = p.clone();
      Arrays.sort(s);
      for (int i = 0; i < n; i++) {
        assertEquals(i, s[i], "n=" + n + " " + Arrays.toString(p));
      }
    }
  }

  @Test
  void equidistantByFormula() {
    // x_k = 99 - 99/8 - 99 k/4 = 86.625, 61.875, 37.125, 12.375
    assertArrayEquals(new int[] {87, 62, 37, 12}, Baselines.equidistant(100, 4));
    // the authors' call with K = N: a descending sweep
    int[] sweep = Baselines.equidistant(100, 100);
    assertArrayEquals(new int[] {99, 98, 97, 96}, Arrays.copyOf(sweep, 4));
    assertEquals(49, Baselines.equidistant(100, 1)[0]); // 49.5 -> lower index
  }

  @Test
  void sequentialOracleIsGreedyOnTheTrueMatrix() {
    double[][] m = {
        {0.9, 0.1, 0.0},
        {0.6, 0.6, 0.6},
        {0.0, 0.1, 0.95}};
    // row means: 0.333, 0.6, 0.35 -> 1; then {1,0}: (0.9+0.6+0.6)/3 = 0.7, {1,2}: (0.6+0.6+0.95)/3 = 0.7167 -> 2
    assertArrayEquals(new int[] {1, 2, 0}, Baselines.sequentialOracle(TransferMatrix.of(m), 3, Progress.NONE));
  }

  @Test
  void randomOrderingsAreSeededSubsetsWithoutRepeats() {
    int[][] a = Baselines.randomOrderings(20, 7, 100, 42);
    int[][] b = Baselines.randomOrderings(20, 7, 100, 42);
    assertEquals(100, a.length);
    for (int r = 0; r < 100; r++) {
      assertArrayEquals(a[r], b[r]);
      assertEquals(7, Arrays.stream(a[r]).distinct().count());
    }
    assertTrue(!Arrays.equals(a[0], a[1]));
  }

  @Test
  void randomMeanAndStdAreOverTheOrderings() {
    TransferMatrix m = SyntheticMatrices.generate("cliff", 20, 0.02, 4);
    Strategies.Options o = Strategies.Options.defaults();
    StrategyResult r = Strategies.run("random", m, 5, o, Progress.NONE);
    int[][] orders = Baselines.randomOrderings(20, 5, 100, 42);
    double sum = 0;
    double sq = 0;
    for (int[] ord : orders) {
      double v = m.curve(ord)[2];
      sum += v;
      sq += v * v;
    }
    double mean = sum / 100;
    assertEquals(mean, r.values()[2], 1e-12);
    assertEquals(Math.sqrt(sq / 100 - mean * mean), r.std()[2], 1e-9);
  }
}
