package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;

/**
 * Procgen's ninja: a platformer run left to right over ledges to the mushroom (+10, done).
 * The jump is charged: holding UP on the ground adds jump_charge_inc to the charge (up to 1),
 * and letting go jumps with charge x max_jump (easy mode charges fully in one step). Bombs
 * hang between ledges and a fire floor burns below them; touching either ends the episode.
 * Actions 9-12 throw a star at 0, 45, 90 or -45 degrees (mirrored when facing left; 13 and 14
 * throw straight ahead), at most one every 3 steps; stars stick to walls, vanish after 15
 * steps, and blow up a bomb they hit, whose explosion kills the agent if it reaches it.
 *
 * <p>Each section is one or two ledges (2 rows apart at least) a few rows above or below the
 * last, under a ceiling 10 rows above its highest ledge; the rise is capped at the jump's
 * height (max_jump^2 / 2g - 0.5), so the gravity and jump knobs shape the levels too.
 */
public final class Ninja extends ProcgenGame {

  public static final int GOAL = 1;
  public static final int BOMB = 6;
  public static final int THROWING_STAR = 7;
  public static final int FIRE = 14;
  public static final int WALL_MID = 20;
  public static final float GOAL_REWARD = 10;
  public static final int TIMEOUT = 1000;
  /** Steps between two throws. */
  public static final int THROW_COOLDOWN = 3;
  /** Rows of headroom a section's ceiling leaves over its highest ledge. */
  private static final int CEILING_HEIGHT = 11;
  private static final int NUM_WALL_THEMES = 3;
  private static final int NUM_GOAL_THEMES = 6;
  private static final int CHARGE_BAR = Palettes.rgb(66, 245, 135);

  private static final int[][] WALLS = {
      Palettes.of(Palettes.rgb(120, 120, 125), Palettes.rgb(70, 70, 75), Palettes.rgb(160, 160, 165)),
      Palettes.of(Palettes.rgb(110, 120, 90), Palettes.rgb(60, 95, 50), Palettes.rgb(140, 160, 110)),
      Palettes.of(Palettes.rgb(160, 70, 55), Palettes.rgb(95, 40, 35), Palettes.rgb(200, 110, 90))};
  private static final int[][] MUSHROOMS = new int[NUM_GOAL_THEMES][];
  private static final int[] NINJA_COLOURS = Palettes.of(Palettes.rgb(40, 40, 55), Palettes.rgb(235, 200, 170), Palettes.rgb(200, 40, 40));
  private static final int[] BOMB_COLOURS = Palettes.of(Palettes.rgb(35, 35, 40), Palettes.rgb(240, 150, 30), Palettes.rgb(110, 110, 120));
  private static final int[] STAR_COLOURS = Palettes.of(Palettes.rgb(200, 200, 210), Palettes.rgb(90, 90, 100));

  static {
    for (int i = 0; i < NUM_GOAL_THEMES; i++) {
      MUSHROOMS[i] = Palettes.of(Palettes.hsv(i / (double) NUM_GOAL_THEMES, 0.75, 0.9), Palettes.rgb(245, 235, 215), Palettes.rgb(255, 255, 255));
    }
  }

  /** Standing, facing right: 1 suit, 2 face, 3 headband. */
  private static final Sprite NINJA_IDLE = new Sprite(
      "..1111..",
      ".333333.",
      "..1221..",
      "..1111..",
      ".111111.",
      "1.1111.1",
      "..1..1..",
      "..1..1..");

  /** Running, first frame. */
  private static final Sprite NINJA_RUN1 = new Sprite(
      "..1111..",
      ".333333.",
      "3.11221.",
      "..1111..",
      ".111111.",
      "1.1111.1",
      ".1....1.",
      "1......1");

  /** Running, second frame. */
  private static final Sprite NINJA_RUN2 = new Sprite(
      "..1111..",
      ".333333.",
      "3.11221.",
      "..1111..",
      "1111111.",
      "..1111.1",
      "...11...",
      "...11...");

  /** A mushroom: 1 cap, 2 stem, 3 spots. */
  private static final Sprite MUSHROOM = new Sprite(
      "..1111..",
      ".131131.",
      "11111311",
      "13111111",
      "..2222..",
      "..2222..",
      "..2222..",
      ".222222.");

  /** A bomb with a lit fuse: 1 shell, 2 spark, 3 highlight. */
  private static final Sprite BOMB_SPRITE = new Sprite(
      "......2.",
      ".....3..",
      "..1113..",
      ".111111.",
      "11311111",
      "13111111",
      ".111111.",
      "..1111..");

  public static ContextSpace contextSpace(DistributionMode mode) {
    if (mode != DistributionMode.EASY && mode != DistributionMode.HARD) {
      throw new IllegalArgumentException("ninja has no " + mode.id() + " mode");
    }
    boolean easy = mode == DistributionMode.EASY;
    return Features.common(true)
        .integer("world_width", 64, 21, 256, "world width in cells (sections stop 15 cells before the end)")
        .integer("max_difficulty", 3, 1, 6, "difficulty d is drawn from 1..max; d to 2d-1 sections, wider gaps and more bombs with d")
        .integer("min_ledge_width", easy ? 3 : 1, 1, 8, "ledges are this many to this + 2 cells wide")
        .integer("ledge_step", easy ? 2 : 4, 1, 8, "a ledge is 1..ledge_step (+ d/3) rows above or below the section start, capped at the jump height")
        .integer("gap_reduction", easy ? 1 : 0, 0, 6, "gaps between ledges are at least max(0, d - 1 - this) cells")
        .real("bomb_prob_per_difficulty", .25, 0, .5, "a section holds a bomb with probability this x (d - 1)")
        .real("gravity", .2, .05, 1, "downward acceleration per step in the air")
        .real("max_jump", easy ? 1.25 : 1.5, .5, 3, "jump speed of a fully charged jump (cells per step)")
        .real("jump_charge_inc", easy ? 1 : .25, .05, 1, "charge added per step UP is held on the ground (a full charge is 1)")
        .real("air_control", .15, 0, 1, "share of ground control kept in the air")
        .integer("visibility", easy ? 10 : 16, 6, 32, "cells across the view, which follows the agent")
        .rule(c -> maxRise(c.get("max_jump"), c.get("gravity")) >= 2 ? null
            : "max_jump^2 / (2 gravity) must be at least 2.5 so that a jump clears the two rows between stacked ledges")
        .build(ProcgenSuite.id("ninja", mode));
  }

  /** The highest rise the generator puts between ledges: (v^2 / 2g - 0.5), truncated. */
  private static int maxRise(double maxJump, double gravity) {
    float j = (float) maxJump;
    float g = (float) gravity;
    return (int) (j * j / (2 * g) - .5);
  }

  private int worldWidth;
  private int maxDifficulty;
  private int minLedgeWidth;
  private int ledgeStep;
  private int gapReduction;
  private float bombProbPerDifficulty;
  private float gravityKnob;
  private float maxJumpKnob;
  private float jumpChargeIncKnob;
  private float airControlKnob;
  private int visibilityKnob;

  private boolean hasSupport;
  private int lastFireTime;
  private int wallTheme;
  private float gravity;
  private float airControl;
  float jumpCharge;
  private float jumpChargeInc;
  private int difficulty;
  private int fireY;

  public Ninja(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.PLATFORM);
    outOfBoundsObject = WALL_MID;
  }

  @Override
  protected void applyContext(Context c) {
    worldWidth = (int) c.get("world_width");
    maxDifficulty = (int) c.get("max_difficulty");
    minLedgeWidth = (int) c.get("min_ledge_width");
    ledgeStep = (int) c.get("ledge_step");
    gapReduction = (int) c.get("gap_reduction");
    bombProbPerDifficulty = (float) c.get("bomb_prob_per_difficulty");
    gravityKnob = (float) c.get("gravity");
    maxJumpKnob = (float) c.get("max_jump");
    jumpChargeIncKnob = (float) c.get("jump_charge_inc");
    airControlKnob = (float) c.get("air_control");
    visibilityKnob = (int) c.get("visibility");
  }

  /** The level's difficulty d (1..max_difficulty). */
  public int difficulty() {
    return difficulty;
  }

  /** The row of the fire floor. */
  public int fireY() {
    return fireY;
  }

  /** The highest rise between ledges the generator makes. */
  public int maxRise() {
    return maxRise(maxJump, gravity);
  }

  /** The jump charge built up so far (0..1). */
  public float jumpCharge() {
    return jumpCharge;
  }

  static boolean isWall(int t) {
    return t == WALL_MID;
  }

  @Override
  protected void chooseWorldDim() {
    mainWidth = worldWidth;
    mainHeight = 64;
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
    jumpCharge = 0;
    jumpChargeInc = jumpChargeIncKnob;
    visibility = visibilityKnob;
    agent.rx = .5f;
    agent.ry = .5f;
    agent.x = 1 + agent.rx;
    agent.y = mainHeight / 2 + agent.ry;
    difficulty = rng.randn(maxDifficulty) + 1;
    lastFireTime = 0;
    wallTheme = rng.randn(NUM_WALL_THEMES);
    fillElem(0, 0, mainWidth, 1, WALL_MID);
    fillElem(0, 0, 1, mainHeight, WALL_MID);
    fillElem(mainWidth - 1, 0, 1, mainHeight, WALL_MID);
    fillElem(0, mainHeight - 1, mainWidth, 1, WALL_MID);
    generateGoalToTheRight();
  }

  /** A solid block of wall cells [x, x + dx) x [y, y + dy); nothing when dy <= 0. */
  private void fillGround(int x, int y, int dx, int dy) {
    if (dy > 0) {
      fillElem(x, y, dx, dy, WALL_MID);
    }
  }

  private void generateGoalToTheRight() {
    int minGap = Math.max(0, difficulty - 1 - gapReduction);
    float bombProb = bombProbPerDifficulty * (difficulty - 1);
    int maxGapInc = difficulty == 1 ? 1 : 2;
    int numSections = rng.randn(difficulty) + difficulty;
    int startX = 5;
    int currX = startX;
    int currY = mainHeight / 2;
    int minY = currY;
    int maxDy = maxRise();
    fillGround(0, 0, startX, currY);
    fillElem(0, currY + 8, startX, mainHeight - currY - 8, WALL_MID);
    for (int i = 0; i < numSections; i++) {
      int prevX = currX;
      int prevY = currY;
      int numEdges = rng.randn(2) + 1;
      int maxY = -1;
      int lastEdgeY = -1;
      for (int j = 0; j < numEdges; j++) {
        // A section's ledges start one cell apart, each placed relative to the section's start height.
        currX = prevX + j;
        if (currX + 15 >= mainWidth) {
          break;
        }
        currY = prevY;
        int dy = rng.randn(ledgeStep) + 1 + difficulty / 3;
        if (dy > maxDy) {
          dy = maxDy;
        }
        if (currY >= mainHeight - 15) {
          dy = -dy;
        } else if (currY >= 5 && rng.rand01() < .4) {
          dy = -dy;
        }
        currY += dy;
        if (currY < 3) {
          currY = 3;
        }
        if (Math.abs(currY - lastEdgeY) <= 1) {
          currY = lastEdgeY + 2;
        }
        int dx = minLedgeWidth + rng.randn(3);
        fillGround(currX, currY - 1, dx, 1);
        currX += dx;
        currX += minGap + rng.randn(maxGapInc + 1);
        maxY = Math.max(maxY, currY);
        minY = Math.min(minY, currY);
        lastEdgeY = currY;
      }
      if (rng.rand01() < bombProb) {
        setObj(rng.randn(currX - prevX + 1) + prevX, maxY + 2, BOMB);
      }
      int ceilingStart = maxY - 1 + CEILING_HEIGHT;
      fillGround(prevX, ceilingStart, currX - prevX, mainHeight - ceilingStart);
    }
    addEntity(currX + .5f, currY + .5f, 0, 0, .5f, GOAL).theme = rng.randn(NUM_GOAL_THEMES);
    fillGround(currX, currY - 1, 1, 1);
    fillElem(currX, currY + 6, 1, mainHeight - currY - 6, WALL_MID);
    fireY = Math.max(1, minY - 2);
    fillGround(startX, 0, mainWidth - startX, fireY);
    fillElem(startX, fireY, mainWidth - startX, 1, FIRE);
    fillElem(currX + 1, 0, mainWidth - currX - 1, mainHeight, WALL_MID);
  }

  @Override
  protected void handleAgentCollision(Entity e) {
    if (e.type == EXPLOSION) {
      done = true;
    } else if (e.type == GOAL) {
      reward += GOAL_REWARD;
      levelComplete = true;
      done = true;
    }
  }

  @Override
  protected void handleGridCollision(Entity e, int type, int x, int y) {
    if (e.type == PLAYER) {
      if (type == FIRE || type == BOMB) {
        done = true;
      }
    } else if (e.type == THROWING_STAR) {
      if (type == BOMB) {
        e.willErase = true;
        setObj(x, y, SPACE);
        addEntity(x + .5f, y + .5f, 0, 0, .5f, EXPLOSION);
      }
      if (isWall(type)) {
        e.willErase = true;
      }
    }
  }

  /** Walls stop the agent; a star that touches one sticks to it. */
  @Override
  protected boolean isBlocked(Entity src, int target, boolean horizontal) {
    if (isWall(target)) {
      if (src.type == PLAYER) {
        return true;
      } else if (src.type == THROWING_STAR) {
        src.vx = 0;
        src.vy = 0;
        return true;
      }
    }
    return super.isBlocked(src, target, horizontal);
  }

  /** Only UP counts vertically, and only as charging the jump while the agent stands on something. */
  @Override
  protected void setActionXY(int move) {
    actionVx = move / 3 - 1;
    actionVy = Math.max(0, move % 3 - 1);
    hasSupport = hasGridSupport();
    if (hasSupport && actionVy == 1) {
      jumpCharge = Math.min(1, jumpCharge + jumpChargeInc);
    } else {
      actionVy = 0;
    }
    if (!hasSupport) {
      jumpCharge = 0;
    }
  }

  /** Letting go of UP with some charge jumps. */
  @Override
  protected void updateAgentVelocity() {
    steerPlatformer(hasSupport, airControl);
    if (actionVy < 1 && jumpCharge > 0) {
      agent.vy = jumpCharge * maxJump;
      jumpCharge = 0;
    }
    fallPlatformer(hasSupport, gravity);
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
    if (specialAction > 0 && curTime - lastFireTime >= THROW_COOLDOWN) {
      float theta = switch (specialAction) {
        case 2 -> PI / 4;
        case 3 -> PI / 2;
        case 4 -> -PI / 4;
        default -> 0;
      };
      if (agent.reflected) {
        theta = PI - theta;
      }
      Entity star = addEntity(agent.x, agent.y, (float) Math.cos(theta), (float) Math.sin(theta), .25f, THROWING_STAR);
      star.collidesWithEntities = true;
      star.expireTime = 15;
      star.smartStep = true;
      lastFireTime = curTime;
    }
  }

  @Override
  protected void drawTile(int type, int x, int y) {
    switch (type) {
      case WALL_MID -> drawCell(Sprites.BRICK, WALLS[restrictThemes ? 0 : wallTheme], x, y);
      // Procgen draws the fire floor with the bomb image too.
      case BOMB, FIRE -> drawCell(BOMB_SPRITE, BOMB_COLOURS, x, y);
      default -> { }
    }
  }

  @Override
  protected void drawEntity(Entity e) {
    switch (e.type) {
      case PLAYER -> {
        Sprite s;
        if (Math.abs(agent.vx) < .01 && actionVx == 0 && hasSupport) {
          s = NINJA_IDLE;
        } else {
          s = curTime / 5 % 2 == 0 || !hasSupport ? NINJA_RUN1 : NINJA_RUN2;
        }
        drawBox(e, s, NINJA_COLOURS);
      }
      case GOAL -> drawBox(e, MUSHROOM, MUSHROOMS[restrictThemes ? 0 : e.theme]);
      case THROWING_STAR -> drawBox(e, Sprites.SAW, STAR_COLOURS);
      case EXPLOSION -> drawExplosion(e);
      default -> { }
    }
  }

  /** The jump charge as a green bar rising from the bottom left, 3 cells tall at full charge. */
  @Override
  protected void drawHud() {
    if (jumpCharge <= 0) {
      return;
    }
    float unit = RES / visibility;
    float barHeight = 3 * jumpCharge;
    float top = (visibility - .5f - barHeight) * unit;
    float bottom = (visibility - .5f) * unit;
    canvas.fillPixels(pixelAt(.25f * unit), pixelAt(top), pixelAt(.75f * unit), pixelAt(bottom), CHARGE_BAR);
  }

  /** The first pixel whose centre is at or beyond screen coordinate s. */
  private static int pixelAt(float s) {
    return (int) Math.ceil(s - .5f);
  }
}
