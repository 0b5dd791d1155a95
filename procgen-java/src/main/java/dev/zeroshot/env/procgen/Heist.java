package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;

/**
 * Procgen's heist: move freely through a maze, pick up coloured keys (blue, green, red) to
 * open the matching locks, and take the gem (+10, done). The maze's side is 5 + 2d for a
 * difficulty d drawn per level, placed at a random offset in a world of side world_dim; the
 * number of keys is d + randn(2) (memory mode: randn(4)), capped at max_keys. Keys are kept,
 * and lock k is reachable only after key k.
 */
public final class Heist extends ProcgenGame {

  public static final int LOCKED_DOOR = 1;
  public static final int KEY = 2;
  public static final int EXIT = 9;
  public static final float REWARD = 10;
  public static final int TIMEOUT = 1000;
  private static final int MIN_MAZE_DIM = 5;

  private static final int[][] WALL_THEMES = Palettes.themes(Backgrounds.count(Backgrounds.Style.TOPDOWN), 0.6, 0.35, 0.55);
  private static final int[][] KEY_COLOURS = {
      Palettes.of(Palettes.rgb(60, 110, 240), Palettes.rgb(30, 60, 150), Palettes.rgb(230, 230, 230)),
      Palettes.of(Palettes.rgb(60, 200, 80), Palettes.rgb(30, 120, 40), Palettes.rgb(230, 230, 230)),
      Palettes.of(Palettes.rgb(230, 60, 60), Palettes.rgb(140, 30, 30), Palettes.rgb(230, 230, 230))};
  private static final int[] AGENT = Palettes.of(Palettes.rgb(235, 235, 240), Palettes.rgb(60, 140, 220), Palettes.rgb(150, 150, 160));
  private static final int[] GEM = Palettes.of(Palettes.rgb(250, 220, 40), Palettes.rgb(200, 150, 20), Palettes.rgb(255, 255, 220));

  public static ContextSpace contextSpace(DistributionMode mode) {
    int w = switch (mode) {
      case EASY -> 9;
      case HARD -> 13;
      case MEMORY -> 23;
      default -> throw new IllegalArgumentException("heist has no " + mode.id() + " mode");
    };
    return Features.common(false)
        .integer("world_dim", w, MIN_MAZE_DIM, 64, "side of the square world in cells (mazes up to this size)")
        .integer("max_keys", 3, 0, 3, "most keys (and locks) a level may have")
        .build(ProcgenSuite.id("heist", mode));
  }

  private int worldDim;
  private int maxKeys;
  private int numKeys;
  private int numDoors;
  private int mazeDim;
  private final boolean[] hasKeys = new boolean[3];

  public Heist(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.TOPDOWN);
    hasUsefulVelInfo = false;
    outOfBoundsObject = WALL_OBJ;
    visibility = 8;
  }

  @Override
  protected void applyContext(Context c) {
    worldDim = (int) c.get("world_dim");
    maxKeys = (int) c.get("max_keys");
  }

  /** Locks (and so keys) in the current level. */
  public int numDoors() {
    return numDoors;
  }

  public int mazeDim() {
    return mazeDim;
  }

  public boolean hasKey(int k) {
    return hasKeys[k];
  }

  @Override
  protected void chooseWorldDim() {
    maxspeed = .75f;
    mainWidth = worldDim;
    mainHeight = worldDim;
  }

  @Override
  protected void gameReset() {
    super.gameReset();
    int maxDiff = (worldDim - MIN_MAZE_DIM) / 2;
    int difficulty = rng.randn(maxDiff + 1);
    centerAgent = mode == DistributionMode.MEMORY;
    numKeys = mode == DistributionMode.MEMORY ? rng.randn(4) : difficulty + rng.randn(2);
    numKeys = Math.min(numKeys, maxKeys);
    java.util.Arrays.fill(hasKeys, false);
    mazeDim = difficulty * 2 + MIN_MAZE_DIM;
    agent.rx = .375f;
    agent.ry = .375f;
    MazeGen gen = new MazeGen(rng, mazeDim);
    numDoors = gen.generateMazeWithDoors(numKeys);
    // Out of the way while keys are placed, so they never avoid it.
    agent.x = -1;
    agent.y = -1;
    int offX = rng.randn(worldDim - mazeDim + 1);
    int offY = rng.randn(worldDim - mazeDim + 1);
    for (int i = 0; i < grid.size(); i++) {
      setObj(i, WALL_OBJ);
    }
    for (int i = 0; i < mazeDim; i++) {
      for (int j = 0; j < mazeDim; j++) {
        int x = offX + i;
        int y = offY + j;
        int obj = gen.get(i, j);
        if (obj != WALL_OBJ) {
          setObj(x, y, SPACE);
        }
        if (obj >= MazeGen.KEY_OBJ) {
          Entity key = spawnEntity(.375f, KEY, x, y, 1, 1, true);
          key.theme = obj - MazeGen.KEY_OBJ - 1;
        } else if (obj >= MazeGen.DOOR_OBJ) {
          addEntity(x + .5f, y + .5f, 0, 0, .5f, LOCKED_DOOR).theme = obj - MazeGen.DOOR_OBJ - 1;
        } else if (obj == MazeGen.EXIT_OBJ) {
          spawnEntity(.375f, EXIT, x, y, 1, 1, true);
        } else if (obj == MazeGen.AGENT_OBJ) {
          agent.x = x + .5f;
          agent.y = y + .5f;
        }
      }
    }
  }

  @Override
  protected boolean isBlockedByEntity(Entity src, Entity target, boolean horizontal) {
    if (target.type == LOCKED_DOOR) {
      return !hasKeys[target.theme];
    }
    return super.isBlockedByEntity(src, target, horizontal);
  }

  @Override
  protected void handleAgentCollision(Entity e) {
    if (e.type == EXIT) {
      done = true;
      reward = REWARD;
      levelComplete = true;
    } else if (e.type == KEY) {
      e.willErase = true;
      hasKeys[e.theme] = true;
    } else if (e.type == LOCKED_DOOR && hasKeys[e.theme]) {
      e.willErase = true;
    }
  }

  @Override
  protected void gameStep() {
    super.gameStep();
    if (actionVx != 0 || actionVy != 0) {
      agent.rotation = (float) Math.atan2(actionVy, actionVx);
    }
  }

  /**
   * Symbolic cells: 0 empty, 1 wall (also outside the world); entities: 1 the agent, 2-4 the
   * blue, green and red keys, 5-7 the blue, green and red locks, 8 the gem. Keys held are not
   * shown (the pixel frame's marks); a taken key's entity is gone from the grid.
   */
  @Override
  protected int symbolicCell(int type) {
    return type == WALL_OBJ ? 1 : 0;
  }

  @Override
  protected int symbolicEntity(Entity e) {
    return switch (e.type) {
      case KEY -> 2 + e.theme;
      case LOCKED_DOOR -> 5 + e.theme;
      case EXIT -> 8;
      default -> 0;
    };
  }

  @Override
  protected int symbolicMaxCode() {
    return 8;
  }

  @Override
  protected void drawTile(int type, int x, int y) {
    if (type == WALL_OBJ) {
      drawCell(Sprites.STONE, WALL_THEMES[theme()], x, y);
    }
  }

  @Override
  protected void drawEntity(Entity e) {
    switch (e.type) {
      case PLAYER -> {
        // The sprite faces right; turn it to the nearest quarter of its heading.
        int quarter = Math.round(e.rotation / (float) (Math.PI / 2));
        canvas.drawSprite(Sprites.ASTRONAUT, AGENT, e.x - e.rx, e.y - e.ry, e.x + e.rx, e.y + e.ry, false, quarter);
      }
      case KEY -> drawBox(e, Sprites.KEY, KEY_COLOURS[e.theme]);
      case LOCKED_DOOR -> drawBox(e, Sprites.LOCK, KEY_COLOURS[e.theme]);
      case EXIT -> drawBox(e, Sprites.GEM, GEM);
      default -> { }
    }
  }

  /** The keys held, as coloured marks along the top right edge. */
  @Override
  protected void drawHud() {
    for (int k = 0; k < numKeys; k++) {
      if (hasKeys[k]) {
        int x1 = RES - 1 - 5 * k;
        canvas.fillPixels(x1 - 4, 1, x1, 3, KEY_COLOURS[k][1]);
      }
    }
  }
}
