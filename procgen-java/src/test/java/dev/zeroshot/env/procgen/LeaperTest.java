package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Leaper: lane layout invariants over 1,000 levels per mode, and the hop, car, water, log and finish rules. */
class LeaperTest {

  @ParameterizedTest
  @CsvSource({"procgen/leaper-easy-v0, 9, 0.03, 0.12, 0.025, 0.075", "procgen/leaper-v0, 15, 0.05, 0.2, 0.05, 0.1",
      "procgen/leaper-extreme-v0, 20, 0.1, 0.3, 0.1, 0.2"})
  void lanesAreOrderedAndWithinTheirSpeeds(String id, int dim, float minCar, float maxCar, float minLog, float maxLog) {
    GameDriver d = new GameDriver(id);
    for (int s = 0; s < 1000; s++) {
      Leaper l = (Leaper) d.level(s).game;
      Grid g = l.grid();
      assertEquals(dim, g.width());
      assertEquals(l.agent().ry, l.agent().y, "the frog starts on the bottom row");
      assertEquals(l.numRoadLanes() == 0 ? 0 : l.numRoadLanes(), l.numRoadLanes());
      assertTrue(l.bottomWaterY() > l.bottomRoadY() + l.numRoadLanes() - 1, "water above the road");
      assertTrue(l.goalY() <= dim, id + " level " + s + ": the finish line is inside the world");
      for (int y = 0; y < dim; y++) {
        int expected = y >= l.bottomRoadY() && y < l.bottomRoadY() + l.numRoadLanes() ? Leaper.ROAD
            : y >= l.bottomWaterY() && y < l.bottomWaterY() + l.numWaterLanes() ? Leaper.WATER : ProcgenGame.SPACE;
        for (int x = 0; x < dim; x++) {
          assertEquals(expected, g.get(x, y), "row " + y);
        }
      }
      for (int k = 0; k < l.numRoadLanes(); k++) {
        float v = Math.abs(l.roadSpeed(k));
        assertTrue(v >= minCar && v <= maxCar, "car speed " + v);
      }
      for (int k = 0; k < l.numWaterLanes(); k++) {
        float v = Math.abs(l.waterSpeed(k));
        assertTrue(v >= minLog && v <= maxLog, "log speed " + v);
        if (k > 0) {
          assertTrue(Math.signum(l.waterSpeed(k)) == -Math.signum(l.waterSpeed(k - 1)), "log lanes alternate");
        }
      }
      int finish = 0;
      for (int i = 0; i < l.entityCount(); i++) {
        Entity e = l.entity(i);
        finish += e.type == Leaper.FINISH_LINE ? 1 : 0;
        if (e.type == Leaper.CAR) {
          assertFalse(e.collides(l.agent(), 0), "no car on the frog at the start");
          for (int j = 0; j < i; j++) {
            Entity o = l.entity(j);
            assertFalse(o.type == Leaper.CAR && o.collides(e, 0), "cars never overlap when they appear");
          }
        }
      }
      assertEquals(1, finish);
    }
  }

  /** A level cleared of cars and logs, the frog on column 2 of the bottom row. */
  private static Leaper clear(GameDriver d) {
    Leaper l = (Leaper) d.level(6).game;
    for (int i = l.entityCount() - 1; i >= 0; i--) {
      int t = l.entity(i).type;
      if (t == Leaper.CAR || t == Leaper.LOG) {
        l.entities.remove(i);
      }
    }
    l.agent().x = 2.5f;
    return l;
  }

  @Test
  void aHopMovesOneCellInFourStepsAndIgnoresInputUntilAtRest() {
    GameDriver d = new GameDriver("procgen/leaper-v0", Map.of("max_car_speed", 0.05, "max_log_speed", 0.05));
    Leaper l = clear(d);
    float y0 = l.agent().y;
    d.step(GameRulesTest.UP);
    d.step(GameRulesTest.RIGHT);
    d.step(GameRulesTest.RIGHT);
    d.step(GameRulesTest.RIGHT);
    assertEquals(y0 + 1, l.agent().y, 1e-4);
    // Float decay leaves a residue of ~1e-8 after the fourth step, so rest comes a step or two later.
    for (int t = 0; t < 3 && l.agent().vy != 0; t++) {
      d.step(GameRulesTest.RIGHT);
    }
    assertEquals(y0 + 1, l.agent().y, 1e-4);
    assertEquals(0, l.agent().vy);
    assertEquals(2.5f, l.agent().x, 1e-4, "sideways input during the hop is ignored");
    d.step(GameRulesTest.RIGHT);
    assertTrue(l.agent().x > 2.5f, "at rest, the next input starts a hop");
  }

  @Test
  void carsKillWaterDrownsLogsCarryAndTheFinishPays() {
    GameDriver d = new GameDriver("procgen/leaper-v0", Map.of("max_car_speed", 0.05, "max_log_speed", 0.05));
    Leaper l = clear(d);
    l.addEntity(l.agent().x, l.agent().y, 0, 0, .5f, .25f, Leaper.CAR);
    d.step(GameRulesTest.NOOP);
    assertTrue(l.terminated() && !l.levelComplete(), "a car kills");

    l = clear(d);
    l.setObj(2, 0, Leaper.WATER);
    d.step(GameRulesTest.NOOP);
    assertTrue(l.terminated(), "standing still in water drowns");

    l = clear(d);
    l.setObj(2, 0, Leaper.WATER);
    l.addEntity(2.5f, l.agent().y, .05f, 0, Leaper.LOG_RADIUS, Leaper.LOG);
    float x0 = l.agent().x;
    d.step(GameRulesTest.NOOP);
    assertFalse(l.terminated(), "a log holds the frog");
    assertTrue(l.agent().x > x0, "and carries it");

    l = clear(d);
    l.addEntity(l.agent().x, l.agent().y, 0, 0, 5, .5f, Leaper.FINISH_LINE);
    assertEquals(10.0, d.step(GameRulesTest.NOOP));
    assertTrue(l.terminated() && l.levelComplete());
  }

  @Test
  void lanesMustFitTheWorld() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new GameDriver("procgen/leaper-v0", Map.of("max_lanes", 6.0)));
    Leaper l = (Leaper) new GameDriver("procgen/leaper-v0", Map.of("max_lanes", 0.0)).level(1).game;
    assertTrue(l.numRoadLanes() <= 1 && l.numWaterLanes() <= 1, "no difficulty lanes, at most the extra one");
  }
}
