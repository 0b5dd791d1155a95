package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Chaser: maze and orb invariants over 1,000 levels per mode, and its rules. */
class ChaserTest {

  @ParameterizedTest
  @CsvSource({"procgen/chaser-easy-v0, 11, 3, 4", "procgen/chaser-v0, 13, 3, 3", "procgen/chaser-extreme-v0, 19, 5, 5"})
  void mazesHaveNoDeadEndsAndTheRightOrbsAndEggs(String id, int dim, int enemies, int largeOrbs) {
    GameDriver d = new GameDriver(id);
    for (int s = 0; s < 1000; s++) {
      Chaser c = (Chaser) d.level(s).game;
      Grid g = c.grid();
      assertEquals(dim, g.width());
      int open = 0;
      int orbs = 0;
      for (int y = 0; y < dim; y++) {
        for (int x = 0; x < dim; x++) {
          int t = g.get(x, y);
          if (t == Chaser.MAZE_WALL) {
            continue;
          }
          open++;
          orbs += t == Chaser.ORB ? 1 : 0;
          int exits = 0;
          for (int[] m : new int[][] {{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
            exits += g.contains(x + m[0], y + m[1]) && g.get(x + m[0], y + m[1]) != Chaser.MAZE_WALL ? 1 : 0;
          }
          assertTrue(exits >= 2, id + " level " + s + ": dead end at " + x + "," + y);
        }
      }
      int eggs = 0;
      int big = 0;
      for (int i = 0; i < c.entityCount(); i++) {
        Entity e = c.entity(i);
        eggs += e.type == Chaser.ENEMY_EGG ? 1 : 0;
        big += e.type == Chaser.LARGE_ORB ? 1 : 0;
        if (e.type != ProcgenGame.PLAYER) {
          assertFalse((int) e.x == (int) c.agent().x && (int) e.y == (int) c.agent().y, "nothing starts on the agent");
        }
      }
      assertEquals(enemies, eggs);
      assertEquals(largeOrbs, big);
      // As in Procgen, eggs sit on orbs; only large-orb cells lack one.
      assertEquals(open - largeOrbs, orbs, "every other open cell holds a small orb");
      assertEquals(orbs, c.totalOrbs());
      assertEquals(Chaser.ORB, g.get((int) c.agent().x, (int) c.agent().y), "the start cell holds an orb too");
    }
  }

  @Test
  void knobsSetEnemiesAndLargeOrbs() {
    GameDriver d = new GameDriver("procgen/chaser-v0", Map.of("num_enemies", 7.0, "large_orbs_per_quadrant", 2.0,
        "extra_large_orbs", 1.0, "maze_dim", 21.0));
    for (int s = 0; s < 50; s++) {
      Chaser c = (Chaser) d.level(s).game;
      int eggs = 0;
      int big = 0;
      for (int i = 0; i < c.entityCount(); i++) {
        eggs += c.entity(i).type == Chaser.ENEMY_EGG ? 1 : 0;
        big += c.entity(i).type == Chaser.LARGE_ORB ? 1 : 0;
      }
      assertEquals(7, eggs);
      assertEquals(9, big);
      assertEquals(21, c.grid().width());
    }
  }

  @Test
  void orbsPayEggsHatchEnemiesKillUnlessEdible() {
    GameDriver d = new GameDriver("procgen/chaser-v0", Map.of("egg_timeout", 3.0));
    Chaser c = (Chaser) d.level(2).game;
    assertEquals(0.04, d.step(GameRulesTest.NOOP), 1e-6, "the start cell's orb");
    assertEquals(1, c.orbsCollected());
    d.step(GameRulesTest.NOOP);
    d.step(GameRulesTest.NOOP);
    int enemies = 0;
    for (int i = 0; i < c.entityCount(); i++) {
      enemies += c.entity(i).type == Chaser.ENEMY ? 1 : 0;
    }
    assertEquals(3, enemies, "eggs hatch after egg_timeout steps");

    c = (Chaser) d.level(2).game;
    c.addEntity(c.agent().x, c.agent().y, 0, 0, .5f, Chaser.ENEMY);
    d.step(GameRulesTest.NOOP);
    assertTrue(c.terminated() && !c.levelComplete(), "an enemy kills");

    c = (Chaser) d.level(2).game;
    c.addEntity(c.agent().x, c.agent().y, 0, 0, .4f, Chaser.LARGE_ORB);
    assertEquals(0.08, d.step(GameRulesTest.NOOP), 1e-6, "a large orb and the start orb");
    assertTrue(c.canEatEnemies());
    c.addEntity(c.agent().x, c.agent().y, 0, 0, .5f, Chaser.ENEMY);
    d.step(GameRulesTest.NOOP);
    assertFalse(c.terminated(), "an edible enemy is eaten");

    c = (Chaser) d.level(2).game;
    c.orbsCollected = c.totalOrbs() - 1;
    assertEquals(10.04, d.step(GameRulesTest.NOOP), 1e-5, "the last orb completes the level");
    assertTrue(c.terminated() && c.levelComplete());
  }
}
