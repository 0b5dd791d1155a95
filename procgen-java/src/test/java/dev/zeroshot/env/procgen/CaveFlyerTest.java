package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Caveflyer: the cave's path and hazards over 1,000 levels per mode; its flight, laser and collision rules; its knobs. */
class CaveFlyerTest {

  static final int FIRE = 9;

  /** Counts of entities of each type, indexed by type. */
  private static int[] census(ProcgenGame g) {
    int[] n = new int[64];
    for (int i = 0; i < g.entityCount(); i++) {
      n[g.entity(i).type]++;
    }
    return n;
  }

  /** The largest 8-connected distance from an open cell to the nearest cell of the path. */
  private static int farthestOpenCell(Grid g, int[] path) {
    int far = 0;
    for (int i = 0; i < g.size(); i++) {
      if (g.get(i) != ProcgenGame.SPACE) {
        continue;
      }
      int best = Integer.MAX_VALUE;
      for (int c : path) {
        best = Math.min(best, Math.max(Math.abs(c % g.width() - i % g.width()), Math.abs(c / g.width() - i / g.width())));
      }
      far = Math.max(far, best);
    }
    return far;
  }

  @ParameterizedTest
  @ValueSource(strings = {"procgen/caveflyer-easy-v0", "procgen/caveflyer-v0", "procgen/caveflyer-memory-v0"})
  void theGoalIsReachableAndNothingStartsInAWallOrOnThePath(String id) {
    GameDriver d = new GameDriver(id);
    int side = id.contains("easy") ? 30 : id.contains("memory") ? 60 : 40;
    assertEquals(1000, EnvRegistry.builtin().spec(id).maxEpisodeSteps());
    for (int s = 0; s < 1000; s++) {
      CaveFlyer c = (CaveFlyer) d.level(s).game;
      Grid g = c.grid();
      assertEquals(side, g.width());
      int[] path = c.goalPath();
      assertTrue(path.length >= 2, id + " level " + s + ": a path from ship to goal");
      assertEquals(c.agentCell(), path[0]);
      assertEquals(c.goalCell(), path[path.length - 1]);
      boolean[] onPath = new boolean[g.size()];
      for (int k = 0; k < path.length; k++) {
        assertEquals(ProcgenGame.SPACE, g.get(path[k]), id + " level " + s + ": the path is open");
        if (k > 0) {
          int dx = Math.abs(path[k] % side - path[k - 1] % side);
          int dy = Math.abs(path[k] / side - path[k - 1] / side);
          assertEquals(1, dx + dy, "path steps are to 4-neighbours");
        }
        onPath[path[k]] = true;
      }
      assertEquals(c.agentCell() % side + .5f, c.agent().x);
      assertEquals(c.agentCell() / side + .5f, c.agent().y);
      int open = 0;
      for (int i = 0; i < g.size(); i++) {
        int t = g.get(i);
        assertTrue(t == ProcgenGame.SPACE || t == CaveFlyer.CAVEWALL, "only open cells and cave wall");
        open += t == ProcgenGame.SPACE ? 1 : 0;
      }
      for (int i = 0; i < c.entityCount(); i++) {
        Entity e = c.entity(i);
        int cell = (int) e.x + (int) e.y * side;
        assertEquals(ProcgenGame.SPACE, g.get(cell), id + " level " + s + ": entity " + e.type + " in a wall");
        if (e.type != ProcgenGame.PLAYER && e.type != CaveFlyer.GOAL) {
          assertFalse(onPath[cell], id + " level " + s + ": a hazard on the goal path");
          assertFalse(e.collides(c.agent(), 0), "a hazard touching the ship at the start");
        }
        if (e.type == CaveFlyer.ENEMY) {
          float speed = Math.abs(e.vx) + Math.abs(e.vy);
          assertTrue(e.vx == 0 || e.vy == 0, "enemies patrol along one axis");
          assertTrue(speed >= .1f && speed <= .2f, "enemy speed " + speed);
        }
        if (e.type == CaveFlyer.TARGET) {
          assertEquals(5, e.health);
        }
      }
      int chunk = (open - path.length) / 80;
      int[] n = census(c);
      assertEquals(1, n[CaveFlyer.GOAL]);
      assertEquals(chunk, n[CaveFlyer.OBSTACLE], id + " level " + s + ": meteors");
      assertEquals(chunk, n[CaveFlyer.TARGET], id + " level " + s + ": targets");
      assertEquals(chunk, n[CaveFlyer.ENEMY], id + " level " + s + ": enemies");
      if (!id.contains("memory")) {
        // Cut to the path widened by 4; each of the 4 smoothing passes can open at most one more ring.
        assertTrue(farthestOpenCell(g, path) <= 8, id + " level " + s + ": open cells far from the path");
      }
    }
  }

  /** Level {@code seed} with every cell open and only the ship left, at rest and pointing up in the middle. */
  private static CaveFlyer openLevel(GameDriver d, long seed) {
    CaveFlyer c = (CaveFlyer) d.level(seed).game;
    for (int i = 0; i < c.grid().size(); i++) {
      c.setObj(i, ProcgenGame.SPACE);
    }
    for (int i = c.entityCount() - 1; i >= 0; i--) {
      if (c.entity(i) != c.agent()) {
        c.entities.remove(i);
      }
    }
    c.agent().x = 20.5f;
    c.agent().y = 10.5f;
    return c;
  }

  @Test
  void theGoalPaysAndHazardsKill() {
    GameDriver d = new GameDriver("procgen/caveflyer-v0");
    CaveFlyer c = openLevel(d, 1);
    c.addEntity(c.agent().x, c.agent().y + .5f, 0, 0, .5f, CaveFlyer.GOAL);
    assertEquals(10.0, d.step(GameRulesTest.NOOP));
    assertTrue(c.terminated() && c.levelComplete());
    for (int type : new int[] {CaveFlyer.OBSTACLE, CaveFlyer.TARGET, CaveFlyer.ENEMY}) {
      c = openLevel(d, 1);
      c.addEntity(c.agent().x + .6f, c.agent().y, 0, 0, .5f, type);
      assertEquals(0.0, d.step(GameRulesTest.NOOP));
      assertTrue(c.terminated() && !c.levelComplete(), "type " + type + " kills");
    }
  }

  @Test
  void fiveLaserHitsDestroyATargetForThree() {
    GameDriver d = new GameDriver("procgen/caveflyer-v0");
    CaveFlyer c = openLevel(d, 2);
    Entity target = c.addEntity(c.agent().x, c.agent().y + 2, 0, 0, .5f, CaveFlyer.TARGET);
    target.health = 5;
    target.collidesWithEntities = true;
    // A laser leaves the nose each step and reaches the target two steps later: hits on steps 3 to 7.
    for (int t = 1; t <= 6; t++) {
      assertEquals(0.0, d.step(FIRE), "step " + t);
    }
    assertEquals(1, target.health, "four hits taken");
    assertEquals(3.0, d.step(FIRE), "the fifth hit destroys the target for 3");
    assertEquals(0, census(c)[CaveFlyer.TARGET], "and it is gone");
    assertFalse(c.terminated());
  }

  @Test
  void lasersStopAtCaveWallsAndShipsAtWalls() {
    GameDriver d = new GameDriver("procgen/caveflyer-v0");
    CaveFlyer c = openLevel(d, 3);
    c.setObj(20, 13, CaveFlyer.CAVEWALL);
    d.step(FIRE);
    assertEquals(1, census(c)[CaveFlyer.PLAYER_BULLET]);
    for (int t = 0; t < 3; t++) {
      d.step(GameRulesTest.NOOP);
    }
    assertEquals(0, census(c)[CaveFlyer.PLAYER_BULLET], "the laser is gone at the wall");
    assertEquals(1, census(c)[ProcgenGame.EXPLOSION], "leaving an explosion");
    for (int t = 0; t < 30; t++) {
      d.step(GameRulesTest.UP);
    }
    assertEquals(13 - c.agent().ry, c.agent().y, 1e-4, "the ship rests against the wall above");
    assertFalse(c.terminated(), "walls do not kill");
  }

  @Test
  void upThrustsAlongTheNoseAndLeftTurnsIt() {
    GameDriver d = new GameDriver("procgen/caveflyer-v0");
    CaveFlyer c = openLevel(d, 4);
    d.step(GameRulesTest.UP);
    assertTrue(c.agent().vy > 0 && Math.abs(c.agent().vx) < 1e-6, "pointing up, thrust goes up");
    assertEquals(1, census(c)[CaveFlyer.EXHAUST], "with an exhaust puff");
    c = openLevel(d, 4);
    for (int t = 0; t < 6; t++) {
      d.step(GameRulesTest.LEFT);
    }
    assertTrue(c.agent().rotation < -1.2f, "left turns the nose anticlockwise: " + c.agent().rotation);
    for (int t = 0; t < 5; t++) {
      d.step(GameRulesTest.UP);
    }
    assertTrue(c.agent().vx < 0, "thrust now carries the ship left");
    float x = c.agent().x;
    d.step(GameRulesTest.DOWN);
    assertTrue(c.agent().x < x, "down brakes at a third of the force, it still drifts left");
  }

  @Test
  void enemiesBounceOffWalls() {
    GameDriver d = new GameDriver("procgen/caveflyer-v0");
    CaveFlyer c = openLevel(d, 5);
    c.setObj(30, 10, CaveFlyer.CAVEWALL);
    Entity enemy = c.addEntity(28.5f, 10.5f, .2f, 0, .5f, CaveFlyer.ENEMY);
    enemy.smartStep = true;
    for (int t = 0; t < 10; t++) {
      d.step(GameRulesTest.NOOP);
    }
    assertTrue(enemy.vx < 0 && enemy.x < 29.5f, "turned back at the wall: " + enemy.x + " " + enemy.vx);
  }

  @Test
  void knobsShapeTheCave() {
    int pruned = 0;
    int whole = 0;
    GameDriver cut = new GameDriver("procgen/caveflyer-v0");
    GameDriver uncut = new GameDriver("procgen/caveflyer-v0", Map.of("prune_to_path", 0.0));
    GameDriver none = new GameDriver("procgen/caveflyer-v0", Map.of("cells_per_object", 1000.0, "world_dim", 24.0));
    GameDriver tough = new GameDriver("procgen/caveflyer-v0", Map.of("target_health", 9.0, "enemy_speed", .3));
    for (int s = 0; s < 50; s++) {
      pruned += open(cut.level(s).game.grid());
      whole += open(uncut.level(s).game.grid());
      ProcgenGame g = none.level(s).game;
      assertEquals(24, g.grid().width());
      assertEquals(1, census(g)[CaveFlyer.GOAL]);
      assertEquals(2, g.entityCount(), "cells_per_object 1000 in a small cave: no hazards");
      g = tough.level(s).game;
      for (int i = 0; i < g.entityCount(); i++) {
        Entity e = g.entity(i);
        if (e.type == CaveFlyer.TARGET) {
          assertEquals(9, e.health);
        }
        if (e.type == CaveFlyer.ENEMY) {
          float speed = Math.abs(e.vx) + Math.abs(e.vy);
          assertTrue(speed >= .3f && speed <= .6f, "enemy speed " + speed);
        }
      }
    }
    assertTrue(pruned < whole, "cutting to the path leaves fewer open cells: " + pruned + " vs " + whole);
  }

  private static int open(Grid g) {
    int n = 0;
    for (int i = 0; i < g.size(); i++) {
      n += g.get(i) == ProcgenGame.SPACE ? 1 : 0;
    }
    return n;
  }

  @Test
  void modeDefaults() {
    assertEquals(30, EnvRegistry.builtin().spec("procgen/caveflyer-easy-v0").contextSpace().defaults().get("world_dim"));
    assertEquals(40, EnvRegistry.builtin().spec("procgen/caveflyer-v0").contextSpace().defaults().get("world_dim"));
    assertEquals(60, EnvRegistry.builtin().spec("procgen/caveflyer-memory-v0").contextSpace().defaults().get("world_dim"));
    assertEquals(0, EnvRegistry.builtin().spec("procgen/caveflyer-memory-v0").contextSpace().defaults().get("prune_to_path"));
  }
}
