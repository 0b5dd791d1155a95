package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;

/**
 * Procgen's miner (a Boulder Dash): a robot digs through dirt one cell per step, collects
 * diamonds (+1 each) and, once none are left, leaves by the exit (+10, done). Boulders block
 * but can be pushed sideways into empty space; boulders and diamonds fall into empty cells,
 * roll off round things, and kill the robot if they land on it while moving.
 */
public final class Miner extends ProcgenGame {

  public static final int BOULDER = 1;
  public static final int DIAMOND = 2;
  public static final int MOVING_BOULDER = 3;
  public static final int MOVING_DIAMOND = 4;
  public static final int EXIT = 6;
  public static final int DIRT = 9;
  public static final int OOB_WALL = 10;
  public static final float COMPLETION_BONUS = 10;
  public static final float DIAMOND_REWARD = 1;
  public static final int TIMEOUT = 1000;

  private static final int[][] DIRT_THEMES = Palettes.themes(Backgrounds.count(Backgrounds.Style.PLATFORM), 0.07, 0.55, 0.5);
  private static final int[] ROBOT = Palettes.of(Palettes.rgb(80, 190, 90), Palettes.rgb(40, 40, 40), Palettes.rgb(250, 250, 120));
  private static final int[] BOULDER_COLOURS = Palettes.of(Palettes.rgb(130, 125, 120), Palettes.rgb(80, 75, 70), Palettes.rgb(190, 185, 180));
  private static final int[] DIAMOND_COLOURS = Palettes.of(Palettes.rgb(80, 180, 250), Palettes.rgb(40, 100, 200), Palettes.rgb(230, 250, 255));
  private static final int[] EXIT_COLOURS = Palettes.of(Palettes.rgb(110, 70, 40), Palettes.rgb(150, 210, 240), Palettes.rgb(250, 250, 250));
  private static final int[] OOB_COLOURS = Palettes.of(Palettes.rgb(110, 110, 115), Palettes.rgb(60, 60, 65), Palettes.rgb(150, 150, 155));

  public static ContextSpace contextSpace(DistributionMode mode) {
    int w = switch (mode) {
      case EASY -> 10;
      case HARD -> 20;
      case MEMORY -> 35;
      default -> throw new IllegalArgumentException("miner has no " + mode.id() + " mode");
    };
    return Features.common(false)
        .integer("world_dim", w, 4, 64, "side of the square world in cells")
        .real("diamond_fraction", 12 / 400.0, 0, 0.5, "share of cells holding a diamond")
        .real("boulder_fraction", 80 / 400.0, 0, 0.7, "share of cells holding a boulder")
        .rule(c -> c.get("diamond_fraction") + c.get("boulder_fraction") <= 0.75 ? null
            : "diamond_fraction + boulder_fraction must not exceed 0.75 (room is needed for dirt and the exit)")
        .build(ProcgenSuite.id("miner", mode));
  }

  private int worldDim;
  private float diamondFraction;
  private float boulderFraction;
  private int diamondsRemaining;

  public Miner(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.PLATFORM);
    hasUsefulVelInfo = false;
    outOfBoundsObject = OOB_WALL;
    visibility = 8;
  }

  @Override
  protected void applyContext(Context c) {
    worldDim = (int) c.get("world_dim");
    diamondFraction = (float) c.get("diamond_fraction");
    boulderFraction = (float) c.get("boulder_fraction");
  }

  /** Digging and falling change tiles most steps: a following camera draws them directly. */
  @Override
  protected boolean staticTiles() {
    return false;
  }

  public int diamondsRemaining() {
    return diamondsRemaining;
  }

  @Override
  protected void chooseWorldDim() {
    mainWidth = worldDim;
    mainHeight = worldDim;
  }

  @Override
  protected void gameReset() {
    super.gameReset();
    agent.rx = .5f;
    agent.ry = .5f;
    int area = mainWidth * mainHeight;
    centerAgent = mode == DistributionMode.MEMORY;
    gridStep = true;
    int numDiamonds = (int) (diamondFraction * area);
    int numBoulders = (int) (boulderFraction * area);
    int[] cells = simpleChoose(area, numDiamonds + numBoulders + 1);
    int ax = cells[0] % mainWidth;
    int ay = cells[0] / mainWidth;
    agent.x = ax + .5f;
    agent.y = ay + .5f;
    for (int i = 0; i < area; i++) {
      setObj(i, DIRT);
    }
    for (int i = 0; i < numDiamonds; i++) {
      setObj(cells[i + 1], DIAMOND);
    }
    for (int i = 0; i < numBoulders; i++) {
      setObj(cells[i + 1 + numDiamonds], BOULDER);
    }
    // Exit candidates are taken from the dirt before the start is cleared, as Procgen does.
    int[] dirt = new int[area];
    int numDirt = 0;
    for (int i = 0; i < area; i++) {
      if (grid.get(i) == DIRT) {
        dirt[numDirt++] = i;
      }
    }
    setObj(ax, ay, SPACE);
    for (int i = -1; i <= 1; i++) {
      for (int j = -1; j <= 1; j++) {
        if (getObj(ax + i, ay + j) == BOULDER) {
          setObj(ax + i, ay + j, DIRT);
        }
      }
    }
    int numCandidates = 0;
    for (int k = 0; k < numDirt; k++) {
      int above = getObj(dirt[k] + mainWidth);
      if (above == DIRT || above == outOfBoundsObject) {
        dirt[numCandidates++] = dirt[k];
      }
    }
    if (numCandidates == 0) {
      // Procgen asserts here; crowded small worlds can get here, so any dirt cell will do
      // (the start's cell is always one).
      for (int i = 0; i < area; i++) {
        if (i == cells[0] || grid.get(i) == DIRT) {
          dirt[numCandidates++] = i;
        }
      }
    }
    int exit = dirt[rng.randn(numCandidates)];
    setObj(exit, SPACE);
    addEntity(exit % mainWidth + .5f, exit / mainWidth + .5f, 0, 0, .5f, EXIT).renderZ = -1;
    diamondsRemaining = numDiamonds;
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

  @Override
  protected boolean isBlocked(Entity src, int target, boolean horizontal) {
    if (super.isBlocked(src, target, horizontal)) {
      return true;
    }
    return src.type == PLAYER && (target == BOULDER || target == MOVING_BOULDER || target == OOB_WALL);
  }

  @Override
  protected void handleAgentCollision(Entity e) {
    if (e.type == EXIT && diamondsRemaining == 0) {
      reward += COMPLETION_BONUS;
      levelComplete = true;
      done = true;
    }
  }

  @Override
  protected void setActionXY(int move) {
    super.setActionXY(move);
    if (actionVx != 0) {
      actionVy = 0;
    }
  }

  private int agentIndex() {
    return (int) agent.y * mainWidth + (int) agent.x;
  }

  private static boolean isRound(int t) {
    return t == BOULDER || t == MOVING_BOULDER || t == DIAMOND || t == MOVING_DIAMOND;
  }

  private static int moving(int t) {
    return t == DIAMOND ? MOVING_DIAMOND : t == BOULDER ? MOVING_BOULDER : t;
  }

  private static int stationary(int t) {
    return t == MOVING_DIAMOND ? DIAMOND : t == MOVING_BOULDER ? BOULDER : t;
  }

  private boolean isFree(int idx) {
    return getObj(idx) == SPACE && agentIndex() != idx;
  }

  /** A blocked step sideways into a boulder with space behind it pushes the boulder. */
  private void handlePush() {
    int idx = agentIndex();
    int ax = idx % mainWidth;
    if (actionVx == 1 && agent.vx == 0 && ax < mainWidth - 2 && getObj(idx + 1) == BOULDER && getObj(idx + 2) == SPACE) {
      setObj(idx + 1, SPACE);
      setObj(idx + 2, BOULDER);
      agent.x += 1;
    } else if (actionVx == -1 && agent.vx == 0 && ax > 1 && getObj(idx - 1) == BOULDER && getObj(idx - 2) == SPACE) {
      setObj(idx - 1, SPACE);
      setObj(idx - 2, BOULDER);
      agent.x -= 1;
    }
  }

  @Override
  protected void gameStep() {
    super.gameStep();
    if (actionVx > 0) {
      agent.reflected = false;
    }
    if (actionVx < 0) {
      agent.reflected = true;
    }
    handlePush();
    int here = getObj((int) agent.x, (int) agent.y);
    if (here == DIAMOND) {
      reward += DIAMOND_REWARD;
    }
    if (here == DIRT || here == DIAMOND) {
      setObj((int) agent.x, (int) agent.y, SPACE);
    }
    // Gravity, scanning from the bottom row up so that a column falls one cell per step.
    int area = mainWidth * mainHeight;
    int diamonds = 0;
    int agentIdx = (int) ((agent.y - .5f) * mainWidth + (agent.x - .5f));
    for (int idx = 0; idx < area; idx++) {
      int obj = grid.get(idx);
      int x = idx % mainWidth;
      int stat = stationary(obj);
      if (stat == DIAMOND) {
        diamonds++;
      }
      if (isRound(obj)) {
        int below = idx - mainWidth;
        int obj2 = getObj(below);
        boolean agentBelow = agentIdx == below;
        if (obj2 == SPACE && !agentBelow) {
          setObj(idx, SPACE);
          setObj(below, moving(obj));
        } else if (agentBelow && (obj == MOVING_BOULDER || obj == MOVING_DIAMOND)) {
          done = true;
        } else if (isRound(obj2) && x > 0 && isFree(idx - 1) && isFree(idx - mainWidth - 1)) {
          setObj(idx, SPACE);
          setObj(idx - 1, stat);
        } else if (isRound(obj2) && x < mainWidth - 1 && isFree(idx + 1) && isFree(idx - mainWidth + 1)) {
          setObj(idx, SPACE);
          setObj(idx + 1, stat);
        } else {
          setObj(idx, stat);
        }
      }
    }
    diamondsRemaining = diamonds;
  }

  /**
   * Symbolic cells: 0 empty, 1 dirt, 2 boulder, 3 diamond, 4 falling boulder, 5 falling
   * diamond, 6 the wall outside the world; entities: 1 the robot, 2 the exit.
   */
  @Override
  protected int symbolicCell(int type) {
    return switch (type) {
      case DIRT -> 1;
      case BOULDER -> 2;
      case DIAMOND -> 3;
      case MOVING_BOULDER -> 4;
      case MOVING_DIAMOND -> 5;
      case OOB_WALL -> 6;
      default -> 0;
    };
  }

  @Override
  protected int symbolicEntity(Entity e) {
    return e.type == EXIT ? 2 : 0;
  }

  @Override
  protected int symbolicMaxCode() {
    return 6;
  }

  @Override
  protected void drawTile(int type, int x, int y) {
    switch (type) {
      case DIRT -> drawCell(Sprites.DIRT, DIRT_THEMES[theme()], x, y);
      case BOULDER, MOVING_BOULDER -> drawCell(Sprites.BOULDER, BOULDER_COLOURS, x, y);
      case DIAMOND, MOVING_DIAMOND -> drawCell(Sprites.GEM, DIAMOND_COLOURS, x, y);
      case OOB_WALL -> drawCell(Sprites.BRICK, OOB_COLOURS, x, y);
      default -> { }
    }
  }

  @Override
  protected void drawEntity(Entity e) {
    if (e.type == PLAYER) {
      drawBox(e, Sprites.ROBOT, ROBOT);
    } else if (e.type == EXIT) {
      drawBox(e, Sprites.WINDOW, EXIT_COLOURS);
    }
  }
}
