package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;

/**
 * Procgen's chaser (a Pac-Man): the agent keeps moving through a maze without dead ends,
 * eating small orbs (+0.04 each); eating every small orb gives +10 and completes the level.
 * Large orbs (+0.04), one per quadrant with one quadrant adjusted, make the enemies edible
 * for eat_timeout steps. Enemies hatch from eggs after egg_timeout steps and, at junctions,
 * half the time chase the agent (flee while edible), otherwise turn at random; an eaten enemy
 * comes back as an egg. Touching an enemy that is not edible ends the episode.
 */
public final class Chaser extends ProcgenGame {

  public static final int LARGE_ORB = 2;
  public static final int ENEMY_EGG = 4;
  public static final int MAZE_WALL = 5;
  public static final int ENEMY = 6;
  public static final int MARKER = 1001;
  public static final int ORB = 1002;
  public static final float ORB_REWARD = 0.04f;
  public static final float COMPLETION_BONUS = 10;
  public static final int TIMEOUT = 1000;
  private static final float ORB_DIM = .3f;

  private static final int[][] WALL_THEMES = Palettes.themes(Backgrounds.count(Backgrounds.Style.TOPDOWN), 0.62, 0.45, 0.7);
  private static final int[] AGENT = Palettes.of(Palettes.rgb(250, 150, 40), Palettes.rgb(60, 60, 60), Palettes.rgb(255, 255, 255));
  private static final int[] BIG_ORB = Palettes.of(Palettes.rgb(250, 230, 60), Palettes.rgb(200, 160, 20));
  private static final int[] ENEMY_COLOURS = Palettes.of(Palettes.rgb(220, 40, 60), Palettes.rgb(255, 255, 255));
  private static final int[] WEAK_COLOURS = Palettes.of(Palettes.rgb(60, 80, 230), Palettes.rgb(255, 255, 255));
  private static final int[] EGG_COLOURS = Palettes.of(Palettes.rgb(235, 225, 210), Palettes.rgb(200, 90, 90));
  private static final int ORB_COLOUR = Palettes.rgb(0, 255, 0);

  public static ContextSpace contextSpace(DistributionMode mode) {
    int dim;
    int enemies;
    int extra;
    switch (mode) {
      case EASY -> { dim = 11; enemies = 3; extra = 0; }
      case HARD -> { dim = 13; enemies = 3; extra = -1; }
      case EXTREME -> { dim = 19; enemies = 5; extra = 1; }
      default -> throw new IllegalArgumentException("chaser has no " + mode.id() + " mode");
    }
    return Features.common(false)
        .integer("maze_dim", dim, 7, 41, "side of the square maze (odd)")
        .integer("num_enemies", enemies, 0, 12, "enemies (eggs at the start)")
        .integer("large_orbs_per_quadrant", 1, 0, 2, "large orbs in each quadrant")
        .integer("extra_large_orbs", extra, -1, 1, "added to one random quadrant's large orbs")
        .integer("eat_timeout", 75, 1, 1000, "steps enemies stay edible after a large orb")
        .integer("egg_timeout", 50, 1, 1000, "steps before an egg hatches")
        .rule(c -> Maze.odd(c, "maze_dim"))
        .rule(c -> c.get("large_orbs_per_quadrant") + c.get("extra_large_orbs") >= 0 ? null
            : "large_orbs_per_quadrant + extra_large_orbs must be >= 0")
        .build(ProcgenSuite.id("chaser", mode));
  }

  private int mazeDim;
  private int totalEnemies;
  private int orbsPerQuadrant;
  private int extraOrbs;
  private int eatTimeout;
  private int eggTimeout;

  private int eatTime;
  int totalOrbs;
  int orbsCollected;
  private boolean[] isSpace = new boolean[0];
  private int[] freeCells = new int[0];
  private int numFree;
  private final int[] adjacent = new int[4];
  private final int[] candidates = new int[4];

  public Chaser(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.TOPDOWN);
    mixrate = 1;
    maxspeed = .5f;
    hasUsefulVelInfo = false;
  }

  @Override
  protected void applyContext(Context c) {
    mazeDim = (int) c.get("maze_dim");
    totalEnemies = (int) c.get("num_enemies");
    orbsPerQuadrant = (int) c.get("large_orbs_per_quadrant");
    extraOrbs = (int) c.get("extra_large_orbs");
    eatTimeout = (int) c.get("eat_timeout");
    eggTimeout = (int) c.get("egg_timeout");
  }

  public int totalOrbs() {
    return totalOrbs;
  }

  public int orbsCollected() {
    return orbsCollected;
  }

  public boolean canEatEnemies() {
    return curTime - eatTime < eatTimeout;
  }

  @Override
  protected void chooseWorldDim() {
    mainWidth = mazeDim;
    mainHeight = mazeDim;
  }

  @Override
  protected void gameReset() {
    super.gameReset();
    centerAgent = false;
    agent.rx = .5f;
    agent.ry = .5f;
    eatTime = -eatTimeout;
    MazeGen gen = new MazeGen(rng, mazeDim);
    gen.generateMazeNoDeadEnds();
    int extraQuad = rng.randn(4);
    int[][] quadrants = new int[4][mazeDim * mazeDim];
    int[] quadSize = new int[4];
    for (int i = 0; i < mazeDim; i++) {
      for (int j = 0; j < mazeDim; j++) {
        int obj = gen.get(i, j);
        setObj(i, j, obj == WALL_OBJ ? MAZE_WALL : obj);
        if (obj == SPACE) {
          int quad = (i >= mazeDim / 2.0 ? 1 : 0) * 2 + (j >= mazeDim / 2.0 ? 1 : 0);
          quadrants[quad][quadSize[quad]++] = j * mazeDim + i;
        }
      }
    }
    for (int q = 0; q < 4; q++) {
      int n = Math.min(quadSize[q], orbsPerQuadrant + (q == extraQuad ? extraOrbs : 0));
      for (int k : simpleChoose(quadSize[q], n)) {
        int cell = quadrants[q][k];
        addEntity(cell % mazeDim + .5f, cell / mazeDim + .5f, 0, 0, .4f, LARGE_ORB);
        setObj(cell, MARKER);
      }
    }
    int[] free = cellsOf(SPACE);
    int[] chosen = simpleChoose(free.length, Math.min(free.length, 1 + totalEnemies));
    int start = free[chosen[0]];
    agent.x = start % mazeDim + .5f;
    agent.y = start / mazeDim + .5f;
    for (int i = 1; i < chosen.length; i++) {
      setObj(free[chosen[i]], MARKER);
      spawnEgg(free[chosen[i]]);
    }
    for (int cell : free) {
      setObj(cell, ORB);
    }
    totalOrbs = free.length;
    orbsCollected = 0;
    for (int cell : cellsOf(MARKER)) {
      setObj(cell, SPACE);
    }
    isSpace = new boolean[grid.size()];
    freeCells = new int[grid.size()];
    numFree = 0;
    for (int i = 0; i < grid.size(); i++) {
      isSpace[i] = grid.get(i) != MAZE_WALL;
      if (isSpace[i]) {
        freeCells[numFree++] = i;
      }
    }
  }

  private int[] cellsOf(int type) {
    int n = 0;
    for (int i = 0; i < grid.size(); i++) {
      n += grid.get(i) == type ? 1 : 0;
    }
    int[] cells = new int[n];
    n = 0;
    for (int i = 0; i < grid.size(); i++) {
      if (grid.get(i) == type) {
        cells[n++] = i;
      }
    }
    return cells;
  }

  /** k distinct ints in [0, n), drawn by rejection (Procgen's simple_choose). */
  private int[] simpleChoose(int n, int k) {
    int[] chosen = new int[k];
    boolean[] taken = new boolean[n];
    for (int i = 0; i < k; i++) {
      int next = rng.randn(n);
      while (taken[next]) {
        next = rng.randn(n);
      }
      chosen[i] = next;
      taken[next] = true;
    }
    return chosen;
  }

  private void spawnEgg(int cell) {
    addEntity(cell % mazeDim + .5f, cell / mazeDim + .5f, 0, 0, .5f, ENEMY_EGG).timer = eggTimeout;
  }

  /** Pac-Man control: the agent keeps its heading on each axis until told otherwise. */
  @Override
  protected void updateAgentVelocity() {
    if (actionVx != 0) {
      agent.vx = maxspeed * actionVx;
    }
    if (actionVy != 0) {
      agent.vy = maxspeed * actionVy;
    }
    agent.vx = Math.signum(agent.vx) * maxspeed;
    agent.vy = Math.signum(agent.vy) * maxspeed;
  }

  @Override
  protected boolean isBlocked(Entity src, int target, boolean horizontal) {
    return target == MAZE_WALL || super.isBlocked(src, target, horizontal);
  }

  @Override
  protected void handleAgentCollision(Entity e) {
    if (e.type == LARGE_ORB) {
      eatTime = curTime;
      reward += ORB_REWARD;
      e.willErase = true;
    } else if (e.type == ENEMY) {
      if (canEatEnemies()) {
        e.willErase = true;
      } else {
        done = true;
      }
    }
  }

  private int toGridIdx(int x, int y) {
    return grid.contains(x, y) ? x + y * mainWidth : -2;
  }

  private int manhattan(int a, int b) {
    return Math.abs(a % mainWidth - b % mainWidth) + Math.abs(a / mainWidth - b / mainWidth);
  }

  @Override
  protected void gameStep() {
    super.gameStep();
    int numEnemies = 0;
    float vscale = canEatEnemies() ? .5f * .5f : .5f;
    for (int k = entities.size() - 1; k >= 0; k--) {
      Entity e = entities.get(k);
      if (e.type == ENEMY_EGG) {
        numEnemies++;
        e.timer--;
        if (e.timer == 0) {
          e.willErase = true;
          addEntity(e.x, e.y, 0, 0, .5f, ENEMY).smartStep = true;
        }
      } else if (e.type == ENEMY) {
        numEnemies++;
        steer(e, vscale);
      }
    }
    if (numEnemies < totalEnemies) {
      spawnEgg(freeCells[stepRandInt % numFree]);
    }
    int agentIdx = (int) agent.y * mainWidth + (int) agent.x;
    if (getObj(agentIdx) == ORB) {
      setObj(agentIdx, SPACE);
      reward += ORB_REWARD;
      orbsCollected++;
    }
    if (orbsCollected == totalOrbs) {
      reward += COMPLETION_BONUS;
      levelComplete = true;
      done = true;
    }
  }

  /** At a junction (or when stopped) an enemy picks its next cell: towards the agent or at random. */
  private void steer(Entity e, float vscale) {
    float x = e.x - .5f;
    float y = e.y - .5f;
    int distScale = canEatEnemies() ? -1 : 1;
    int enemyIdx = toGridIdx((int) x, (int) y);
    int agentIdx = toGridIdx((int) agent.x, (int) agent.y);
    boolean atJunction = Math.abs(x - Math.round(x)) + Math.abs(y - Math.round(y)) < .01f;
    boolean aggressive = stepRandInt % 2 == 0;
    if (!((e.vx == 0 && e.vy == 0) || atJunction)) {
      return;
    }
    int prevIdx = toGridIdx((int) (x - Math.signum(e.vx)), (int) (y - Math.signum(e.vy)));
    int na = 0;
    int ex = enemyIdx % mainWidth;
    int ey = enemyIdx / mainWidth;
    // Procgen's neighbour order: (-1, 0), (0, -1), (0, 1), (1, 0).
    int[][] steps = NEIGHBOURS;
    for (int[] s : steps) {
      int n = toGridIdx(ex + s[0], ey + s[1]);
      if (n >= 0) {
        adjacent[na++] = n;
      }
    }
    int nc = 0;
    int minDist = 2 * mainWidth;
    for (int a = 0; a < na; a++) {
      int adj = adjacent[a];
      if (isSpace[adj] && adj != prevIdx) {
        int md = manhattan(adj, agentIdx) * distScale;
        if (aggressive) {
          if (md < minDist) {
            minDist = md;
            nc = 0;
            candidates[nc++] = adj;
          } else if (md == minDist) {
            candidates[nc++] = adj;
          }
        } else {
          candidates[nc++] = adj;
        }
      }
    }
    if (nc == 0) {
      return; // cannot happen in a maze without dead ends; Procgen would divide by zero
    }
    int next = candidates[stepRandInt % nc];
    e.vx = (next % mainWidth - x) * vscale;
    e.vy = (next / mainWidth - y) * vscale;
  }

  private static final int[][] NEIGHBOURS = {{-1, 0}, {0, -1}, {0, 1}, {1, 0}};

  /**
   * Symbolic cells: 0 empty, 1 wall (also outside the world), 2 small orb; entities: 1 the
   * agent, 2 large orb, 3 egg, 4 enemy, 5 enemy while edible.
   */
  @Override
  protected int symbolicCell(int type) {
    return type == MAZE_WALL || type == INVALID_OBJ ? 1 : type == ORB ? 2 : 0;
  }

  @Override
  protected int symbolicEntity(Entity e) {
    return switch (e.type) {
      case LARGE_ORB -> 2;
      case ENEMY_EGG -> 3;
      case ENEMY -> canEatEnemies() ? 5 : 4;
      default -> 0;
    };
  }

  @Override
  protected int symbolicMaxCode() {
    return 5;
  }

  @Override
  protected void drawTile(int type, int x, int y) {
    if (type == MAZE_WALL) {
      drawCell(Sprites.STONE, WALL_THEMES[theme()], x, y);
    } else if (type == ORB) {
      float m = (1 - ORB_DIM) / 2;
      canvas.fillRect(x + m, y + m, x + 1 - m, y + 1 - m, ORB_COLOUR);
    }
  }

  @Override
  protected void drawEntity(Entity e) {
    switch (e.type) {
      case PLAYER -> drawBox(e, Sprites.ROBOT, AGENT);
      case LARGE_ORB -> drawBox(e, Sprites.DISC, BIG_ORB);
      case ENEMY -> drawBox(e, Sprites.GHOST, canEatEnemies() ? WEAK_COLOURS : ENEMY_COLOURS);
      case ENEMY_EGG -> drawBox(e, Sprites.EGG, EGG_COLOURS);
      default -> { }
    }
  }
}
