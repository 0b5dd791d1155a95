package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;

/**
 * Procgen's leaper (a Frogger): a frog hops one cell at a time (input is taken only when it
 * is still) across lanes of road, where cars kill, and then lanes of water, where it must ride
 * logs, to the finish line at the top (+10, done, if it is standing still there). Standing
 * still in water off a log, or being carried off the map, also ends the episode. Cars spawn
 * with probability |v|/6 per lane and step, logs with |v|/2; the lanes are pre-filled by
 * running the spawner for world_dim / min_speed steps.
 */
public final class Leaper extends ProcgenGame {

  public static final int LOG = 1;
  public static final int ROAD = 2;
  public static final int WATER = 3;
  public static final int CAR = 4;
  public static final int FINISH_LINE = 5;
  public static final float GOAL_REWARD = 10;
  public static final int TIMEOUT = 500;
  static final float MONSTER_RADIUS = .25f;
  static final float LOG_RADIUS = .45f;
  private static final int NSTEP = 5;
  static final float MAX_SPEED = (float) (2 / (NSTEP - 1.0));
  private static final float VEL_DECAY = MAX_SPEED / NSTEP;
  private static final int NUM_CAR_THEMES = 5;

  private static final int[] ROAD_COLOURS = Palettes.of(Palettes.rgb(70, 70, 75), Palettes.rgb(55, 55, 60), Palettes.rgb(200, 200, 200));
  private static final int[] WATER_COLOURS = Palettes.of(Palettes.rgb(40, 110, 200), Palettes.rgb(30, 80, 160), Palettes.rgb(120, 180, 240));
  private static final int[] LOG_COLOURS = Palettes.of(Palettes.rgb(140, 90, 40), Palettes.rgb(90, 55, 25), Palettes.rgb(180, 130, 70));
  private static final int[] FROG = Palettes.of(Palettes.rgb(70, 190, 60), Palettes.rgb(20, 20, 20), Palettes.rgb(40, 120, 30));
  private static final int[][] CARS = new int[NUM_CAR_THEMES][];
  private static final int[] FINISH_COLOURS = Palettes.of(Palettes.rgb(250, 250, 250), Palettes.rgb(20, 20, 20));
  private static final Sprite LANE = new Sprite(
      "11111111",
      "11111111",
      "11111111",
      "33.33.33",
      "11111111",
      "11111111",
      "11111111",
      "22222222");
  private static final Sprite WAVES = new Sprite(
      "11111111",
      "11311111",
      "13131111",
      "11111111",
      "11111131",
      "11111313",
      "11111111",
      "22222222");
  private static final Sprite CAR_SPRITE = new Sprite(
      "..1111..",
      "11222111",
      "11222111",
      "..1111..");
  private static final Sprite FROG_SPRITE = new Sprite(
      "1......1",
      "11.11.11",
      ".121121.",
      ".111111.",
      "..1111..",
      ".311113.",
      "33....33",
      "........");
  private static final Sprite CHECKER = new Sprite(
      "12121212",
      "21212121");

  static {
    int[] bodies = {Palettes.rgb(240, 200, 40), Palettes.rgb(40, 40, 45), Palettes.rgb(50, 90, 220),
        Palettes.rgb(50, 170, 70), Palettes.rgb(210, 40, 40)};
    for (int i = 0; i < NUM_CAR_THEMES; i++) {
      CARS[i] = Palettes.of(bodies[i], Palettes.rgb(170, 210, 240));
    }
  }

  public static ContextSpace contextSpace(DistributionMode mode) {
    int w;
    int lanes;
    double[] speeds;
    switch (mode) {
      case EASY -> { w = 9; lanes = 3; speeds = new double[] {0.03, 0.12, 0.025, 0.075}; }
      case HARD -> { w = 15; lanes = 4; speeds = new double[] {0.05, 0.2, 0.05, 0.1}; }
      case EXTREME -> { w = 20; lanes = 4; speeds = new double[] {0.1, 0.3, 0.1, 0.2}; }
      default -> throw new IllegalArgumentException("leaper has no " + mode.id() + " mode");
    }
    int slack = mode == DistributionMode.EASY ? 3 : 6;
    return Features.common(true)
        .integer("world_dim", w, 5, 40, "side of the square world in cells")
        .integer("max_lanes", lanes, 0, 16, "difficulty d is drawn from 0..max; d road lanes and d water lanes")
        .real("min_car_speed", speeds[0], 0.01, 1, "slowest car lane (cells per step)")
        .real("max_car_speed", speeds[1], 0.01, 1, "fastest car lane")
        .real("min_log_speed", speeds[2], 0.01, 1, "slowest log lane")
        .real("max_log_speed", speeds[3], 0.01, 1, "fastest log lane")
        .rule(c -> c.get("min_car_speed") <= c.get("max_car_speed") ? null : "min_car_speed must not exceed max_car_speed")
        .rule(c -> c.get("min_log_speed") <= c.get("max_log_speed") ? null : "min_log_speed must not exceed max_log_speed")
        .rule(c -> 2 * c.get("max_lanes") + slack <= c.get("world_dim") ? null
            : "world_dim must be at least 2 * max_lanes + " + slack + " to fit the lanes and the finish line")
        .build(ProcgenSuite.id("leaper", mode));
  }

  private int worldDim;
  private int maxLanes;
  private float minCarSpeed;
  private float maxCarSpeed;
  private float minLogSpeed;
  private float maxLogSpeed;

  private int bottomRoadY;
  private int bottomWaterY;
  private int goalY;
  private float[] roadSpeeds = new float[0];
  private float[] waterSpeeds = new float[0];
  private int numRoad;
  private int numWater;

  public Leaper(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.TOPDOWN);
    maxspeed = MAX_SPEED;
  }

  @Override
  protected void applyContext(Context c) {
    worldDim = (int) c.get("world_dim");
    maxLanes = (int) c.get("max_lanes");
    minCarSpeed = (float) c.get("min_car_speed");
    maxCarSpeed = (float) c.get("max_car_speed");
    minLogSpeed = (float) c.get("min_log_speed");
    maxLogSpeed = (float) c.get("max_log_speed");
  }

  public int bottomRoadY() {
    return bottomRoadY;
  }

  public int numRoadLanes() {
    return numRoad;
  }

  public int bottomWaterY() {
    return bottomWaterY;
  }

  public int numWaterLanes() {
    return numWater;
  }

  public int goalY() {
    return goalY;
  }

  public float roadSpeed(int lane) {
    return roadSpeeds[lane];
  }

  public float waterSpeed(int lane) {
    return waterSpeeds[lane];
  }

  @Override
  protected void chooseWorldDim() {
    mainWidth = worldDim;
    mainHeight = worldDim;
  }

  private float randSign() {
    return rng.rand01() < .5f ? 1 : -1;
  }

  private int extraSpace() {
    return mode == DistributionMode.EASY ? 0 : rng.randn(2);
  }

  @Override
  protected void gameReset() {
    super.gameReset();
    centerAgent = false;
    agent.y = agent.ry;
    bottomRoadY = extraSpace() + 1;
    int difficulty = rng.randn(maxLanes + 1);
    // Outside easy mode, half the time one more lane goes to the road or to the water.
    int extraLane = mode == DistributionMode.EASY ? 0 : rng.randn(4);
    numRoad = difficulty + (extraLane == 2 ? 1 : 0);
    roadSpeeds = new float[numRoad];
    for (int lane = 0; lane < numRoad; lane++) {
      float sign = randSign();
      roadSpeeds[lane] = sign * rng.randrange(minCarSpeed, maxCarSpeed);
      fillRow(bottomRoadY + lane, ROAD);
    }
    bottomWaterY = bottomRoadY + numRoad + extraSpace() + 1;
    numWater = difficulty + (extraLane == 3 ? 1 : 0);
    waterSpeeds = new float[numWater];
    float sign = randSign();
    for (int lane = 0; lane < numWater; lane++) {
      waterSpeeds[lane] = sign * rng.randrange(minLogSpeed, maxLogSpeed);
      sign = -sign;
      fillRow(bottomWaterY + lane, WATER);
    }
    goalY = bottomWaterY + numWater + 1;
    // Pre-fill the lanes. Entities that have left the world are dropped as they go (Procgen
    // keeps them until the first step); no draw depends on them, so the level is the same.
    float prewarm = mainWidth / Math.min(minCarSpeed, minLogSpeed);
    for (int i = 0; i < prewarm; i++) {
      spawnEntities();
      stepEntities();
      for (int k = entities.size() - 1; k >= 0; k--) {
        Entity e = entities.get(k);
        if (e.autoErase && e != agent && isOutOfBounds(e)) {
          entities.remove(k);
        }
      }
    }
    Entity finish = addEntity(mainWidth / 2f, goalY - .5f, 0, 0, mainWidth / 2f, .5f, FINISH_LINE);
    finish.renderZ = -1;
  }

  private void fillRow(int y, int type) {
    for (int x = 0; x < mainWidth; x++) {
      setObj(x, y, type);
    }
  }

  /** Whether a box at (x, y) with half-extents (rx, ry) would touch any entity, the agent included. */
  private boolean occupied(float x, float y, float rx, float ry) {
    for (int i = entities.size() - 1; i >= 0; i--) {
      Entity o = entities.get(i);
      if (Math.abs(x - o.x) < rx + o.rx && Math.abs(y - o.y) < ry + o.ry) {
        return true;
      }
    }
    return false;
  }

  private void spawnEntities() {
    for (int lane = 0; lane < numRoad; lane++) {
      float speed = roadSpeeds[lane];
      if (rng.rand01() < Math.abs(speed) / 6.0) {
        float x = speed > 0 ? -MONSTER_RADIUS : mainWidth + MONSTER_RADIUS;
        float y = (float) (bottomRoadY + lane + 0.5);
        int theme = rng.randn(NUM_CAR_THEMES);
        if (!occupied(x, y, 2 * MONSTER_RADIUS, MONSTER_RADIUS)) {
          Entity car = addEntity(x, y, speed, 0, 2 * MONSTER_RADIUS, MONSTER_RADIUS, CAR);
          car.theme = theme;
          car.reflected = speed < 0;
        }
      }
    }
    for (int lane = 0; lane < numWater; lane++) {
      float speed = waterSpeeds[lane];
      if (rng.rand01() < Math.abs(speed) / 2.0) {
        float x = speed > 0 ? -LOG_RADIUS : mainWidth + LOG_RADIUS;
        float y = (float) (bottomWaterY + lane + 0.5);
        if (!occupied(x, y, LOG_RADIUS, LOG_RADIUS)) {
          addEntity(x, y, speed, 0, LOG_RADIUS, LOG);
        }
      }
    }
  }

  @Override
  protected void handleAgentCollision(Entity e) {
    if (e.type == CAR) {
      done = true;
    } else if (e.type == FINISH_LINE && agent.vx == 0 && agent.vy == 0) {
      reward += GOAL_REWARD;
      done = true;
      levelComplete = true;
    }
  }

  private static float decay(float v) {
    float sign = v > 0 ? 1 : v == 0 ? 0 : -1;
    float m = Math.abs(v) - VEL_DECAY;
    return (m < 0 ? 0 : m) * sign;
  }

  /** A hop starts only from rest; its speed then decays to zero over the next steps. */
  @Override
  protected void updateAgentVelocity() {
    if (agent.vx == 0 && agent.vy == 0) {
      if (actionVx != 0) {
        agent.vx = maxspeed * actionVx;
        agent.rotation = (float) ((agent.vx > 0 ? -1 : 1) * Math.PI / 2);
      } else if (actionVy != 0) {
        agent.vy = maxspeed * actionVy;
        agent.rotation = agent.vy > 0 ? 0 : (float) Math.PI;
      }
    }
    agent.vx = decay(agent.vx);
    agent.vy = decay(agent.vy);
  }

  @Override
  protected void gameStep() {
    super.gameStep();
    spawnEntities();
    boolean onLog = false;
    float logVx = 0;
    for (int i = 0; i < entities.size(); i++) {
      Entity m = entities.get(i);
      if (m.type == LOG && agent.collides(m, -agent.rx)) {
        onLog = true;
        logVx = m.vx;
      }
    }
    if (getObj((int) agent.x, (int) agent.y) == WATER && !onLog && agent.vx == 0 && agent.vy == 0) {
      done = true;
    }
    if (onLog) {
      agent.x += logVx;
    }
    if (isOutOfBounds(agent)) {
      done = true;
    }
  }

  @Override
  protected void drawTile(int type, int x, int y) {
    if (type == ROAD) {
      drawCell(LANE, ROAD_COLOURS, x, y);
    } else if (type == WATER) {
      drawCell(WAVES, WATER_COLOURS, x, y);
    }
  }

  @Override
  protected void drawEntity(Entity e) {
    switch (e.type) {
      case PLAYER -> {
        // Procgen draws the frog 1.55 times its box height, centred; turned to its hop.
        int quarter = Math.round(e.rotation / (float) (Math.PI / 2));
        float h = 2 * e.ry;
        canvas.drawSprite(FROG_SPRITE, FROG, e.x - e.rx, e.y - e.ry - .275f * h, e.x + e.rx, e.y + e.ry + .275f * h,
            false, quarter);
      }
      case CAR -> drawBox(e, CAR_SPRITE, CARS[restrictThemes ? 0 : e.theme]);
      case LOG -> drawBox(e, Sprites.CRATE, LOG_COLOURS);
      case FINISH_LINE -> {
        for (int x = 0; x < mainWidth; x++) {
          canvas.drawSprite(CHECKER, FINISH_COLOURS, x, e.y - e.ry, x + 1, e.y + e.ry, false, 0);
        }
      }
      default -> { }
    }
  }
}
