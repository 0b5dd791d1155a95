package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;

/**
 * Procgen's fruitbot: a robot drifts steadily up a scrolling corridor and steers left and right
 * only. Fruit gives +1, other food -4; the row of presents at the top gives +10 for each one
 * touched and completes the level. Walls cross the corridor with one gap each; touching a wall
 * ends the episode. Some gaps are shut by a locked fence with a lock at one end: action 9
 * throws a key straight up (at most one every 8 steps, vanishing after 8), and a key that
 * hits the lock removes lock and fence; a key that hits a wall is lost.
 *
 * <p>Walls are placed at least min_wall_gap rows apart with the spare rows shared out at
 * random; each gap is min_gap_pct to min_gap_pct + 0.2 of the width (a locked gap 0.1 wider,
 * rounded to whole fence panels), at a random position. Fruit and food are scattered so that
 * none overlaps another or the robot.
 */
public final class Fruitbot extends ProcgenGame {

  public static final int BARRIER = 1;
  public static final int OUT_OF_BOUNDS_WALL = 2;
  public static final int PLAYER_BULLET = 3;
  public static final int BAD_OBJ = 4;
  public static final int GOOD_OBJ = 7;
  public static final int LOCKED_DOOR = 10;
  public static final int LOCK = 11;
  public static final int PRESENT = 12;
  public static final float COMPLETION_BONUS = 10;
  public static final float POSITIVE_REWARD = 1;
  public static final float PENALTY = -4;
  public static final int TIMEOUT = 1000;
  /** Steps between two keys, and a key's life. */
  public static final int KEY_DURATION = 8;
  /** A fence panel's width / height. */
  static final float DOOR_ASPECT_RATIO = 3.25f;
  static final float WALL_RY = .3f;
  static final float LOCK_RX = .25f;
  static final float LOCK_RY = .45f;
  private static final int BUFFER_ROWS = 4;
  private static final int NUM_PRESENT_THEMES = 3;
  /**
   * Width / height of each fruit and food picture (Procgen's fruit1-6 and food1-6 PNGs): an
   * item's box keeps its radius 0.5 on the longer side and shrinks the other to this ratio.
   */
  private static final float[] FRUIT_ASPECT = aspects(27, 28, 24, 30, 30, 22, 20, 31, 23, 23, 22, 26);
  private static final float[] FOOD_ASPECT = aspects(14, 25, 28, 13, 19, 19, 21, 20, 22, 24, 22, 22);

  private static final int[] ROBOT_COLOURS = Palettes.of(Palettes.rgb(70, 130, 220), Palettes.rgb(40, 60, 110), Palettes.rgb(250, 250, 120));
  private static final int[] WALL_COLOURS = Palettes.of(Palettes.rgb(140, 140, 145), Palettes.rgb(90, 90, 95), Palettes.rgb(190, 190, 195));
  private static final int[] FENCE_COLOURS = Palettes.of(Palettes.rgb(235, 200, 40), Palettes.rgb(150, 120, 20));
  private static final int[] LOCK_COLOURS = Palettes.of(Palettes.rgb(210, 50, 40), Palettes.rgb(120, 25, 20), Palettes.rgb(250, 200, 190));
  private static final int[] KEY_COLOURS = Palettes.of(Palettes.rgb(220, 50, 40), Palettes.rgb(130, 25, 20));
  private static final int[][] PRESENTS = new int[NUM_PRESENT_THEMES][];
  private static final int[][] FRUITS = new int[6][];
  private static final int[][] FOODS = new int[6][];

  static {
    for (int i = 0; i < NUM_PRESENT_THEMES; i++) {
      int box = Palettes.hsv(0.95 + i / 3.0, 0.65, 0.9);
      PRESENTS[i] = Palettes.of(box, Palettes.rgb(250, 240, 120), Palettes.shade(box, 0.7));
    }
    double[] fruitHues = {0.0, 0.08, 0.15, 0.3, 0.8, 0.55};
    double[] foodHues = {0.07, 0.1, 0.05, 0.12, 0.02, 0.09};
    for (int i = 0; i < 6; i++) {
      FRUITS[i] = Palettes.of(Palettes.hsv(fruitHues[i], 0.85, 0.9), Palettes.rgb(60, 150, 40), Palettes.rgb(255, 255, 255));
      FOODS[i] = Palettes.of(Palettes.hsv(foodHues[i], 0.6, 0.55 + 0.05 * i), Palettes.rgb(245, 225, 170), Palettes.rgb(120, 60, 30));
    }
  }

  /** The robot seen from above, facing up: 1 body, 2 treads, 3 eye. */
  private static final Sprite ROBOT = new Sprite(
      "...33...",
      "..1111..",
      "2.1331.2",
      "21111112",
      "21111112",
      "21111112",
      "2.1111.2",
      "........");

  /** A fence panel: 1 bars, 2 shade. */
  private static final Sprite FENCE = new Sprite(
      "1..1..1..1..",
      "111111111111",
      "1..1..1..1..",
      "2..2..2..2..");

  /** A padlock: 1 body, 2 shade, 3 shackle. */
  private static final Sprite PADLOCK = new Sprite(
      "..3333..",
      ".3....3.",
      ".3....3.",
      "11111111",
      "11122111",
      "11122111",
      "11111111",
      "22222222");

  /** A key pointing up: 1 metal, 2 shade. */
  private static final Sprite KEY_UP = new Sprite(
      "..11..",
      ".1..1.",
      ".1..1.",
      "..11..",
      "..12..",
      "..11..",
      "..12..",
      "..11..");

  /** A wrapped present: 1 paper, 2 ribbon, 3 shade. */
  private static final Sprite PRESENT_SPRITE = new Sprite(
      ".2...2..",
      "..2.2...",
      "11121111",
      "22222222",
      "11121113",
      "11121113",
      "11121113",
      "33323333");

  /** A fruit: 1 skin, 2 leaf, 3 shine. */
  private static final Sprite FRUIT = new Sprite(
      "....2...",
      "...22...",
      ".111111.",
      "13111111",
      "13111111",
      "11111111",
      ".111111.",
      "..1111..");

  /** Junk food (a burger): 1 bun, 2 sesame, 3 patty. */
  private static final Sprite FOOD = new Sprite(
      "..1111..",
      ".121121.",
      "11111111",
      "33333333",
      "22222222",
      "33333333",
      "11111111",
      ".111111.");

  public static ContextSpace contextSpace(DistributionMode mode) {
    if (mode != DistributionMode.EASY && mode != DistributionMode.HARD) {
      throw new IllegalArgumentException("fruitbot has no " + mode.id() + " mode");
    }
    boolean easy = mode == DistributionMode.EASY;
    return Features.common(true)
        .integer("world_width", easy ? 10 : 20, 5, 40, "corridor width in cells (the view shows the whole width)")
        .integer("world_height", 60, 20, 240, "corridor length in cells; the presents are in the top row")
        .integer("num_walls", easy ? 5 : 10, 1, 40, "walls across the corridor")
        .integer("min_wall_gap", 4, 2, 20, "fewest rows between two walls")
        .real("min_gap_pct", easy ? .2 : .1, .05, .8, "a wall's gap is this to this + 0.2 of the width (locked gaps 0.1 more)")
        .real("door_prob", easy ? 0 : .125, 0, 1, "chance that a gap with more than 5 rows below it is shut by a locked fence")
        .integer("min_fruit", 10, 0, 100, "fewest fruit (+1 each)")
        .integer("max_fruit", 19, 0, 100, "most fruit")
        .integer("min_bad_food", 10, 0, 100, "fewest other food items (-4 each)")
        .integer("max_bad_food", 19, 0, 100, "most other food items")
        .integer("food_variety", easy ? 2 : 6, 1, 6, "kinds of fruit and of food drawn from (each has its own shape)")
        .rule(c -> c.get("min_wall_gap") * c.get("num_walls") + BUFFER_ROWS <= c.get("world_height") ? null
            : "world_height must be at least min_wall_gap x num_walls + " + BUFFER_ROWS + " to hold the walls")
        .rule(c -> c.get("min_fruit") <= c.get("max_fruit") ? null : "min_fruit must not exceed max_fruit")
        .rule(c -> c.get("min_bad_food") <= c.get("max_bad_food") ? null : "min_bad_food must not exceed max_bad_food")
        .rule(c -> c.get("min_gap_pct") + .3 + (2 * LOCK_RX + 2 * WALL_RY * DOOR_ASPECT_RATIO) / c.get("world_width") <= 1 ? null
            : "min_gap_pct + 0.3 + 2.45 / world_width must be at most 1 so that the widest (locked) gap fits the corridor")
        .build(ProcgenSuite.id("fruitbot", mode));
  }

  private static float[] aspects(int... widthHeight) {
    float[] a = new float[widthHeight.length / 2];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (widthHeight[2 * i] * 1.0 / widthHeight[2 * i + 1]);
    }
    return a;
  }

  private int worldWidth;
  private int worldHeight;
  private int numWalls;
  private int minWallGap;
  private float minGapPct;
  private float doorProb;
  private int minFruit;
  private int maxFruit;
  private int minBadFood;
  private int maxBadFood;
  private int foodVariety;

  private int lastFireTime;
  private int doors;

  public Fruitbot(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.TOPDOWN);
    mixrate = .5f;
    maxspeed = .85f;
    outOfBoundsObject = OUT_OF_BOUNDS_WALL;
  }

  @Override
  protected void drawBackground() {
    drawBackgroundTiledDown();
  }

  @Override
  protected void applyContext(Context c) {
    worldWidth = (int) c.get("world_width");
    worldHeight = (int) c.get("world_height");
    numWalls = (int) c.get("num_walls");
    minWallGap = (int) c.get("min_wall_gap");
    minGapPct = (float) c.get("min_gap_pct");
    doorProb = (float) c.get("door_prob");
    minFruit = (int) c.get("min_fruit");
    maxFruit = (int) c.get("max_fruit");
    minBadFood = (int) c.get("min_bad_food");
    maxBadFood = (int) c.get("max_bad_food");
    foodVariety = (int) c.get("food_variety");
  }

  /** Locked fences the level started with. */
  public int doors() {
    return doors;
  }

  @Override
  protected void chooseWorldDim() {
    mainWidth = worldWidth;
    mainHeight = worldHeight;
  }

  @Override
  protected void gameReset() {
    super.gameReset();
    centerAgent = true;
    lastFireTime = 0;
    doors = 0;
    int[] partition = partition(mainHeight - minWallGap * numWalls - BUFFER_ROWS, numWalls);
    int currH = 0;
    for (int part : partition) {
      int dy = minWallGap + part;
      currH += dy;
      boolean useDoor = dy > 5 && rng.rand01() < doorProb;
      addWalls(currH, useDoor);
    }
    agent.y = agent.ry;
    int numGood = rng.randn(maxFruit - minFruit + 1) + minFruit;
    int numBad = rng.randn(maxBadFood - minBadFood + 1) + minBadFood;
    for (int i = 0; i < mainWidth; i++) {
      addEntity(i + .5f, mainHeight - .5f, 0, 0, .5f, .5f, PRESENT).theme = rng.randn(NUM_PRESENT_THEMES);
    }
    for (int i = 0; i < numGood; i++) {
      spawnEntity(.5f, GOOD_OBJ, 0, 0, mainWidth, mainHeight, true);
    }
    for (int i = 0; i < numBad; i++) {
      spawnEntity(.5f, BAD_OBJ, 0, 0, mainWidth, mainHeight, true);
    }
    for (int i = 0; i < entities.size(); i++) {
      Entity e = entities.get(i);
      if (e.type == GOOD_OBJ || e.type == BAD_OBJ) {
        e.theme = rng.randn(foodVariety);
        fitAspectRatio(e);
      }
    }
  }

  /** Procgen's RandGen.partition: {@code total} units dealt one at a time to {@code n} random parts. */
  private int[] partition(int total, int n) {
    int[] parts = new int[n];
    for (int i = 0; i < total; i++) {
      parts[rng.randn(n)]++;
    }
    return parts;
  }

  /** Keeps the item's radius on its picture's longer side and shrinks the other to the picture's shape. */
  private void fitAspectRatio(Entity e) {
    // With themes restricted Procgen draws every item with theme 0's picture, and takes its shape.
    int picture = restrictThemes ? 0 : e.theme;
    float ar = (e.type == GOOD_OBJ ? FRUIT_ASPECT : FOOD_ASPECT)[picture];
    if (ar > 1) {
      e.ry = e.rx / ar;
    } else {
      e.rx = e.ry * ar;
    }
  }

  /** A wall across row {@code ry} with one gap, shut by a locked fence if {@code useDoor}. */
  private void addWalls(float ry, boolean useDoor) {
    float rw = mainWidth;
    float pct = (float) (minGapPct + .2 * rng.rand01());
    if (useDoor) {
      pct += .1f;
      float lockPctW = 2 * LOCK_RX / mainWidth;
      float doorPctW = WALL_RY * 2 * DOOR_ASPECT_RATIO / mainWidth;
      int numDoors = (int) Math.ceil((pct - 2 * lockPctW) / doorPctW);
      pct = 2 * lockPctW + doorPctW * numDoors;
    }
    float gapw = pct * rw;
    float w1 = rng.rand01() * (rw - gapw);
    float w2 = rw - w1 - gapw;
    addEntity(w1 / 2, ry, 0, 0, w1 / 2, WALL_RY, BARRIER);
    addEntity(rw - w2 / 2, ry, 0, 0, w2 / 2, WALL_RY, BARRIER);
    if (useDoor) {
      int isOnRight = rng.randn(2);
      float lockX = w1 + LOCK_RX + isOnRight * (gapw - 2 * LOCK_RX);
      float doorX = w1 + gapw / 2 - (isOnRight * 2 - 1) * LOCK_RX;
      addEntity(doorX, ry, 0, 0, gapw / 2 - LOCK_RX, WALL_RY, LOCKED_DOOR);
      addEntity(lockX, ry - LOCK_RY + WALL_RY, 0, 0, LOCK_RX, LOCK_RY, LOCK);
      doors++;
    }
  }

  /** Left and right only; the robot always pushes upwards at 0.2 of its speed. */
  @Override
  protected void setActionXY(int move) {
    actionVx = move / 3 - 1;
    actionVy = .2f;
  }

  @Override
  protected boolean isBlocked(Entity src, int target, boolean horizontal) {
    return super.isBlocked(src, target, horizontal) || (src.type == PLAYER && target == OUT_OF_BOUNDS_WALL);
  }

  @Override
  protected boolean willReflect(int src, int target) {
    return src == BAD_OBJ && (target == BARRIER || target == WALL_OBJ);
  }

  @Override
  protected void handleAgentCollision(Entity e) {
    switch (e.type) {
      case BARRIER, LOCKED_DOOR -> done = true;
      case BAD_OBJ -> {
        reward += PENALTY;
        e.willErase = true;
      }
      case GOOD_OBJ -> {
        reward += POSITIVE_REWARD;
        e.willErase = true;
      }
      case PRESENT -> {
        reward += COMPLETION_BONUS;
        done = true;
        levelComplete = true;
      }
      default -> { }
    }
  }

  /** A key stops at a wall; at a lock it removes the lock and the fence on the lock's row. */
  @Override
  protected void handleCollision(Entity src, Entity target) {
    if (src.type != PLAYER_BULLET) {
      return;
    }
    if (target.type == BARRIER) {
      src.willErase = true;
    } else if (target.type == LOCK) {
      src.willErase = true;
      target.willErase = true;
      for (int i = 0; i < entities.size(); i++) {
        Entity e = entities.get(i);
        if (e.type == LOCKED_DOOR && Math.abs(e.y - target.y) < 1) {
          e.willErase = true;
          break;
        }
      }
    }
  }

  @Override
  protected void gameStep() {
    super.gameStep();
    if (specialAction == 1 && curTime - lastFireTime >= KEY_DURATION) {
      Entity key = addEntity(agent.x, agent.y, 0, .5f, .25f, PLAYER_BULLET);
      key.expireTime = KEY_DURATION;
      key.collidesWithEntities = true;
      lastFireTime = curTime;
    }
  }

  /** The view spans the corridor's width and keeps the robot near its bottom. */
  @Override
  protected float centerX() {
    return mainWidth / 2f;
  }

  @Override
  protected float centerY() {
    visibility = mainWidth;
    return agent.y + mainWidth / 2f - 2 * agent.ry;
  }

  @Override
  protected void drawTile(int type, int x, int y) {
    if (type == OUT_OF_BOUNDS_WALL) {
      drawCell(Sprites.STONE, WALL_COLOURS, x, y);
    }
  }

  @Override
  protected void drawEntity(Entity e) {
    int theme = restrictThemes ? 0 : e.theme;
    switch (e.type) {
      case PLAYER -> drawBox(e, ROBOT, ROBOT_COLOURS);
      case BARRIER -> drawBoxTiled(e, Sprites.STONE, WALL_COLOURS, 1);
      case LOCKED_DOOR -> drawBoxTiled(e, FENCE, FENCE_COLOURS, DOOR_ASPECT_RATIO);
      case LOCK -> drawBox(e, PADLOCK, LOCK_COLOURS);
      case PLAYER_BULLET -> drawBox(e, KEY_UP, KEY_COLOURS);
      case PRESENT -> drawBox(e, PRESENT_SPRITE, PRESENTS[theme]);
      case GOOD_OBJ -> drawBox(e, FRUIT, FRUITS[theme]);
      case BAD_OBJ -> drawBox(e, FOOD, FOODS[theme]);
      default -> { }
    }
  }
}
