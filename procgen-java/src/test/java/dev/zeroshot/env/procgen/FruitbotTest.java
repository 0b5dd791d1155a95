package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fruitbot: level invariants over 1,000 levels per mode, the knobs' effect on levels, and its rules. */
class FruitbotTest {

  static final int KEY = 9;

  private static List<Entity> ofType(ProcgenGame g, int type) {
    List<Entity> list = new ArrayList<>();
    for (int i = 0; i < g.entityCount(); i++) {
      if (g.entity(i).type == type) {
        list.add(g.entity(i));
      }
    }
    return list;
  }

  @ParameterizedTest
  @ValueSource(strings = {"procgen/fruitbot-easy-v0", "procgen/fruitbot-v0"})
  void wallsLeaveAGapEveryItemIsClearAndPresentsLineTheTop(String id) {
    GameDriver d = new GameDriver(id);
    boolean easy = id.contains("easy");
    int walls = easy ? 5 : 10;
    int width = easy ? 10 : 20;
    int doorLevels = 0;
    for (int s = 0; s < 1000; s++) {
      Fruitbot f = (Fruitbot) d.level(s).game;
      String what = id + " level " + s;
      Entity agent = f.agent();
      assertEquals(.4f, agent.y, what + ": the robot starts at the bottom");
      assertTrue(agent.x >= .4f && agent.x <= width - .4f);

      List<Entity> barriers = ofType(f, Fruitbot.BARRIER);
      assertEquals(2 * walls, barriers.size(), what);
      float lastY = 0;
      for (int w = 0; w < walls; w++) {
        Entity left = barriers.get(2 * w);
        Entity right = barriers.get(2 * w + 1);
        assertEquals(left.y, right.y);
        assertTrue(left.y - lastY >= 4, what + ": walls at least 4 rows apart");
        lastY = left.y;
        assertEquals(0, left.x - left.rx, 1e-5, what + ": a wall starts at the left edge");
        assertEquals(width, right.x + right.rx, 1e-4, what + ": and ends at the right edge");
        float gap = (right.x - right.rx) - (left.x + left.rx);
        assertTrue(gap >= (easy ? .2f : .1f) * width - 1e-4, what + ": gap " + gap);
        assertTrue(gap > 2 * agent.rx, what + ": the robot fits through the gap");
      }
      assertEquals(60 - 4, lastY, what + ": the last wall 4 rows below the top");

      List<Entity> doors = ofType(f, Fruitbot.LOCKED_DOOR);
      List<Entity> locks = ofType(f, Fruitbot.LOCK);
      assertEquals(f.doors(), doors.size());
      assertEquals(doors.size(), locks.size());
      if (easy) {
        assertEquals(0, doors.size(), "easy has no locked gaps");
      }
      for (int k = 0; k < doors.size(); k++) {
        Entity door = doors.get(k);
        Entity lock = locks.get(k);
        assertEquals(door.y - .15f, lock.y, 1e-5, what + ": the lock hangs below its fence's row");
        assertTrue(Math.abs(Math.abs(lock.x - door.x) - (door.rx + lock.rx)) < 1e-4, what + ": the lock sits at one end of the fence");
        assertTrue(lock.y - lock.ry < door.y - door.ry, what + ": the lock reaches below the wall, where a key can hit it");
      }
      doorLevels += doors.isEmpty() ? 0 : 1;

      List<Entity> presents = ofType(f, Fruitbot.PRESENT);
      assertEquals(width, presents.size());
      for (int i = 0; i < width; i++) {
        assertEquals(i + .5f, presents.get(i).x);
        assertEquals(59.5f, presents.get(i).y);
      }

      for (int type : new int[] {Fruitbot.GOOD_OBJ, Fruitbot.BAD_OBJ}) {
        List<Entity> items = ofType(f, type);
        assertTrue(items.size() >= 10 && items.size() <= 19, what + ": " + items.size() + " items");
        for (Entity e : items) {
          assertEquals(.5f, Math.max(e.rx, e.ry), what + ": an item keeps radius 0.5 on its longer side");
          for (int i = 0; i < f.entityCount(); i++) {
            Entity o = f.entity(i);
            assertTrue(o == e || !e.collides(o, 0), what + ": an item overlaps entity type " + o.type);
          }
        }
      }
    }
    assertTrue(easy || doorLevels > 0, "hard has locked gaps");
  }

  @Test
  void timeoutsAndModeDefaultsAreProcgens() {
    assertEquals(1000, EnvRegistry.builtin().spec("procgen/fruitbot-v0").maxEpisodeSteps());
    assertEquals(1000, EnvRegistry.builtin().spec("procgen/fruitbot-easy-v0").maxEpisodeSteps());
    Map<String, Double> easy = EnvRegistry.builtin().spec("procgen/fruitbot-easy-v0").contextSpace().defaults().toMap();
    assertEquals(10.0, easy.get("world_width"));
    assertEquals(5.0, easy.get("num_walls"));
    assertEquals(0.0, easy.get("door_prob"));
    assertEquals(.2, easy.get("min_gap_pct"));
  }

  @Test
  void knobsSetWallsDoorsAndItems() {
    GameDriver d = new GameDriver("procgen/fruitbot-v0", Map.of("num_walls", 3.0, "door_prob", 1.0,
        "min_fruit", 5.0, "max_fruit", 5.0, "min_bad_food", 0.0, "max_bad_food", 0.0, "food_variety", 1.0));
    for (int s = 0; s < 100; s++) {
      Fruitbot f = (Fruitbot) d.level(s).game;
      assertEquals(6, ofType(f, Fruitbot.BARRIER).size());
      assertEquals(5, ofType(f, Fruitbot.GOOD_OBJ).size());
      assertEquals(0, ofType(f, Fruitbot.BAD_OBJ).size());
      for (Entity e : ofType(f, Fruitbot.GOOD_OBJ)) {
        assertEquals(0, e.theme, "food_variety=1: one kind of fruit");
      }
      // With 3 walls the rows between them are wide, so each gap gets its fence.
      assertEquals(3, f.doors(), "door_prob=1 locks every gap with more than 5 rows below it");
    }
    GameDriver wide = new GameDriver("procgen/fruitbot-v0", Map.of("min_gap_pct", .5));
    for (int s = 0; s < 100; s++) {
      List<Entity> barriers = ofType(wide.level(s).game, Fruitbot.BARRIER);
      for (int w = 0; w < barriers.size(); w += 2) {
        float gap = (barriers.get(w + 1).x - barriers.get(w + 1).rx) - (barriers.get(w).x + barriers.get(w).rx);
        assertTrue(gap >= 10 - 1e-4, "min_gap_pct=0.5: gaps of half the width or more");
      }
    }
  }

  /** Hard levels without fruit or food, so that only what a test adds is there to touch. */
  private static GameDriver noItems() {
    return new GameDriver("procgen/fruitbot-v0", Map.of("min_fruit", 0.0, "max_fruit", 0.0,
        "min_bad_food", 0.0, "max_bad_food", 0.0));
  }

  /** Level 3, with the robot moved to x = 5 (clear of the side walls). */
  private static Fruitbot start(GameDriver d) {
    Fruitbot f = (Fruitbot) d.level(3).game;
    f.agent().x = 5;
    return f;
  }

  @Test
  void fruitPaysFoodCostsAndWallsKill() {
    GameDriver d = noItems();
    Fruitbot f = start(d);
    Entity fruit = f.addEntity(f.agent().x, f.agent().y, 0, 0, .5f, Fruitbot.GOOD_OBJ);
    assertEquals(1.0, d.step(GameRulesTest.NOOP));
    assertFalse(ofType(f, Fruitbot.GOOD_OBJ).contains(fruit), "eaten fruit is gone");
    f.addEntity(f.agent().x, f.agent().y, 0, 0, .5f, Fruitbot.BAD_OBJ);
    f.addEntity(f.agent().x, f.agent().y, 0, 0, .5f, Fruitbot.BAD_OBJ);
    assertEquals(-8.0, d.step(GameRulesTest.NOOP));
    assertFalse(f.terminated());
    f.addEntity(f.agent().x, f.agent().y, 0, 0, .5f, .3f, Fruitbot.BARRIER);
    assertEquals(0.0, d.step(GameRulesTest.NOOP));
    assertTrue(f.terminated() && !f.levelComplete(), "a wall kills");

    f = start(d);
    f.addEntity(f.agent().x, f.agent().y, 0, 0, .5f, .3f, Fruitbot.LOCKED_DOOR);
    d.step(GameRulesTest.NOOP);
    assertTrue(f.terminated() && !f.levelComplete(), "a locked fence kills");
  }

  @Test
  void eachPresentTouchedPaysTenAndCompletes() {
    GameDriver d = noItems();
    Fruitbot f = start(d);
    f.agent().x = 7.5f;
    f.agent().y = 58.7f;
    assertEquals(10.0, d.step(GameRulesTest.NOOP), "centred under one present");
    assertTrue(f.terminated() && f.levelComplete());
    f = start(d);
    f.agent().x = 8f;
    f.agent().y = 58.7f;
    assertEquals(20.0, d.step(GameRulesTest.NOOP), "between two presents, as in Procgen, both pay");
  }

  @Test
  void onlyLeftAndRightSteerAndTheRobotDriftsUp() {
    float[] ys = new float[3];
    int[] moves = {GameRulesTest.UP, GameRulesTest.DOWN, GameRulesTest.NOOP};
    for (int k = 0; k < 3; k++) {
      GameDriver d = noItems();
      Fruitbot f = start(d);
      float x = f.agent().x;
      for (int t = 0; t < 10; t++) {
        d.step(moves[k]);
      }
      assertEquals(x, f.agent().x, "vertical keys do not steer");
      ys[k] = f.agent().y;
    }
    assertTrue(ys[0] > .4f + 1, "the robot drifts up on its own: " + ys[0]);
    assertEquals(ys[0], ys[1]);
    assertEquals(ys[0], ys[2]);
    GameDriver d = noItems();
    Fruitbot f = start(d);
    float x = f.agent().x;
    d.step(GameRulesTest.LEFT);
    assertEquals(x - .5f * .85f * .9f, f.agent().x, 1e-5, "left: half of speed 0.85, decayed by 0.9");
  }

  @Test
  void aKeyOpensTheLockAndItsFenceButStopsAtWalls() {
    GameDriver d = noItems();
    Fruitbot f = start(d);
    float x = f.agent().x;
    // A fence row 3 above the start, its lock over the robot, the fence itself off to the right.
    Entity lock = f.addEntity(x, 3 - .15f, 0, 0, Fruitbot.LOCK_RX, Fruitbot.LOCK_RY, Fruitbot.LOCK);
    Entity door = f.addEntity(x + 2, 3, 0, 0, 1, Fruitbot.WALL_RY, Fruitbot.LOCKED_DOOR);
    for (int t = 1; t < Fruitbot.KEY_DURATION; t++) {
      d.step(KEY);
      assertEquals(0, ofType(f, Fruitbot.PLAYER_BULLET).size(), "no key before step 8");
    }
    d.step(KEY);
    List<Entity> keys = ofType(f, Fruitbot.PLAYER_BULLET);
    assertEquals(1, keys.size());
    assertEquals(.5f, keys.get(0).vy, "keys fly straight up at 0.5");
    for (int t = 0; t < 4 && ofType(f, Fruitbot.LOCK).contains(lock); t++) {
      d.step(GameRulesTest.NOOP);
    }
    assertFalse(ofType(f, Fruitbot.LOCK).contains(lock), "the key took the lock");
    assertFalse(ofType(f, Fruitbot.LOCKED_DOOR).contains(door), "and its fence");
    assertEquals(0, ofType(f, Fruitbot.PLAYER_BULLET).size(), "the key is used up");
    assertFalse(f.terminated());

    assertEquals(9, keyLife(noItems(), false), "a key lasts 8 steps");
    assertTrue(keyLife(noItems(), true) <= 4, "a wall stops it early");
  }

  /** Steps a key thrown on step 8 survives, with or without a wall across its path 3 rows up. */
  private static int keyLife(GameDriver d, boolean wall) {
    Fruitbot f = start(d);
    Entity w = wall ? f.addEntity(f.agent().x, 3, 0, 0, 1, Fruitbot.WALL_RY, Fruitbot.BARRIER) : null;
    for (int t = 0; t < Fruitbot.KEY_DURATION; t++) {
      d.step(KEY);
    }
    int life = 0;
    while (!ofType(f, Fruitbot.PLAYER_BULLET).isEmpty()) {
      d.step(GameRulesTest.NOOP);
      life++;
    }
    assertTrue(!wall || ofType(f, Fruitbot.BARRIER).contains(w), "walls stay");
    return life;
  }

  @Test
  void keysComeEveryEightStepsAndLastEight() {
    GameDriver d = noItems();
    Fruitbot f = start(d);
    int thrown = 0;
    for (int t = 1; t <= 24; t++) {
      int before = ofType(f, Fruitbot.PLAYER_BULLET).size();
      d.step(KEY);
      boolean newKey = false;
      for (Entity k : ofType(f, Fruitbot.PLAYER_BULLET)) {
        newKey |= k.lifeTime == 0;
      }
      if (newKey) {
        thrown++;
        assertEquals(0, t % 8, "keys on steps 8, 16, 24");
      }
      assertTrue(ofType(f, Fruitbot.PLAYER_BULLET).size() <= before + 1);
    }
    assertEquals(3, thrown);
  }
}
