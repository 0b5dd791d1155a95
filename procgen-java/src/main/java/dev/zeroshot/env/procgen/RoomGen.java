package dev.zeroshot.env.procgen;

import java.util.Arrays;

/**
 * Procgen's cellular-automaton cave tools ({@code roomgen.cpp}), shared by caveflyer and
 * jumper: a smoothing pass over wall noise, the largest open room, the shortest open path
 * between two cells, and widening a set of cells. They work on the game's grid, where
 * {@link ProcgenGame#WALL_OBJ} is wall and {@link ProcgenGame#SPACE} is open; cells outside the
 * grid read as the game's out-of-bounds object. A set of cells is a flag per grid index and is
 * walked in ascending index order, as Procgen walks its {@code std::set}. The work arrays are
 * kept between levels.
 */
final class RoomGen {

  /**
   * Caves a generator grows for one level, where Procgen would assert, before it gives up with
   * an error naming its context (the default contexts essentially always need one).
   */
  static final int MAX_CAVES = 1000;

  /** Procgen's 4-neighbour order: dx then dy over -1..1, skipping the centre and diagonals. */
  private static final int[] DX = {-1, 0, 0, 1};
  private static final int[] DY = {0, -1, 1, 0};

  private final ProcgenGame game;
  private int[] next = new int[0];
  private int[] queue = new int[0];
  private int[] parent = new int[0];
  private boolean[] seen = new boolean[0];
  private boolean[] frontier = new boolean[0];
  private boolean[] grown = new boolean[0];

  RoomGen(ProcgenGame game) {
    this.game = game;
  }

  private void ensureCapacity(int n) {
    if (next.length < n) {
      next = new int[n];
      queue = new int[n];
      parent = new int[n];
      seen = new boolean[n];
      frontier = new boolean[n];
      grown = new boolean[n];
    }
  }

  /** One cellular-automaton pass: a cell becomes wall when at least 5 of its 3x3 block are walls, else space. */
  void smooth() {
    Grid g = game.grid;
    int w = g.width();
    int n = g.size();
    ensureCapacity(n);
    for (int i = 0; i < n; i++) {
      int x = i % w;
      int y = i / w;
      int walls = 0;
      for (int dx = -1; dx <= 1; dx++) {
        for (int dy = -1; dy <= 1; dy++) {
          if (game.getObj(x + dx, y + dy) == ProcgenGame.WALL_OBJ) {
            walls++;
          }
        }
      }
      next[i] = walls >= 5 ? ProcgenGame.WALL_OBJ : ProcgenGame.SPACE;
    }
    for (int i = 0; i < n; i++) {
      game.setObj(i, next[i]);
    }
  }

  /** The grid index of (x, y), or -1 outside the grid. */
  private int index(int x, int y) {
    return game.grid.contains(x, y) ? x + y * game.grid.width() : -1;
  }

  private boolean open(int index) {
    return index >= 0 && game.grid.get(index) == ProcgenGame.SPACE;
  }

  /**
   * Marks in {@code room} (cleared first) the largest 4-connected room of open cells and returns
   * its size; of equal rooms, the one met first scanning by index. As in Procgen, a lone open
   * cell counts as an empty room, so the result is 0 when no two open cells touch.
   */
  int findBestRoom(boolean[] room) {
    int n = game.grid.size();
    ensureCapacity(n);
    Arrays.fill(room, 0, n, false);
    Arrays.fill(seen, 0, n, false);
    int bestSize = -1;
    int bestStart = -1;
    for (int i = 0; i < n; i++) {
      if (!open(i) || seen[i]) {
        continue;
      }
      int size = flood(i);
      int counted = size == 1 ? 0 : size;
      if (counted > bestSize) {
        bestSize = counted;
        bestStart = i;
      }
    }
    if (bestSize <= 0) {
      return 0;
    }
    // Mark the winner again, this time into the caller's set.
    Arrays.fill(seen, 0, n, false);
    int size = flood(bestStart);
    for (int k = 0; k < size; k++) {
      room[queue[k]] = true;
    }
    return size;
  }

  /** Breadth-first over open cells from {@code start}, marking {@link #seen}; the cells land in {@link #queue}. */
  private int flood(int start) {
    int w = game.grid.width();
    int head = 0;
    int tail = 0;
    queue[tail++] = start;
    seen[start] = true;
    while (head < tail) {
      int c = queue[head++];
      for (int k = 0; k < 4; k++) {
        int j = index(c % w + DX[k], c / w + DY[k]);
        if (open(j) && !seen[j]) {
          seen[j] = true;
          queue[tail++] = j;
        }
      }
    }
    return tail;
  }

  /**
   * Writes the shortest 4-connected path of open cells from {@code src} to {@code dst} into
   * {@code path} (src first, dst last) and returns its length; 0 when there is none. Ties go
   * the way Procgen's breadth-first search (neighbours in its order) finds first.
   */
  int findPath(int src, int dst, int[] path) {
    int n = game.grid.size();
    ensureCapacity(n);
    if (!open(src)) {
      return 0;
    }
    int w = game.grid.width();
    Arrays.fill(seen, 0, n, false);
    int head = 0;
    int tail = 0;
    queue[tail] = src;
    parent[tail++] = -1;
    seen[src] = true;
    int found = -1;
    while (head < tail) {
      int c = queue[head];
      if (c == dst) {
        found = head;
        break;
      }
      for (int k = 0; k < 4; k++) {
        int j = index(c % w + DX[k], c / w + DY[k]);
        if (open(j) && !seen[j]) {
          seen[j] = true;
          queue[tail] = j;
          parent[tail++] = head;
        }
      }
      head++;
    }
    if (found < 0) {
      return 0;
    }
    int length = 0;
    for (int k = found; k >= 0; k = parent[k]) {
      length++;
    }
    int at = length;
    for (int k = found; k >= 0; k = parent[k]) {
      path[--at] = queue[k];
    }
    return length;
  }

  /** Adds to {@code set} every open cell within {@code steps} 8-connected steps of it, stepping through open cells. */
  void expand(boolean[] set, int steps) {
    int n = game.grid.size();
    ensureCapacity(n);
    int w = game.grid.width();
    System.arraycopy(set, 0, frontier, 0, n);
    for (int loop = 0; loop < steps; loop++) {
      Arrays.fill(grown, 0, n, false);
      for (int c = 0; c < n; c++) {
        if (!frontier[c] || !open(c)) {
          continue;
        }
        for (int dx = -1; dx <= 1; dx++) {
          for (int dy = -1; dy <= 1; dy++) {
            int j = index(c % w + dx, c / w + dy);
            if ((dx != 0 || dy != 0) && open(j) && !set[j]) {
              set[j] = true;
              grown[j] = true;
            }
          }
        }
      }
      boolean[] t = frontier;
      frontier = grown;
      grown = t;
    }
  }
}
