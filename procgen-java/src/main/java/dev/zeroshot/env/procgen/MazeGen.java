package dev.zeroshot.env.procgen;

import java.util.Arrays;

/**
 * Procgen's maze generator ({@code mazegen.cpp}): randomized Kruskal on a {@code dim x dim}
 * cell array (cells at even coordinates, walls between them), framed by a one-cell border.
 * Variants add objects on free cells, doors on forks with keys placed where a BFS from the
 * agent reaches them before their door, or open every dead end. The random draws are
 * Procgen's, in its order; sets Procgen iterates in sorted order are iterated ascending here.
 */
final class MazeGen {

  static final int OFFSET = 1;
  static final int EXIT_OBJ = 52;
  static final int AGENT_OBJ = 53;
  static final int DOOR_OBJ = 200;
  static final int KEY_OBJ = 300;
  static final int SPACE = ProcgenGame.SPACE;
  static final int WALL = ProcgenGame.WALL_OBJ;
  private static final int INVALID = ProcgenGame.INVALID_OBJ;

  /** Procgen's neighbour order: it loops dx then dy over -1..1, skipping the centre and diagonals. */
  private static final int[] DX = {-1, 0, 0, 1};
  private static final int[] DY = {0, -1, 1, 0};

  private final Mt19937 rng;
  final int dim;
  final int arrayDim;
  /** Indexed x + y * arrayDim, including the border. */
  final int[] grid;
  private final int[] parent;
  private final int[] freeCells;
  private final boolean[] isFree;
  private int numFreeCells;

  MazeGen(Mt19937 rng, int dim) {
    this.rng = rng;
    this.dim = dim;
    this.arrayDim = dim + 2;
    grid = new int[arrayDim * arrayDim];
    parent = new int[dim * dim];
    freeCells = new int[dim * dim];
    isFree = new boolean[dim * dim];
  }

  /** The object at maze cell (x, y), border excluded. */
  int get(int x, int y) {
    return grid[(x + OFFSET) + (y + OFFSET) * arrayDim];
  }

  private void set(int x, int y, int v) {
    grid[(x + OFFSET) + (y + OFFSET) * arrayDim] = v;
  }

  private int find(int c) {
    while (parent[c] != c) {
      parent[c] = parent[parent[c]];
      c = parent[c];
    }
    return c;
  }

  private void setFree(int x, int y) {
    set(x, y, SPACE);
    int cell = dim * y + x;
    if (!isFree[cell]) {
      isFree[cell] = true;
      freeCells[numFreeCells++] = cell;
    }
  }

  void generateMaze() {
    Arrays.fill(grid, WALL);
    set(0, 0, 0);
    numFreeCells = 0;
    Arrays.fill(isFree, false);
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    int[] walls = new int[4 * dim * dim];
    int n = 0;
    for (int i = 1; i < dim; i += 2) {
      for (int j = 0; j < dim; j += 2) {
        if (i < dim - 1) {
          walls[n++] = i - 1;
          walls[n++] = j;
          walls[n++] = i + 1;
          walls[n++] = j;
        }
      }
    }
    for (int i = 0; i < dim; i += 2) {
      for (int j = 1; j < dim; j += 2) {
        if (j < dim - 1) {
          walls[n++] = i;
          walls[n++] = j - 1;
          walls[n++] = i;
          walls[n++] = j + 1;
        }
      }
    }
    int count = n / 4;
    while (count > 0) {
      int k = rng.randn(count);
      int x1 = walls[4 * k];
      int y1 = walls[4 * k + 1];
      int x2 = walls[4 * k + 2];
      int y2 = walls[4 * k + 3];
      int s0 = find(dim * y1 + x1);
      int s1 = find(dim * y2 + x2);
      int x0 = (x1 + x2) / 2;
      int y0 = (y1 + y2) / 2;
      if (get(x0, y0) == WALL && s0 != s1) {
        setFree(x1, y1);
        setFree(x0, y0);
        setFree(x2, y2);
        parent[s0] = s1;
      }
      // Procgen erases from a vector, keeping the order of the remaining walls.
      System.arraycopy(walls, 4 * (k + 1), walls, 4 * k, 4 * (count - k - 1));
      count--;
    }
  }

  /** Puts objects {@code startObj, startObj + 1, ...} on distinct free cells other than the start. */
  void placeObjects(int startObj, int num) {
    for (int j = 0; j < num; j++) {
      int m = rng.randn(numFreeCells);
      while (freeCells[m] == -1 || freeCells[m] == 0) {
        m = rng.randn(numFreeCells);
      }
      int cell = freeCells[m];
      freeCells[m] = -1;
      set(cell % dim, cell / dim, startObj + j);
    }
  }

  /** The object at array index i, or INVALID on the border. */
  private int objAt(int i) {
    int x = i % arrayDim;
    int y = i / arrayDim;
    if (x <= 0 || x >= arrayDim - 1 || y <= 0 || y >= arrayDim - 1) {
      return INVALID;
    }
    return grid[i];
  }

  /** Fills {@code out} with the 4-neighbours of i holding {@code type}, in Procgen's order; returns how many. */
  private int neighbors(int i, int type, int[] out) {
    int n = 0;
    int x = i % arrayDim;
    int y = i / arrayDim;
    for (int k = 0; k < 4; k++) {
      int j = (x + DX[k]) + (y + DY[k]) * arrayDim;
      if (j >= 0 && j < grid.length && objAt(j) == type) {
        out[n++] = j;
      }
    }
    return n;
  }

  /** Opens one random wall next to every dead end (chaser's Pac-Man style maze). */
  void generateMazeNoDeadEnds() {
    generateMaze();
    int[] adj = new int[4];
    for (int i = 0; i < grid.length; i++) {
      if (objAt(i) == SPACE && neighbors(i, SPACE, adj) == 1) {
        int walls = neighbors(i, WALL, adj);
        if (walls > 0) {
          grid[adj[rng.randn(walls)]] = SPACE;
        }
      }
    }
  }

  /**
   * Puts up to {@code numDoors} doors on forks, the agent away from doors, key k where the agent
   * can reach it holding keys 0..k-1, and the exit behind the last door. Doors become
   * {@code DOOR_OBJ + k + 1}, keys {@code KEY_OBJ + k + 1}. Returns the number of doors placed.
   */
  int generateMazeWithDoors(int numDoors) {
    generateMaze();
    int[] adj = new int[4];
    int[] forks = new int[grid.length];
    int numForks = 0;
    for (int i = 0; i < grid.length; i++) {
      if (objAt(i) == SPACE && neighbors(i, SPACE, adj) > 2) {
        forks[numForks++] = i;
      }
    }
    // choose_n: all forks if there are too few, else draws without replacement.
    int[] chosen;
    if (numDoors > numForks) {
      chosen = Arrays.copyOf(forks, numForks);
    } else {
      int[] rem = Arrays.copyOf(forks, numForks);
      int remSize = numForks;
      chosen = new int[numDoors];
      for (int c = 0; c < numDoors; c++) {
        int k = rng.randn(remSize);
        chosen[c] = rem[k];
        System.arraycopy(rem, k + 1, rem, k, remSize - k - 1);
        remSize--;
      }
    }
    numDoors = chosen.length;
    for (int i : chosen) {
      grid[i] = DOOR_OBJ;
    }

    int[] spaceCells = new int[grid.length];
    int numSpace = 0;
    for (int i = 0; i < grid.length; i++) {
      if (objAt(i) == SPACE) {
        spaceCells[numSpace++] = i;
      }
    }
    int agentCell;
    do {
      agentCell = spaceCells[rng.randn(numSpace)];
    } while (neighbors(agentCell, DOOR_OBJ, adj) > 0);
    grid[agentCell] = AGENT_OBJ;

    boolean[] s0 = new boolean[grid.length];
    s0[agentCell] = true;
    for (int door = 0; door < numDoors + 1; door++) {
      boolean[] s1 = new boolean[grid.length];
      int foundDoor = -1;
      if (door < numDoors) {
        foundDoor = expandToType(s0, s1, DOOR_OBJ);
        grid[foundDoor] = DOOR_OBJ + door + 1;
        union(s0, s1);
      }
      expandToType(s0, s1, -999);
      int numCells = 0;
      for (int i = 0; i < grid.length; i++) {
        if (s1[i]) {
          spaceCells[numCells++] = i;
        }
      }
      if (numCells == 0) {
        throw new IllegalStateException("maze with doors: no free cell for key " + door);
      }
      int keyCell = spaceCells[rng.randn(numCells)];
      grid[keyCell] = door == numDoors ? EXIT_OBJ : KEY_OBJ + door + 1;
      union(s0, s1);
      if (foundDoor >= 0) {
        s0[foundDoor] = true;
      }
    }
    return numDoors;
  }

  private static void union(boolean[] into, boolean[] from) {
    for (int i = 0; i < into.length; i++) {
      into[i] |= from[i];
    }
  }

  /**
   * Breadth-first over free cells from s0, adding newly reached cells to s1; returns the first
   * neighbour of type {@code type} met (in ascending cell order per ring), or -1.
   */
  private int expandToType(boolean[] s0, boolean[] s1, int type) {
    int[] curr = new int[grid.length];
    int currSize = 0;
    for (int i = 0; i < grid.length; i++) {
      if (s0[i]) {
        curr[currSize++] = i;
      }
    }
    int[] targets = new int[4];
    int[] spaces = new int[4];
    boolean[] next = new boolean[grid.length];
    while (currSize > 0) {
      Arrays.fill(next, false);
      for (int c = 0; c < currSize; c++) {
        int elem = curr[c];
        int nt = neighbors(elem, type, targets);
        int ns = neighbors(elem, SPACE, spaces);
        for (int k = 0; k < ns; k++) {
          int j = spaces[k];
          if (!s0[j] && !s1[j]) {
            next[j] = true;
            s1[j] = true;
          }
        }
        if (nt > 0) {
          return targets[0];
        }
      }
      currSize = 0;
      for (int i = 0; i < grid.length; i++) {
        if (next[i]) {
          curr[currSize++] = i;
        }
      }
    }
    return -1;
  }
}
