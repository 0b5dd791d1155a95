package dev.zeroshot.offline;

import dev.zeroshot.env.procgen.Grid;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Breadth-first search over a Procgen grid's four neighbours, for the planner experts; its
 * arrays are reused from one search to the next (a planner searches every step).
 */
final class GridBfs {

  private int[] from = new int[0];
  private int[] queue = new int[0];
  private int reached;

  /**
   * Searches from cell {@code start} through the cells {@code passable} accepts until a cell
   * {@code goal} accepts; returns that cell, or -1 when none is reachable.
   */
  int search(Grid g, int start, IntPredicate passable, IntPredicate goal) {
    int w = g.width();
    int n = g.size();
    if (from.length < n) {
      from = new int[n];
      queue = new int[n];
    }
    Arrays.fill(from, 0, n, -1);
    from[start] = start;
    int head = 0;
    reached = 0;
    queue[reached++] = start;
    while (head < reached) {
      int c = queue[head++];
      if (goal.test(c)) {
        return c;
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
        if (from[nc] < 0 && passable.test(nc)) {
          from[nc] = c;
          queue[reached++] = nc;
        }
      }
    }
    return -1;
  }

  /** The first cell the last search reached, in its order, that {@code test} accepts; or -1. */
  int firstReached(IntPredicate test) {
    for (int i = 0; i < reached; i++) {
      if (test.test(queue[i])) {
        return queue[i];
      }
    }
    return -1;
  }

  /** The cell after {@code start} on the last search's path to {@code target} (reached by it). */
  int firstStep(int start, int target) {
    int c = target;
    while (c != start && from[c] != start) {
      c = from[c];
    }
    return c;
  }
}
