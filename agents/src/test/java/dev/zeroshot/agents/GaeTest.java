package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** GAE on rollouts short enough to work out by hand. */
class GaeTest {

  @Test
  void threeStepsWithoutEpisodeEndsBootstrapFromTheLastValue() {
    // gamma 0.9, lambda 0.5; r = [1, 0, 2], V = [0.5, 1, 1.5], V(o_3) = 2.
    // delta_2 = 2 + 0.9*2 - 1.5 = 2.3;          A_2 = 2.3
    // delta_1 = 0 + 0.9*1.5 - 1 = 0.35;         A_1 = 0.35 + 0.45*2.3 = 1.385
    // delta_0 = 1 + 0.9*1 - 0.5 = 1.4;          A_0 = 1.4 + 0.45*1.385 = 2.02325
    float[] adv = new float[3];
    float[] ret = new float[3];
    Gae.compute(3, 1, new float[] {1, 0, 2}, new float[] {0.5f, 1, 1.5f}, new float[] {2}, new boolean[3],
        new boolean[3], 0.9, 0.5, adv, ret);
    assertEquals(2.3, adv[2], 1e-6);
    assertEquals(1.385, adv[1], 1e-6);
    assertEquals(2.02325, adv[0], 1e-6);
    assertEquals(2.52325, ret[0], 1e-6);
  }

  @Test
  void terminationStopsBootstrapTruncationBootstrapsFromTheFinalObservation() {
    // Step 0 terminates: delta_0 = r_0 - V_0 = 1 - 0.5 = 0.5, and A_0 does not see step 1.
    // Step 1 is the reset step (masked from the loss). Step 2 is truncated: it bootstraps from
    // V(o_3) = 2 (its real final observation) but the recursion stops: A_2 = 2 + 0.9*2 - 1.5.
    boolean[] term = {true, false, false};
    boolean[] ended = {true, false, true};
    float[] adv = new float[3];
    float[] ret = new float[3];
    Gae.compute(3, 1, new float[] {1, 0, 2}, new float[] {0.5f, 1, 1.5f}, new float[] {2}, term, ended, 0.9, 0.5,
        adv, ret);
    assertEquals(0.5, adv[0], 1e-6);
    assertEquals(2.3, adv[2], 1e-6);
  }

  @Test
  void envsAreIndependentInTheTimeMajorLayout() {
    // Two envs, two steps; env 1 terminates at step 0, env 0 never ends. gamma 1, lambda 1.
    // env 0: r = [1, 1], V = [0, 0], V(o_2) = 10 -> A_1 = 11, A_0 = 1 + 11 = 12 (Monte Carlo + bootstrap).
    // env 1: r = [5, 0], V = [1, 3] -> A_0 = 5 - 1 = 4.
    float[] adv = new float[4];
    float[] ret = new float[4];
    Gae.compute(2, 2, new float[] {1, 5, 1, 0}, new float[] {0, 1, 0, 3}, new float[] {10, 7},
        new boolean[] {false, true, false, false}, new boolean[] {false, true, false, false}, 1.0, 1.0, adv, ret);
    assertEquals(12, adv[0], 1e-6);
    assertEquals(11, adv[2], 1e-6);
    assertEquals(4, adv[1], 1e-6);
    assertEquals(5, ret[1], 1e-6);
  }
}
