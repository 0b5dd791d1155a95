package dev.zeroshot.offline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Procgen's R_min/R_max per game and mode, and the normalization built on them. */
class ProcgenScoresTest {

  private static final List<String> GAMES = List.of("coinrun", "starpilot", "caveflyer", "dodgeball", "fruitbot",
      "chaser", "miner", "jumper", "leaper", "maze", "bigfish", "heist", "climber", "plunder", "ninja", "bossfight");

  @Test
  void everyGameHasAnEasyAndAHardRange() {
    for (String g : GAMES) {
      double[] easy = ProcgenScores.range("procgen/" + g + "-easy-v0");
      double[] hard = ProcgenScores.range("procgen/" + g + "-v0");
      assertTrue(easy != null && easy[1] > easy[0], g + " easy");
      assertTrue(hard != null && hard[1] > hard[0], g + " hard");
    }
  }

  @Test
  void theRangesAreThePapersForEachMode() {
    // Pairs that differ between the modes (reference/procgen.md, section 1).
    assertArrayEquals(new double[] {5, 10}, ProcgenScores.range("procgen/maze-easy-v0"));
    assertArrayEquals(new double[] {4, 10}, ProcgenScores.range("procgen/maze-v0"));
    assertArrayEquals(new double[] {2.5, 64}, ProcgenScores.range("procgen/starpilot-easy-v0"));
    assertArrayEquals(new double[] {1.5, 35}, ProcgenScores.range("procgen/starpilot-v0"));
    assertArrayEquals(new double[] {-1.5, 32.4}, ProcgenScores.range("procgen/fruitbot-easy-v0"));
    assertArrayEquals(new double[] {-.5, 27.2}, ProcgenScores.range("procgen/fruitbot-v0"));
    assertArrayEquals(new double[] {1.5, 20}, ProcgenScores.range("procgen/miner-v0"));
    assertArrayEquals(new double[] {0, 40}, ProcgenScores.range("procgen/bigfish-v0"));
    // A symbolic twin normalizes as its pixel id.
    assertArrayEquals(ProcgenScores.range("procgen/heist-v0"), ProcgenScores.range("procgen/heist-symbolic-v0"));
    assertArrayEquals(ProcgenScores.range("procgen/heist-easy-v0"), ProcgenScores.range("procgen/heist-easy-symbolic-v0"));
  }

  @Test
  void normalizeMapsTheRangeToZeroOne() {
    assertEquals(0, ProcgenScores.normalize("procgen/maze-v0", 4), 1e-12);
    assertEquals(1, ProcgenScores.normalize("procgen/maze-v0", 10), 1e-12);
    assertEquals(0.5, ProcgenScores.normalize("procgen/maze-easy-v0", 7.5), 1e-12);
    assertEquals((3 - -0.5) / 27.7, ProcgenScores.normalize("procgen/fruitbot-v0", 3), 1e-12);
  }

  @Test
  void modesAndEnvsWithoutARangeHaveNone() {
    assertNull(ProcgenScores.range("procgen/maze-memory-v0"));
    assertNull(ProcgenScores.range("procgen/chaser-extreme-v0"));
    assertNull(ProcgenScores.range("CartPole-v1"));
    assertNull(ProcgenScores.range("procgen/nosuchgame-v0"));
    assertTrue(Double.isNaN(ProcgenScores.normalize("procgen/leaper-extreme-v0", 5)));
  }

  @Test
  void theReturnedArrayIsACopy() {
    ProcgenScores.range("procgen/coinrun-v0")[0] = 99;
    assertEquals(5, ProcgenScores.range("procgen/coinrun-v0")[0]);
  }
}
