package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;

/**
 * Procgen's maze: a mouse moves one cell per step through a Kruskal maze to the cheese
 * (+10, done). The maze is square, of odd side drawn per level from
 * [min_maze_dim, max_maze_dim], centred in a walled world of side world_dim.
 */
public final class Maze extends ProcgenGame {

  public static final int GOAL = 2;
  public static final float REWARD = 10;
  public static final int TIMEOUT = 500;

  private static final int[][] WALL_THEMES = Palettes.themes(Backgrounds.count(Backgrounds.Style.TOPDOWN), 0.08, 0.35, 0.85);
  private static final int[] MOUSE = Palettes.of(Palettes.rgb(150, 150, 160), Palettes.rgb(20, 20, 20), Palettes.rgb(240, 150, 170));
  private static final int[] CHEESE = Palettes.of(Palettes.rgb(250, 210, 60), Palettes.rgb(200, 150, 30));

  /** The context space of the given mode: its defaults reproduce Procgen's mode. */
  public static ContextSpace contextSpace(DistributionMode mode) {
    int w = switch (mode) {
      case EASY -> 15;
      case HARD -> 25;
      case MEMORY -> 31;
      default -> throw new IllegalArgumentException("maze has no " + mode.id() + " mode");
    };
    return Features.common(false)
        .integer("world_dim", w, 3, 64, "side of the square world in cells")
        .integer("min_maze_dim", 3, 3, 63, "smallest maze side (odd)")
        .integer("max_maze_dim", w, 3, 63, "largest maze side (odd, at most world_dim)")
        .rule(c -> odd(c, "min_maze_dim"))
        .rule(c -> odd(c, "max_maze_dim"))
        .rule(c -> c.get("min_maze_dim") <= c.get("max_maze_dim") ? null : "min_maze_dim must not exceed max_maze_dim")
        .rule(c -> c.get("max_maze_dim") <= c.get("world_dim") ? null : "max_maze_dim must not exceed world_dim")
        .build(ProcgenSuite.id("maze", mode));
  }

  static String odd(Context c, String name) {
    double v = c.get(name);
    return v % 2 == 1 ? null : "context feature '" + name + "' = " + v + " must be odd";
  }

  private int worldDim;
  private int minMazeDim;
  private int maxMazeDim;
  private int mazeDim;

  public Maze(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.TOPDOWN);
    randomAgentStart = false;
    hasUsefulVelInfo = false;
    outOfBoundsObject = WALL_OBJ;
    visibility = 8;
  }

  @Override
  protected void applyContext(Context c) {
    worldDim = (int) c.get("world_dim");
    minMazeDim = (int) c.get("min_maze_dim");
    maxMazeDim = (int) c.get("max_maze_dim");
  }

  /** The side of the current level's maze. */
  public int mazeDim() {
    return mazeDim;
  }

  @Override
  protected void chooseWorldDim() {
    mainWidth = worldDim;
    mainHeight = worldDim;
  }

  @Override
  protected void gameReset() {
    super.gameReset();
    gridStep = true;
    // Procgen: randn((W - 1) / 2) * 2 + 3, the same single draw when min = 3 and max = W.
    mazeDim = rng.randn((maxMazeDim - minMazeDim) / 2 + 1) * 2 + minMazeDim;
    int margin = (worldDim - mazeDim) / 2;
    MazeGen gen = new MazeGen(rng, mazeDim);
    centerAgent = mode == DistributionMode.MEMORY;
    agent.rx = .5f;
    agent.ry = .5f;
    agent.x = margin + .5f;
    agent.y = margin + .5f;
    gen.generateMaze();
    gen.placeObjects(GOAL, 1);
    for (int i = 0; i < grid.size(); i++) {
      setObj(i, WALL_OBJ);
    }
    for (int i = 0; i < mazeDim; i++) {
      for (int j = 0; j < mazeDim; j++) {
        int t = gen.get(i, j);
        setObj(margin + i, margin + j, t == 0 ? SPACE : t);
      }
    }
  }

  @Override
  protected void setActionXY(int move) {
    super.setActionXY(move);
    if (actionVx != 0) {
      actionVy = 0;
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
    int ix = (int) agent.x;
    int iy = (int) agent.y;
    if (getObj(ix, iy) == GOAL) {
      setObj(ix, iy, SPACE);
      reward += REWARD;
      levelComplete = true;
    }
    done = reward > 0;
  }

  /** Symbolic cells: 0 empty, 1 wall (also outside the world), 2 cheese; entities: 1 the mouse. */
  @Override
  protected int symbolicCell(int type) {
    return type == WALL_OBJ ? 1 : type == GOAL ? 2 : 0;
  }

  @Override
  protected int symbolicEntity(Entity e) {
    return 0;
  }

  @Override
  protected int symbolicMaxCode() {
    return 2;
  }

  @Override
  protected void drawTile(int type, int x, int y) {
    if (type == WALL_OBJ) {
      drawCell(Sprites.BRICK, WALL_THEMES[theme()], x, y);
    } else if (type == GOAL) {
      drawCell(Sprites.CHEESE, CHEESE, x, y);
    }
  }

  @Override
  protected void drawEntity(Entity e) {
    if (e.type == PLAYER) {
      drawBox(e, Sprites.MOUSE, MOUSE);
    }
  }
}
