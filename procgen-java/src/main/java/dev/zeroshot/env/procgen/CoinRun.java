package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;

/**
 * Procgen's coinrun: a platformer run left to right to the coin at the end (+10, done).
 * Sections of ground rise and fall; some are pits filled with the level's danger (lava, saws
 * or walking enemies), others carry saws, walkers (not in easy mode) and crate stacks
 * (one-way platforms). Touching lava, a saw or a walker ends the episode.
 *
 * <p>The generator sizes step-ups and pits from the jump physics (max rise v^2 / 2g, max gap
 * 2 v s / g), so the gravity and jump knobs change the levels as well as the motion.
 */
public final class CoinRun extends ProcgenGame {

  public static final int GOAL = 1;
  public static final int SAW = 2;
  public static final int ENEMY = 5;
  public static final int WALL_MID = 15;
  public static final int WALL_TOP = 16;
  public static final int LAVA_MID = 17;
  public static final int LAVA_TOP = 18;
  public static final int ENEMY_BARRIER = 19;
  public static final int CRATE = 20;
  public static final float GOAL_REWARD = 10;
  public static final int TIMEOUT = 1000;

  private static final int NUM_PLAYER_THEMES = 5;
  private static final int NUM_GROUND_THEMES = 6;
  private static final int NUM_ENEMY_THEMES = 9;
  private static final int NUM_CRATE_THEMES = 4;

  private static final int[][] GROUND = Palettes.themes(NUM_GROUND_THEMES, 0.08, 0.5, 0.55);
  private static final int[][] GROUND_TOP = Palettes.themes(NUM_GROUND_THEMES, 0.3, 0.6, 0.7);
  private static final int[][] PLAYERS = new int[NUM_PLAYER_THEMES][];
  private static final int[][] ENEMIES = new int[NUM_ENEMY_THEMES][];
  private static final int[][] CRATES = new int[NUM_CRATE_THEMES][];
  private static final int[] LAVA = Palettes.of(Palettes.rgb(240, 90, 20), Palettes.rgb(170, 40, 10), Palettes.rgb(255, 210, 60));
  private static final int[] COIN = Palettes.of(Palettes.rgb(250, 200, 30), Palettes.rgb(200, 140, 10));
  private static final int[] SAW_COLOURS = Palettes.of(Palettes.rgb(190, 190, 200), Palettes.rgb(90, 90, 100));

  static {
    for (int i = 0; i < NUM_PLAYER_THEMES; i++) {
      int body = Palettes.hsv(0.1 + i / (double) NUM_PLAYER_THEMES, 0.6, 0.9);
      PLAYERS[i] = Palettes.of(body, Palettes.rgb(250, 230, 200), Palettes.shade(body, 0.6));
    }
    for (int i = 0; i < NUM_ENEMY_THEMES; i++) {
      ENEMIES[i] = Palettes.of(Palettes.hsv(0.75 + i / (double) NUM_ENEMY_THEMES, 0.7, 0.8), Palettes.rgb(250, 250, 250));
    }
    for (int i = 0; i < NUM_CRATE_THEMES; i++) {
      int wood = Palettes.hsv(0.08, 0.5 + 0.1 * i, 0.65 - 0.07 * i);
      CRATES[i] = Palettes.of(wood, Palettes.shade(wood, 0.6));
    }
  }

  public static ContextSpace contextSpace(DistributionMode mode) {
    if (mode != DistributionMode.EASY && mode != DistributionMode.HARD) {
      throw new IllegalArgumentException("coinrun has no " + mode.id() + " mode");
    }
    return Features.common(true)
        .integer("world_width", 64, 24, 256, "world width in cells (sections stop 15 cells before the end)")
        .integer("max_difficulty", 3, 1, 6, "difficulty d is drawn from 1..max; d to 2d-1 sections, wider and riskier with d")
        .flag("ground_walkers", mode == DistributionMode.EASY ? 0 : 1, "walking enemies on ground sections")
        .real("gravity", 0.2, 0.05, 1, "downward acceleration per step")
        .real("max_jump", 1.5, 0.5, 3, "jump speed (cells per step)")
        .real("air_control", 0.15, 0, 1, "share of ground control kept in the air")
        .real("walker_speed", 0.15, 0, 0.5, "walking enemies' speed (cells per step)")
        .build(ProcgenSuite.id("coinrun", mode));
  }

  private int worldWidth;
  private int maxDifficulty;
  private boolean groundWalkers;
  private float gravityKnob;
  private float maxJumpKnob;
  private float airControlKnob;
  private float walkerSpeed;

  private float gravity;
  private float airControl;
  private float lastAgentY;
  private int wallTheme;
  private boolean hasSupport;
  private boolean isOnCrate;
  private int goalX;
  private int goalY;

  public CoinRun(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.PLATFORM);
    visibility = 13;
    mixrate = .2f;
    outOfBoundsObject = WALL_MID;
  }

  @Override
  protected void applyContext(Context c) {
    worldWidth = (int) c.get("world_width");
    maxDifficulty = (int) c.get("max_difficulty");
    groundWalkers = c.get("ground_walkers") != 0;
    gravityKnob = (float) c.get("gravity");
    maxJumpKnob = (float) c.get("max_jump");
    airControlKnob = (float) c.get("air_control");
    walkerSpeed = (float) c.get("walker_speed");
  }

  /** The coin's cell. */
  public int goalX() {
    return goalX;
  }

  public int goalY() {
    return goalY;
  }

  /** The largest step up the generator makes: (v^2 / 2g - 0.5), truncated. */
  public int maxRise() {
    return (int) (maxJump * maxJump / (2 * gravity) - .5f);
  }

  /** The widest pit the generator makes: (2 v s / g - 0.5), truncated. */
  public int maxGap() {
    return (int) (maxspeed * 2 * maxJump / gravity - .5f);
  }

  @Override
  protected void chooseWorldDim() {
    mainWidth = worldWidth;
    mainHeight = 64;
  }

  static boolean isWall(int t) {
    return t == WALL_MID || t == WALL_TOP;
  }

  static boolean isLava(int t) {
    return t == LAVA_MID || t == LAVA_TOP;
  }

  @Override
  protected void gameReset() {
    super.gameReset();
    centerAgent = true;
    gravity = gravityKnob;
    maxJump = maxJumpKnob;
    airControl = airControlKnob;
    maxspeed = .5f;
    hasSupport = false;
    if (mode == DistributionMode.EASY) {
      agent.theme = 0;
      wallTheme = 0;
      backgroundIndex = 0;
    } else {
      agent.theme = rng.randn(NUM_PLAYER_THEMES);
      wallTheme = rng.randn(NUM_GROUND_THEMES);
    }
    agent.rx = .5f;
    agent.ry = .5787f;
    agent.x = 1 + agent.rx;
    agent.y = 1 + agent.ry;
    lastAgentY = agent.y;
    isOnCrate = false;
    fill(0, 0, mainWidth, 1, WALL_TOP);
    fill(0, 0, 1, mainHeight, WALL_MID);
    fill(mainWidth - 1, 0, 1, mainHeight, WALL_MID);
    fill(0, mainHeight - 1, mainWidth, 1, WALL_MID);
    generateCoinToTheRight();
  }

  private void fill(int x, int y, int dx, int dy, int type) {
    for (int j = 0; j < dx; j++) {
      for (int k = 0; k < dy; k++) {
        setObj(x + j, y + k, type);
      }
    }
  }

  private void fillBlockTop(int x, int y, int dx, int dy, int fill, int top) {
    fill(x, y, dx, dy - 1, fill);
    fill(x, y + dy - 1, dx, 1, top);
  }

  private void createSaw(int x, int y) {
    addEntity(x + .5f, y + .5f, 0, 0, .5f, SAW);
  }

  private void createEnemy(int x, int y) {
    Entity e = addEntity(x + .5f, y + .5f, (float) (walkerSpeed * (rng.randn(2) * 2 - 1)), 0, .5f, ENEMY);
    e.smartStep = true;
    e.renderZ = 1;
    e.theme = rng.randn(NUM_ENEMY_THEMES);
  }

  private void createCrate(int x, int y) {
    addEntity(x + .5f, y + .5f, 0, 0, .5f, CRATE).theme = rng.randn(NUM_CRATE_THEMES);
  }

  private void generateCoinToTheRight() {
    int dif = rng.randn(maxDifficulty) + 1;
    int numSections = rng.randn(dif) + dif;
    int currX = 5;
    int currY = 1;
    int pitThreshold = dif;
    int dangerType = rng.randn(3);
    int maxDy = maxRise();
    int maxDx = maxGap();
    for (int section = 0; section < numSections; section++) {
      if (currX + 15 >= mainWidth) {
        break;
      }
      int dy = rng.randn(4) + 1 + dif / 3;
      if (dy > maxDy) {
        dy = maxDy;
      }
      if (currY >= 20) {
        dy = -dy;
      } else if (currY >= 5 && rng.randn(2) == 1) {
        dy = -dy;
      }
      int dx = rng.randn(2 * dif) + 3 + dif / 3;
      currY += dy;
      if (currY < 1) {
        currY = 1;
      }
      boolean usePit = dx > 7 && currY > 3 && rng.randn(20) >= pitThreshold;
      if (usePit) {
        int x1 = rng.randn(3) + 1;
        int x2 = rng.randn(3) + 1;
        int pitWidth = dx - x1 - x2;
        if (pitWidth > maxDx) {
          pitWidth = maxDx;
          x2 = dx - x1 - pitWidth;
        }
        fillBlockTop(currX, 0, x1, currY, WALL_MID, WALL_TOP);
        fillBlockTop(currX + dx - x2, 0, x2, currY, WALL_MID, WALL_TOP);
        int lavaHeight = rng.randn(currY - 3) + 1;
        if (dangerType == 0) {
          fillBlockTop(currX + x1, 1, pitWidth, lavaHeight, LAVA_MID, LAVA_TOP);
        } else if (dangerType == 1) {
          for (int i = 0; i < pitWidth; i++) {
            createSaw(currX + x1 + i, 1);
          }
        } else {
          for (int i = 0; i < pitWidth; i++) {
            createEnemy(currX + x1 + i, 1);
          }
        }
        if (pitWidth > 4) {
          int x3;
          int w1;
          if (pitWidth == 5) {
            x3 = 1 + rng.randn(2);
            w1 = 1 + rng.randn(2);
          } else if (pitWidth == 6) {
            x3 = 2 + rng.randn(2);
            w1 = 1 + rng.randn(2);
          } else {
            x3 = 2 + rng.randn(2);
            int x4 = 2 + rng.randn(2);
            w1 = pitWidth - x3 - x4;
          }
          fillBlockTop(currX + x1 + x3, currY - 1, w1, 1, WALL_MID, WALL_TOP);
        }
      } else {
        fillBlockTop(currX, 0, dx, currY, WALL_MID, WALL_TOP);
        int ob1 = -1;
        int ob2 = -1;
        if (rng.randn(10) < 2 * dif && dx > 3) {
          ob1 = currX + rng.randn(dx - 2) + 1;
          createSaw(ob1, currY);
        }
        if (rng.randn(10) < dif && dx > 3 && maxDx >= 4 && groundWalkers) {
          ob2 = currX + rng.randn(dx - 2) + 1;
          createEnemy(ob2, currY);
        }
        for (int i = 0; i < 2; i++) {
          int crateX = currX + rng.randn(dx - 2) + 1;
          if (rng.randn(2) == 1 && ob1 != crateX && ob2 != crateX) {
            int pile = rng.randn(3) + 1;
            for (int j = 0; j < pile; j++) {
              createCrate(crateX, currY + j);
            }
          }
        }
      }
      if (!isWall(getObj(currX - 1, currY))) {
        setObj(currX - 1, currY, ENEMY_BARRIER);
      }
      currX += dx;
      setObj(currX, currY, ENEMY_BARRIER);
    }
    setObj(currX, currY, GOAL);
    goalX = currX;
    goalY = currY;
    fillBlockTop(currX, 0, 1, currY, WALL_MID, WALL_TOP);
    fill(currX + 1, 0, mainWidth - currX - 1, mainHeight, WALL_MID);
  }

  @Override
  protected void handleAgentCollision(Entity e) {
    if (e.type == ENEMY || e.type == SAW) {
      done = true;
    }
  }

  @Override
  protected boolean willReflect(int src, int target) {
    return src == ENEMY && (isWall(target) || target == ENEMY_BARRIER);
  }

  @Override
  protected void handleGridCollision(Entity e, int type, int x, int y) {
    if (e.type == PLAYER) {
      if (type == GOAL) {
        reward += GOAL_REWARD;
        done = true;
        levelComplete = true;
      } else if (isLava(type)) {
        done = true;
      }
    }
  }

  @Override
  protected void updateAgentVelocity() {
    float mix = hasSupport ? mixrate : mixrate * airControl;
    agent.vx = (1 - mix) * agent.vx + mix * maxspeed * actionVx;
    if (Math.abs(agent.vx) < mix * maxspeed) {
      agent.vx = 0;
    }
    if (actionVy > 0) {
      agent.vy = maxJump;
    } else if (hasSupport) {
      agent.vy = (float) (agent.vy + .2 * actionVy);
    }
    if (!(hasSupport && actionVy > 0)) {
      agent.vy -= gravity;
      agent.vy = Math.max(-maxJump, Math.min(maxJump, agent.vy));
    }
  }

  /** Crates are one-way platforms: they hold the agent only when it falls onto them from above. */
  @Override
  protected boolean isBlockedByEntity(Entity src, Entity target, boolean horizontal) {
    if (target.type == CRATE && !horizontal) {
      if (agent.vy >= 0 || actionVy < 0 || lastAgentY < target.y + target.ry + agent.ry) {
        return false;
      }
      isOnCrate = true;
      return true;
    }
    return super.isBlockedByEntity(src, target, horizontal);
  }

  @Override
  protected boolean isBlocked(Entity src, int target, boolean horizontal) {
    return super.isBlocked(src, target, horizontal) || (src.type == PLAYER && isWall(target));
  }

  private boolean canSupport(int t) {
    return isWall(t) || t == outOfBoundsObject;
  }

  @Override
  protected void setActionXY(int move) {
    actionVx = move / 3 - 1;
    actionVy = move % 3 - 1;
    int below1 = getObjFromFloats(agent.x - (agent.rx - .01f), agent.y - (agent.ry + .01f));
    int below2 = getObjFromFloats(agent.x + (agent.rx - .01f), agent.y - (agent.ry + .01f));
    hasSupport = (isOnCrate || canSupport(below1) || canSupport(below2)) && agent.vy == 0;
    isOnCrate = false;
    if (actionVy == 1 && !hasSupport) {
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
    lastAgentY = agent.y;
  }

  @Override
  protected void drawTile(int type, int x, int y) {
    switch (type) {
      case WALL_MID -> drawCell(Sprites.DIRT, GROUND[restrictThemes ? 0 : wallTheme], x, y);
      case WALL_TOP -> drawCell(Sprites.STONE, GROUND_TOP[restrictThemes ? 0 : wallTheme], x, y);
      case LAVA_MID, LAVA_TOP -> drawCell(Sprites.LAVA, LAVA, x, y);
      case GOAL -> drawCell(Sprites.DISC, COIN, x, y);
      default -> { }
    }
  }

  @Override
  protected void drawEntity(Entity e) {
    switch (e.type) {
      case PLAYER -> {
        // Procgen's player art is taller than its collision box: it extends 0.74 box heights up.
        float h = 2 * e.ry;
        canvas.drawSprite(Sprites.RUNNER, PLAYERS[restrictThemes ? 0 : e.theme],
            e.x - e.rx, e.y - e.ry, e.x + e.rx, e.y + e.ry + .7415f * h, e.reflected, 0);
      }
      case ENEMY -> {
        e.reflected = e.vx > 0;
        drawBox(e, Sprites.SLIME, ENEMIES[restrictThemes ? 0 : e.theme]);
      }
      case SAW -> drawBox(e, Sprites.SAW, SAW_COLOURS);
      case CRATE -> drawBox(e, Sprites.CRATE, CRATES[restrictThemes ? 0 : e.theme]);
      default -> { }
    }
  }
}
