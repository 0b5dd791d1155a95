package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The tail of an evaluation: CVaR over the worst 10% and the share solved, on hand-worked numbers. */
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
}
