package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The tail of an evaluation: CVaR over the worst 10%, the share solved, XLand's participation and
 * return percentiles, on hand-worked numbers.
 */
class EvaluatorTailTest {

  @Test
  void cvarIsTheMeanOfTheWorstTenPercent() {
    double[] twenty = new double[20];
    for (int i = 0; i < 20; i++) {
      twenty[i] = (i * 7) % 20; // 0..19 shuffled
    }
    assertEquals(0.5, Evaluator.cvar(twenty, 0.1), 0); // the 2 worst: 0 and 1
    // 15 values: ceil(1.5) = 2 worst, 1 and 2
    assertEquals(1.5, Evaluator.cvar(new double[] {5, 1, 3, 9, 2, 8, 7, 6, 4, 10, 11, 12, 13, 14, 15}, 0.1), 0);
  }

  @Test
  void fewValuesStillGiveTheWorstOne() {
    assertEquals(3, Evaluator.cvar(new double[] {7, 3, 9}, 0.1), 0);
    assertTrue(Double.isNaN(Evaluator.cvar(new double[0], 0.1)));
  }

  @Test
  void solvedShareCountsValuesAtOrAboveTheThreshold() {
    assertEquals(0.5, Evaluator.solvedShare(new double[] {475, 500, 200, 474.9}, 475), 0);
    assertTrue(Double.isNaN(Evaluator.solvedShare(new double[] {1}, Double.NaN)));
  }

  @Test
  void participationCountsReturnsAboveZero() {
    // XLand-style returns: 0 when the goal is never met, 1 - 0.9 * steps / max_steps when it is
    assertEquals(0.6, Evaluator.participation(new double[] {0, 0.91, 0, 0.1, 0.55}), 0);
    assertEquals(0, Evaluator.participation(new double[] {0, 0, -1}), 0); // a negative return is no reward
    assertEquals(1, Evaluator.participation(new double[] {1e-9}), 0);
    assertTrue(Double.isNaN(Evaluator.participation(new double[0])));
  }

  @Test
  void percentilesInterpolateBetweenNeighbouringRanks() {
    double[] eleven = {10, 0, 9, 1, 8, 2, 7, 3, 6, 4, 5}; // 0..10 shuffled: position p/100 * 10 is the value
    assertEquals(1, Evaluator.percentile(eleven, 10), 1e-12);
    assertEquals(5, Evaluator.percentile(eleven, 50), 1e-12);
    assertEquals(0, Evaluator.percentile(eleven, 0), 0);
    assertEquals(10, Evaluator.percentile(eleven, 100), 0);
    // 4 values 0, 0, 0.4, 0.8: 10th at position 0.3 (0), median at 1.5 (halfway from 0 to 0.4), as numpy's
    double[] four = {0.8, 0, 0.4, 0};
    assertEquals(0, Evaluator.percentile(four, 10), 0);
    assertEquals(0.2, Evaluator.percentile(four, 50), 1e-12);
    assertEquals(0.08, Evaluator.percentile(new double[] {0, 0.8}, 10), 1e-12);
    assertEquals(7, Evaluator.percentile(new double[] {7}, 10), 0);
    assertTrue(Double.isNaN(Evaluator.percentile(new double[0], 50)));
    assertArrayEquals(new double[] {0.8, 0, 0.4, 0}, four, 0); // the input is left unsorted
  }

  @Test
  void aPercentileOutsideZeroToHundredIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> Evaluator.percentile(new double[] {1}, 101));
    assertEquals("percentile must be in [0, 100], got 101.0", e.getMessage());
  }

  @Test
  void returnsExposeTheSameMeasures() {
    double[] r = {0, 0.5, 0.9, 0, 0.3};
    Evaluator.Returns ret = new Evaluator.Returns(0.34, 0, 0, 0.9, 5, 10, r);
    assertEquals(0.6, ret.participation(), 0);
    assertEquals(0, ret.p10(), 0); // position 0.4 between 0 and 0
    assertEquals(0.3, ret.p50(), 0); // position 2 of 0, 0, 0.3, 0.5, 0.9
  }
}
