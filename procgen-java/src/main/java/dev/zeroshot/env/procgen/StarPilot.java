package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Procgen's starpilot, a side-scrolling shooter: the agent's ship flies freely in a 16x16 view
 * over a background that scrolls left. Enemies enter on a schedule fixed when the level is made
 * (every 10-30 steps up to step 500, flyers in groups of up to 5, 5 steps apart): flyers and fast
 * flyers (from the left too, one in ten, except in easy), slow meteors and turrets, and clouds
 * that hide what passes under them. A flyer fires one bullet aimed at the agent 10-100 steps
 * after it enters; a turret fires every 20-30 steps. Actions 9 (and 11-14) fire a bullet right,
 * 10 fires one left; each hit takes one health, and destroying a flyer, turret or meteor (500
 * health: effectively a shield) gives +1. Touching an enemy, meteor or enemy bullet ends the
 * episode; at step 500 a finish line enters from the right, and touching it gives +10 and
 * completes the level.
 *
 * <p>The spawn schedule draws from the level's MT19937 in Procgen's order. Enemies that enter on
 * the same step enter in the order they were generated (Procgen's unstable sort leaves that
 * order unspecified).
 */
public final class StarPilot extends ProcgenGame {

  public static final int BULLET_PLAYER = 1;
  public static final int BULLET2 = 2;
  public static final int BULLET3 = 3;
  public static final int FLYER = 4;
  public static final int METEOR = 5;
  public static final int CLOUD = 6;
  public static final int TURRET = 7;
  public static final int FAST_FLYER = 8;
  public static final int FINISH_LINE = 9;
  public static final float ENEMY_REWARD = 1;
  public static final float COMPLETION_BONUS = 10;
  public static final int TIMEOUT = 1000;
  /** Every speed below is in these units per step. */
  static final float V_SCALE = 2f / 5f;
  /** Speed factor of meteors, clouds, turrets, the finish line and the background. */
  static final float SLOW_V = .5f;
  static final float METEOR_HEALTH = 500;
  private static final float FAST_FLYER_V = 1.5f;
  private static final float PLAYER_BULLET_V = 2;
  private static final float TURRET_BULLET_V = 2;
  private static final float BIG_R = 2;
  private static final float SHIP_R = .5f;
  /** Image themes per type (Procgen's asset lists): flyers 7, meteors 8, clouds 9, turrets 2, finish lines 4. */
  private static final int FLYER_THEMES = 7;
  private static final int METEOR_THEMES = 8;
  private static final int CLOUD_THEMES = 9;
  /** Width / height of Procgen's turret art (both themes) and of its four finish-line rockets. */
  private static final float TURRET_ASPECT = (float) (172 * 1.0 / 52);
  private static final float[] FINISH_ASPECTS = {
      (float) (122 * 1.0 / 374), (float) (157 * 1.0 / 309), (float) (118 * 1.0 / 315), (float) (136 * 1.0 / 369)};
  /**
   * The background scrolls left 0.8 px a step, as Procgen's. Procgen stretches a large image
   * over 3 frame heights; our 32-texel texture would make 6-pixel stars at that size, so it is
   * tiled at one frame height instead. It moves in whole pixels (the offset is rounded).
   */
  private static final float BG_PX_PER_STEP = 4 * SLOW_V * 2 / 5;

  public static ContextSpace contextSpace(DistributionMode mode) {
    double agentSpeed = .75;
    double flyerHealth = 2;
    double fastHealth = 1;
    double turretHealth = 5;
    double flyerSpeed = 1;
    double bulletSpeed = 2;
    double bulletR = 1 / 2.5;
    double otherWeight = 1;
    double leftProb = .1;
    switch (mode) {
      case EASY -> { flyerSpeed = .75; bulletSpeed = 1.25; otherWeight = 0; leftProb = 0; }
      case HARD -> { }
      case EXTREME -> { agentSpeed = .5; flyerHealth = 5; fastHealth = 2; turretHealth = 10; bulletR = 1 / 5.0; }
      default -> throw new IllegalArgumentException("starpilot has no " + mode.id() + " mode");
    }
    return Features.common(true)
        .real("agent_speed", agentSpeed, 0.1, 2, "the agent's top speed (units per step)")
        .integer("flyer_health", flyerHealth, 1, 50, "hits a flyer takes")
        .integer("fast_flyer_health", fastHealth, 1, 50, "hits a fast flyer takes")
        .integer("turret_health", turretHealth, 1, 50, "hits a turret takes")
        .real("flyer_speed", flyerSpeed, 0.1, 4, "flyers' speed factor (fast flyers 1.5, meteors and turrets 0.5)")
        .real("enemy_bullet_speed", bulletSpeed, 0.1, 4, "speed factor of the bullets flyers fire (turrets' are 2)")
        .real("bullet_radius", bulletR, 0.05, 1, "radius of every bullet")
        .integer("flyer_weight", 3, 0, 20, "relative chance that a spawn is a group of flyers")
        .integer("fast_flyer_weight", otherWeight, 0, 20, "relative chance of a group of fast flyers")
        .integer("meteor_weight", otherWeight, 0, 20, "relative chance of a meteor")
        .integer("cloud_weight", otherWeight, 0, 20, "relative chance of a cloud")
        .integer("turret_weight", otherWeight, 0, 20, "relative chance of a turret")
        .real("left_spawn_prob", leftProb, 0, 1, "chance that a flyer enters from the left")
        .integer("max_group_size", 5, 1, 10, "largest group of flyers")
        .integer("min_spawn_gap", 10, 1, 200, "fewest steps between spawns")
        .integer("max_spawn_gap", 30, 2, 400, "most steps between spawns (exclusive)")
        .integer("finish_time", 500, 10, 990, "the step the finish line enters (enemies are scheduled until then)")
        .rule(c -> c.get("flyer_weight") + c.get("fast_flyer_weight") + c.get("meteor_weight") + c.get("cloud_weight")
            + c.get("turret_weight") > 0 ? null : "at least one of flyer/fast_flyer/meteor/cloud/turret_weight must be > 0")
        .rule(c -> c.get("min_spawn_gap") < c.get("max_spawn_gap") ? null : "min_spawn_gap must be less than max_spawn_gap")
        .build(ProcgenSuite.id("starpilot", mode));
  }

  /** An enemy scheduled to enter the level at {@code time}. */
  private static final class Spawn {
    final int time;
    final float x;
    final float y;
    final float vx;
    final float vy;
    final float rx;
    float ry;
    final int type;
    final int fireTime;
    final float health;
    int theme;

    Spawn(int time, float x, float y, float vx, float vy, float r, int type, int fireTime, float health) {
      this.time = time;
      this.x = x;
      this.y = y;
      this.vx = vx;
      this.vy = vy;
      this.rx = r;
      this.ry = r;
      this.type = type;
      this.fireTime = fireTime;
      this.health = health;
    }
  }

  // Indexed by type (1-8, as Procgen's hp_* tables): speed factor, health, spawn weight. Made
  // in applyContext, which runs from the superclass constructor, before field initialisers.
  private float[] speeds;
  private float[] healths;
  private float[] weights;
  private float totalWeight;
  private float bulletRadius;
  private float leftSpawnThreshold;
  private int maxGroupSize;
  private int minGap;
  private int maxGap;
  private int finishTime;

  private final List<Spawn> schedule = new ArrayList<>();
  private final ScrollingBackground background = new ScrollingBackground();
  private int nextSpawn;

  public StarPilot(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.SPACE);
  }

  @Override
  protected void applyContext(Context c) {
    speeds = new float[9];
    healths = new float[9];
    weights = new float[9];
    java.util.Arrays.fill(speeds, 1);
    maxspeed = (float) c.get("agent_speed");
    healths[FLYER] = (float) c.get("flyer_health");
    healths[FAST_FLYER] = (float) c.get("fast_flyer_health");
    healths[TURRET] = (float) c.get("turret_health");
    healths[METEOR] = METEOR_HEALTH;
    speeds[FLYER] = (float) c.get("flyer_speed");
    speeds[BULLET2] = (float) c.get("enemy_bullet_speed");
    speeds[BULLET3] = TURRET_BULLET_V;
    speeds[FAST_FLYER] = FAST_FLYER_V;
    speeds[BULLET_PLAYER] = PLAYER_BULLET_V;
    bulletRadius = (float) c.get("bullet_radius");
    weights[FLYER] = (float) c.get("flyer_weight");
    weights[FAST_FLYER] = (float) c.get("fast_flyer_weight");
    weights[METEOR] = (float) c.get("meteor_weight");
    weights[CLOUD] = (float) c.get("cloud_weight");
    weights[TURRET] = (float) c.get("turret_weight");
    totalWeight = 0;
    for (int t = 2; t < weights.length; t++) {
      totalWeight += weights[t];
    }
    leftSpawnThreshold = (float) (1 - c.get("left_spawn_prob"));
    maxGroupSize = (int) c.get("max_group_size");
    minGap = (int) c.get("min_spawn_gap");
    maxGap = (int) c.get("max_spawn_gap");
    finishTime = (int) c.get("finish_time");
  }

  /** The step the k-th scheduled enemy enters and its type (tests). */
  int scheduledTime(int k) {
    return schedule.get(k).time;
  }

  int scheduledType(int k) {
    return schedule.get(k).type;
  }

  int scheduleSize() {
    return schedule.size();
  }

  @Override
  protected void chooseWorldDim() {
    mainWidth = 16;
    mainHeight = 16;
  }

  @Override
  protected void gameReset() {
    super.gameReset();
    centerAgent = false;
    schedule.clear();
    nextSpawn = 0;
    scheduleSpawns();
    schedule.sort(Comparator.comparingInt(s -> s.time));
    agent.theme = rng.randn(1); // Procgen draws the agent's (single) image theme
  }

  /** Procgen's add_spawners: groups of enemies every min_spawn_gap to max_spawn_gap steps until finish_time. */
  private void scheduleSpawns() {
    int t = 1 + rng.randint(minGap, maxGap);
    while (t <= finishTime) {
      float weight = rng.rand01() * totalWeight;
      int type;
      for (type = 2; type < weights.length; type++) {
        weight -= weights[type];
        if (weight <= 0) {
          break;
        }
      }
      if (type >= weights.length) {
        type = weights.length - 1;
      }
      float r = type == TURRET || type == METEOR || type == CLOUD ? BIG_R : SHIP_R;
      boolean flyer = type == FLYER || type == FAST_FLYER;
      int groupSize = 1;
      int flyerTheme = 0;
      if (flyer) {
        groupSize = rng.randint(0, maxGroupSize) + 1;
        flyerTheme = rng.randn(FLYER_THEMES);
      }
      float y = randPos(r, 0, mainHeight);
      for (int j = 0; j < groupSize; j++) {
        int fireTime = rng.randint(10, 100);
        float theta = (float) ((rng.rand01() - .5) * (2 * PI / 4));
        float vScale = speeds[type];
        if (rng.randint(0, 2) == 1) {
          theta = 0;
        }
        if (type == METEOR || type == CLOUD) {
          theta = 0;
          vScale = SLOW_V;
          fireTime = -1;
        } else if (type == TURRET) {
          theta = 0;
          vScale = SLOW_V;
          fireTime = rng.randint(20, 30);
        }
        vScale *= V_SCALE;
        float vx = -1 * (float) Math.cos(theta) * vScale;
        float vy = (float) Math.sin(theta) * vScale;
        // Procgen draws this for every flyer; left_spawn_prob 0 (easy) makes the threshold 1, never passed.
        boolean right = !(flyer && rng.rand01() > leftSpawnThreshold);
        float x = mainWidth + r;
        if (!right) {
          x = -r;
          vx *= -1;
        }
        Spawn s = new Spawn(t + j * 5, x, y, vx, vy, r, type, fireTime, healths[type]);
        if (type == CLOUD) {
          s.theme = rng.randn(CLOUD_THEMES);
        } else if (type == METEOR) {
          s.theme = rng.randn(METEOR_THEMES);
        } else if (flyer) {
          s.theme = flyerTheme;
        } else if (type == TURRET) {
          s.theme = rng.randn(2);
          s.ry = s.rx / TURRET_ASPECT;
        }
        schedule.add(s);
      }
      t += rng.randint(minGap, maxGap);
    }
  }

  private static boolean isLethal(int type) {
    return type == FLYER || type == FAST_FLYER || type == BULLET2 || type == BULLET3 || type == TURRET || type == METEOR;
  }

  private static boolean isDestructible(int type) {
    return type == FLYER || type == FAST_FLYER || type == TURRET || type == METEOR;
  }

  @Override
  protected void handleAgentCollision(Entity e) {
    if (e.type == FINISH_LINE) {
      done = true;
      reward += COMPLETION_BONUS;
      levelComplete = true;
    } else if (isLethal(e.type)) {
      done = true;
    }
  }

  @Override
  protected void handleCollision(Entity src, Entity target) {
    if (src.type == BULLET_PLAYER && isDestructible(target.type)) {
      src.willErase = true;
      target.health -= 1;
      addEntity(src.x, src.y, target.vx, target.vy, .5f * src.rx, EXPLOSION);
    }
  }

  private boolean shouldFire(Entity e) {
    if (e.fireTime <= 0) {
      return false;
    }
    if (e.type == TURRET) {
      return (curTime - e.spawnTime) % e.fireTime == 0;
    }
    return curTime - e.spawnTime == e.fireTime;
  }

  @Override
  protected void gameStep() {
    super.gameStep();
    for (int i = entities.size() - 1; i >= 0; i--) {
      Entity m = entities.get(i);
      if (m.type == PLAYER) {
        continue;
      }
      if (shouldFire(m)) {
        // An aimed shot from the enemy's centre at the agent's.
        int bulletType = m.type == TURRET ? BULLET3 : BULLET2;
        float bvx = agent.x - m.x;
        float bvy = agent.y - m.y;
        float scale = speeds[bulletType] * V_SCALE / (float) Math.sqrt(bvx * bvx + bvy * bvy);
        addEntity(m.x, m.y, bvx * scale, bvy * scale, bulletRadius, bulletType);
      }
      if (m.health <= 0 && isDestructible(m.type) && !m.willErase) {
        spawnChild(m, EXPLOSION, .5f * m.rx, true);
        reward += ENEMY_REWARD;
        m.willErase = true;
      }
    }
    while (nextSpawn < schedule.size() && schedule.get(nextSpawn).time == curTime) {
      enter(schedule.get(nextSpawn++));
    }
    if (specialAction != 0) {
      // Action 10 fires left, every other special action right.
      float theta = specialAction == 2 ? PI : 0;
      float v = speeds[BULLET_PLAYER] * V_SCALE;
      float cos = (float) Math.cos(theta);
      Entity b = addEntity(agent.x + agent.rx * cos, agent.y, cos * v, (float) Math.sin(theta) * v, bulletRadius, BULLET_PLAYER);
      b.collidesWithEntities = true;
      b.reflected = theta != 0;
    }
    if (curTime == finishTime) {
      Entity finish = addEntity(mainWidth, mainHeight / 2, -1 * SLOW_V * V_SCALE, 0, 2, mainHeight / 2, FINISH_LINE);
      finish.theme = rng.randn(FINISH_ASPECTS.length);
      finish.rx = finish.ry * FINISH_ASPECTS[restrictThemes ? 0 : finish.theme];
      finish.x = mainWidth + finish.rx;
    }
  }

  private void enter(Spawn s) {
    Entity e = addEntity(s.x, s.y, s.vx, s.vy, s.rx, s.ry, s.type);
    e.spawnTime = s.time;
    e.fireTime = s.fireTime;
    e.health = s.health;
    e.theme = s.theme;
    e.reflected = s.vx < 0;
    if (s.type == CLOUD) {
      e.renderZ = 1;
    }
  }

  // ---- drawing ----

  @Override
  protected boolean backgroundMoves() {
    return useBackgrounds;
  }

  @Override
  protected void drawBackground() {
    background.draw(canvas, Backgrounds.texture(Backgrounds.Style.SPACE, theme()), Backgrounds.SIZE, RES, curTime * BG_PX_PER_STEP);
  }

  private static final Sprite SHIP = new Sprite(
      "..11....",
      "..211...",
      "3.11111.",
      "33122211",
      "33122211",
      "3.11111.",
      "..211...",
      "..11....");
  private static final Sprite ENEMY_SHIP = new Sprite(
      ".1......",
      ".11..22.",
      "111.2332",
      "11111111",
      "11111111",
      "111.2332",
      ".11..22.",
      ".1......");
  private static final Sprite ROCK = new Sprite(
      "..1111..",
      ".113112.",
      "11111211",
      "13111112",
      "11121112",
      "11111122",
      ".112122.",
      "..2222..");
  private static final Sprite NEBULA = new Sprite(
      "..1.1...",
      ".1.2.1..",
      "1.2.2.1.",
      ".2.3.2.1",
      "1.3.3.2.",
      ".2.3.2.1",
      "..1.2.1.",
      "...1.1..");
  private static final Sprite STATION = new Sprite(
      "..3..3..",
      "22111122",
      "21222212",
      "22111122");
  private static final Sprite ROCKET = new Sprite(
      "..11..",
      ".1221.",
      ".1221.",
      ".1111.",
      ".1331.",
      ".1111.",
      ".1331.",
      ".1111.",
      ".1111.",
      "111111",
      "1.33.1",
      "..33..");
  private static final Sprite BULLET = new Sprite(
      ".11.",
      "1221",
      "1221",
      ".11.");

  private static final int[] AGENT = Palettes.of(Palettes.rgb(70, 130, 230), Palettes.rgb(200, 230, 255), Palettes.rgb(255, 150, 40));
  private static final int[][] FLYERS = themed(FLYER_THEMES, .0, .75, .85, Palettes.rgb(255, 230, 120));
  private static final int[][] FAST_FLYERS = themed(FLYER_THEMES, .0, .95, .6, Palettes.rgb(255, 255, 255));
  private static final int[][] METEORS = themed(METEOR_THEMES, .08, .3, .55, 0);
  private static final int[][] CLOUDS = themed(CLOUD_THEMES, .55, .5, .75, 0);
  private static final int[][] TURRETS = {
      Palettes.of(Palettes.rgb(170, 170, 185), Palettes.rgb(90, 90, 110), Palettes.rgb(255, 60, 60)),
      Palettes.of(Palettes.rgb(190, 170, 130), Palettes.rgb(110, 90, 70), Palettes.rgb(60, 200, 255))};
  private static final int[][] ROCKETS = themed(FINISH_ASPECTS.length, .3, .6, .9, Palettes.rgb(255, 200, 60));
  private static final int[] PLAYER_BULLET = Palettes.of(Palettes.rgb(60, 220, 90), Palettes.rgb(200, 255, 200));
  private static final int[] FLYER_BULLET = Palettes.of(Palettes.rgb(230, 50, 50), Palettes.rgb(255, 200, 200));
  private static final int[] TURRET_BULLET = Palettes.of(Palettes.rgb(250, 150, 30), Palettes.rgb(255, 230, 160));

  /** n palettes around the colour wheel from hue0: base, dark shade, and a fixed third colour (0: a light shade). */
  private static int[][] themed(int n, double hue0, double saturation, double value, int third) {
    int[][] t = Palettes.themes(n, hue0, saturation, value);
    if (third != 0) {
      for (int[] p : t) {
        p[3] = third;
      }
    }
    return t;
  }

  @Override
  protected void drawTile(int type, int x, int y) {}

  @Override
  protected void drawEntity(Entity e) {
    int theme = restrictThemes ? 0 : e.theme;
    switch (e.type) {
      case PLAYER -> drawBox(e, SHIP, AGENT);
      case FLYER -> drawBox(e, ENEMY_SHIP, FLYERS[theme]);
      case FAST_FLYER -> drawBox(e, ENEMY_SHIP, FAST_FLYERS[theme]);
      case METEOR -> drawBox(e, ROCK, METEORS[theme]);
      case CLOUD -> drawBox(e, NEBULA, CLOUDS[theme]);
      case TURRET -> drawBox(e, STATION, TURRETS[theme]);
      case FINISH_LINE -> drawBox(e, ROCKET, ROCKETS[theme]);
      case BULLET_PLAYER -> drawBox(e, BULLET, PLAYER_BULLET);
      case BULLET2 -> drawBox(e, BULLET, FLYER_BULLET);
      case BULLET3 -> drawBox(e, BULLET, TURRET_BULLET);
      case EXPLOSION -> drawExplosion(e);
      default -> { }
    }
  }
}
