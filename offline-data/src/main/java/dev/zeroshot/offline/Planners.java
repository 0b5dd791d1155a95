package dev.zeroshot.offline;

import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.control.CartPole;
import dev.zeroshot.env.procgen.Entity;
import dev.zeroshot.env.procgen.Grid;
import dev.zeroshot.env.procgen.Heist;
import dev.zeroshot.env.procgen.Maze;
import dev.zeroshot.env.procgen.ProcgenGame;
import java.util.SplittableRandom;

/**
 * Expert policies that read an env's internal state, used only to generate data (learners see
 * observations only):
 * <ul>
 *   <li>Procgen maze: breadth-first search over the level's tile grid from the mouse's cell to
 *       the cheese, replanned every step (so it recovers from epsilon-random moves), taking
 *       the first move of a shortest path: the optimal return (10) in the fewest steps.</li>
 *   <li>Procgen heist: breadth-first search over the tile grid from the agent's cell, with the
 *       locks whose key is not held as walls, to the gem if it is reachable, else to the nearest
 *       key not yet held; replanned every step. A per-axis controller then steers toward the
 *       centre of the path's next cell, picking for each axis the push (-1, 0, +1) whose
 *       predicted stopping point (the game's velocity rule, then coasting) lands nearest it,
 *       and sliding diagonally along a wall when the turn's axis is off by less than a push.</li>
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
    String base = envId.replaceFirst("^procgen/", "").replaceFirst("-v\\d+$", "").replaceFirst("-(easy|hard|memory|extreme)$", "");
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
    return new CollectionPolicy() {
      private int[] from = new int[0];
      private int[] queue = new int[0];

      @Override
      public String name() {
        return "planner(maze-bfs)";
      }

      @Override
      public void act(GymEnv[] envs, StepBuffers buf, SplittableRandom rng) {
        for (int i = 0; i < envs.length; i++) {
          buf.setDiscreteAction(i, mazeAction((Maze) envs[i].env()));
        }
      }

      int mazeAction(Maze m) {
        Grid g = m.grid();
        int w = g.width();
        int n = g.size();
        if (from.length < n) {
          from = new int[n];
          queue = new int[n];
        }
        java.util.Arrays.fill(from, 0, n, -1);
        int start = (int) m.agent().x + (int) m.agent().y * w;
        from[start] = start;
        int head = 0;
        int tail = 0;
        queue[tail++] = start;
        int goal = -1;
        while (head < tail) {
          int c = queue[head++];
          if (g.get(c) == Maze.GOAL) {
            goal = c;
            break;
          }
          int cx = c % w;
          int cy = c / w;
          for (int k = 0; k < 4; k++) {
            int nx = cx + (k == 0 ? 1 : k == 1 ? -1 : 0);
            int ny = cy + (k == 2 ? 1 : k == 3 ? -1 : 0);
            if (!g.contains(nx, ny)) {
              continue;
            }
            int nc = nx + ny * w;
            if (from[nc] < 0 && g.get(nc) != ProcgenGame.WALL_OBJ) {
              from[nc] = c;
              queue[tail++] = nc;
            }
          }
        }
        if (goal < 0 || goal == start) {
          return 4; // no path (cannot happen in a generated maze): stand still
        }
        int c = goal;
        while (from[c] != start) {
          c = from[c];
        }
        int dx = c % w - start % w;
        int dy = c / w - start / w;
        return dx == 1 ? RIGHT : dx == -1 ? LEFT : dy == 1 ? UP : DOWN;
      }
    };
  }

  /** BFS to the gem (or the nearest missing key) through open locks, then steer. */
  public static CollectionPolicy heist() {
    return new CollectionPolicy() {
      private int[] from = new int[0];
      private int[] queue = new int[0];
      private int[] cellType = new int[0];
      private int[] cellTheme = new int[0];

      @Override
      public String name() {
        return "planner(heist-bfs)";
      }

      @Override
      public void act(GymEnv[] envs, StepBuffers buf, SplittableRandom rng) {
        for (int i = 0; i < envs.length; i++) {
          buf.setDiscreteAction(i, heistAction((Heist) envs[i].env()));
        }
      }

      int heistAction(Heist h) {
        Grid g = h.grid();
        int w = g.width();
        int n = g.size();
        if (from.length < n) {
          from = new int[n];
          queue = new int[n];
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
        java.util.Arrays.fill(from, 0, n, -1);
        int start = sx + sy * w;
        from[start] = start;
        int head = 0;
        int tail = 0;
        queue[tail++] = start;
        int gem = -1;
        int key = -1;
        while (head < tail) {
          int c = queue[head++];
          if (cellType[c] == Heist.EXIT) {
            gem = c;
            break;
          }
          if (key < 0 && cellType[c] == Heist.KEY && !h.hasKey(cellTheme[c])) {
            key = c;
          }
          int cx = c % w;
          int cy = c / w;
          for (int k = 0; k < 4; k++) {
            int nx = cx + (k == 0 ? 1 : k == 1 ? -1 : 0);
            int ny = cy + (k == 2 ? 1 : k == 3 ? -1 : 0);
            if (!g.contains(nx, ny)) {
              continue;
            }
            int nc = nx + ny * w;
            boolean locked = cellType[nc] == Heist.LOCKED_DOOR && !h.hasKey(cellTheme[nc]);
            if (from[nc] < 0 && g.get(nc) != ProcgenGame.WALL_OBJ && !locked) {
              from[nc] = c;
              queue[tail++] = nc;
            }
          }
        }
        int goal = gem >= 0 ? gem : key;
        if (goal < 0) {
          return 4; // nothing reachable (cannot happen in a generated level): stand still
        }
        int c = goal;
        while (c != start && from[c] != start) {
          c = from[c];
        }
        float tx = c % w + .5f;
        float ty = c / w + .5f;
        int ax = push(a.x, a.vx, tx);
        int ay = push(a.y, a.vy, ty);
        // Too near to move by a whole push on one axis while the other must move: push anyway. The
        // walls hold the other axis until the agent passes the opening (a diagonal slide).
        if (ax == 0 && ay != 0 && Math.abs(tx - a.x) > .1f) {
          ax = tx > a.x ? 1 : -1;
        }
        if (ay == 0 && ax != 0 && Math.abs(ty - a.y) > .1f) {
          ay = ty > a.y ? 1 : -1;
        }
        return (ax + 1) * 3 + (ay + 1);
      }

      /** The push whose stopping point (one step of the velocity rule, then coasting) is nearest t. */
      int push(float p, float v, float t) {
        int best = 0;
        double bestErr = Double.MAX_VALUE;
        for (int u : new int[] {0, -1, 1}) {
          // heist: v' = 0.9 (0.5 v + 0.5 * 0.75 u); coasting then multiplies it by 0.45 per step
          double v1 = 0.9 * (0.5 * v + 0.375 * u);
          double err = Math.abs(p + v1 / 0.55 - t);
          if (err < bestErr - 1e-9) {
            best = u;
            bestErr = err;
          }
        }
        return best;
      }
    };
  }

  /** Push right when the pole, corrected for the cart's drift, leans or moves right. */
  public static CollectionPolicy cartPole() {
    return new CollectionPolicy() {
      @Override
      public String name() {
        return "planner(cartpole-linear)";
      }

      @Override
      public void act(GymEnv[] envs, StepBuffers buf, SplittableRandom rng) {
        for (int i = 0; i < envs.length; i++) {
          if (!(envs[i].env() instanceof CartPole)) {
            throw new IllegalStateException("the CartPole planner was given " + envs[i].env());
          }
          float x = buf.floatObservation(i, 0);
          float v = buf.floatObservation(i, 1);
          float th = buf.floatObservation(i, 2);
          float w = buf.floatObservation(i, 3);
          double u = 0.05 * x + 0.3 * v + 10 * th + 2 * w;
          buf.setDiscreteAction(i, u > 0 ? 1 : 0);
        }
      }
    };
  }
}
