package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;

/**
 * Procgen's climber: jump up a tower of platforms collecting stars (+1 each); collecting every
 * star gives +10 and completes the level, touching a patrolling enemy ends the episode. Each
 * platform is 3-5 rows above the last and starts next to a cell of it, so every one can be
 * reached with a jump; the last platform always holds a star, the others with probability
 * star_prob. The view follows the agent upwards.
 */
public final class Climber extends ProcgenGame {

  public static final int COIN = 1;
  public static final int ENEMY = 5;
  public static final int WALL_MID = 15;
  public static final int WALL_TOP = 16;
  public static final float COIN_REWARD = 1;
  public static final float COMPLETION_BONUS = 10;
  public static final int TIMEOUT = 1000;
  private static final int NUM_WALL_THEMES = 4;
  private static final int NUM_PLAYER_THEMES = 4;
  private static final int MARGIN_X = 3;

  private static final int[][] WALL = Palettes.themes(NUM_WALL_THEMES, 0.6, 0.45, 0.6);
  private static final int[][] WALL_TOPS = Palettes.themes(NUM_WALL_THEMES, 0.6, 0.55, 0.85);
  private static final int[][] PLAYERS = Palettes.themes(NUM_PLAYER_THEMES, 0.58, 0.7, 0.95);
  private static final int[] STAR = Palettes.of(Palettes.rgb(250, 220, 50), Palettes.rgb(200, 150, 20));
  private static final int[] ENEMY_COLOURS = Palettes.of(Palettes.rgb(200, 60, 160), Palettes.rgb(140, 30, 110), Palettes.rgb(255, 255, 255));

  public static ContextSpace contextSpace(DistributionMode mode) {
    if (mode != DistributionMode.EASY && mode != DistributionMode.HARD) {
      throw new IllegalArgumentException("climber has no " + mode.id() + " mode");
    }
    return Features.common(true)
        .integer("world_width", mode == DistributionMode.EASY ? 16 : 20, 8, 40, "tower width in cells")
        .integer("world_height", 64, 16, 256, "tower height in cells")
        .integer("max_difficulty", 3, 1, 6, "difficulty d is drawn from 0..max-1; d^2+1 to (d+1)^2+1 platforms")
        .real("enemy_prob", mode == DistributionMode.EASY ? .2 : .5, 0, 1, "chance of an enemy above each platform")
        .real("star_prob", .5, 0, 1, "chance of a star on each platform but the last (which always has one)")
        .real("enemy_speed", .15, 0, .5, "patrolling enemies' speed")
        .real("patrol_range", 4, 0.5, 20, "how far enemies patrol either side of their start")
        .rule(c -> (c.get("max_difficulty") * c.get("max_difficulty") + 1) * 5 + 3 <= c.get("world_height") ? null
            : "world_height must be at least 5 * (max_difficulty^2 + 1) + 3 to hold the platforms")
        .build(ProcgenSuite.id("climber", mode));
  }

  private int worldWidth;
  private int worldHeight;
  private int maxDifficulty;
  private float enemyProb;
  private float starProb;
  private float enemySpeed;
  private float patrolRange;

  private boolean hasSupport;
  private float gravity;
  private float airControl;
  private int wallTheme;
  int coinQuota;
  int coinsCollected;

  public Climber(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.PLATFORM);
    outOfBoundsObject = WALL_MID;
  }

  @Override
  protected void applyContext(Context c) {
    worldWidth = (int) c.get("world_width");
    worldHeight = (int) c.get("world_height");
    maxDifficulty = (int) c.get("max_difficulty");
    enemyProb = (float) c.get("enemy_prob");
    starProb = (float) c.get("star_prob");
    enemySpeed = (float) c.get("enemy_speed");
    patrolRange = (float) c.get("patrol_range");
  }

  public int coinQuota() {
    return coinQuota;
  }

  public int coinsCollected() {
    return coinsCollected;
  }

  /** The most rows a platform is placed above the previous one: v^2 / 2g, truncated. */
  public int maxRise() {
    return (int) (maxJump * maxJump / (2 * gravity));
  }

  @Override
  protected void chooseWorldDim() {
    mainWidth = worldWidth;
    mainHeight = worldHeight;
  }

  static boolean isWall(int t) {
    return t == WALL_MID || t == WALL_TOP;
  }

  @Override
  protected void gameReset() {
    super.gameReset();
    centerAgent = true;
    gravity = .2f;
    maxJump = 1.5f;
    airControl = .15f;
    maxspeed = .5f;
    hasSupport = false;
    agent.rx = .5f;
    agent.ry = .5f;
    agent.x = 1 + agent.rx;
    agent.y = 1 + agent.ry;
    agent.theme = rng.randn(NUM_PLAYER_THEMES);
    wallTheme = rng.randn(NUM_WALL_THEMES);
    for (int x = 0; x < mainWidth; x++) {
      setObj(x, 0, WALL_TOP);
      setObj(x, mainHeight - 1, WALL_MID);
    }
    for (int y = 0; y < mainHeight; y++) {
      setObj(0, y, WALL_MID);
      setObj(mainWidth - 1, y, WALL_MID);
    }
    generatePlatforms();
  }

  private void generatePlatforms() {
    int difficulty = rng.randn(maxDifficulty);
    int minPlatforms = difficulty * difficulty + 1;
    int maxPlatforms = (difficulty + 1) * (difficulty + 1) + 1;
    int numPlatforms = rng.randn(maxPlatforms - minPlatforms + 1) + minPlatforms;
    coinQuota = 0;
    coinsCollected = 0;
    int currX = rng.randn(mainWidth - 4) + 2;
    int currY = 0;
    int[] candidates = new int[12];
    for (int i = 0; i < numPlatforms; i++) {
      int deltaY = rng.randn(maxRise() - 3 + 1) + 3;
      // Only spawn enemies that will not be trapped in tight spaces.
      boolean canSpawnEnemy = currX >= MARGIN_X && currX <= mainWidth - MARGIN_X;
      if (canSpawnEnemy && rng.rand01() < enemyProb) {
        // GCC evaluates call arguments right to left: the direction is drawn before the height.
        float vx = enemySpeed * (rng.randn(2) * 2 - 1);
        float y = currY + rng.randn(2) + 2 + .5f;
        Entity e = addEntity(currX + .5f, y, vx, 0, .5f, ENEMY);
        e.smartStep = true;
        e.aux = currX;
      }
      currY += deltaY;
      int platLen = 2 + rng.randn(10);
      int vx = rng.randn(2) * 2 - 1;
      if (currX < MARGIN_X) {
        vx = 1;
      }
      if (currX > mainWidth - MARGIN_X) {
        vx = -1;
      }
      int n = 0;
      for (int j = 0; j < platLen; j++) {
        int nx = currX + (j + 1) * vx;
        if (nx <= 0 || nx >= mainWidth - 1) {
          break;
        }
        candidates[n++] = nx;
        setObj(nx, currY, WALL_TOP);
      }
      if (rng.rand01() < starProb || i == numPlatforms - 1) {
        int coinX = candidates[rng.randn(n)];
        addEntity(coinX + .5f, currY + 1.5f, 0, 0, .3f, COIN);
        coinQuota++;
      }
      currX = candidates[rng.randn(n)];
    }
  }

  @Override
  protected void handleAgentCollision(Entity e) {
    if (e.type == ENEMY) {
      done = true;
    } else if (e.type == COIN) {
      reward += COIN_REWARD;
      coinsCollected++;
      e.willErase = true;
    }
  }

  @Override
  protected boolean willReflect(int src, int target) {
    return src == ENEMY && isWall(target);
  }

  @Override
  protected boolean isBlocked(Entity src, int target, boolean horizontal) {
    return super.isBlocked(src, target, horizontal) || (src.type == PLAYER && isWall(target));
  }

  @Override
  protected void updateAgentVelocity() {
    steerPlatformer(hasSupport, airControl);
    if (actionVy > 0) {
      agent.vy = maxJump;
    }
    fallPlatformer(hasSupport, gravity);
  }

  @Override
  protected void setActionXY(int move) {
    actionVx = move / 3 - 1;
    actionVy = Math.max(0, move % 3 - 1);
    hasSupport = hasGridSupport();
    actionVy = hasSupport && actionVy == 1 ? 1 : 0;
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
    for (int i = entities.size() - 1; i >= 0; i--) {
      Entity e = entities.get(i);
      if (e.type == ENEMY) {
        float spawnX = e.aux + .5f;
        if (e.x > spawnX + patrolRange) {
          e.vx = -Math.abs(e.vx);
        } else if (e.x < spawnX - patrolRange) {
          e.vx = Math.abs(e.vx);
        }
      }
    }
    if (coinQuota == coinsCollected) {
      done = true;
      reward += COMPLETION_BONUS;
      levelComplete = true;
    }
  }

  /** The camera keeps the tower's full width in view and the agent in its lower part. */
  @Override
  protected float centerX() {
    return mainWidth / 2f;
  }

  @Override
  protected float centerY() {
    visibility = mainWidth;
    return agent.y + mainWidth / 2f - 5 * agent.ry;
  }

  @Override
  protected void drawTile(int type, int x, int y) {
    int theme = restrictThemes ? 0 : wallTheme;
    if (type == WALL_MID) {
      drawCell(Sprites.BRICK, WALL[theme], x, y);
    } else if (type == WALL_TOP) {
      drawCell(Sprites.STONE, WALL_TOPS[theme], x, y);
    }
  }

  @Override
  protected void drawEntity(Entity e) {
    switch (e.type) {
      case PLAYER -> drawBox(e, Sprites.RUNNER, PLAYERS[restrictThemes ? 0 : e.theme]);
      case COIN -> drawBox(e, Sprites.STAR, STAR);
      case ENEMY -> {
        e.reflected = e.vx < 0;
        drawBox(e, Sprites.FISH, ENEMY_COLOURS);
      }
      default -> { }
    }
  }
}
