package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Coinrun: level invariants over 1,000 levels per mode, the physics knobs' effect, and its rules. */
class CoinRunTest {

  /** Standing height of column x: one above the top of the wall stack that rises from the floor. */
  private static int stand(Grid g, int x) {
    int y = 0;
    while (y + 1 < g.height() - 1 && CoinRun.isWall(g.get(x, y + 1))) {
      y++;
    }
    return y + 1;
  }

  /** Whether column x starts out deadly at floor level: lava, or a saw or walker resting on the floor. */
  private static boolean hazard(CoinRun c, int x) {
    if (CoinRun.isLava(c.grid().get(x, 1))) {
      return true;
    }
    for (int i = 0; i < c.entityCount(); i++) {
      Entity e = c.entity(i);
      if ((e.type == CoinRun.SAW || e.type == CoinRun.ENEMY) && (int) e.x == x && e.y == 1.5f && stand(c.grid(), x) == 1) {
        return true;
      }
    }
    return false;
  }

  /** Checks the level's jumps against the generator's limits; returns the largest rise seen. */
  static int checkLevel(CoinRun c, String what) {
    Grid g = c.grid();
    int goals = 0;
    for (int i = 0; i < g.size(); i++) {
      goals += g.get(i) == CoinRun.GOAL ? 1 : 0;
    }
    assertEquals(1, goals, what + ": one coin");
    assertEquals(CoinRun.GOAL, g.get(c.goalX(), c.goalY()));
    assertEquals(CoinRun.WALL_TOP, g.get(c.goalX(), c.goalY() - 1), what + ": the coin rests on ground");
    for (int x = c.goalX() + 1; x < g.width(); x++) {
      assertEquals(CoinRun.WALL_MID, g.get(x, 1), what + ": a wall closes the level after the coin");
    }
    int maxRise = 0;
    int x = 1;
    int lastStand = stand(g, 1);
    while (x < c.goalX()) {
      x++;
      if (hazard(c, x)) {
        int start = x;
        while (hazard(c, x)) {
          x++;
        }
        assertTrue(x - start <= c.maxGap(), what + ": hazard run of " + (x - start) + " at x=" + start);
      }
      int rise = stand(g, x) - lastStand;
      assertTrue(rise <= c.maxRise(), what + ": rise of " + rise + " at x=" + x);
      maxRise = Math.max(maxRise, rise);
      lastStand = stand(g, x);
    }
    return maxRise;
  }

  @ParameterizedTest
  @ValueSource(strings = {"procgen/coinrun-easy-v0", "procgen/coinrun-v0"})
  void levelsKeepEveryJumpWithinReach(String id) {
    GameDriver d = new GameDriver(id);
    int maxRise = 0;
    for (int s = 0; s < 1000; s++) {
      CoinRun c = (CoinRun) d.level(s).game;
      assertEquals(5, c.maxRise());
      assertEquals(7, c.maxGap());
      maxRise = Math.max(maxRise, checkLevel(c, id + " level " + s));
    }
    assertEquals(5, maxRise, "some level uses the full rise");
  }

  @Test
  void weakerJumpsMakeGentlerLevels() {
    GameDriver d = new GameDriver("procgen/coinrun-v0", Map.of("max_jump", 1.0));
    for (int s = 0; s < 300; s++) {
      CoinRun c = (CoinRun) d.level(s).game;
      assertEquals(2, c.maxRise());
      assertEquals(4, c.maxGap());
      assertTrue(checkLevel(c, "max_jump=1 level " + s) <= 2);
    }
  }

  @Test
  void walkersOnGroundOnlyWhenTheKnobSaysSo() {
    GameDriver easy = new GameDriver("procgen/coinrun-easy-v0");
    GameDriver hard = new GameDriver("procgen/coinrun-v0");
    int hardGroundWalkers = 0;
    for (int s = 0; s < 300; s++) {
      for (GameDriver d : new GameDriver[] {easy, hard}) {
        CoinRun c = (CoinRun) d.level(s).game;
        for (int i = 0; i < c.entityCount(); i++) {
          Entity e = c.entity(i);
          if (e.type == CoinRun.ENEMY && e.y > 1.5f) {
            assertTrue(d == hard, "easy has no walkers on ground sections");
            hardGroundWalkers++;
          }
        }
      }
    }
    assertTrue(hardGroundWalkers > 0);
  }

  /** A level with the agent on the floor of the start area. */
  private static CoinRun start(GameDriver d) {
    CoinRun c = (CoinRun) d.level(4).game;
    assertEquals(1.5f, c.agent().x);
    return c;
  }

  @Test
  void gravityJumpAndLanding() {
    GameDriver d = new GameDriver("procgen/coinrun-v0");
    CoinRun c = start(d);
    float floor = c.agent().y;
    for (int t = 0; t < 5; t++) {
      d.step(GameRulesTest.NOOP);
    }
    assertEquals(floor, c.agent().y, "standing on the floor");
    d.step(GameRulesTest.UP);
    assertTrue(c.agent().y > floor + 1, "jumped: y = " + c.agent().y);
    float peak = c.agent().y;
    for (int t = 0; t < 30; t++) {
      d.step(GameRulesTest.NOOP);
      peak = Math.max(peak, c.agent().y);
    }
    assertEquals(floor, c.agent().y, 1e-4, "landed back on the floor");
    assertTrue(peak - floor >= c.maxRise(), "the jump clears the largest step: " + (peak - floor));
    assertFalse(c.terminated());
  }

  @Test
  void lavaAndSawsKillTheCoinPays() {
    GameDriver d = new GameDriver("procgen/coinrun-v0");
    CoinRun c = start(d);
    c.setObj(1, 1, CoinRun.LAVA_TOP);
    assertEquals(0.0, d.step(GameRulesTest.NOOP));
    assertTrue(c.terminated() && !c.levelComplete(), "lava kills");

    c = start(d);
    c.addEntity(c.agent().x, c.agent().y, 0, 0, .5f, CoinRun.SAW);
    d.step(GameRulesTest.NOOP);
    assertTrue(c.terminated() && !c.levelComplete(), "a saw kills");

    c = start(d);
    c.setObj(2, 1, CoinRun.GOAL);
    double total = 0;
    for (int t = 0; t < 5 && !c.terminated(); t++) {
      total += d.step(GameRulesTest.RIGHT);
    }
    assertEquals(10.0, total);
    assertTrue(c.terminated() && c.levelComplete());
  }
}
