package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;

/**
 * Procgen's jumper: a bunny jumps through a cave to the carrot (+10, done); spikes on the
 * floor kill. It can jump again once in the air (a double jump; both come back on landing,
 * with 3 steps between jumps), falls under gravity 0.15 per step down to -2, and steers
 * left and right on the ground and in the air alike. Outside memory mode a compass at the top
 * right points at the carrot, with a bar below it for the distance.
 *
 * <p>The cave grows from a maze scaled up 3 times: maze walls become wall with probability
 * 0.8 and corridors with 0.2, then 2 cellular-automaton passes smooth it. The largest room
 * holds the carrot (any of its cells) and the bunny (a cell with floor below and headroom
 * above); outside memory mode the cave is then cut down to the shortest path between them
 * widened by 4 cells. Spikes go on floor cells whose neighbours are floor cells too (p = 0.2,
 * none in memory mode), and one cell of every straight wall 3 cells high is opened so that the
 * climb stays possible. The view follows the bunny (12 cells across in easy mode, else 16).
 */
public final class Jumper extends ProcgenGame {

  public static final int GOAL = 1;
  public static final int SPIKE = 2;
  public static final int CAVEWALL = 6;
  public static final int CAVEWALL_TOP = 7;
  public static final float GOAL_REWARD = 10;
  public static final int TIMEOUT = 1000;
  public static final int MEMORY_TIMEOUT = 2000;
  private static final int MAZE_SCALE = 3;
  private static final int JUMP_COOLDOWN = 3;
  private static final int NUM_WALL_THEMES = 4;

  private static final Sprite BUNNY = new Sprite(
      ".1...1.",
      ".13..13",
      ".13..13",
      ".11.11.",
      "..1111.",
      "..12121",
      "..11111",
      "...111.",
      "..1111.",
      "..1111.",
      "..1..1.",
      ".11..11");
  private static final Sprite BUNNY_WALK = new Sprite(
      ".1...1.",
      ".13..13",
      ".13..13",
      ".11.11.",
      "..1111.",
      "..12121",
      "..11111",
      "...111.",
      "..1111.",
      ".11111.",
      "11...1.",
      "1....11");
  private static final Sprite SPIKES = new Sprite(
      "1..1..1",
      "1..1..1",
      "11.1.11",
      "1111111",
      ".12121.",
      ".11111.",
      "..111..",
      "..1.1..");
  private static final Sprite CARROT = new Sprite(
      "...2.2.",
      "....22.",
      "...11..",
      "..111..",
      "..111..",
      ".111...",
      ".11....",
      "1......");
  private static final Sprite PUFF = new Sprite(
      ".111.",
      "11111",
      "11111",
      ".111.");
  private static final int[] BUNNY_COLOURS = Palettes.of(Palettes.rgb(235, 225, 215), Palettes.rgb(40, 40, 40), Palettes.rgb(240, 170, 180));
  private static final int[] SPIKE_COLOURS = Palettes.of(Palettes.rgb(90, 90, 100), Palettes.rgb(250, 250, 250));
  private static final int[] CARROT_COLOURS = Palettes.of(Palettes.rgb(245, 130, 30), Palettes.rgb(70, 170, 50));
  private static final int[] WHITE = Palettes.of(Palettes.rgb(255, 255, 255));
  private static final int[][] WALL = Palettes.themes(NUM_WALL_THEMES, 0.6, 0.5, 0.55);
  private static final int[][] WALL_TOPS = Palettes.themes(NUM_WALL_THEMES, 0.6, 0.6, 0.8);
  private static final int COMPASS = Palettes.rgb(168, 166, 158);
  private static final int NEEDLE = Palettes.rgb(252, 186, 3);

  public static ContextSpace contextSpace(DistributionMode mode) {
    if (mode != DistributionMode.EASY && mode != DistributionMode.HARD && mode != DistributionMode.MEMORY) {
      throw new IllegalArgumentException("jumper has no " + mode.id() + " mode");
    }
    boolean memory = mode == DistributionMode.MEMORY;
    int dim = switch (mode) {
      case EASY -> 20;
      case MEMORY -> 45;
      default -> 40;
    };
    return Features.common(true)
        .integer("world_dim", dim, 9, 64, "side of the square cave in cells (the maze it grows from is a third of it)")
        .real("cave_noise", .2, 0, .4, "chance that a maze corridor cell becomes wall, and a maze wall cell open")
        .integer("smoothing_passes", 2, 0, 6, "cellular-automaton passes over the noisy maze")
        .flag("prune_to_path", memory ? 0 : 1, "cut the cave down to the widened path from bunny to carrot")
        .integer("path_width", 4, 0, 10, "cells the path is widened by on each side when pruning")
        .real("spike_prob", memory ? 0 : .2, 0, 1, "chance of a spike on each floor cell between two floor cells")
        .integer("max_jumps", 2, 1, 5, "jumps before landing again (2 = a double jump)")
        .real("gravity", .15, .05, .5, "downward acceleration per step")
        .flag("show_compass", memory ? 0 : 1, "draw the compass pointing at the carrot")
        .build(ProcgenSuite.id("jumper", mode));
  }

  private int worldDim;
  private double caveNoise;
  private int smoothingPasses;
  private boolean pruneToPath;
  private int pathWidth;
  private float spikeProb;
  private int maxJumps;
  private float gravity;
  private boolean showCompass;

  private final RoomGen rooms = new RoomGen(this);
  private boolean[] room = new boolean[0];
  private int[] path = new int[0];
  private int[] cells = new int[0];
  private int pathLength;
  private Entity goal;
  private int agentCell;
  private int jumpCount;
  private int jumpDelta;
  private int jumpTime;
  private boolean hasSupport;
  private int wallTheme;
  private float compassDim;

  public Jumper(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.PLATFORM);
  }

  @Override
  protected void applyContext(Context c) {
    worldDim = (int) c.get("world_dim");
    caveNoise = c.get("cave_noise");
    smoothingPasses = (int) c.get("smoothing_passes");
    pruneToPath = c.get("prune_to_path") != 0;
    pathWidth = (int) c.get("path_width");
    spikeProb = (float) c.get("spike_prob");
    maxJumps = (int) c.get("max_jumps");
    gravity = (float) c.get("gravity");
    showCompass = c.get("show_compass") != 0;
  }

  /** The carrot. */
  public Entity goal() {
    return goal;
  }

  /** The bunny's starting cell index. */
  public int agentCell() {
    return agentCell;
  }

  /** The shortest open path from the bunny's cell to the carrot's, as generated. */
  public int[] goalPath() {
    return java.util.Arrays.copyOf(path, pathLength);
  }

  /** Jumps left before the bunny must land. */
  public int jumpsLeft() {
    return jumpCount;
  }

  @Override
  protected void chooseWorldDim() {
    mainWidth = worldDim;
    mainHeight = worldDim;
  }

  static boolean isWall(int t) {
    return t == CAVEWALL || t == CAVEWALL_TOP;
  }

  private boolean canSupport(int t) {
    return isWall(t) || t == outOfBoundsObject;
  }

  /** An open cell with open headroom above and wall (or the world's edge) below. */
  private boolean isSpaceOnGround(int x, int y) {
    if (getObj(x, y) != SPACE || getObj(x, y + 1) != SPACE) {
      return false;
    }
    int below = getObj(x, y - 1);
    return below == CAVEWALL || below == outOfBoundsObject;
  }

  private boolean isTopWall(int x, int y) {
    return getObj(x, y) == CAVEWALL && getObj(x, y + 1) == SPACE;
  }

  private boolean isLeftWall(int x, int y) {
    return getObj(x, y) == CAVEWALL && getObj(x + 1, y) == SPACE;
  }

  private boolean isRightWall(int x, int y) {
    return getObj(x, y) == CAVEWALL && getObj(x - 1, y) == SPACE;
  }

  @Override
  protected void gameReset() {
    visibility = mode == DistributionMode.EASY ? 12 : 16;
    compassDim = mode == DistributionMode.EASY ? 3 : 2;
    super.gameReset();
    centerAgent = true;
    outOfBoundsObject = WALL_OBJ;
    wallTheme = rng.randn(NUM_WALL_THEMES);
    jumpCount = 0;
    jumpDelta = 0;
    jumpTime = 0;
    hasSupport = false;
    int n = mainWidth * mainHeight;
    if (room.length < n) {
      room = new boolean[n];
      path = new int[n];
      cells = new int[n];
    }
    int numFree;
    int numCandidates;
    int goalCell;
    // Procgen asserts that a room and a start on the ground exist; a small or noisy cave may
    // lack them, so grow the cave again.
    for (int attempt = 1; ; attempt++) {
      if (attempt > RoomGen.MAX_CAVES) {
        throw new IllegalStateException("jumper: no room with a start on the ground in " + RoomGen.MAX_CAVES
            + " caves grown with world_dim=" + worldDim + ", cave_noise=" + caveNoise + ", smoothing_passes=" + smoothingPasses
            + "; use a larger world or less noise");
      }
      growCave(n);
      if (rooms.findBestRoom(room) < 2) {
        continue;
      }
      numFree = 0;
      for (int i = 0; i < n; i++) {
        setObj(i, room[i] ? SPACE : CAVEWALL);
        if (room[i]) {
          cells[numFree++] = i;
        }
      }
      goalCell = cells[rng.randn(numFree)];
      numCandidates = 0;
      for (int i = 0; i < n; i++) {
        if (isSpaceOnGround(i % mainWidth, i / mainWidth)) {
          cells[numCandidates++] = i;
        }
      }
      if (numCandidates > 0) {
        break;
      }
    }
    agentCell = cells[rng.randn(numCandidates)];
    pathLength = rooms.findPath(agentCell, goalCell, path);
    if (pruneToPath) {
      java.util.Arrays.fill(room, 0, n, false);
      for (int k = 0; k < pathLength; k++) {
        room[path[k]] = true;
      }
      rooms.expand(room, pathWidth);
      for (int i = 0; i < n; i++) {
        setObj(i, room[i] ? SPACE : CAVEWALL);
      }
    }
    goal = spawnEntityAtIndex(goalCell, .5f, GOAL);
    for (int i = 0; i < n; i++) {
      int x = i % mainWidth;
      int y = i / mainWidth;
      if (isSpaceOnGround(x, y) && isSpaceOnGround(x - 1, y) && isSpaceOnGround(x + 1, y) && rng.rand01() < spikeProb) {
        setObj(x, y, SPIKE);
      }
    }
    // Open one cell of every straight wall 3 high, so that the climbs stay possible.
    for (int i = 0; i < n; i++) {
      int x = i % mainWidth;
      int y = i / mainWidth;
      if (isLeftWall(x, y) && isLeftWall(x, y + 1) && isLeftWall(x, y + 2)) {
        setObj(x, y + rng.randn(3), SPACE);
      }
      if (isRightWall(x, y) && isRightWall(x, y + 1) && isRightWall(x, y + 2)) {
        setObj(x, y + rng.randn(3), SPACE);
      }
    }
    agent.x = agentCell % mainWidth + .5f;
    agent.y = agentCell / mainWidth + agent.ry;
    for (int i = 0; i < n; i++) {
      if (getObj(i) == SPIKE) {
        setObj(i, SPACE);
        addEntity(i % mainWidth + .5f, i / mainWidth + .4f, 0, 0, .23f, .4f, SPIKE);
      }
    }
    for (int i = 0; i < n; i++) {
      if (isTopWall(i % mainWidth, i / mainWidth)) {
        setObj(i, CAVEWALL_TOP);
      }
    }
    agent.rx = .254f;
    agent.ry = .4f;
    outOfBoundsObject = CAVEWALL;
  }

  /** Maze, noise and smoothing: the cave before its room is chosen. */
  private void growCave(int n) {
    MazeGen maze = new MazeGen(rng, mainWidth / MAZE_SCALE);
    maze.generateMazeNoDeadEnds();
    float wallProb = (float) (1 - caveNoise);
    float spaceProb = (float) caveNoise;
    for (int i = 0; i < n; i++) {
      int obj = maze.get((i % mainWidth) / MAZE_SCALE, (i / mainWidth) / MAZE_SCALE);
      float prob = obj == WALL_OBJ ? wallProb : spaceProb;
      setObj(i, rng.rand01() < prob ? WALL_OBJ : SPACE);
    }
    for (int pass = 0; pass < smoothingPasses; pass++) {
      rooms.smooth();
    }
    // A border of cave wall helps solvability and draws the lowest floor.
    for (int i = 0; i < mainWidth; i++) {
      setObj(i, 0, CAVEWALL);
      setObj(i, mainHeight - 1, CAVEWALL);
    }
    for (int i = 0; i < mainHeight; i++) {
      setObj(0, i, CAVEWALL);
      setObj(mainWidth - 1, i, CAVEWALL);
    }
  }

  @Override
  protected void handleAgentCollision(Entity e) {
    if (e.type == GOAL) {
      reward += GOAL_REWARD;
      levelComplete = true;
      done = true;
    } else if (e.type == SPIKE) {
      done = true;
    }
  }

  @Override
  protected boolean isBlocked(Entity src, int target, boolean horizontal) {
    return super.isBlocked(src, target, horizontal) || (src.type == PLAYER && isWall(target));
  }

  @Override
  protected void setActionXY(int move) {
    actionVx = move / 3 - 1;
    actionVy = Math.max(0, move % 3 - 1);
    if (actionVx > 0) {
      agent.reflected = false;
    }
    if (actionVx < 0) {
      agent.reflected = true;
    }
    int below1 = getObjFromFloats(agent.x - (agent.rx - .01f), agent.y - (agent.ry + .01f));
    int below2 = getObjFromFloats(agent.x + (agent.rx - .01f), agent.y - (agent.ry + .01f));
    jumpDelta = 0;
    hasSupport = canSupport(below1) || canSupport(below2);
    if (hasSupport) {
      jumpCount = maxJumps;
    }
    if (actionVy == 1 && jumpCount > 0 && curTime - jumpTime > JUMP_COOLDOWN) {
      jumpCount--;
      jumpDelta = -1;
    } else {
      actionVy = 0;
    }
    if (actionVy > 0) {
      jumpTime = curTime;
    }
  }

  @Override
  protected void updateAgentVelocity() {
    agent.vx = (1 - mixrate) * agent.vx + mixrate * maxspeed * actionVx;
    if (actionVy != 0) {
      agent.vy = maxspeed * actionVy * 2;
    }
  }

  @Override
  protected void gameStep() {
    super.gameStep();
    if (Math.abs(agent.vx) + Math.abs(agent.vy) > .05f) {
      Entity trail = addEntity(agent.x, agent.y - agent.ry * .5f, 0, .01f, .3f, .2f, TRAIL);
      trail.expireTime = 8;
      trail.alpha = .5f;
    }
    if (agent.vy > -2) {
      agent.vy -= gravity;
    }
  }

  @Override
  protected void drawTile(int type, int x, int y) {
    int theme = restrictThemes ? 0 : wallTheme;
    if (type == CAVEWALL) {
      drawCell(Sprites.DIRT, WALL[theme], x, y);
    } else if (type == CAVEWALL_TOP) {
      drawCell(Sprites.STONE, WALL_TOPS[theme], x, y);
    }
  }

  @Override
  protected void drawEntity(Entity e) {
    switch (e.type) {
      case PLAYER -> {
        boolean standing = Math.abs(e.vx) < .01f && actionVx == 0 && hasSupport;
        boolean stride = curTime / 5 % 2 != 0 && hasSupport;
        drawBox(e, standing || !stride ? BUNNY : BUNNY_WALK, BUNNY_COLOURS);
      }
      case SPIKE -> drawBox(e, SPIKES, SPIKE_COLOURS);
      case GOAL -> drawBox(e, CARROT, CARROT_COLOURS);
      case TRAIL -> canvas.drawSpriteTurned(PUFF, WHITE, e.x, e.y, e.rx, e.ry, 0, e.alpha);
      default -> { }
    }
  }

  /** The compass (a needle towards the carrot and a distance bar) and the double-jump puff. */
  @Override
  protected void drawHud() {
    if (!showCompass) {
      return;
    }
    float unit = RES / visibility;
    float side = compassDim * unit;
    float left = (visibility - compassDim - .25f) * unit;
    float top = .25f * unit;
    canvas.fillEllipsePixels(left, top, side, side, COMPASS, 1);
    float cx = left + side / 2;
    float cy = top + side / 2;
    float cr = side / 2 * .95f;
    double theta = Math.atan2(goal.y - agent.y, goal.x - agent.x);
    canvas.drawLinePixels(cx, cy, (float) (cx + cr * Math.cos(theta)), (float) (cy - cr * Math.sin(theta)), NEEDLE);
    float dx = agent.x - goal.x;
    float dy = agent.y - goal.y;
    float distPct = (float) (Math.sqrt(dx * dx + dy * dy) / (mainWidth * Math.sqrt(2)));
    canvas.fillPixels(Math.round(left), Math.round(top + side), Math.round(left + side * distPct),
        Math.round(top + side + side / 8), NEEDLE);
    if (jumpDelta < 0 && !hasSupport) {
      float x0 = canvas.screenX(agent.x - agent.rx);
      float y0 = canvas.screenY(agent.y + agent.ry);
      float h = 2 * agent.ry * unit;
      canvas.fillEllipsePixels(x0, y0 + h * 5 / 6, 2 * agent.rx * unit, h / 3, Palettes.rgb(255, 255, 255), 120 / 255f);
    }
  }
}
