package dev.zeroshot.offline;

import dev.zeroshot.env.control.CartPole;
import dev.zeroshot.env.procgen.Entity;
import dev.zeroshot.env.procgen.Grid;
import dev.zeroshot.env.procgen.Heist;
import dev.zeroshot.env.procgen.Maze;
import dev.zeroshot.env.procgen.ProcgenGame;
import java.util.function.IntPredicate;

/**
 * Expert policies that read an env's internal state, used only to generate data (learners see
 * observations only):
 * <ul>
 *   <li>Procgen maze: breadth-first search over the level's tile grid from the mouse's cell to
 *       the cheese, replanned every step (so it recovers from epsilon-random moves), taking
 *       the first move of a shortest path: the optimal return (10) in the fewest steps.</li>
 *   <li>Procgen heist: breadth-first search over the tile grid from the agent's cell, with the
 *       locks whose key is not held as walls, to the gem if it is reachable, else to the nearest
 *       key not yet held; replanned every step. It then pushes toward the centre of the path's
 *       next cell on each axis still more than {@link #DEADBAND} away from it (bang-bang, so the
 *       action depends on the position alone, not on the velocity the frame does not show); at
 *       a turn the two pushes make a diagonal slide that the walls hold until the opening.</li>
 *   <li>CartPole: a linear state-feedback controller on the true state (cart position and
 *       velocity, pole angle and angular velocity) that keeps the pole up for the whole episode
 *       in the default context.</li>
 * </ul>
 */
public final class Planners {

  // Procgen's action codes for the four moves.
  static final int LEFT = 1;
  static final int DOWN = 3;
  static final int UP = 5;
  static final int RIGHT = 7;

  private Planners() {}

  /** The planner expert for {@code envId}, or an error naming the envs that have one. */
  public static CollectionPolicy forEnv(String envId) {
    String base = envId.replaceFirst("^procgen/", "").replaceFirst("-v\\d+$", "").replaceFirst("-symbolic$", "")
        .replaceFirst("-(easy|hard|memory|extreme)$", "");
    if (envId.startsWith("procgen/") && base.equals("maze")) {
      return maze();
    }
    if (envId.startsWith("procgen/") && base.equals("heist")) {
      return heist();
    }
    if (envId.startsWith("CartPole")) {
      return cartPole();
    }
    throw new IllegalArgumentException("no planner expert for " + envId
        + "; planners exist for procgen/maze, procgen/heist (any mode) and CartPole-v1");
  }

  /** BFS over the maze grid. */
  public static CollectionPolicy maze() {
    GridBfs bfs = new GridBfs();
    return CollectionPolicy.perEnv("planner(maze-bfs)", (env, buf, i) -> {
      Maze m = (Maze) env.env();
      Grid g = m.grid();
      int w = g.width();
      int start = (int) m.agent().x + (int) m.agent().y * w;
      int goal = bfs.search(g, start, c -> g.get(c) != ProcgenGame.WALL_OBJ, c -> g.get(c) == Maze.GOAL);
      if (goal < 0 || goal == start) {
        return 4; // no path (cannot happen in a generated maze): stand still
      }
      int c = bfs.firstStep(start, goal);
      int dx = c % w - start % w;
      int dy = c / w - start / w;
      return dx == 1 ? RIGHT : dx == -1 ? LEFT : dy == 1 ? UP : DOWN;
    });
  }

  /** Heist: how far (cells) from the next cell's centre an axis still gets a push. */
  static final float DEADBAND = .15f;

  /** BFS to the gem (or the nearest missing key) through open locks, then steer. */
  public static CollectionPolicy heist() {
    HeistPlanner p = new HeistPlanner();
    return CollectionPolicy.perEnv("planner(heist-bfs)", (env, buf, i) -> p.action((Heist) env.env()));
  }

  /** The heist expert's search and its per-cell scratch (the lock, key or gem on each cell), grown as needed. */
  private static final class HeistPlanner {
    private final GridBfs bfs = new GridBfs();
    private int[] cellType = new int[0];
    private int[] cellTheme = new int[0];

    int action(Heist h) {
      Grid g = h.grid();
      int w = g.width();
      int n = g.size();
      if (cellType.length < n) {
        cellType = new int[n];
        cellTheme = new int[n];
      }
      java.util.Arrays.fill(cellType, 0, n, -1);
      for (int i = 0; i < h.entityCount(); i++) {
        Entity e = h.entity(i);
        if (e.willErase || (e.type != Heist.KEY && e.type != Heist.LOCKED_DOOR && e.type != Heist.EXIT)) {
          continue;
        }
        int ex = (int) Math.floor(e.x);
        int ey = (int) Math.floor(e.y);
        if (g.contains(ex, ey)) {
          cellType[ex + ey * w] = e.type;
          cellTheme[ex + ey * w] = e.theme;
        }
      }
      Entity a = h.agent();
      int sx = (int) Math.floor(a.x);
      int sy = (int) Math.floor(a.y);
      if (!g.contains(sx, sy)) {
        return 4;
      }
      int start = sx + sy * w;
      IntPredicate open = c -> g.get(c) != ProcgenGame.WALL_OBJ
          && !(cellType[c] == Heist.LOCKED_DOOR && !h.hasKey(cellTheme[c]));
      int goal = bfs.search(g, start, open, c -> cellType[c] == Heist.EXIT);
      if (goal < 0) { // no gem reachable yet: the nearest key still missing
        goal = bfs.firstReached(c -> cellType[c] == Heist.KEY && !h.hasKey(cellTheme[c]));
      }
      if (goal < 0) {
        return 4; // nothing reachable (cannot happen in a generated level): stand still
      }
      int c = bfs.firstStep(start, goal);
      float tx = c % w + .5f;
      float ty = c / w + .5f;
      int ax = Math.abs(tx - a.x) > DEADBAND ? (tx > a.x ? 1 : -1) : 0;
      int ay = Math.abs(ty - a.y) > DEADBAND ? (ty > a.y ? 1 : -1) : 0;
      return (ax + 1) * 3 + (ay + 1);
    }
  }

  /** Push right when the pole, corrected for the cart's drift, leans or moves right. */
  public static CollectionPolicy cartPole() {
    return CollectionPolicy.perEnv("planner(cartpole-linear)", (env, buf, i) -> {
      if (!(env.env() instanceof CartPole)) {
        throw new IllegalStateException("the CartPole planner was given " + env.env());
      }
      float x = buf.floatObservation(i, 0);
      float v = buf.floatObservation(i, 1);
      float th = buf.floatObservation(i, 2);
      float w = buf.floatObservation(i, 3);
      double u = 0.05 * x + 0.3 * v + 10 * th + 2 * w;
      return u > 0 ? 1 : 0;
    });
  }
}
