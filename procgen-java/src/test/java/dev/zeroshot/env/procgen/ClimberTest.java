package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Climber: every platform within a jump of the last, stars on platforms, over 1,000 levels per mode; its rules. */
class ClimberTest {

  /** The rows above the floor holding platform tiles, bottom up, each with its cells' x. */
  private static List<int[]> platforms(Grid g) {
    List<int[]> rows = new ArrayList<>();
    for (int y = 1; y < g.height() - 1; y++) {
      List<Integer> xs = new ArrayList<>();
      for (int x = 1; x < g.width() - 1; x++) {
        if (g.get(x, y) == Climber.WALL_TOP) {
          xs.add(x);
        }
      }
      if (!xs.isEmpty()) {
        int[] r = new int[xs.size() + 1];
        r[0] = y;
        for (int i = 0; i < xs.size(); i++) {
          r[i + 1] = xs.get(i);
        }
        rows.add(r);
      }
    }
    return rows;
  }

  @ParameterizedTest
  @ValueSource(strings = {"procgen/climber-easy-v0", "procgen/climber-v0"})
  void everyPlatformIsAJumpFromTheLastAndStarsRestOnPlatforms(String id) {
    GameDriver d = new GameDriver(id);
    for (int s = 0; s < 1000; s++) {
      Climber c = (Climber) d.level(s).game;
      Grid g = c.grid();
      List<int[]> rows = platforms(g);
      assertTrue(rows.size() >= 1 && rows.size() <= 10, "platform count " + rows.size());
      int prevY = 0;
      int[] prev = null;
      for (int[] r : rows) {
        int gap = r[0] - prevY;
        assertTrue(gap >= 3 && gap <= c.maxRise(), id + " level " + s + ": gap " + gap);
        for (int i = 2; i < r.length; i++) {
          assertEquals(r[i - 1] + 1, r[i], "a platform is one run of cells");
        }
        if (prev != null) {
          boolean adjacent = false;
          for (int i = 1; i < prev.length; i++) {
            adjacent |= Math.abs(prev[i] - r[1]) == 1 || Math.abs(prev[i] - r[r.length - 1]) == 1;
          }
          assertTrue(adjacent, id + " level " + s + ": platform at row " + r[0] + " starts next to the one below");
        }
        prev = r;
        prevY = r[0];
      }
      int stars = 0;
      boolean topStar = false;
      for (int i = 0; i < c.entityCount(); i++) {
        Entity e = c.entity(i);
        if (e.type == Climber.COIN) {
          stars++;
          assertEquals(Climber.WALL_TOP, g.get((int) e.x, (int) e.y - 1), "a star sits on a platform");
          topStar |= (int) e.y - 1 == prevY;
        }
      }
      assertEquals(c.coinQuota(), stars);
      assertTrue(topStar, "the last platform holds a star");
    }
  }

  @Test
  void knobsChangeEnemiesAndStars() {
    GameDriver none = new GameDriver("procgen/climber-v0", Map.of("enemy_prob", 0.0, "star_prob", 1.0));
    for (int s = 0; s < 100; s++) {
      Climber c = (Climber) none.level(s).game;
      int stars = 0;
      for (int i = 0; i < c.entityCount(); i++) {
        assertTrue(c.entity(i).type != Climber.ENEMY, "enemy_prob 0 spawns no enemy");
        stars += c.entity(i).type == Climber.COIN ? 1 : 0;
      }
      assertEquals(platforms(c.grid()).size(), stars, "star_prob 1 puts a star on every platform");
    }
  }

  @Test
  void starsPayEnemiesKillAndTheLastStarCompletes() {
    GameDriver d = new GameDriver("procgen/climber-v0", Map.of("enemy_prob", 0.0));
    Climber c = (Climber) d.level(1).game;
    c.addEntity(c.agent().x, c.agent().y, 0, 0, .3f, Climber.COIN);
    c.coinQuota++;
    assertEquals(1.0, d.step(GameRulesTest.NOOP));
    assertEquals(1, c.coinsCollected());
    c.addEntity(c.agent().x, c.agent().y, 0, 0, .5f, Climber.ENEMY);
    d.step(GameRulesTest.NOOP);
    assertTrue(c.terminated() && !c.levelComplete(), "an enemy kills");

    c = (Climber) d.level(1).game;
    c.coinsCollected = c.coinQuota() - 1;
    c.addEntity(c.agent().x, c.agent().y, 0, 0, .3f, Climber.COIN);
    assertEquals(11.0, d.step(GameRulesTest.NOOP));
    assertTrue(c.terminated() && c.levelComplete());
  }

  @Test
  void jumpsFromTheFloorAndLands() {
    GameDriver d = new GameDriver("procgen/climber-v0", Map.of("enemy_prob", 0.0));
    Climber c = (Climber) d.level(1).game;
    float floor = c.agent().y;
    d.step(GameRulesTest.UP);
    assertTrue(c.agent().y > floor);
    float peak = floor;
    for (int t = 0; t < 40; t++) {
      d.step(GameRulesTest.NOOP);
      peak = Math.max(peak, c.agent().y);
    }
    assertTrue(peak - floor >= 5, "a jump rises over the highest platform gap: " + (peak - floor));
    assertEquals(0, c.agent().vy, 1e-9, "at rest again after landing");
    assertEquals(floor, c.agent().y, 1e-4, "back on the floor");
  }
}
