package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Plunder: level layout and entering ships over 1,000 levels per mode, the cannonball, hit,
 * panel, juice and quota rules on scripted levels, and each context knob.
 */
class PlunderTest {

  static final int FIRE = 9;
  static final int NOOP = GameRulesTest.NOOP;

  private static int count(ProcgenGame g, int type) {
    int n = 0;
    for (int i = 0; i < g.entityCount(); i++) {
      n += g.entity(i).type == type ? 1 : 0;
    }
    return n;
  }

  @ParameterizedTest
  @CsvSource({"procgen/plunder-easy-v0, 1.5, 0", "procgen/plunder-v0, 1, 3"})
  void levelsAndEnteringShipsFollowTheMode(String id, float scale, int maxPanels) {
    GameDriver d = new GameDriver(id);
    int[] panelCounts = new int[maxPanels + 1];
    for (int s = 0; s < 1000; s++) {
      Plunder g = (Plunder) d.level(s).game;
      Entity a = g.agent();
      assertEquals(scale, a.rx);
      assertEquals(scale * 66 / 113f, a.ry, 1e-5, "ships keep the art's aspect ratio");
      assertEquals(1 + a.ry, a.y, "the agent sails along the bottom");
      assertTrue(a.x >= 2 * Plunder.LEGEND_R + a.rx && a.x + a.rx <= 20, id + " level " + s + ": agent clear of the legend");
      assertEquals(1f, g.juice());
      int targets = 0;
      for (int k = 0; k < Plunder.SHIP_COLOURS; k++) {
        targets += g.isTarget(k) ? 1 : 0;
      }
      assertEquals(1, targets, "one enemy colour of the level's two");
      assertFalse(g.isTarget(a.theme), "the agent sails a friendly colour");
      int panels = 0;
      for (int i = 0; i < g.entityCount(); i++) {
        Entity e = g.entity(i);
        if (e.type == Plunder.TARGET_LEGEND) {
          assertTrue(g.isTarget(e.theme), "the legend shows the enemy colour");
          assertEquals(Plunder.LEGEND_R, e.x);
          assertEquals(Plunder.LEGEND_R, e.y);
        }
        if (e.type == Plunder.PANEL) {
          panels++;
          assertTrue(e.y - e.ry >= 5 && e.y + e.ry <= 10 && e.x - e.rx >= 0 && e.x + e.rx <= 20, "panels in the middle band");
          assertFalse(e.collides(a, 0), "no panel on the agent");
          for (int j = 0; j < i; j++) {
            Entity o = g.entity(j);
            assertFalse(o.type == Plunder.PANEL && o.collides(e, 0), "panels do not overlap");
          }
        }
      }
      panelCounts[panels]++;
      for (int k = 0; k < Plunder.NUM_LANES; k++) {
        float v = Math.abs(g.laneSpeed(k));
        assertTrue(v >= .15f && v <= .25f, "lane speed " + v);
      }
      // Ships that enter overlap nothing, sail their lane's way at its speed, in enemy or friendly colours.
      for (int t = 0; t < 150; t++) {
        d.step(NOOP);
        for (int i = 0; i < g.entityCount(); i++) {
          Entity e = g.entity(i);
          if (e.type == Plunder.SHIP && e.lifeTime == 0) {
            for (int j = 0; j < g.entityCount(); j++) {
              assertFalse(j != i && e.collides(g.entity(j), 0), "a ship enters clear of everything");
            }
            int lane = -1;
            for (int k = 0; k < Plunder.NUM_LANES; k++) {
              lane = g.laneY(k) == e.y ? k : lane;
            }
            assertTrue(lane >= 0, "ships sail in a lane");
            assertEquals(g.laneSpeed(lane), e.vx);
            assertEquals(e.vx > 0 ? -e.rx : 20 + e.rx, e.x);
            assertTrue(e.theme == a.theme || g.isTarget(e.theme), "only the level's two colours sail");
          }
        }
      }
    }
    for (int n = 0; n <= maxPanels; n++) {
      assertTrue(panelCounts[n] > 0, id + ": " + n + " panels occur");
    }
  }

  @Test
  void timeoutIsProcgens() {
    assertEquals(4000, EnvRegistry.builtin().spec("procgen/plunder-v0").maxEpisodeSteps());
    assertEquals(4000, EnvRegistry.builtin().spec("procgen/plunder-easy-v0").maxEpisodeSteps());
  }

  /** A level with no ships or panels (none will enter), the agent at x = 10. */
  private static Plunder clean(GameDriver d) {
    Plunder g = (Plunder) d.level(5).game;
    for (int i = g.entityCount() - 1; i >= 0; i--) {
      if (g.entity(i).type == Plunder.PANEL || g.entity(i).type == Plunder.SHIP) {
        g.entities.remove(i);
      }
    }
    g.agent().x = 10;
    return g;
  }

  private static Map<String, Double> quiet(Map<String, Double> more) {
    Map<String, Double> m = new HashMap<>(Map.of("spawn_prob", 0.005));
    m.putAll(more);
    return m;
  }

  /** A ship of the given colour parked in lane 0 right above the agent. */
  private static Entity ship(Plunder g, int colour) {
    Entity e = g.entities.add(g.agent().x, g.laneY(0), 0, 0, 1, 1 / (113 / 66f), Plunder.SHIP);
    e.theme = colour;
    return e;
  }

  private static int colour(Plunder g, boolean target) {
    for (int k = 0; k < Plunder.SHIP_COLOURS; k++) {
      if (g.isTarget(k) == target && (target || k == g.agent().theme)) {
        return k;
      }
    }
    throw new AssertionError();
  }

  @Test
  void cannonballsFireAtMostOnceEveryThreeStepsAndCostJuice() {
    GameDriver d = new GameDriver("procgen/plunder-v0", Map.of("spawn_prob", 0.005, "juice_decay", 0.0));
    Plunder g = clean(d);
    int shots = 0;
    for (int t = 1; t <= 9; t++) {
      d.step(FIRE);
      int now = count(g, Plunder.PLAYER_BULLET);
      assertEquals(t / 3, now, "step " + t + ": shots at steps 3, 6 and 9");
      shots = now;
    }
    float juice = 1;
    for (int k = 0; k < shots; k++) {
      juice -= .02f;
    }
    assertEquals(juice, g.juice());
  }

  @Test
  void hittingAnEnemyShipScoresAndRefillsJuice() {
    GameDriver d = new GameDriver("procgen/plunder-v0", quiet(Map.of()));
    Plunder g = clean(d);
    Entity enemy = ship(g, colour(g, true));
    double total = 0;
    for (int t = 0; t < 3; t++) {
      total += d.step(FIRE);
    }
    float juiceAfterShot = g.juice();
    int t = 0;
    while (count(g, Plunder.PLAYER_BULLET) > 0 && t < 30) {
      total += d.step(NOOP);
      t++;
    }
    assertEquals(1.0, total);
    assertEquals(1, g.targetsHit());
    assertTrue(enemy.willErase || count(g, Plunder.SHIP) == 0);
    assertTrue(count(g, ProcgenGame.EXPLOSION) > 0, "the sunk ship explodes");
    assertEquals(Math.min(1f, juiceAfterShot - t * .0015f + .1f), g.juice(), 1e-5);
    assertFalse(g.terminated());
  }

  @Test
  void hittingAFriendlyShipCostsJuiceAndScoresNothing() {
    GameDriver d = new GameDriver("procgen/plunder-v0", quiet(Map.of("juice_decay", 0.0)));
    Plunder g = clean(d);
    ship(g, colour(g, false));
    double total = 0;
    for (int t = 0; t < 30; t++) {
      total += d.step(t == 2 ? FIRE : NOOP);
    }
    assertEquals(0.0, total);
    assertEquals(0, g.targetsHit());
    assertEquals(1 - .02f - .1f, g.juice(), 1e-6);
    assertEquals(0, count(g, Plunder.SHIP));
  }

  @Test
  void panelsStopCannonballs() {
    GameDriver d = new GameDriver("procgen/plunder-v0", quiet(Map.of()));
    Plunder g = clean(d);
    ship(g, colour(g, true));
    Entity panel = g.entities.add(g.agent().x, 7, 0, 0, 1.2f, .5f, Plunder.PANEL);
    double total = 0;
    for (int t = 0; t < 30; t++) {
      total += d.step(t == 2 ? FIRE : NOOP);
    }
    assertEquals(0.0, total);
    assertEquals(1, count(g, Plunder.SHIP), "the ship behind the panel survives");
    assertEquals(1, count(g, Plunder.PANEL), "panels are not destroyed");
    assertEquals(7f, panel.y);
  }

  @Test
  void runningOutOfJuiceEndsTheEpisode() {
    GameDriver d = new GameDriver("procgen/plunder-v0", quiet(Map.of()));
    Plunder g = clean(d);
    float juice = 1;
    int expected = 0;
    while (juice > 0) {
      juice -= .0015f;
      expected++;
    }
    int t = 0;
    double total = 0;
    while (!g.terminated()) {
      total += d.step(NOOP);
      t++;
    }
    assertEquals(expected, t, "juice 1 drains 0.0015 a step");
    assertEquals(0.0, total);
    assertFalse(g.levelComplete());
  }

  @Test
  void meetingTheQuotaCompletesTheLevel() {
    GameDriver d = new GameDriver("procgen/plunder-v0", quiet(Map.of("target_quota", 2.0)));
    Plunder g = clean(d);
    double total = 0;
    int t = 0;
    while (!g.terminated() && t < 60) {
      if (count(g, Plunder.SHIP) == 0) {
        ship(g, colour(g, true));
      }
      total += d.step(FIRE);
      t++;
    }
    assertTrue(g.terminated() && g.levelComplete());
    assertEquals(2 + 10.0, total);
  }

  @Test
  void knobsShapeTheLevels() {
    Plunder big = (Plunder) new GameDriver("procgen/plunder-v0", Map.of("ship_scale", 2.0)).level(1).game;
    assertEquals(2f, big.agent().rx);
    GameDriver six = new GameDriver("procgen/plunder-v0", Map.of("ship_colours", 6.0, "max_panels", 8.0));
    int mostPanels = 0;
    for (int s = 0; s < 200; s++) {
      Plunder g = (Plunder) six.level(s).game;
      int targets = 0;
      for (int k = 0; k < Plunder.SHIP_COLOURS; k++) {
        targets += g.isTarget(k) ? 1 : 0;
      }
      assertEquals(3, targets, "ship_colours 6: three enemy colours");
      mostPanels = Math.max(mostPanels, count(g, Plunder.PANEL));
    }
    assertTrue(mostPanels > 3, "max_panels 8 allows more than hard's 3");
    assertThrows(IllegalArgumentException.class,
        () -> EnvRegistry.builtin().spec("procgen/plunder-v0").contextSpace().with(Map.of("ship_colours", 3.0)));
  }

  @Test
  void spawnProbSetsHowOftenShipsEnter() {
    GameDriver rare = new GameDriver("procgen/plunder-v0", Map.of("spawn_prob", 0.01, "juice_decay", 0.0));
    GameDriver often = new GameDriver("procgen/plunder-v0", Map.of("spawn_prob", 0.2, "juice_decay", 0.0));
    assertTrue(entered(rare) * 5 < entered(often));
  }

  private static int entered(GameDriver d) {
    int n = 0;
    for (int s = 0; s < 5; s++) {
      ProcgenGame g = d.level(s).game;
      for (int t = 0; t < 400; t++) {
        d.step(NOOP);
        for (int i = 0; i < g.entityCount(); i++) {
          n += g.entity(i).type == Plunder.SHIP && g.entity(i).lifeTime == 0 ? 1 : 0;
        }
      }
    }
    return n;
  }

  @Test
  void fireCooldownAndHitJuiceKnobs() {
    GameDriver d = new GameDriver("procgen/plunder-v0",
        quiet(Map.of("fire_cooldown", 10.0, "juice_decay", 0.0, "fire_cost", 0.0, "hit_juice", 0.3)));
    Plunder g = clean(d);
    for (int t = 1; t <= 20; t++) {
      d.step(t <= 10 ? FIRE : NOOP);
      if (t == 10) {
        assertEquals(1, count(g, Plunder.PLAYER_BULLET), "fire_cooldown 10: the first shot at step 10");
      }
    }
    ship(g, colour(g, false));
    for (int t = 0; t < 30; t++) {
      d.step(t == 0 ? FIRE : NOOP);
    }
    assertEquals(.7f, g.juice(), 1e-6, "hit_juice 0.3 lost on a friendly hit");
  }

  @ParameterizedTest
  @CsvSource({"procgen/plunder-easy-v0, plunder-easy.txt", "procgen/plunder-v0, plunder-hard.txt"})
  void randomEpisodesMatchProcgenCpp(String id, String file) throws Exception {
    CppEpisodes.assertSameAsCpp(id, file, Plunder.TIMEOUT);
  }
}
