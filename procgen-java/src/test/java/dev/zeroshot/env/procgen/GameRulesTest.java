package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.StepBuffers;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules checked with scripted actions: rewards on goals, death on hazards, timeouts truncate. */
class GameRulesTest {

  // Procgen's action codes.
  static final int LEFT = 1;
  static final int DOWN = 3;
  static final int NOOP = 4;
  static final int UP = 5;
  static final int RIGHT = 7;

  /** Shortest path of 4-moves from (x, y) to cell goal over non-wall cells, as Procgen actions. */
  private static List<Integer> path(Grid g, int x, int y, int goal) {
    int[] from = new int[g.size()];
    java.util.Arrays.fill(from, -1);
    int start = x + y * g.width();
    from[start] = start;
    ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(start));
    int[][] moves = {{1, 0, RIGHT}, {-1, 0, LEFT}, {0, 1, UP}, {0, -1, DOWN}};
    while (!queue.isEmpty()) {
      int c = queue.poll();
      for (int[] m : moves) {
        int nx = c % g.width() + m[0];
        int ny = c / g.width() + m[1];
        int n = nx + ny * g.width();
        if (g.contains(nx, ny) && from[n] < 0 && g.get(n) != ProcgenGame.WALL_OBJ) {
          from[n] = c;
          queue.add(n);
        }
      }
    }
    List<Integer> actions = new ArrayList<>();
    for (int c = goal; c != start; c = from[c]) {
      int p = from[c];
      int dx = c % g.width() - p % g.width();
      int dy = c / g.width() - p / g.width();
      actions.add(0, dx == 1 ? RIGHT : dx == -1 ? LEFT : dy == 1 ? UP : DOWN);
    }
    return actions;
  }

  @Test
  void mazeShortestPathReachesTheCheeseForTen() {
    GameDriver d = new GameDriver("procgen/maze-v0");
    for (int s = 0; s < 50; s++) {
      Maze m = (Maze) d.level(s).game;
      int goal = -1;
      for (int i = 0; i < m.grid().size(); i++) {
        goal = m.grid().get(i) == Maze.GOAL ? i : goal;
      }
      List<Integer> actions = path(m.grid(), (int) m.agent().x, (int) m.agent().y, goal);
      for (int k = 0; k < actions.size(); k++) {
        double r = d.step(actions.get(k));
        boolean last = k == actions.size() - 1;
        assertEquals(last ? 10.0 : 0.0, r, "level " + s + " step " + k);
        assertEquals(last, m.terminated());
        assertEquals(last, m.levelComplete());
      }
    }
  }

  @Test
  void actionsMoveAsProcgensTable() {
    GameDriver d = new GameDriver("procgen/maze-v0", java.util.Map.of("min_maze_dim", 25.0));
    for (int a = 0; a < 15; a++) {
      Maze m = (Maze) d.level(1).game;
      for (int i = 0; i < m.grid().size(); i++) {
        m.setObj(i, ProcgenGame.SPACE);
      }
      m.agent().x = 12.5f;
      m.agent().y = 12.5f;
      d.step(a);
      int dx = a < 9 ? a / 3 - 1 : 0;
      int dy = a < 9 && dx == 0 ? a % 3 - 1 : 0; // maze moves horizontally when both are asked
      assertEquals(12.5f + dx, m.agent().x, "action " + a);
      assertEquals(12.5f + dy, m.agent().y, "action " + a);
    }
  }

  @Test
  void timeLimitTruncatesWithoutTerminating() {
    GymEnv env = EnvRegistry.builtin().make("procgen/maze-v0");
    assertEquals(Maze.TIMEOUT, env.maxEpisodeSteps());
    StepBuffers b = StepBuffers.allocate(env);
    env.reset(3, b, 0);
    for (int t = 1; t <= Maze.TIMEOUT; t++) {
      b.setDiscreteAction(0, NOOP);
      env.step(b, 0);
      assertFalse(b.terminated(0));
      assertEquals(t == Maze.TIMEOUT, b.truncated(0), "step " + t);
    }
    assertEquals(Maze.TIMEOUT, b.episodeLength(0));
    assertEquals(1000, EnvRegistry.builtin().spec("procgen/heist-v0").maxEpisodeSteps());
    assertEquals(6000, EnvRegistry.builtin().spec("procgen/bigfish-v0").maxEpisodeSteps());
  }

  /** Clears a heist level to an open room with the agent at (2.5, 2.5). */
  private static Heist openRoom(GameDriver d) {
    Heist h = (Heist) d.level(0).game;
    for (int i = 0; i < h.grid().size(); i++) {
      h.setObj(i, ProcgenGame.SPACE);
    }
    for (int i = h.entityCount() - 1; i >= 0; i--) {
      if (h.entity(i).type != ProcgenGame.PLAYER) {
        h.entities.remove(i);
      }
    }
    h.agent().x = 2.5f;
    h.agent().y = 2.5f;
    return h;
  }

  @Test
  void heistLockBlocksUntilItsKeyIsTakenAndTheGemPays() {
    GameDriver d = new GameDriver("procgen/heist-v0");
    Heist h = openRoom(d);
    h.addEntity(4.5f, 2.5f, 0, 0, .5f, Heist.LOCKED_DOOR).theme = 1;
    for (int t = 0; t < 15; t++) {
      assertEquals(0.0, d.step(RIGHT));
    }
    assertTrue(h.agent().x + h.agent().rx <= 4.0f + 1e-3f, "the lock stops the agent at x = " + h.agent().x);
    // Take the green key, then walk through the lock, which opens (disappears).
    h.addEntity(h.agent().x, h.agent().y, 0, 0, .375f, Heist.KEY).theme = 1;
    d.step(NOOP);
    assertTrue(h.hasKey(1));
    for (int t = 0; t < 15 && h.agent().x <= 5; t++) {
      d.step(RIGHT);
    }
    assertTrue(h.agent().x > 5, "walked through the opened lock: x = " + h.agent().x);
    for (int i = 0; i < h.entityCount(); i++) {
      assertTrue(h.entity(i).type != Heist.LOCKED_DOOR, "the lock is gone");
    }
    h.addEntity(h.agent().x + 1.5f, h.agent().y, 0, 0, .375f, Heist.EXIT);
    double total = 0;
    for (int t = 0; t < 5 && !h.terminated(); t++) {
      total += d.step(RIGHT);
    }
    assertEquals(10.0, total);
    assertTrue(h.terminated() && h.levelComplete());
  }

  /** A miner level turned to solid dirt around an open column above the agent. */
  private static Miner dirtLevel(GameDriver d) {
    Miner m = (Miner) d.level(0).game;
    for (int i = 0; i < m.grid().size(); i++) {
      m.setObj(i, Miner.DIRT);
    }
    m.agent().x = 5.5f;
    m.agent().y = 5.5f;
    m.setObj(5, 5, ProcgenGame.SPACE);
    return m;
  }

  @Test
  void minerFallingBoulderKillsButRestingOneDoesNot() {
    GameDriver d = new GameDriver("procgen/miner-v0");
    Miner m = dirtLevel(d);
    m.setObj(5, 6, Miner.BOULDER); // resting on the agent's cell
    d.step(NOOP);
    d.step(NOOP);
    assertFalse(m.terminated(), "a boulder that was already there does not crush");

    m = dirtLevel(d);
    m.setObj(5, 6, ProcgenGame.SPACE);
    m.setObj(5, 7, Miner.BOULDER);
    assertEquals(0.0, d.step(NOOP));
    assertFalse(m.terminated());
    assertEquals(Miner.MOVING_BOULDER, m.grid().get(5, 6), "the boulder falls one cell");
    assertEquals(0.0, d.step(NOOP));
    assertTrue(m.terminated(), "a falling boulder crushes the agent");
    assertFalse(m.levelComplete());
  }

  @Test
  void minerDiamondsPayOneAndTheExitTenOnceAllAreTaken() {
    GameDriver d = new GameDriver("procgen/miner-v0");
    Miner m = dirtLevel(d);
    for (int i = 0; i < m.entityCount(); i++) {
      if (m.entity(i).type == Miner.EXIT) {
        m.entity(i).x = 5.5f;
        m.entity(i).y = 3.5f;
      }
    }
    m.setObj(6, 5, Miner.DIAMOND);
    assertEquals(1.0, d.step(RIGHT));
    assertEquals(0, m.diamondsRemaining());
    assertEquals(0.0, d.step(LEFT));
    assertEquals(0.0, d.step(DOWN));
    assertEquals(10.0, d.step(DOWN));
    assertTrue(m.terminated() && m.levelComplete());
  }

  @Test
  void bigfishEatsSmallerFishAndDiesToBiggerOnes() {
    GameDriver d = new GameDriver("procgen/bigfish-v0", java.util.Map.of("spawn_one_in", 1000.0));
    BigFish b = (BigFish) d.level(0).game;
    float r0 = b.agent().rx;
    b.addEntity(b.agent().x, b.agent().y, 0, 0, .3f, BigFish.FISH);
    assertEquals(1.0, d.step(NOOP));
    assertEquals(1, b.fishEaten());
    assertEquals(r0 + (2 - r0) / 30, b.agent().rx, 1e-6);
    assertFalse(b.terminated());
    b.addEntity(b.agent().x, b.agent().y, 0, 0, 1.5f, BigFish.FISH);
    assertEquals(0.0, d.step(NOOP));
    assertTrue(b.terminated());
    assertFalse(b.levelComplete());
  }

  @Test
  void bigfishQuotaCompletesTheLevel() {
    GameDriver d = new GameDriver("procgen/bigfish-v0", java.util.Map.of("fish_quota", 2.0, "spawn_one_in", 1000.0));
    BigFish b = (BigFish) d.level(0).game;
    b.addEntity(b.agent().x, b.agent().y, 0, 0, .25f, BigFish.FISH);
    assertEquals(1.0, d.step(NOOP));
    b.addEntity(b.agent().x, b.agent().y, 0, 0, .25f, BigFish.FISH);
    assertEquals(11.0, d.step(NOOP));
    assertTrue(b.terminated() && b.levelComplete());
  }
}
