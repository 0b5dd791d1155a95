package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;

/**
 * Procgen's caveflyer: fly a ship through a cave to the friendly saucer (+10, done). The ship
 * steers like Asteroids: left and right turn it, up thrusts forward, down thrusts back at a
 * third of the force, action 9 fires a laser along its nose. Red saucers (targets) take 5 hits
 * and pay +3 when destroyed; meteors and patrolling enemy ships block shots. Touching a meteor,
 * a target or an enemy ends the episode; the cave walls only stop the ship.
 *
 * <p>The cave is cellular-automaton noise (half walls, 4 smoothing passes); its largest room
 * holds the ship and the goal. Outside memory mode the room is then cut down to the shortest
 * path between them widened by 4 cells and smoothed again (the path itself kept open).
 * Meteors, targets and enemies, {@code free / 80} of each, go on open cells off that path.
 * The view follows the ship (10 cells across in easy mode, 16 otherwise).
 */
public final class CaveFlyer extends ProcgenGame {

  public static final int GOAL = 1;
  public static final int OBSTACLE = 2;
  public static final int TARGET = 3;
  public static final int PLAYER_BULLET = 4;
  public static final int ENEMY = 5;
  public static final int CAVEWALL = 8;
  public static final int EXHAUST = 9;
  /** Marks the goal path while the entities are placed, so that none lands on it. */
  private static final int MARKER = 1003;
  public static final float GOAL_REWARD = 10;
  public static final float TARGET_REWARD = 3;
  public static final int TIMEOUT = 1000;

  // The ship and the enemies point up and down in their bitmaps; Procgen turns them.
  private static final Sprite SHIP = new Sprite(
      "...11...",
      "...11...",
      "..1221..",
      "..1221..",
      ".111111.",
      "11111111",
      "11.33.11",
      "1..33..1");
  private static final Sprite ENEMY_SHIP = new Sprite(
      "1.1..1.1",
      "11111111",
      "11111111",
      ".112211.",
      "..1221..",
      "..1111..",
      "...11...",
      "...11...");
  private static final Sprite SAUCER = new Sprite(
      "........",
      "...22...",
      "..2222..",
      ".111111.",
      "11311311",
      ".111111.",
      "........",
      "........");
  private static final Sprite LASER = new Sprite("1", "2", "2", "2", "1");
  private static final int[] SHIP_COLOURS = Palettes.of(Palettes.rgb(210, 50, 50), Palettes.rgb(150, 200, 240), Palettes.rgb(255, 170, 40));
  private static final int[] ENEMY_COLOURS = Palettes.of(Palettes.rgb(60, 110, 220), Palettes.rgb(200, 230, 255));
  private static final int[] GOAL_COLOURS = Palettes.of(Palettes.rgb(90, 200, 80), Palettes.rgb(190, 240, 200), Palettes.rgb(255, 255, 120));
  private static final int[] TARGET_COLOURS = Palettes.of(Palettes.rgb(220, 60, 60), Palettes.rgb(250, 200, 200), Palettes.rgb(255, 255, 120));
  private static final int[] METEOR = Palettes.of(Palettes.rgb(140, 100, 70), Palettes.rgb(95, 65, 45), Palettes.rgb(180, 140, 105));
  private static final int[] LASER_COLOURS = Palettes.of(Palettes.rgb(200, 230, 255), Palettes.rgb(60, 140, 255));
  private static final int[] ROCK = Palettes.of(Palettes.rgb(120, 105, 95), Palettes.rgb(80, 68, 60), Palettes.rgb(160, 145, 130));
  private static final int[] FLAME = Palettes.of(Palettes.rgb(255, 200, 80), Palettes.rgb(240, 120, 40));
  public static ContextSpace contextSpace(DistributionMode mode) {
    if (mode != DistributionMode.EASY && mode != DistributionMode.HARD && mode != DistributionMode.MEMORY) {
      throw new IllegalArgumentException("caveflyer has no " + mode.id() + " mode");
    }
    int dim = switch (mode) {
      case EASY -> 30;
      case MEMORY -> 60;
      default -> 40;
    };
    return Features.common(true)
        .integer("world_dim", dim, 10, 100, "side of the square cave in cells")
        .real("wall_fraction", .5, .35, .55, "share of wall cells in the noise the cave grows from")
        .integer("smoothing_passes", 4, 0, 8, "cellular-automaton passes before and after the cut to the path")
        .flag("prune_to_path", mode == DistributionMode.MEMORY ? 0 : 1, "cut the cave down to the widened path from ship to goal")
        .integer("path_width", 4, 0, 10, "cells the path is widened by on each side when pruning")
        .integer("cells_per_object", 80, 10, 1000, "one meteor, one target and one enemy per this many open cells")
        .integer("target_health", 5, 1, 20, "laser hits a target takes")
        .real("enemy_speed", .1, 0, .5, "slowest enemy speed; each is drawn from [s, 2s)")
        .build(ProcgenSuite.id("caveflyer", mode));
  }

  private int worldDim;
  private float wallFraction;
  private int smoothingPasses;
  private boolean pruneToPath;
  private int pathWidth;
  private int cellsPerObject;
  private float targetHealth;
  private double enemySpeed;

  private final RoomGen rooms = new RoomGen(this);
  private boolean[] room = new boolean[0];
  private int[] path = new int[0];
  private int[] free = new int[0];
  private boolean[] chosen = new boolean[0];
  private int[] picks = new int[0];
  private int pathLength;
  private int goalCell;
  private int agentCell;

  public CaveFlyer(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.SPACE);
    mixrate = .9f;
  }

  @Override
  protected void applyContext(Context c) {
    worldDim = (int) c.get("world_dim");
    wallFraction = (float) c.get("wall_fraction");
    smoothingPasses = (int) c.get("smoothing_passes");
    pruneToPath = c.get("prune_to_path") != 0;
    pathWidth = (int) c.get("path_width");
    cellsPerObject = (int) c.get("cells_per_object");
    targetHealth = (float) c.get("target_health");
    enemySpeed = c.get("enemy_speed");
  }

  /** The goal's grid cell index. */
  public int goalCell() {
    return goalCell;
  }

  /** The ship's starting cell index. */
  public int agentCell() {
    return agentCell;
  }

  /** The shortest open path from the ship's cell to the goal's, as generated (kept open, no entity on it). */
  public int[] goalPath() {
    return java.util.Arrays.copyOf(path, pathLength);
  }

  @Override
  protected void chooseWorldDim() {
    mainWidth = worldDim;
    mainHeight = worldDim;
  }

  @Override
  protected void gameReset() {
    super.gameReset();
    centerAgent = true;
    visibility = mode == DistributionMode.EASY ? 10 : 16;
    int n = mainWidth * mainHeight;
    if (room.length < n) {
      room = new boolean[n];
      path = new int[n];
      free = new int[n];
      chosen = new boolean[n];
    }
    outOfBoundsObject = WALL_OBJ;
    int numFree;
    int attempts = 0;
    // Procgen asserts that a room exists; a narrow cave with dense noise may have none, so draw again.
    do {
      if (++attempts > RoomGen.MAX_CAVES) {
        throw new IllegalStateException("caveflyer: no two touching open cells in " + RoomGen.MAX_CAVES
            + " caves grown with world_dim=" + worldDim + ", wall_fraction=" + wallFraction + "; use less wall or a larger world");
      }
      for (int i = 0; i < n; i++) {
        setObj(i, rng.rand01() < wallFraction ? WALL_OBJ : SPACE);
      }
      for (int pass = 0; pass < smoothingPasses; pass++) {
        rooms.smooth();
      }
      numFree = rooms.findBestRoom(room);
    } while (numFree < 2);
    numFree = 0;
    for (int i = 0; i < n; i++) {
      setObj(i, room[i] ? SPACE : WALL_OBJ);
      if (room[i]) {
        free[numFree++] = i;
      }
    }
    chooseDistinct(numFree, 2);
    agentCell = free[picks[0]];
    goalCell = free[picks[1]];
    agent.x = agentCell % mainWidth + .5f;
    agent.y = agentCell / mainWidth + .5f;
    spawnEntityAtIndex(goalCell, .5f, GOAL).collidesWithEntities = true;

    pathLength = rooms.findPath(agentCell, goalCell, path);
    if (pruneToPath) {
      java.util.Arrays.fill(room, 0, n, false);
      for (int k = 0; k < pathLength; k++) {
        room[path[k]] = true;
      }
      rooms.expand(room, pathWidth);
      for (int i = 0; i < n; i++) {
        setObj(i, room[i] ? SPACE : WALL_OBJ);
      }
    }
    for (int pass = 0; pass < smoothingPasses; pass++) {
      rooms.smooth();
      for (int k = 0; k < pathLength; k++) {
        setObj(path[k], SPACE);
      }
    }
    for (int k = 0; k < pathLength; k++) {
      setObj(path[k], MARKER);
    }
    numFree = 0;
    for (int i = 0; i < n; i++) {
      int t = getObj(i);
      if (t == SPACE) {
        free[numFree++] = i;
      } else if (t == WALL_OBJ) {
        setObj(i, CAVEWALL);
      }
    }
    spawnHazards(numFree);
    for (int k = 0; k < pathLength; k++) {
      setObj(path[k], SPACE);
    }
    outOfBoundsObject = CAVEWALL;
  }

  /** Meteors, then targets, then enemies, {@code numFree / cells_per_object} of each, on distinct free cells. */
  private void spawnHazards(int numFree) {
    int chunk = numFree / cellsPerObject;
    int count = 3 * chunk;
    chooseDistinct(numFree, count);
    for (int i = 0; i < count; i++) {
      int cell = free[picks[i]];
      if (i < chunk) {
        spawnEntityAtIndex(cell, .5f, OBSTACLE).collidesWithEntities = true;
      } else if (i < 2 * chunk) {
        Entity e = spawnEntityAtIndex(cell, .5f, TARGET);
        e.health = targetHealth;
        e.collidesWithEntities = true;
      } else {
        Entity e = spawnEntityAtIndex(cell, .5f, ENEMY);
        // Procgen: (.1 * rand01 + .1) * (randn(2) * 2 - 1) in double, then a float.
        float vel = (float) ((enemySpeed * rng.rand01() + enemySpeed) * (rng.randn(2) * 2 - 1));
        if (rng.rand01() < .5f) {
          e.vx = vel;
        } else {
          e.vy = vel;
        }
        e.smartStep = true;
        e.collidesWithEntities = true;
      }
    }
  }

  /** Procgen's simple_choose: k distinct indices below n, each drawn until unused, into {@link #picks}. */
  private void chooseDistinct(int n, int k) {
    if (picks.length < k) {
      picks = new int[Math.max(k, 2 * picks.length)];
    }
    java.util.Arrays.fill(chosen, 0, n, false);
    for (int i = 0; i < k; i++) {
      int next = rng.randn(n);
      while (chosen[next]) {
        next = rng.randn(n);
      }
      picks[i] = next;
      chosen[next] = true;
    }
  }

  @Override
  protected void handleAgentCollision(Entity e) {
    if (e.type == GOAL) {
      reward += GOAL_REWARD;
      levelComplete = true;
      done = true;
    } else if (e.type == OBSTACLE || e.type == ENEMY || e.type == TARGET) {
      done = true;
    }
  }

  /** A laser hitting a saucer, meteor or enemy is used up; a target loses health and pays when destroyed. */
  @Override
  protected void handleCollision(Entity src, Entity target) {
    if (target.type != PLAYER_BULLET) {
      return;
    }
    boolean eraseBullet = false;
    if (src.type == TARGET) {
      src.health -= 1;
      eraseBullet = true;
      if (src.health <= 0 && !src.willErase) {
        spawnChild(src, EXPLOSION, .5f * src.rx, false);
        src.willErase = true;
        reward += TARGET_REWARD;
      }
    } else if (src.type == OBSTACLE || src.type == ENEMY || src.type == GOAL) {
      eraseBullet = true;
    }
    if (eraseBullet && !target.willErase) {
      target.willErase = true;
      Entity explosion = spawnChild(target, EXPLOSION, .5f * target.rx, false);
      explosion.vx = src.vx;
      explosion.vy = src.vy;
    }
  }

  @Override
  protected boolean isBlocked(Entity src, int target, boolean horizontal) {
    return super.isBlocked(src, target, horizontal) || (src.type == PLAYER && target == CAVEWALL);
  }

  @Override
  protected boolean willReflect(int src, int target) {
    return src == ENEMY && (target == CAVEWALL || target == outOfBoundsObject);
  }

  /** Thrust along the nose: up pushes forward, down backward at a third of the force; left/right turn. */
  @Override
  protected void setActionXY(int move) {
    float acceleration = move % 3 - 1;
    if (acceleration < 0) {
      acceleration *= 0.33f;
    }
    float theta = -agent.rotation + PI / 2;
    // Procgen calls the double cos and sin here, so the products are formed in double.
    double cos = Math.cos(theta);
    double sin = Math.sin(theta);
    if (acceleration > 0) {
      Entity exhaust = addEntity((float) (agent.x - agent.rx * cos), (float) (agent.y - agent.ry * sin), 0, 0, .5f * agent.rx, EXHAUST);
      exhaust.expireTime = 4;
      exhaust.rotation = -theta - PI / 2;
      exhaust.growRate = 1.25f;
      exhaust.alphaDecay = .8f;
    }
    actionVy = (float) (acceleration * sin);
    actionVx = (float) (acceleration * cos);
    actionVrot = move / 3 - 1;
  }

  @Override
  protected void updateAgentVelocity() {
    // Procgen adds (mixrate * maxspeed * a * v_scale) * .2 in double to the float velocity.
    agent.vx = (float) (agent.vx + (mixrate * maxspeed * actionVx) * .2);
    agent.vy = (float) (agent.vy + (mixrate * maxspeed * actionVy) * .2);
    decayAgentVelocity();
  }

  @Override
  protected void gameStep() {
    super.gameStep();
    if (specialAction == 1) {
      float theta = -agent.rotation + PI / 2;
      Entity laser = addEntity(agent.x, agent.y, (float) Math.cos(theta), (float) Math.sin(theta), .1f, .25f, PLAYER_BULLET);
      laser.expireTime = 10;
      laser.rotation = agent.rotation;
    }
    for (int i = entities.size() - 1; i >= 0; i--) {
      Entity e = entities.get(i);
      if (e.type == ENEMY) {
        e.faceDirection(e.vx, e.vy, -PI / 2);
      }
      if (e.type != PLAYER_BULLET) {
        continue;
      }
      boolean hitWall = false;
      for (int cx = 0; cx < 2; cx++) {
        for (int cy = 0; cy < 2; cy++) {
          hitWall |= getObjFromFloats(e.x + e.rx * (2 * cx - 1), e.y + e.ry * (2 * cy - 1)) == CAVEWALL;
        }
      }
      if (hitWall) {
        e.willErase = true;
        spawnChild(e, EXPLOSION, .5f * e.rx, false);
      }
    }
    eraseIfNeeded();
  }

  @Override
  protected void drawTile(int type, int x, int y) {
    if (type == CAVEWALL) {
      drawCell(Sprites.DIRT, ROCK, x, y);
    }
  }

  @Override
  protected void drawEntity(Entity e) {
    switch (e.type) {
      case PLAYER -> canvas.drawSpriteTurned(SHIP, SHIP_COLOURS, e.x, e.y, e.rx, e.ry, e.rotation, 1);
      case ENEMY -> canvas.drawSpriteTurned(ENEMY_SHIP, ENEMY_COLOURS, e.x, e.y, e.rx, e.ry, e.rotation, 1);
      case PLAYER_BULLET -> canvas.drawSpriteTurned(LASER, LASER_COLOURS, e.x, e.y, e.rx, e.ry, e.rotation, 1);
      case EXHAUST -> canvas.drawSpriteTurned(Sprites.DISC, FLAME, e.x, e.y, e.rx, e.ry, e.rotation, e.alpha);
      case GOAL -> drawBox(e, SAUCER, GOAL_COLOURS);
      case TARGET -> drawBox(e, SAUCER, TARGET_COLOURS);
      case OBSTACLE -> drawBox(e, Sprites.BOULDER, METEOR);
      case EXPLOSION -> drawExplosion(e);
      default -> { }
    }
  }
}
