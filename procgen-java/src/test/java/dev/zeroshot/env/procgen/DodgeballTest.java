package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import java.util.ArrayDeque;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Dodgeball: room and spawn invariants over 1,000 levels per mode (the door reachable), the throw, hit, door and death rules, and the knobs. */
class DodgeballTest {

  private static final int FIRE = 9;

  private static int count(ProcgenGame g, int type) {
    int n = 0;
    for (int i = 0; i < g.entityCount(); i++) {
      n += g.entity(i).type == type ? 1 : 0;
    }
    return n;
  }

  private static Entity first(ProcgenGame g, int type) {
    for (int i = 0; i < g.entityCount(); i++) {
      if (g.entity(i).type == type) {
        return g.entity(i);
      }
    }
    return null;
  }

  /** Whether an agent-sized box at (x, y) would touch a wall. */
  private static boolean touchesWall(ProcgenGame g, float x, float y, float r) {
    for (int i = 0; i < g.entityCount(); i++) {
      Entity w = g.entity(i);
      if (w.type == Dodgeball.LAVA_WALL && Math.abs(x - w.x) < r + w.rx && Math.abs(y - w.y) < r + w.ry) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the agent can reach the door: a search over agent positions on a lattice of 1/8
   * cell (a gap is at least the agent's width + 1/8), moving between neighbours that touch no wall.
   */
  private static boolean doorReachable(Dodgeball g) {
    final int k = 8;
    Entity a = g.agent();
    Entity door = first(g, Dodgeball.DOOR);
    int n = g.grid().width() * k;
    boolean[] seen = new boolean[(n + 1) * (n + 1)];
    ArrayDeque<int[]> queue = new ArrayDeque<>();
    int sx = Math.round(a.x * k);
    int sy = Math.round(a.y * k);
    queue.add(new int[] {sx, sy});
    seen[sx + sy * (n + 1)] = true;
    int[][] moves = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    while (!queue.isEmpty()) {
      int[] c = queue.poll();
      float x = c[0] / (float) k;
      float y = c[1] / (float) k;
      if (Math.abs(x - door.x) < a.rx + door.rx && Math.abs(y - door.y) < a.ry + door.ry) {
        return true;
      }
      for (int[] m : moves) {
        int nx = c[0] + m[0];
        int ny = c[1] + m[1];
        float fx = nx / (float) k;
        float fy = ny / (float) k;
        if (fx < a.rx || fy < a.ry || fx > n / (float) k - a.rx || fy > n / (float) k - a.ry
            || seen[nx + ny * (n + 1)] || touchesWall(g, fx, fy, a.rx)) {
          continue;
        }
        seen[nx + ny * (n + 1)] = true;
        queue.add(new int[] {nx, ny});
      }
    }
    return false;
  }

  @ParameterizedTest
  @CsvSource({"procgen/dodgeball-easy-v0, 20, 2, 6, 1", "procgen/dodgeball-v0, 20, 4, 6, .75",
      "procgen/dodgeball-extreme-v0, 20, 8, 6, .4", "procgen/dodgeball-memory-v0, 40, 16, 19, .75"})
  void levelsSpawnClearOfWallsAndTheDoorIsReachable(String id, int dim, int splits, int maxEnemies, float agentR) {
    GameDriver d = new GameDriver(id);
    for (int s = 0; s < 1000; s++) {
      Dodgeball g = (Dodgeball) d.level(s).game;
      Entity a = g.agent();
      assertEquals(dim, g.grid().width());
      assertEquals(agentR, a.rx);
      assertTrue(g.numWalls() <= splits, "one wall per split at most");
      assertEquals(g.numWalls(), count(g, Dodgeball.LAVA_WALL));
      int enemies = count(g, Dodgeball.ENEMY);
      assertTrue(enemies >= 3 && enemies <= maxEnemies, "enemies " + enemies);
      assertEquals(enemies, g.numEnemies());
      assertEquals(1, count(g, Dodgeball.DOOR));
      Entity door = first(g, Dodgeball.DOOR);
      float edge = Math.min(Math.min(door.x - door.rx, door.y - door.ry), Math.min(dim - door.x - door.rx, dim - door.y - door.ry));
      assertEquals(0, edge, 1e-4, id + " level " + s + ": the door is on an edge");
      for (int i = 0; i < g.entityCount(); i++) {
        Entity e = g.entity(i);
        assertTrue(e.x - e.rx >= -1e-4 && e.y - e.ry >= -1e-4 && e.x + e.rx <= dim + 1e-4 && e.y + e.ry <= dim + 1e-4,
            "inside the arena");
        if (e.type == Dodgeball.ENEMY || e.type == Dodgeball.DOOR || e == a) {
          assertFalse(touchesWall(g, e.x, e.y, e.rx), id + " level " + s + ": type " + e.type + " spawned in a wall");
          if (e != a) {
            assertFalse(e.collides(a, 0), id + " level " + s + ": type " + e.type + " on the agent");
          }
        }
      }
      assertTrue(doorReachable(g), id + " level " + s + ": the door cannot be reached");
    }
    assertEquals(Dodgeball.TIMEOUT, EnvRegistry.builtin().spec(id).maxEpisodeSteps());
  }

  /** An open arena (no walls) with one enemy, moved to (x, y) and standing still. */
  private static Dodgeball oneEnemy(GameDriver d, float x, float y) {
    Dodgeball g = (Dodgeball) d.level(3).game;
    Entity e = first(g, Dodgeball.ENEMY);
    e.x = x;
    e.y = y;
    e.vx = 0;
    e.vy = 0;
    e.spawnTime = 1000;
    return g;
  }

  private static GameDriver open(Map<String, Double> extra) {
    Map<String, Double> c = new java.util.HashMap<>(Map.of("room_splits", 0.0, "min_enemies", 1.0, "max_extra_enemies", 0.0));
    c.putAll(extra);
    return new GameDriver("procgen/dodgeball-v0", c);
  }

  @Test
  void aBallThrownAtAnEnemyPaysTwoThenTheOpenDoorPaysTen() {
    GameDriver d = open(Map.of());
    Dodgeball g = oneEnemy(d, 0, 0);
    Entity a = g.agent();
    a.x = 5;
    a.y = 10;
    Entity enemy = first(g, Dodgeball.ENEMY);
    enemy.x = 9;
    enemy.y = 10;
    Entity door = first(g, Dodgeball.DOOR);
    door.x = 15;
    door.y = 2;
    double total = 0;
    for (int t = 1; t < Dodgeball.PLAYER_FIRE_DELAY; t++) {
      total += d.step(FIRE);
    }
    assertEquals(0, count(g, Dodgeball.PLAYER_BALL), "no throw in the first 6 steps");
    total += d.step(FIRE);
    Entity ball = first(g, Dodgeball.PLAYER_BALL);
    assertNotNull(ball, "action 9 throws a ball");
    assertEquals(.375f, ball.vx, "hard mode's ball speed, the way the agent first faces (right)");
    assertEquals(0, ball.vy);
    total += d.step(FIRE);
    assertEquals(1, count(g, Dodgeball.PLAYER_BALL), "one throw per 7 steps");
    for (int t = 0; t < 20 && count(g, Dodgeball.ENEMY) > 0; t++) {
      total += d.step(GameRulesTest.NOOP);
    }
    assertEquals(2.0, total, "the hit pays +2");
    assertEquals(0, count(g, Dodgeball.ENEMY));
    assertEquals(0, count(g, Dodgeball.PLAYER_BALL), "the ball is used up");
    assertFalse(g.terminated());
    d.step(GameRulesTest.NOOP);
    assertEquals(0, g.numEnemies());
    a.x = door.x;
    a.y = door.y;
    assertEquals(10.0, d.step(GameRulesTest.NOOP), "the open door pays +10");
    assertTrue(g.terminated() && g.levelComplete());
  }

  @Test
  void theDoorIsShutWhileEnemiesRemain() {
    GameDriver d = open(Map.of());
    Dodgeball g = oneEnemy(d, 10, 18);
    Entity door = first(g, Dodgeball.DOOR);
    g.agent().x = door.x;
    g.agent().y = door.y;
    g.agent().vx = 0;
    g.agent().vy = 0;
    assertEquals(0.0, d.step(GameRulesTest.NOOP));
    assertFalse(g.terminated());
  }

  @Test
  void enemiesTheirBallsAndLavaWallsKill() {
    for (int type : new int[] {Dodgeball.ENEMY, Dodgeball.ENEMY_BALL, Dodgeball.LAVA_WALL}) {
      GameDriver d = open(Map.of());
      Dodgeball g = oneEnemy(d, 18, 18);
      g.agent().x = 5;
      g.agent().y = 5;
      g.addEntity(5, 5, 0, 0, .3f, type);
      assertEquals(0.0, d.step(GameRulesTest.NOOP));
      assertTrue(g.terminated() && !g.levelComplete(), "type " + type + " kills");
    }
  }

  @Test
  void anEnemyInLineThrowsAndWalkersBounceOffWalls() {
    GameDriver d = open(Map.of("enemy_fire_delay", 1.0));
    Dodgeball g = oneEnemy(d, 15, 5.5f);
    g.agent().x = 5;
    g.agent().y = 5;
    Entity enemy = first(g, Dodgeball.ENEMY);
    enemy.fireTime = -100;
    d.step(GameRulesTest.NOOP);
    Entity ball = first(g, Dodgeball.ENEMY_BALL);
    assertNotNull(ball, "an enemy level with the agent throws");
    assertTrue(ball.vx < 0 && ball.vy == 0, "along the row, towards the agent");
    assertTrue(enemy.vx < 0 && enemy.vy == 0, "and walks that way");

    Dodgeball h = oneEnemy(d, 10, 10);
    h.agent().x = 2;
    h.agent().y = 18;
    Entity walker = first(h, Dodgeball.ENEMY);
    walker.vx = Dodgeball.ENEMY_VEL;
    walker.fireTime = 100000;
    Entity wall = h.addEntity(11.5f, 10, 0, 0, .3f, 3, Dodgeball.LAVA_WALL);
    wall.collidesWithEntities = true;
    for (int t = 0; t < 20; t++) {
      d.step(GameRulesTest.NOOP);
    }
    assertTrue(walker.vx < 0, "an enemy walking into a lava wall turns back");
    assertTrue(walker.x + walker.rx <= wall.x - wall.rx + 1e-4, "and stays clear of it");

    Entity thrown = h.addEntity(10, 12, .375f, 0, .375f, Dodgeball.PLAYER_BALL);
    thrown.collidesWithEntities = true;
    for (int t = 0; t < 5; t++) {
      d.step(GameRulesTest.NOOP);
    }
    assertEquals(0, count(h, Dodgeball.PLAYER_BALL), "walls stop balls");
  }

  @Test
  void knobsSetWallsEnemiesSizeAndSpeeds() {
    GameDriver none = new GameDriver("procgen/dodgeball-v0", Map.of("room_splits", 0.0, "min_enemies", 0.0,
        "max_extra_enemies", 0.0, "world_dim", 30.0));
    for (int s = 0; s < 20; s++) {
      Dodgeball g = (Dodgeball) none.level(s).game;
      assertEquals(0, g.numWalls());
      assertEquals(0, count(g, Dodgeball.ENEMY));
      assertEquals(30, g.grid().width());
    }
    GameDriver many = new GameDriver("procgen/dodgeball-v0", Map.of("room_splits", 12.0, "min_enemies", 8.0,
        "max_extra_enemies", 4.0, "world_dim", 40.0));
    int maxWalls = 0;
    for (int s = 0; s < 50; s++) {
      Dodgeball g = (Dodgeball) many.level(s).game;
      maxWalls = Math.max(maxWalls, g.numWalls());
      assertTrue(g.numEnemies() >= 8 && g.numEnemies() <= 12);
    }
    assertTrue(maxWalls > 4, "more splits, more walls: " + maxWalls);

    GameDriver fast = open(Map.of("max_speed", 1.0, "ball_speed", 1.0));
    Dodgeball g = oneEnemy(fast, 18, 18);
    g.agent().x = 5;
    g.agent().y = 10;
    for (int t = 0; t < 12; t++) {
      fast.step(GameRulesTest.RIGHT);
    }
    assertTrue(g.agent().vx > .5f, "max_speed 1 lets the agent pass 0.5 per step: " + g.agent().vx);
    fast.step(FIRE);
    assertEquals(1f, first(g, Dodgeball.PLAYER_BALL).vx);

    // An enemy's first throw comes enemy_fire_delay steps after step 10.
    for (int delay : new int[] {50, 200}) {
      GameDriver f = open(Map.of("enemy_fire_delay", (double) delay));
      Dodgeball h = oneEnemy(f, 15, 5);
      int firstThrow = 0;
      for (int t = 1; firstThrow == 0 && t < 300; t++) {
        first(h, Dodgeball.ENEMY).y = 5; // keep it in line with the agent
        first(h, Dodgeball.ENEMY).x = 15;
        h.agent().x = 5;
        h.agent().y = 5;
        f.step(GameRulesTest.NOOP);
        firstThrow = count(h, Dodgeball.ENEMY_BALL) > 0 ? t : 0;
      }
      assertEquals(10 + delay, firstThrow, "enemy_fire_delay " + delay);
    }
  }

  /**
   * Outcomes measured with Procgen 0.10.7's C++ (easy mode, num_levels=1, start_level=LEVEL):
   * actions a..o = 0..14, the episode's last action last; the same level and actions end on the
   * same step with the same return.
   */
  @ParameterizedTest
  @CsvSource({"1, djicfojhkjbjaonheiddlhi, 2",
      "2, ngmogaeihgomnehfjoodicecmbjmeoilmjoceblbonkfhibfgfjkodihhnieamoioablng, 2",
      "3, nnabbfnclmkneejdjajkcgkgmlnifiohieoanafhofoggooicicddacfcci, 2",
      "3, cjnmmbebhmhhkgmdbhaonggjmmalhelmdjbofaaakiaogkdglaidmhhidfdkdmheoagnoiokbckl, 0"})
  void knownActionsMatchProcgen(int level, String actions, double expectedReturn) {
    GameDriver d = new GameDriver("procgen/dodgeball-easy-v0", Map.of("num_levels", 1.0, "start_level", (double) level)).level(0);
    double total = 0;
    for (int t = 0; t < actions.length(); t++) {
      assertFalse(d.game.terminated(), "level " + level + " ended early, at step " + t);
      total += d.step(actions.charAt(t) - 'a');
    }
    assertTrue(d.game.terminated(), "level " + level + " ends on the last action");
    assertEquals(expectedReturn, total);
  }
}
