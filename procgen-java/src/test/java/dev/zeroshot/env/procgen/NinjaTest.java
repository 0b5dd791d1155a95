package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import java.util.ArrayDeque;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Ninja: level invariants over 1,000 levels per mode, the knobs' effect on levels, and its rules. */
class NinjaTest {

  static final int THROW_FORWARD = 9;
  static final int THROW_UP_45 = 10;

  /** A cell the agent can stand in: open (no wall, bomb or fire) with a wall under it. */
  private static boolean standing(Grid g, int x, int y) {
    return g.contains(x, y) && y > 0 && g.get(x, y) == ProcgenGame.SPACE && g.get(x, y - 1) == Ninja.WALL_MID;
  }

  /**
   * How many cells across a full running jump carries the agent to a ledge {@code rise} rows
   * higher (negative: lower): the steps it stays at or above that height at 0.5 cells a step,
   * plus the nearly one cell the agent may overhang the edges it leaves and lands on.
   */
  static int across(int rise, float maxJump, float gravity) {
    float y = 0;
    float vy = maxJump;
    int steps = 0;
    for (int t = 1; t < 200; t++) {
      y += vy;
      vy = vy > -2 ? vy - gravity : vy;
      if (y >= rise) {
        steps = t;
      }
    }
    return steps == 0 ? -1 : (int) (.5f * steps + .98f);
  }

  /**
   * Standing cells reachable from (x, y) with jumps of at most {@code maxRise} rows and at most
   * {@code across.applyAsInt(rise)} cells sideways. Ceilings are ignored, and bombs count as open cells (a star blows
   * them up; a bomb can land on the first cell of the next section's ledge, as in Procgen).
   */
  private static boolean[] reach(Grid g, int x, int y, int maxRise, java.util.function.IntUnaryOperator across) {
    java.util.function.BiPredicate<Integer, Integer> stand = (cx, cy) -> g.contains(cx, cy) && cy > 0
        && (g.get(cx, cy) == ProcgenGame.SPACE || g.get(cx, cy) == Ninja.BOMB) && g.get(cx, cy - 1) == Ninja.WALL_MID;
    boolean[] seen = new boolean[g.size()];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    seen[x + y * g.width()] = true;
    queue.add(x + y * g.width());
    while (!queue.isEmpty()) {
      int c = queue.poll();
      int cx = c % g.width();
      int cy = c / g.width();
      for (int ny = 1; ny <= cy + maxRise; ny++) {
        int span = across.applyAsInt(ny - cy);
        for (int nx = cx - span; nx <= cx + span; nx++) {
          if (stand.test(nx, ny) && !seen[nx + ny * g.width()]) {
            seen[nx + ny * g.width()] = true;
            queue.add(nx + ny * g.width());
          }
        }
      }
    }
    return seen;
  }

  private static Entity goal(Ninja n) {
    Entity goal = null;
    for (int i = 0; i < n.entityCount(); i++) {
      if (n.entity(i).type == Ninja.GOAL) {
        assertTrue(goal == null, "one mushroom");
        goal = n.entity(i);
      }
    }
    assertTrue(goal != null, "a mushroom exists");
    return goal;
  }

  @ParameterizedTest
  @ValueSource(strings = {"procgen/ninja-easy-v0", "procgen/ninja-v0"})
  void everyMushroomIsReachableOverLedgesAboveTheFire(String id) {
    GameDriver d = new GameDriver(id);
    boolean someBomb = false;
    for (int s = 0; s < 1000; s++) {
      Ninja n = (Ninja) d.level(s).game;
      Grid g = n.grid();
      String what = id + " level " + s;
      assertEquals(id.contains("easy") ? 3 : 5, n.maxRise());
      int ax = (int) n.agent().x;
      int ay = (int) n.agent().y;
      assertTrue(standing(g, ax, ay), what + ": the agent starts on the ground");
      Entity goal = goal(n);
      int gx = (int) goal.x;
      int gy = (int) goal.y;
      assertTrue(standing(g, gx, gy), what + ": the mushroom rests on a wall, in an open cell");
      float jump = id.contains("easy") ? 1.25f : 1.5f;
      boolean[] reached = reach(g, ax, ay, n.maxRise(), rise -> across(rise, jump, .2f));
      assertTrue(reached[gx + gy * g.width()], what + ": the mushroom is out of a running jump's reach");
      int bombs = 0;
      for (int y = 0; y < g.height(); y++) {
        for (int x = 0; x < g.width(); x++) {
          int t = g.get(x, y);
          if (t == Ninja.FIRE) {
            assertEquals(n.fireY(), y, what + ": fire only in the fire row");
          }
          if (standing(g, x, y)) {
            assertTrue(y > n.fireY(), what + ": every ledge is above the fire");
          }
          bombs += t == Ninja.BOMB ? 1 : 0;
        }
      }
      for (int x = 5; x <= gx; x++) {
        assertEquals(Ninja.FIRE, g.get(x, n.fireY()), what + ": the fire row runs from x=5 to the mushroom");
      }
      if (n.difficulty() == 1) {
        assertEquals(0, bombs, what + ": no bombs at difficulty 1");
      }
      someBomb |= bombs > 0;
    }
    assertTrue(someBomb, id + ": some level has a bomb");
  }

  @Test
  void timeoutsAndModeDefaultsAreProcgens() {
    assertEquals(1000, EnvRegistry.builtin().spec("procgen/ninja-v0").maxEpisodeSteps());
    assertEquals(1000, EnvRegistry.builtin().spec("procgen/ninja-easy-v0").maxEpisodeSteps());
    Map<String, Double> easy = EnvRegistry.builtin().spec("procgen/ninja-easy-v0").contextSpace().defaults().toMap();
    assertEquals(1.25, easy.get("max_jump"));
    assertEquals(1.0, easy.get("jump_charge_inc"));
    assertEquals(10.0, easy.get("visibility"));
    assertEquals(3.0, easy.get("min_ledge_width"));
  }

  /** The first ledge's row: the one wall cell in column 5 between the fire and the first ceiling. */
  private static int firstLedgeRow(Ninja n) {
    Grid g = n.grid();
    for (int y = n.fireY() + 1; y < g.height(); y++) {
      if (g.get(5, y) == Ninja.WALL_MID) {
        return y;
      }
    }
    throw new AssertionError("no ledge in column 5");
  }

  @Test
  void knobsShapeTheLedges() {
    GameDriver wide = new GameDriver("procgen/ninja-v0", Map.of("min_ledge_width", 6.0));
    GameDriver plain = new GameDriver("procgen/ninja-v0");
    int narrow = 0;
    for (int s = 0; s < 200; s++) {
      Ninja n = (Ninja) wide.level(s).game;
      int row = firstLedgeRow(n);
      for (int x = 5; x < 11; x++) {
        assertEquals(Ninja.WALL_MID, n.grid().get(x, row), "level " + s + ": the first ledge is at least 6 wide");
      }
      Ninja p = (Ninja) plain.level(s).game;
      narrow += p.grid().get(6, firstLedgeRow(p)) == ProcgenGame.SPACE ? 1 : 0;
    }
    assertTrue(narrow > 0, "by default some first ledge is 1 cell wide");

    GameDriver weak = new GameDriver("procgen/ninja-v0", Map.of("max_jump", 1.0));
    int steep = 0;
    for (int s = 0; s < 300; s++) {
      Ninja n = (Ninja) weak.level(s).game;
      assertEquals(2, n.maxRise());
      Entity goal = goal(n);
      assertTrue(reach(n.grid(), 1, 32, 2, rise -> 10)[(int) goal.x + (int) goal.y * n.grid().width()],
          "max_jump=1 level " + s + ": every rise is at most 2 rows");
      Ninja p = (Ninja) plain.level(s).game;
      Entity pg = goal(p);
      steep += reach(p.grid(), 1, 32, 2, rise -> 10)[(int) pg.x + (int) pg.y * p.grid().width()] ? 0 : 1;
    }
    assertTrue(steep > 0, "default levels have rises above 2 rows");

    GameDriver noBombs = new GameDriver("procgen/ninja-v0", Map.of("bomb_prob_per_difficulty", 0.0));
    for (int s = 0; s < 200; s++) {
      Grid g = noBombs.level(s).game.grid();
      for (int i = 0; i < g.size(); i++) {
        assertTrue(g.get(i) != Ninja.BOMB, "bomb_prob_per_difficulty=0: no bombs");
      }
    }
  }

  @Test
  void theMushroomPays() {
    GameDriver d = new GameDriver("procgen/ninja-v0");
    Ninja n = (Ninja) d.level(2).game;
    n.addEntity(n.agent().x, n.agent().y, 0, 0, .5f, Ninja.GOAL);
    assertEquals(10.0, d.step(GameRulesTest.NOOP));
    assertTrue(n.terminated() && n.levelComplete());
  }

  @Test
  void holdingUpChargesTheJumpAndLettingGoJumps() {
    GameDriver d = new GameDriver("procgen/ninja-v0");
    Ninja n = (Ninja) d.level(2).game;
    float floor = n.agent().y;
    for (int t = 1; t <= 5; t++) {
      d.step(GameRulesTest.UP);
      assertEquals(Math.min(1, .25f * t), n.jumpCharge(), "charge after " + t + " steps");
      assertEquals(floor, n.agent().y, "charging does not lift the agent");
    }
    d.step(GameRulesTest.NOOP);
    assertEquals(0, n.jumpCharge());
    assertEquals(1.5f, n.agent().vy, 1e-6, "a full charge jumps at max_jump");
    assertEquals(floor + 1.5f, n.agent().y, 1e-5);
    for (int t = 0; t < 40; t++) {
      d.step(GameRulesTest.NOOP);
    }
    assertEquals(floor, n.agent().y, 1e-4, "lands again");

    d.step(GameRulesTest.UP);
    d.step(GameRulesTest.NOOP);
    assertEquals(.375f, n.agent().vy, 1e-6, "a quarter charge jumps at a quarter of max_jump");

    GameDriver easy = new GameDriver("procgen/ninja-easy-v0");
    Ninja e = (Ninja) easy.level(2).game;
    easy.step(GameRulesTest.UP);
    assertEquals(1, e.jumpCharge(), "easy charges fully in one step");
    easy.step(GameRulesTest.NOOP);
    assertEquals(1.25f, e.agent().vy, 1e-6);
  }

  @Test
  void bombsAndTheFireFloorKill() {
    GameDriver d = new GameDriver("procgen/ninja-v0");
    Ninja n = (Ninja) d.level(2).game;
    n.setObj((int) n.agent().x, (int) n.agent().y, Ninja.BOMB);
    assertEquals(0.0, d.step(GameRulesTest.NOOP));
    assertTrue(n.terminated() && !n.levelComplete(), "touching a bomb kills");

    n = (Ninja) d.level(2).game;
    Grid g = n.grid();
    int x = 5;
    while (g.get(x, n.fireY() + 1) != ProcgenGame.SPACE || g.get(x, n.fireY() + 2) != ProcgenGame.SPACE) {
      x++;
    }
    n.agent().x = x + .5f;
    n.agent().y = n.fireY() + 1.5f;
    for (int t = 0; t < 5 && !n.terminated(); t++) {
      assertEquals(0.0, d.step(GameRulesTest.NOOP));
    }
    assertTrue(n.terminated() && !n.levelComplete(), "falling into the fire kills");
  }

  @Test
  void aStarBlowsUpABombWhoseBlastKills() {
    GameDriver d = new GameDriver("procgen/ninja-v0");
    Ninja n = (Ninja) d.level(2).game;
    // The start area: ground up to row 31, open from row 32 to 39, x 1..4.
    assertEquals(32.5f, n.agent().y);
    n.setObj(3, 32, Ninja.BOMB);
    d.step(GameRulesTest.NOOP);
    d.step(GameRulesTest.NOOP);
    d.step(THROW_FORWARD);
    assertEquals(1, count(n, Ninja.THROWING_STAR), "a star is thrown on step 3");
    d.step(GameRulesTest.NOOP);
    assertEquals(Ninja.BOMB, n.grid().get(3, 32));
    d.step(GameRulesTest.NOOP);
    assertEquals(ProcgenGame.SPACE, n.grid().get(3, 32), "the star blows up the bomb");
    assertEquals(0, count(n, Ninja.THROWING_STAR));
    assertEquals(1, count(n, ProcgenGame.EXPLOSION));
    assertFalse(n.terminated());
    int t = 0;
    while (!n.terminated()) {
      d.step(GameRulesTest.NOOP);
      t++;
    }
    assertEquals(4, t, "the blast grows 1.4x a step and reaches the agent 1.5 cells away on its 4th step");
    assertFalse(n.levelComplete());
  }

  @Test
  void starsFlyAtTheirAngleEveryThirdStepAndStickToWalls() {
    GameDriver d = new GameDriver("procgen/ninja-v0");
    Ninja n = (Ninja) d.level(2).game;
    d.step(GameRulesTest.NOOP);
    d.step(GameRulesTest.NOOP);
    d.step(THROW_UP_45);
    Entity star = find(n, Ninja.THROWING_STAR);
    assertEquals(Math.sqrt(.5), star.vx, 1e-6);
    assertEquals(Math.sqrt(.5), star.vy, 1e-6);
    d.step(THROW_FORWARD);
    d.step(THROW_FORWARD);
    assertEquals(1, count(n, Ninja.THROWING_STAR), "at most one throw every 3 steps");

    n = (Ninja) d.level(2).game;
    d.step(GameRulesTest.LEFT);
    d.step(GameRulesTest.NOOP);
    d.step(THROW_FORWARD);
    star = find(n, Ninja.THROWING_STAR);
    assertEquals(-1, star.vx, 1e-6, "facing left, a forward throw flies left");
    int steps = 0;
    while (star.vx != 0) {
      d.step(GameRulesTest.NOOP);
      steps++;
      assertTrue(steps < 5);
    }
    assertEquals(1.25f, star.x, 1e-5, "the star stops flush against the left wall (x = 1 + its radius)");
    for (int t = steps; t < 15; t++) {
      d.step(GameRulesTest.NOOP);
      assertEquals(1.25f, find(n, Ninja.THROWING_STAR).x, 1e-5, "it sticks");
    }
    d.step(GameRulesTest.NOOP);
    assertEquals(0, count(n, Ninja.THROWING_STAR), "and vanishes on its 16th step");
  }

  private static int count(Ninja n, int type) {
    int c = 0;
    for (int i = 0; i < n.entityCount(); i++) {
      c += n.entity(i).type == type ? 1 : 0;
    }
    return c;
  }

  private static Entity find(Ninja n, int type) {
    for (int i = 0; i < n.entityCount(); i++) {
      if (n.entity(i).type == type) {
        return n.entity(i);
      }
    }
    throw new AssertionError("no entity of type " + type);
  }
}
