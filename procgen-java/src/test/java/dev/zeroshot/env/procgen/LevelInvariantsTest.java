package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Generator invariants, each checked on 1,000 levels per game and mode. */
class LevelInvariantsTest {

  private static final int LEVELS = 1000;

  /** Cells reachable from (x, y) over cells the predicate allows, as a flag per grid index. */
  private static boolean[] reach(Grid g, int x, int y, java.util.function.IntPredicate passable) {
    boolean[] seen = new boolean[g.size()];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    seen[x + y * g.width()] = true;
    queue.add(x + y * g.width());
    int[][] moves = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    while (!queue.isEmpty()) {
      int c = queue.poll();
      for (int[] m : moves) {
        int nx = c % g.width() + m[0];
        int ny = c / g.width() + m[1];
        int n = nx + ny * g.width();
        if (g.contains(nx, ny) && !seen[n] && passable.test(n)) {
          seen[n] = true;
          queue.add(n);
        }
      }
    }
    return seen;
  }

  @ParameterizedTest
  @ValueSource(strings = {"procgen/maze-easy-v0", "procgen/maze-v0", "procgen/maze-memory-v0"})
  void everyMazeIsSolvable(String id) {
    GameDriver d = new GameDriver(id);
    for (int s = 0; s < LEVELS; s++) {
      Maze m = (Maze) d.level(s).game;
      Grid g = m.grid();
      int goals = 0;
      int goal = -1;
      for (int i = 0; i < g.size(); i++) {
        if (g.get(i) == Maze.GOAL) {
          goals++;
          goal = i;
        }
      }
      assertEquals(1, goals, id + " level " + s + " has one cheese");
      int dim = m.mazeDim();
      assertTrue(dim % 2 == 1 && dim >= 3 && dim <= g.width(), "maze side " + dim);
      int ax = (int) m.agent().x;
      int ay = (int) m.agent().y;
      assertEquals(ProcgenGame.SPACE, g.get(ax, ay));
      boolean[] seen = reach(g, ax, ay, c -> g.get(c) != ProcgenGame.WALL_OBJ);
      assertTrue(seen[goal], id + " level " + s + ": cheese unreachable");
      // Nothing outside the maze square is open.
      int margin = (g.width() - dim) / 2;
      for (int i = 0; i < g.size(); i++) {
        int x = i % g.width();
        int y = i / g.width();
        boolean inside = x >= margin && x < margin + dim && y >= margin && y < margin + dim;
        if (!inside) {
          assertEquals(ProcgenGame.WALL_OBJ, g.get(i));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"procgen/heist-easy-v0", "procgen/heist-v0", "procgen/heist-memory-v0"})
  void everyHeistIsSolvableWithKeysBeforeTheirLocks(String id) {
    GameDriver d = new GameDriver(id);
    for (int s = 0; s < LEVELS; s++) {
      Heist h = (Heist) d.level(s).game;
      Grid g = h.grid();
      int[] doorTheme = new int[g.size()];
      java.util.Arrays.fill(doorTheme, -1);
      int[] keyCell = {-1, -1, -1};
      int gem = -1;
      int doors = 0;
      for (int i = 0; i < h.entityCount(); i++) {
        Entity e = h.entity(i);
        int cell = (int) e.x + (int) e.y * g.width();
        switch (e.type) {
          case Heist.LOCKED_DOOR -> {
            doorTheme[cell] = e.theme;
            doors++;
          }
          case Heist.KEY -> keyCell[e.theme] = cell;
          case Heist.EXIT -> gem = cell;
          default -> { }
        }
      }
      assertEquals(h.numDoors(), doors);
      assertTrue(gem >= 0, "a gem exists");
      int ax = (int) h.agent().x;
      int ay = (int) h.agent().y;
      for (int k = 0; k <= doors; k++) {
        final int open = k; // locks 0..k-1 open, the rest shut
        boolean[] seen = reach(g, ax, ay, c -> g.get(c) != ProcgenGame.WALL_OBJ && doorTheme[c] < open);
        if (k < doors) {
          assertTrue(keyCell[k] >= 0, "key " + k + " exists");
          assertTrue(seen[keyCell[k]], id + " level " + s + ": key " + k + " unreachable with keys 0.." + (k - 1));
          assertFalse(seen[gem], id + " level " + s + ": gem reachable without lock " + (doors - 1));
        } else {
          assertTrue(seen[gem], id + " level " + s + ": gem unreachable with every key");
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"procgen/miner-easy-v0", "procgen/miner-v0", "procgen/miner-memory-v0"})
  void everyMinerLevelHasAnExitAndASafeStart(String id) {
    GameDriver d = new GameDriver(id);
    for (int s = 0; s < LEVELS; s++) {
      Miner m = (Miner) d.level(s).game;
      Grid g = m.grid();
      int area = g.size();
      int exits = 0;
      for (int i = 0; i < m.entityCount(); i++) {
        Entity e = m.entity(i);
        if (e.type == Miner.EXIT) {
          exits++;
          assertEquals(ProcgenGame.SPACE, g.get((int) e.x, (int) e.y), "the exit's cell is open");
        }
      }
      assertEquals(1, exits, id + " level " + s);
      int ax = (int) m.agent().x;
      int ay = (int) m.agent().y;
      assertEquals(ProcgenGame.SPACE, g.get(ax, ay));
      for (int i = -1; i <= 1; i++) {
        for (int j = -1; j <= 1; j++) {
          if (g.contains(ax + i, ay + j)) {
            assertTrue(g.get(ax + i, ay + j) != Miner.BOULDER, "no boulder next to the start");
          }
        }
      }
      int diamonds = 0;
      for (int i = 0; i < area; i++) {
        diamonds += g.get(i) == Miner.DIAMOND ? 1 : 0;
      }
      assertEquals((int) (12 / 400.0f * area), diamonds);
      assertEquals(diamonds, m.diamondsRemaining());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"procgen/bigfish-easy-v0", "procgen/bigfish-v0"})
  void bigfishStartsSmallAndFishEnterFromTheSides(String id) {
    GameDriver d = new GameDriver(id);
    float startR = id.contains("easy") ? 1 : .5f;
    java.util.SplittableRandom policy = new java.util.SplittableRandom(3);
    for (int s = 0; s < LEVELS; s++) {
      ProcgenGame b = d.level(s).game;
      assertEquals(startR, b.agent().rx);
      assertEquals(1 + startR, b.agent().y);
      assertEquals(1, b.entityCount(), "a level starts with only the agent");
      int before = 1;
      for (int t = 0; t < 30 && !b.terminated(); t++) {
        d.step(policy.nextInt(15));
        if (b.entityCount() > before) {
          Entity fish = b.entity(b.entityCount() - 1);
          assertTrue(fish.rx >= BigFish.FISH_MIN_R && fish.rx <= BigFish.FISH_MAX_R, "radius " + fish.rx);
          float speed = Math.abs(fish.vx);
          assertTrue(speed >= .15f && speed <= .4f, "speed " + speed);
          assertTrue(fish.x == -fish.rx || fish.x == 20 + fish.rx, "enters at a side: " + fish.x);
          assertEquals(fish.vx > 0, fish.x < 0, "swims into the tank");
        }
        before = b.entityCount();
      }
    }
  }
}
