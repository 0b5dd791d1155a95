package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;

/**
 * Procgen's dodgeball: a walled arena split into rooms by lava walls (room_splits random
 * splits, each leaving a gap), with min_enemies to min_enemies + max_extra_enemies enemies
 * that walk along the axes, turn every 25-74 steps and bounce off walls. An enemy lined up
 * with the agent (within one cell on either axis) throws a ball at it, at most every
 * enemy_fire_delay steps, and walks towards it. Action 9 throws a ball the way the agent last
 * moved (at most every 7 steps); a ball that hits an enemy removes it: +2. Once no enemy is
 * left, the door on one edge turns green and reaching it gives +10 and completes the level.
 * Touching a lava wall, an enemy or an enemy's ball ends the episode. Balls are stopped by
 * walls and leave the arena at its edges. Memory mode centres the view on the agent in a
 * 40x40 arena.
 */
public final class Dodgeball extends ProcgenGame {

  public static final int LAVA_WALL = 1;
  public static final int PLAYER_BALL = 3;
  public static final int ENEMY = 4;
  public static final int DOOR = 5;
  public static final int ENEMY_BALL = 6;
  public static final int DUST_CLOUD = 8;
  public static final int OOB_WALL = 10;
  public static final float COMPLETION_BONUS = 10;
  public static final float ENEMY_REWARD = 2;
  public static final int TIMEOUT = 1000;
  static final float ENEMY_VEL = .05f;
  static final int PLAYER_FIRE_DELAY = 7;
  private static final float BALL_V_ROT = PI * .23f;
  private static final int NUM_ENEMY_THEMES = 7;
  private static final int NUM_DUST_THEMES = 9;

  private static final Sprite BALL = new Sprite(
      "..1111..",
      ".112211.",
      "11222211",
      "12111121",
      "11111111",
      "11211211",
      ".111111.",
      "..1111..");
  private static final Sprite BLOCK = new Sprite(
      "33333332",
      "31111112",
      "31111112",
      "31111112",
      "31111112",
      "31111112",
      "31111112",
      "22222222");
  private static final Sprite PUFF = new Sprite(
      "..1..1..",
      ".111111.",
      "11122111",
      ".112211.",
      "111221.1",
      ".111111.",
      "1.1111..",
      "...1..1.");

  private static final int[] WALL_COLOURS = Palettes.of(Palettes.rgb(150, 150, 160), Palettes.rgb(95, 95, 105),
      Palettes.rgb(200, 200, 210));
  private static final int[] DOOR_CLOSED = Palettes.of(Palettes.rgb(220, 50, 50), Palettes.rgb(150, 30, 30),
      Palettes.rgb(250, 120, 110));
  private static final int[] DOOR_OPEN = Palettes.of(Palettes.rgb(60, 200, 70), Palettes.rgb(30, 130, 40),
      Palettes.rgb(140, 240, 140));
  private static final int[] PLAYER_BALL_COLOURS = Palettes.of(Palettes.rgb(250, 250, 250), Palettes.rgb(30, 30, 30));
  private static final int[] ENEMY_BALL_COLOURS = Palettes.of(Palettes.rgb(250, 210, 60), Palettes.rgb(200, 40, 40));
  private static final int[] AGENT = Palettes.of(Palettes.rgb(60, 120, 230), Palettes.rgb(250, 220, 180), Palettes.rgb(30, 50, 110));
  private static final int[][] ENEMIES = new int[NUM_ENEMY_THEMES][];
  private static final int[][] DUST = new int[NUM_DUST_THEMES][];

  static {
    for (int i = 0; i < NUM_ENEMY_THEMES; i++) {
      int suit = Palettes.hsv(i / (double) NUM_ENEMY_THEMES + 0.02, 0.7, 0.8);
      ENEMIES[i] = Palettes.of(suit, Palettes.rgb(250, 220, 180), Palettes.shade(suit, 0.55));
    }
    for (int i = 0; i < NUM_DUST_THEMES; i++) {
      int c = Palettes.hsv(0.08 + 0.03 * i, 0.25, 0.85);
      DUST[i] = Palettes.of(c, Palettes.shade(c, 1.2));
    }
  }

  /** Sizes that scale together per mode: walls, enemies and balls are (scale x) Procgen's extreme-mode ones. */
  private static float scale(DistributionMode mode) {
    return switch (mode) {
      case EASY -> 2;
      case HARD, MEMORY -> 1.5f;
      case EXTREME -> 1;
      default -> throw new IllegalArgumentException("dodgeball has no " + mode.id() + " mode");
    };
  }

  public static ContextSpace contextSpace(DistributionMode mode) {
    int dim;
    int splits;
    int extraEnemies;
    double speed;
    switch (mode) {
      case EASY -> { dim = 20; splits = 2; extraEnemies = 3; speed = .75; }
      case HARD -> { dim = 20; splits = 4; extraEnemies = 3; speed = .5; }
      case EXTREME -> { dim = 20; splits = 8; extraEnemies = 3; speed = .25; }
      case MEMORY -> { dim = 40; splits = 16; extraEnemies = 16; speed = .5; }
      default -> throw new IllegalArgumentException("dodgeball has no " + mode.id() + " mode");
    }
    return Features.common(true)
        .integer("world_dim", dim, 10, 64, "side of the square arena in cells")
        .integer("room_splits", splits, 0, 64, "times a random room is split by a lava wall")
        .integer("min_enemies", 3, 0, 20, "fewest enemies")
        .integer("max_extra_enemies", extraEnemies, 0, 32, "enemies are drawn from min .. min + max_extra")
        .integer("enemy_fire_delay", 50, 1, 1000, "steps an enemy waits between throws")
        .real("max_speed", speed, 0.05, 2, "the agent's top speed (cells per step)")
        .real("ball_speed", .25 * scale(mode), 0.05, 2, "speed of every thrown ball (cells per step)")
        .build(ProcgenSuite.id("dodgeball", mode));
  }

  private int worldDim;
  private int roomSplits;
  private int minEnemies;
  private int maxExtraEnemies;
  private int enemyFireDelay;
  private float ballVscale;

  private float ballR;
  private float minDim;
  private float hardMinDim;
  private int lastFireTime;
  private int numEnemies;
  /** Rooms still to split, as (x, y, w, h) quadruples. */
  private float[] rooms = new float[0];
  private int numRooms;
  private int numWalls;

  public Dodgeball(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.TOPDOWN);
    mixrate = .5f;
    outOfBoundsObject = OOB_WALL;
  }

  @Override
  protected void applyContext(Context c) {
    worldDim = (int) c.get("world_dim");
    roomSplits = (int) c.get("room_splits");
    minEnemies = (int) c.get("min_enemies");
    maxExtraEnemies = (int) c.get("max_extra_enemies");
    enemyFireDelay = (int) c.get("enemy_fire_delay");
    maxspeed = (float) c.get("max_speed");
    ballVscale = (float) c.get("ball_speed");
  }

  /** Enemies left (counted each step; at reset, the number spawned). */
  public int numEnemies() {
    return numEnemies;
  }

  public int numWalls() {
    return numWalls;
  }

  @Override
  protected void chooseWorldDim() {
    mainWidth = worldDim;
    mainHeight = worldDim;
  }

  @Override
  protected void gameReset() {
    super.gameReset();
    centerAgent = mode == DistributionMode.MEMORY;
    lastFireTime = 0;
    float k = scale(mode);
    float thickness = .3f * k;
    float enemyR = .5f * k;
    ballR = .25f * k;
    float exitR = mode == DistributionMode.EASY ? 1.5f : .75f;
    if (mode != DistributionMode.EXTREME) {
      agent.rx = mode == DistributionMode.EASY ? 1 : .75f;
      agent.ry = agent.rx;
    }
    // Rooms smaller than these are not split again (hard) or need one long side (soft).
    hardMinDim = 4 * agent.rx + 2 * thickness + .5f;
    minDim = agent.rx * 8 + .5f;

    int capacity = 4 * (1 + 2 * roomSplits);
    if (rooms.length < capacity) {
      rooms = new float[capacity];
    }
    numRooms = 0;
    numWalls = 0;
    addRoom(0, 0, mainWidth, mainHeight);
    for (int i = 0; i < roomSplits && numRooms > 0; i++) {
      int idx = rng.randn(numRooms);
      float rx = rooms[4 * idx];
      float ry = rooms[4 * idx + 1];
      float rw = rooms[4 * idx + 2];
      float rh = rooms[4 * idx + 3];
      System.arraycopy(rooms, 4 * idx + 4, rooms, 4 * idx, 4 * (numRooms - idx - 1));
      numRooms--;
      splitRoom(rx, ry, rw, rh, thickness);
    }

    float doorLen = 2 * exitR;
    switch (rng.randn(4)) {
      case 0 -> spawnEntity(doorLen / 2, exitR, DOOR, 0, 0, mainWidth, 2 * exitR, true);
      case 1 -> spawnEntity(doorLen / 2, exitR, DOOR, 0, mainHeight - 2 * exitR, mainWidth, 2 * exitR, true);
      case 2 -> spawnEntity(exitR, doorLen / 2, DOOR, 0, 0, 2 * exitR, mainHeight, true);
      default -> spawnEntity(exitR, doorLen / 2, DOOR, mainWidth - 2 * exitR, 0, 2 * exitR, mainHeight, true);
    }
    repositionAgent();

    numEnemies = rng.randn(maxExtraEnemies + 1) + minEnemies;
    for (int i = 0; i < numEnemies; i++) {
      spawnEntity(enemyR, ENEMY, 0, 0, mainWidth, mainHeight, true);
    }
    int enemyTheme = rng.randn(NUM_ENEMY_THEMES);
    for (int i = 0; i < entities.size(); i++) {
      Entity e = entities.get(i);
      if (e.type == ENEMY) {
        e.theme = enemyTheme;
        e.health = 1;
        e.fireTime = 10;
        e.collidesWithEntities = true;
        e.smartStep = true;
        chooseVelocity(e);
        e.faceDirection(e.vx, e.vy, 0);
      } else if (e.type == LAVA_WALL) {
        e.collidesWithEntities = true;
      }
    }
    agent.faceDirection(1, 0, 0);
  }

  private void addRoom(float x, float y, float w, float h) {
    if ((w >= minDim || h >= minDim) && w >= hardMinDim && h >= hardMinDim) {
      rooms[4 * numRooms] = x;
      rooms[4 * numRooms + 1] = y;
      rooms[4 * numRooms + 2] = w;
      rooms[4 * numRooms + 3] = h;
      numRooms++;
    }
  }

  /**
   * Splits a room with a wall through its middle that leaves a gap of a quarter, half or three
   * quarters of its length at one end; the halves beside the wall and the gap's strip become rooms.
   */
  private void splitRoom(float rx, float ry, float rw, float rh, float thickness) {
    boolean splitWidth = rng.rand01() < .5f;
    boolean gapFirst = rng.rand01() < .5f;
    if (rw < minDim) {
      splitWidth = false;
    }
    if (rh < minDim) {
      splitWidth = true;
    }
    float gap = .25f * (rng.randn(3) + 1);
    float pct = 1 - gap;
    if (!splitWidth) {
      float wy = gapFirst ? ry : ry + (1 - pct) * rh;
      float remy = gapFirst ? ry + pct * rh : ry;
      float wh = pct * rh;
      addWall(rx + rw / 2, wy + wh / 2, thickness, wh / 2);
      float nextw = rw / 2 - thickness;
      addRoom(rx, wy, nextw, wh);
      addRoom(rx + rw / 2 + thickness, wy, nextw, wh);
      addRoom(rx, remy, rw, rh - wh);
    } else {
      float wx = gapFirst ? rx : rx + (1 - pct) * rw;
      float remx = gapFirst ? rx + pct * rw : rx;
      float ww = pct * rw;
      addWall(wx + ww / 2, ry + rh / 2, ww / 2, thickness);
      float nexth = rh / 2 - thickness;
      addRoom(wx, ry, ww, nexth);
      addRoom(wx, ry + rh / 2 + thickness, ww, nexth);
      addRoom(remx, ry, rw - ww, rh);
    }
  }

  /**
   * Walls never move and are the first entities Procgen draws below the enemies, so they are
   * drawn with the cached background layer (z = -1): the same picture, drawn once per level.
   */
  private void addWall(float x, float y, float rx, float ry) {
    addEntity(x, y, 0, 0, rx, ry, LAVA_WALL).renderZ = -1;
    numWalls++;
  }

  /** A new walking direction along one axis, kept for 25-74 steps. */
  private void chooseVelocity(Entity e) {
    float v = ENEMY_VEL * (rng.randn(2) * 2 - 1);
    if (rng.randn(2) == 0) {
      e.vx = v;
      e.vy = 0;
    } else {
      e.vy = v;
      e.vx = 0;
    }
    e.spawnTime = rng.randn(50) + 25;
  }

  @Override
  protected boolean willReflect(int srcType, int targetType) {
    return srcType == ENEMY && (targetType == LAVA_WALL || targetType == outOfBoundsObject);
  }

  @Override
  protected void handleAgentCollision(Entity e) {
    if (e.type == ENEMY || e.type == ENEMY_BALL || e.type == LAVA_WALL) {
      done = true;
    } else if (e.type == DOOR && numEnemies == 0) {
      done = true;
      reward += COMPLETION_BONUS;
      levelComplete = true;
    }
  }

  @Override
  protected void handleCollision(Entity src, Entity target) {
    if (target.type == PLAYER_BALL) {
      if (src.type == LAVA_WALL) {
        target.willErase = true;
      } else if (src.type == ENEMY) {
        src.health -= 1;
        target.willErase = true;
        if (src.health <= 0 && !src.willErase) {
          src.willErase = true;
          reward += ENEMY_REWARD;
          Entity dust = spawnChild(src, DUST_CLOUD, src.rx, false);
          dust.vrot = PI / .3f;
          dust.growRate = 1 / 1.2f;
          dust.expireTime = 4;
          dust.alphaDecay = .9f;
          dust.theme = stepRandInt % NUM_DUST_THEMES;
        }
      }
    } else if (target.type == ENEMY_BALL && src.type == LAVA_WALL) {
      target.willErase = true;
    }
  }

  @Override
  protected void gameStep() {
    super.gameStep();
    float vx = lastMoveAction / 3 - 1;
    float vy = lastMoveAction % 3 - 1;
    agent.faceDirection(vx, vy, 0);
    if (specialAction == 1 && curTime - lastFireTime >= PLAYER_FIRE_DELAY) {
      Entity ball = addEntity(agent.x, agent.y, vx * ballVscale, vy * ballVscale, ballR, PLAYER_BALL);
      ball.collidesWithEntities = true;
      ball.expireTime = 50;
      ball.vrot = BALL_V_ROT;
      lastFireTime = curTime;
    }

    numEnemies = 0;
    for (int i = entities.size() - 1; i >= 0; i--) {
      Entity e = entities.get(i);
      if (e.type == ENEMY) {
        numEnemies++;
        if (e.spawnTime == 0) {
          chooseVelocity(e);
        } else {
          e.spawnTime--;
        }
        if (curTime - e.fireTime >= enemyFireDelay) {
          // Lined up with the agent on one axis: throw along it and walk that way.
          float dx = e.x - agent.x;
          float dy = e.y - agent.y;
          float bvx = e.x < agent.x ? 1 : -1;
          float bvy = e.y < agent.y ? 1 : -1;
          if (Math.abs(dx) < 1) {
            fireBall(e, 0, bvy);
            e.vx = 0;
            e.vy = bvy * ENEMY_VEL;
          } else if (Math.abs(dy) < 1) {
            fireBall(e, bvx, 0);
            e.vx = bvx * ENEMY_VEL;
            e.vy = 0;
          }
        }
        e.faceDirection(e.vx, e.vy, 0);
      } else if (e.type == PLAYER_BALL || e.type == ENEMY_BALL) {
        if (e.x < e.rx || e.x > mainWidth - e.rx || e.y < e.ry || e.y > mainHeight - e.ry) {
          e.willErase = true;
        }
      }
    }
    eraseIfNeeded();
  }

  private void fireBall(Entity from, float vx, float vy) {
    Entity ball = addEntity(from.x, from.y, vx * ballVscale, vy * ballVscale, ballR, ENEMY_BALL);
    from.fireTime = curTime + rng.randn(4);
    ball.vrot = BALL_V_ROT;
    ball.expireTime = 50;
  }

  @Override
  protected void drawTile(int type, int x, int y) {
    if (type == OOB_WALL) {
      drawCell(Sprites.STONE, WALL_COLOURS, x, y);
    }
  }

  @Override
  protected void drawEntity(Entity e) {
    switch (e.type) {
      case PLAYER -> drawPerson(e, AGENT);
      case ENEMY -> drawPerson(e, ENEMIES[restrictThemes ? 0 : e.theme]);
      // Procgen tiles a wall's square image along its long side, as many whole squares as fit.
      case LAVA_WALL -> drawBoxTiled(e, Sprites.STONE, WALL_COLOURS, 1);
      case DOOR -> drawBox(e, BLOCK, numEnemies == 0 ? DOOR_OPEN : DOOR_CLOSED);
      case PLAYER_BALL -> drawBox(e, BALL, PLAYER_BALL_COLOURS);
      case ENEMY_BALL -> drawBox(e, BALL, ENEMY_BALL_COLOURS);
      case DUST_CLOUD -> canvas.drawSpriteTurned(PUFF, DUST[restrictThemes ? 0 : e.theme],
          e.x, e.y, e.rx, e.ry, 0, e.alpha);
      default -> { }
    }
  }

  /** A person seen from above, turned to the nearest quarter of its heading. */
  private void drawPerson(Entity e, int[] palette) {
    // faceDirection turns clockwise (Procgen's screen convention); quarter turns count counter-clockwise.
    int quarter = Math.round(-e.rotation / (PI / 2));
    canvas.drawSprite(Sprites.ASTRONAUT, palette, e.x - e.rx, e.y - e.ry, e.x + e.rx, e.y + e.ry, false, quarter);
  }
}
