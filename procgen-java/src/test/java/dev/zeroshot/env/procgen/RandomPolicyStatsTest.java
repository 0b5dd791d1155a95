package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.LevelRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The random-policy statistics: deterministic per seed, and consistent with the games' rules. */
class RandomPolicyStatsTest {

  private static final EnvRegistry REGISTRY = EnvRegistry.builtin();

  private static RandomPolicyStats.Result run(String id, String levels, int episodes, long seed) {
    EnvSpec spec = REGISTRY.spec(id);
    Context c = LevelRange.parse(levels).apply(spec.contextSpace().defaults());
    return RandomPolicyStats.run(spec, c, episodes, seed);
  }

  @Test
  void aSeedGivesTheSameNumbersAndAnotherSeedOthers() {
    RandomPolicyStats.Result a = run("procgen/maze-easy-v0", "0:1000", 60, 3);
    assertEquals(a, run("procgen/maze-easy-v0", "0:1000", 60, 3));
    assertNotEquals(a, run("procgen/maze-easy-v0", "0:1000", 60, 4));
  }

  @Test
  void mazeReturnsAreTenPerCompletedLevel() {
    // Maze pays only the cheese (+10, ends the level), so the mean return is 10 x the completed share;
    // a random walk finds the cheese of some but not all small mazes within the 500-step limit.
    RandomPolicyStats.Result r = run("procgen/maze-easy-v0", "0:1000", 200, 0);
    assertEquals(10 * r.completedShare(), r.meanReturn(), 1e-9);
    assertTrue(r.completedShare() > 0 && r.completedShare() < 1, "completed share " + r.completedShare());
    assertTrue(r.meanLength() > 1 && r.meanLength() <= 500, "mean length " + r.meanLength());
    assertEquals(r.steps(), Math.round(r.meanLength() * r.episodes()));
  }

  @Test
  void rewardsWithoutCompletionAreCountedAsReturnNotAsCompletion() {
    // Bigfish pays +1 per fish eaten; a random policy eats some but never the 30 needed to complete.
    RandomPolicyStats.Result r = run("procgen/bigfish-easy-v0", "0:1000", 50, 0);
    assertEquals(0, r.completedShare());
    assertTrue(r.meanReturn() > 0, "mean return " + r.meanReturn());
  }

  @Test
  void theLevelRangeIsTheOneTheEpisodesDrawFrom() {
    // Level 5 of maze easy again and again: a different level set gives different numbers.
    RandomPolicyStats.Result one = run("procgen/maze-easy-v0", "5:6", 80, 0);
    RandomPolicyStats.Result many = run("procgen/maze-easy-v0", "0:1000", 80, 0);
    assertNotEquals(one, many);
  }

  @Test
  void badInputIsRefusedWithAClearMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run("procgen/maze-v0", "0:10", 0, 0));
    assertTrue(e.getMessage().contains("episodes must be >= 1"), e.getMessage());
    EnvSpec cartPole = REGISTRY.spec("CartPole-v1");
    e = assertThrows(IllegalArgumentException.class,
        () -> RandomPolicyStats.run(cartPole, cartPole.contextSpace().defaults(), 5, 0));
    assertTrue(e.getMessage().contains("does not report level completion"), e.getMessage());
  }

  @Test
  void procgenIdsComeFromTheRegistry() {
    List<String> ids = ProcgenIds.pixelIds(REGISTRY);
    for (String game : ProcgenSuite.GAMES) {
      assertTrue(ids.contains(ProcgenSuite.id(game, DistributionMode.HARD)), game);
      assertTrue(ids.contains(ProcgenSuite.id(game, DistributionMode.EASY)), game);
    }
    assertTrue(ids.contains("procgen/maze-memory-v0") && !ids.contains("procgen/maze-symbolic-v0"));
    assertEquals(new java.util.HashSet<>(ProcgenSuite.GAMES), new java.util.HashSet<>(ProcgenIds.games(REGISTRY)));
    assertEquals("chaser", ProcgenIds.game("procgen/chaser-extreme-v0"));
    assertEquals(DistributionMode.EXTREME, ProcgenIds.mode("procgen/chaser-extreme-v0"));
    assertEquals(DistributionMode.HARD, ProcgenIds.mode("procgen/chaser-v0"));
    assertThrows(IllegalArgumentException.class, () -> ProcgenIds.game("CartPole-v1"));
  }
}
