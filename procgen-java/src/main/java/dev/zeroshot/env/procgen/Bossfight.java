package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;

/**
 * Procgen's bossfight: a ship at the bottom of a 20x20 space arena fights a boss that drifts to
 * a new random spot every 20 steps. The boss has round_health x num_rounds hit points
 * (round_health 1..max_round_health, num_rounds 1..max_rounds). Action 9 fires a shot straight
 * up (at most every 3 steps). While the boss's shield is up, shots bounce off it and the boss
 * fires one of four attack patterns (one chosen per round); the shield drops after 2 to
 * 2 + max_extra_shield_cycles boss moves and then stays down, with the boss firing only
 * now and then (passive_fire_prob per step). Each shot that lands while it is down takes one
 * hit point; emptying a round's health gives +1, raises the shield again, and the boss smokes
 * for 40 steps; the last round's end gives +1 and +10 and completes the level. Touching the
 * boss, one of its shots or a meteor ends the episode. One to max_barriers meteors near the
 * bottom give cover: they stop every shot (the ship's and the boss's).
 */
public final class Bossfight extends ProcgenGame {

  public static final int PLAYER_BULLET = 1;
  public static final int BOSS = 2;
  public static final int SHIELDS = 3;
  public static final int ENEMY_BULLET = 4;
  public static final int LASER_TRAIL = 5;
  public static final int REFLECTED_BULLET = 6;
  public static final int BARRIER = 7;
  public static final float COMPLETION_BONUS = 10;
  public static final float ROUND_REWARD = 1;
  public static final int TIMEOUT = 4000;
  static final float BOSS_R = 3;
  static final int NUM_ATTACK_MODES = 4;
  static final int BOTTOM_MARGIN = 6;
  static final int BOSS_VEL_TIMEOUT = 20;
  static final int BOSS_DAMAGED_TIMEOUT = 40;
  static final int PLAYER_FIRE_DELAY = 3;
  private static final float PLAYER_BULLET_VEL = 1;
  /** Effectively forever: once down, the shield stays down until the round ends. */
  private static final int VULNERABLE_DURATION = 500;

  // Width / height of Procgen's sprites, which set the entities' boxes (match_aspect_ratio).
  private static final float[] PLAYER_ASPECT = {99 / 75f, 99 / 75f, 112 / 75f, 98 / 75f};
  private static final float[] BOSS_ASPECT = {93 / 84f, 104 / 84f, 103 / 84f, 82 / 84f};
  private static final float[] BARRIER_ASPECT = {215 / 211f, 212 / 218f, 214 / 227f, 220 / 221f,
      101 / 84f, 120 / 98f, 89 / 82f, 98 / 96f};
  private static final int NUM_LASER_THEMES = 3;

  private static final Sprite SHIP = new Sprite(
      "....11....",
      "....11....",
      "...1221...",
      "3..1221..3",
      "31.1111.13",
      "3111111113",
      "1111111111",
      "11.1111.11",
      "1...33...1");
  private static final Sprite BOSS_SHIP = new Sprite(
      "1..111111..1",
      "11.122221.11",
      "111122221111",
      "111111111111",
      ".1113333111.",
      "..11333311..",
      "...111111...",
      "....1..1....");
  private static final Sprite SHIELD = new Sprite(
      "...111111...",
      ".11......11.",
      "1..........1",
      "1..........1",
      "1..........1",
      "1..........1",
      ".11......11.",
      "...111111...");
  private static final Sprite LASER = new Sprite(
      "...1...",
      ".1.2.1.",
      "..222..",
      "1222221",
      "..222..",
      ".1.2.1.",
      "...1...");
  private static final Sprite METEOR = new Sprite(
      "..1111..",
      ".112111.",
      "11111311",
      "12111111",
      "11113111",
      "11211112",
      ".111211.",
      "..1111..");
  private static final int[][] PLAYER_COLOURS = {
      Palettes.of(Palettes.rgb(60, 130, 230), Palettes.rgb(170, 220, 255), Palettes.rgb(250, 160, 40)),
      Palettes.of(Palettes.rgb(60, 190, 80), Palettes.rgb(190, 250, 200), Palettes.rgb(250, 160, 40)),
      Palettes.of(Palettes.rgb(240, 140, 40), Palettes.rgb(255, 220, 170), Palettes.rgb(250, 80, 40)),
      Palettes.of(Palettes.rgb(210, 50, 50), Palettes.rgb(255, 190, 190), Palettes.rgb(250, 160, 40))};
  private static final int[][] BOSS_COLOURS = {
      Palettes.of(Palettes.rgb(60, 60, 70), Palettes.rgb(200, 60, 60), Palettes.rgb(110, 110, 125)),
      Palettes.of(Palettes.rgb(40, 90, 200), Palettes.rgb(230, 230, 90), Palettes.rgb(90, 150, 240)),
      Palettes.of(Palettes.rgb(40, 150, 60), Palettes.rgb(240, 120, 40), Palettes.rgb(100, 210, 110)),
      Palettes.of(Palettes.rgb(190, 40, 40), Palettes.rgb(80, 200, 240), Palettes.rgb(240, 110, 100))};
  private static final int[] SHIELD_COLOURS = Palettes.of(Palettes.rgb(120, 200, 255));
  private static final int[][] LASER_COLOURS = {
      Palettes.of(Palettes.rgb(60, 220, 60), Palettes.rgb(210, 255, 200)),
      Palettes.of(Palettes.rgb(230, 50, 40), Palettes.rgb(255, 210, 190)),
      Palettes.of(Palettes.rgb(50, 120, 240), Palettes.rgb(200, 230, 255))};
  private static final int[][] METEOR_COLOURS = new int[BARRIER_ASPECT.length][];

  static {
    for (int i = 0; i < METEOR_COLOURS.length; i++) {
      // The first four are Procgen's brown space meteors, the last four its grey ones.
      int base = i < 4 ? Palettes.hsv(0.07 + 0.02 * i, 0.55, 0.55) : Palettes.hsv(0, 0, 0.45 + 0.05 * (i - 4));
      METEOR_COLOURS[i] = Palettes.of(base, Palettes.shade(base, 0.65), Palettes.shade(base, 1.3));
    }
  }

  public static ContextSpace contextSpace(DistributionMode mode) {
    double extraShield;
    double bulletSpeed;
    switch (mode) {
      case EASY -> { extraShield = 1; bulletSpeed = .5; }
      case HARD -> { extraShield = 3; bulletSpeed = .75; }
      default -> throw new IllegalArgumentException("bossfight has no " + mode.id() + " mode");
    }
    return Features.common(true)
        .integer("max_round_health", 9, 1, 50, "hits per round are drawn from 1..max")
        .integer("max_rounds", 5, 1, 20, "rounds (shield cycles the boss survives) are drawn from 1..max")
        .integer("max_extra_shield_cycles", extraShield, 0, 20,
            "the shield stays up for 2 + (0..max) boss moves of 20 steps each round")
        .real("boss_bullet_speed", bulletSpeed, 0.1, 2, "speed of the boss's shots (cells per step)")
        .real("passive_fire_prob", 0.1, 0, 1, "chance per step that the boss fires while its shield is down")
        .integer("max_barriers", 3, 0, 10, "meteors for cover: 1..max (0 = none)")
        .build(ProcgenSuite.id("bossfight", mode));
  }

  private int maxRoundHealth;
  private int maxRounds;
  private int maxExtraShieldCycles;
  private float bossBulletSpeed;
  private float passiveFireProb;
  private int maxBarriers;

  private Entity boss;
  private Entity shields;
  private int[] attackModes = new int[0];
  private int lastFireTime;
  private int timeToSwap;
  private int invulnerableDuration;
  private int numRounds;
  private int roundNum;
  private int roundHealth;
  private int currVelTimeout;
  private int attackMode;
  private int playerLaserTheme;
  private int bossLaserTheme;
  private int damagedUntilTime;
  /** Package-private so that rule tests can lower the shield without waiting for it. */
  boolean shieldsUp;
  // This step's random draws (Procgen draws them once per step, after the physics).
  private float randPct;
  private float randFirePct;
  private float randPctX;
  private float randPctY;

  public Bossfight(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.SPACE);
    mixrate = .5f;
    maxspeed = .85f;
  }

  @Override
  protected void applyContext(Context c) {
    maxRoundHealth = (int) c.get("max_round_health");
    maxRounds = (int) c.get("max_rounds");
    maxExtraShieldCycles = (int) c.get("max_extra_shield_cycles");
    bossBulletSpeed = (float) c.get("boss_bullet_speed");
    passiveFireProb = (float) c.get("passive_fire_prob");
    maxBarriers = (int) c.get("max_barriers");
  }

  public Entity boss() {
    return boss;
  }

  public boolean shieldsUp() {
    return shieldsUp;
  }

  public int roundHealth() {
    return roundHealth;
  }

  public int numRounds() {
    return numRounds;
  }

  public int roundNum() {
    return roundNum;
  }

  /** Boss moves (of 20 steps) the shield stays up at the start of each round. */
  public int shieldCycles() {
    return invulnerableDuration;
  }

  public int attackMode(int round) {
    return attackModes[round];
  }

  @Override
  protected void chooseWorldDim() {
    mainWidth = 20;
    mainHeight = 20;
  }

  @Override
  protected void gameReset() {
    super.gameReset();
    centerAgent = false;
    damagedUntilTime = 0;
    lastFireTime = 0;

    boss = addEntity(mainWidth / 2, mainHeight / 2, 0, 0, BOSS_R, BOSS);
    boss.theme = rng.randn(BOSS_ASPECT.length);
    boss.ry = boss.rx / aspect(BOSS_ASPECT, boss.theme);
    shields = addEntity(boss.x, boss.y, 0, 0, (float) (1.2 * boss.rx), (float) (1.2 * boss.ry), SHIELDS);

    roundHealth = rng.randn(maxRoundHealth) + 1;
    numRounds = 1 + rng.randn(maxRounds);
    invulnerableDuration = 2 + rng.randn(maxExtraShieldCycles + 1);
    boss.health = roundHealth * numRounds;
    agent.theme = rng.randn(PLAYER_ASPECT.length);
    playerLaserTheme = rng.randn(NUM_LASER_THEMES);
    bossLaserTheme = rng.randn(NUM_LASER_THEMES);
    if (attackModes.length < numRounds) {
      attackModes = new int[numRounds];
    }
    for (int i = 0; i < numRounds; i++) {
      attackModes[i] = rng.randn(NUM_ATTACK_MODES);
    }
    roundNum = 0;
    prepareBoss();

    agent.rx = .75f;
    agent.ry = agent.rx / aspect(PLAYER_ASPECT, agent.theme);
    repositionAgent();
    agent.y = agent.ry;

    rng.randbool(); // Procgen draws whether barriers drift right, then never moves them
    spawnBarriers();
  }

  /** A sprite's aspect ratio; with restricted themes Procgen loads theme 0's sprite for every theme. */
  private float aspect(float[] ratios, int theme) {
    return ratios[restrictThemes ? 0 : theme];
  }

  /** A new round: shield up, next attack pattern, the boss stops. */
  private void prepareBoss() {
    shieldsUp = true;
    currVelTimeout = BOSS_VEL_TIMEOUT;
    timeToSwap = invulnerableDuration;
    attackMode = attackModes[roundNum % numRounds];
    boss.vx = 0;
    boss.vy = 0;
  }

  private void spawnBarriers() {
    int count = maxBarriers == 0 ? 0 : rng.randn(maxBarriers) + 1;
    for (int i = 0; i < count; i++) {
      float r = .6f;
      float minY = 2 * agent.ry + r + .5f;
      float y = rng.rand01() * (BOTTOM_MARGIN - minY - r) + minY;
      float x = rng.rand01() * (mainWidth - 2 * r) + r;
      Entity b = addEntity(x, y, 0, 0, r, BARRIER);
      b.theme = rng.randn(BARRIER_ASPECT.length);
      b.ry = b.rx / aspect(BARRIER_ASPECT, b.theme);
      b.health = 3;
      b.collidesWithEntities = true;
      if (hasAnyCollision(b)) {
        entities.remove(entities.size() - 1);
      }
    }
  }

  @Override
  protected void handleAgentCollision(Entity e) {
    if (e.type == BOSS || e.type == BARRIER || e.type == ENEMY_BULLET) {
      done = true;
    }
  }

  @Override
  protected void handleCollision(Entity src, Entity target) {
    if (src.type == PLAYER_BULLET) {
      if (target.type == SHIELDS && shieldsUp) {
        // The shot bounces back down-left to down-right, fading.
        src.type = REFLECTED_BULLET;
        float theta = (float) (PI * (1.25 + .5 * randPct));
        src.vx = (float) (PLAYER_BULLET_VEL * Math.cos(theta) * .5);
        src.vy = (float) (PLAYER_BULLET_VEL * Math.sin(theta) * .5);
        src.expireTime = 4;
        src.lifeTime = 0;
        src.alphaDecay = .8f;
      } else if (target.type == BOSS && !shieldsUp) {
        hitBoss(target);
        if (!src.willErase) {
          src.willErase = true;
          Entity explosion = spawnChild(src, EXPLOSION, .5f * src.rx, false);
          explosion.vx = target.vx;
          explosion.vy = target.vy;
        }
      }
    } else if (src.type == BARRIER) {
      // Meteors stop shots and trails (Procgen gives them health but never lowers it).
      if (target.type == ENEMY_BULLET || target.type == PLAYER_BULLET) {
        target.willErase = true;
        spawnChild(target, EXPLOSION, .5f * target.rx, false);
      } else if (target.type == LASER_TRAIL) {
        target.willErase = true;
      }
    }
  }

  private void hitBoss(Entity b) {
    b.health -= 1;
    if ((int) b.health % roundHealth == 0) {
      reward += ROUND_REWARD;
      if (b.health == 0) {
        done = true;
        reward += COMPLETION_BONUS;
        levelComplete = true;
      } else {
        roundNum++;
        prepareBoss();
        currVelTimeout = BOSS_DAMAGED_TIMEOUT;
        damagedUntilTime = curTime + BOSS_DAMAGED_TIMEOUT;
      }
    }
  }

  @Override
  protected void gameStep() {
    super.gameStep();
    shields.x = boss.x;
    shields.y = boss.y;
    randPct = rng.rand01();
    randFirePct = rng.rand01();
    randPctX = rng.rand01();
    randPctY = rng.rand01();

    if (currVelTimeout <= 0) {
      // Head for a random spot above the bottom margin, arriving in BOSS_VEL_TIMEOUT steps.
      float destX = randPctX * (mainWidth - 2 * BOSS_R) + BOSS_R;
      float destY = randPctY * (mainHeight - 2 * BOSS_R - BOTTOM_MARGIN) + BOSS_R + BOTTOM_MARGIN;
      boss.vx = (destX - boss.x) / BOSS_VEL_TIMEOUT;
      boss.vy = (destY - boss.y) / BOSS_VEL_TIMEOUT;
      currVelTimeout = BOSS_VEL_TIMEOUT;
      if (timeToSwap > 0) {
        timeToSwap--;
      } else {
        timeToSwap = shieldsUp ? VULNERABLE_DURATION : invulnerableDuration;
        shieldsUp = !shieldsUp;
      }
    } else {
      currVelTimeout--;
    }

    if (specialAction == 1 && curTime - lastFireTime >= PLAYER_FIRE_DELAY) {
      Entity bullet = addEntity(agent.x, agent.y, 0, PLAYER_BULLET_VEL, .25f, PLAYER_BULLET);
      bullet.theme = playerLaserTheme;
      bullet.collidesWithEntities = true;
      bullet.expireTime = 25;
      lastFireTime = curTime;
    }

    if (damagedUntilTime >= curTime) {
      if (curTime % 3 == 0) {
        float x = boss.x + (2 * randPctX - 1) * boss.rx;
        float y = boss.y + (2 * randPctY - 1) * boss.ry;
        addEntity(x, y, 0, 0, .75f, EXPLOSION);
      }
    } else if (shieldsUp) {
      activeAttack();
    } else if (randFirePct < passiveFireProb) {
      bossFire(PI * (1 + randPct));
    }

    // Every boss shot leaves a fading trail.
    for (int i = entities.size() - 1; i >= 0; i--) {
      Entity e = entities.get(i);
      if (e.type == ENEMY_BULLET) {
        Entity trail = addEntity(e.x, e.y, e.vx * .5f, e.vy * .5f, e.rx, e.ry, LASER_TRAIL);
        trail.alphaDecay = .7f;
        trail.theme = bossLaserTheme;
        trail.vrot = e.vrot;
        trail.rotation = e.rotation;
        trail.expireTime = 8;
      }
    }
  }

  private void activeAttack() {
    switch (attackMode) {
      case 0 -> {
        // A fan of five shots downwards.
        if (curTime % 8 == 0) {
          for (int i = 0; i < 5; i++) {
            bossFire((float) (PI * 1.5 + (i - 2) * PI / 8));
          }
        }
      }
      case 1 -> {
        // Four shots at right angles, sweeping back and forth.
        int dt = 5;
        if (curTime % dt == 0) {
          int k = Math.abs(8 - (curTime / dt) % 16);
          for (int i = 0; i < 4; i++) {
            bossFire((float) (PI * (1.25 + .5 * k / 8.0) + i * PI / 2));
          }
        }
      }
      case 2 -> {
        // A ring of eight at a random angle.
        if (curTime % 10 == 0) {
          int n = 8;
          float offset = randPct * 2 * PI;
          for (int i = 0; i < n; i++) {
            bossFire(2 * PI / n * i + offset);
          }
        }
      }
      default -> {
        // A stream of single shots at random downward angles.
        if (curTime % 4 == 0) {
          bossFire(PI * (1 + randPct));
        }
      }
    }
  }

  private void bossFire(float theta) {
    Entity bullet = addEntity(boss.x, boss.y, (float) (bossBulletSpeed * Math.cos(theta)),
        (float) (bossBulletSpeed * Math.sin(theta)), .5f, ENEMY_BULLET);
    bullet.theme = bossLaserTheme;
    bullet.expireTime = 50;
    bullet.vrot = PI / 8;
  }

  @Override
  protected void drawTile(int type, int x, int y) {}

  @Override
  protected void drawEntity(Entity e) {
    int theme = restrictThemes ? 0 : e.theme;
    switch (e.type) {
      case PLAYER -> drawBox(e, SHIP, PLAYER_COLOURS[theme]);
      case BOSS -> drawBox(e, BOSS_SHIP, BOSS_COLOURS[theme]);
      case SHIELDS -> {
        if (shieldsUp) {
          drawBox(e, SHIELD, SHIELD_COLOURS);
        }
      }
      case PLAYER_BULLET, ENEMY_BULLET -> drawBox(e, LASER, LASER_COLOURS[theme]);
      case LASER_TRAIL, REFLECTED_BULLET -> canvas.drawSpriteTurned(LASER, LASER_COLOURS[theme],
          e.x, e.y, e.rx, e.ry, 0, e.alpha);
      case BARRIER -> drawBox(e, METEOR, METEOR_COLOURS[theme]);
      case EXPLOSION -> drawExplosion(e);
      default -> { }
    }
  }
}
