package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;

/**
 * Procgen's plunder: the agent's ship sails left and right along the bottom of a 20x20 sea and
 * fires cannonballs straight up (action 9, at most one per 3 steps) at ships crossing in five
 * lanes. The legend in the bottom-left corner shows the enemy colour: hitting an enemy ship gives
 * +1 and 0.1 juice, hitting a friendly one (the agent's own colour) costs 0.1 juice, and
 * wooden panels (hard only, up to 3) stop cannonballs. Juice starts full, drains 0.0015 a step
 * and 0.02 a shot, and the episode ends when it runs out; 20 enemy hits give +10 and complete
 * the level. A new ship enters a random lane with probability 0.06 a step unless it would
 * overlap something. The HUD shows juice (green) and progress (pink) bars.
 */
public final class Plunder extends ProcgenGame {

  public static final int PLAYER_BULLET = 1;
  public static final int TARGET_LEGEND = 2;
  public static final int TARGET_BACKGROUND = 3;
  public static final int PANEL = 6;
  public static final int SHIP = 7;
  public static final float COMPLETION_BONUS = 10;
  public static final float POSITIVE_REWARD = 1;
  public static final int TIMEOUT = 4000;
  static final int NUM_LANES = 5;
  static final int SHIP_COLOURS = 6;
  static final float LEGEND_R = 2;
  private static final float BULLET_R = .25f;
  private static final int BULLET_EXPIRY = 50;
  private static final float PANEL_RX = 1.2f;
  private static final float PANEL_RY = .5f;
  /** Width / height of Procgen's ship art (all six colours). */
  private static final float SHIP_ASPECT = (float) (113 * 1.0 / 66);

  public static ContextSpace contextSpace(DistributionMode mode) {
    double scale;
    double panels;
    switch (mode) {
      case EASY -> { scale = 1.5; panels = 0; }
      case HARD -> { scale = 1; panels = 3; }
      default -> throw new IllegalArgumentException("plunder has no " + mode.id() + " mode");
    }
    return Features.common(false)
        .integer("target_quota", 20, 1, 200, "enemy ships to hit to complete the level")
        .real("spawn_prob", .06, 0.005, 0.5, "chance per step that a ship enters a lane")
        .real("ship_scale", scale, 0.5, 2, "half-width of every ship, the agent's included")
        .integer("max_panels", panels, 0, 8, "most wooden panels that block cannonballs (0 to max per level)")
        .real("juice_decay", .0015, 0, 0.05, "juice lost per step (it starts at 1; at 0 the episode ends)")
        .real("fire_cost", .02, 0, 0.5, "juice each cannonball costs")
        .real("hit_juice", .1, 0, 1, "juice gained per enemy hit and lost per friendly hit")
        .integer("fire_cooldown", 3, 1, 50, "fewest steps between shots")
        .integer("ship_colours", 2, 2, 6, "ship colours in a level (even; half are enemies)")
        .rule(c -> c.get("ship_colours") % 2 == 0 ? null : "ship_colours must be even (half are enemies)")
        .build(ProcgenSuite.id("plunder", mode));
  }

  private int targetQuota;
  private float spawnProb;
  private float shipScale;
  private int maxPanels;
  private float juiceDecay;
  private float fireCost;
  private float hitJuice;
  private int fireCooldown;
  private int shipColours;

  private final int[] colourOrder = new int[SHIP_COLOURS];
  private final boolean[] isTarget = new boolean[SHIP_COLOURS];
  private final boolean[] laneMovesRight = new boolean[NUM_LANES];
  private final float[] laneSpeed = new float[NUM_LANES];
  private int lastFireTime;
  private int targetsHit;
  private float juice;
  private float minAgentX;

  public Plunder(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.WATER);
    maxspeed = .85f;
    hasUsefulVelInfo = false;
  }

  @Override
  protected void applyContext(Context c) {
    targetQuota = (int) c.get("target_quota");
    spawnProb = (float) c.get("spawn_prob");
    shipScale = (float) c.get("ship_scale");
    maxPanels = (int) c.get("max_panels");
    juiceDecay = (float) c.get("juice_decay");
    fireCost = (float) c.get("fire_cost");
    hitJuice = (float) c.get("hit_juice");
    fireCooldown = (int) c.get("fire_cooldown");
    shipColours = (int) c.get("ship_colours");
  }

  public float juice() {
    return juice;
  }

  public int targetsHit() {
    return targetsHit;
  }

  /** Whether ships of colour k are enemies (hitting them scores). */
  public boolean isTarget(int colour) {
    return isTarget[colour];
  }

  float laneSpeed(int lane) {
    return laneMovesRight[lane] ? laneSpeed[lane] : -laneSpeed[lane];
  }

  /** The centre height of lane k's ships. */
  float laneY(int lane) {
    return (float) ((lane * .11 + .4) * (mainHeight / 2 - shipScale) + mainHeight / 2);
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
    juice = 1;
    targetsHit = 0;
    // A random order of the six colours (Procgen's choose_n); the first half of the level's
    // colours are enemies, the second half friends (the agent's colour among them).
    for (int i = 0; i < SHIP_COLOURS; i++) {
      colourOrder[i] = i;
    }
    for (int i = 0; i < SHIP_COLOURS; i++) {
      int k = i + rng.randn(SHIP_COLOURS - i);
      int chosen = colourOrder[k];
      System.arraycopy(colourOrder, i, colourOrder, i + 1, k - i);
      colourOrder[i] = chosen;
    }
    java.util.Arrays.fill(isTarget, false);
    for (int i = 0; i < shipColours / 2; i++) {
      isTarget[colourOrder[i]] = true;
    }
    for (int i = 0; i < NUM_LANES; i++) {
      laneMovesRight[i] = rng.rand01() < .5;
      laneSpeed[i] = (float) (.15 + .1 * rng.rand01());
    }
    int numPanels = maxPanels == 0 ? 0 : rng.randn(maxPanels + 1);
    for (int i = 0; i < numPanels; i++) {
      spawnEntity(PANEL_RX, PANEL_RY, PANEL, 0, .25f * mainHeight, mainWidth, .25f * mainHeight, true);
    }
    addEntity(LEGEND_R, LEGEND_R, 0, 0, LEGEND_R, TARGET_BACKGROUND);
    Entity legend = addEntity(LEGEND_R, LEGEND_R, 0, 0, shipScale * 1.5f, TARGET_LEGEND);
    legend.theme = colourOrder[0];
    legend.ry = legend.rx / SHIP_ASPECT;
    lastFireTime = 0;
    agent.rx = shipScale;
    agent.theme = colourOrder[rng.randn(shipColours / 2) + shipColours / 2];
    agent.ry = agent.rx / SHIP_ASPECT;
    repositionAgent();
    agent.y = 1 + agent.ry;
    minAgentX = 2 * LEGEND_R + agent.rx;
    if (agent.x < minAgentX) {
      agent.x = minAgentX;
    }
  }

  /** Only left and right: the ship stays on the bottom row. */
  @Override
  protected void setActionXY(int move) {
    actionVx = move / 3 - 1;
    actionVy = 0;
  }

  @Override
  protected void handleCollision(Entity src, Entity target) {
    if (src.type != PLAYER_BULLET) {
      return;
    }
    if (target.type == SHIP) {
      target.willErase = true;
      src.willErase = true;
      if (isTarget[target.theme]) {
        targetsHit++;
        reward += POSITIVE_REWARD;
        juice += hitJuice;
      } else {
        juice -= hitJuice;
      }
      addEntity(target.x, target.y, target.vx / 2, target.vy / 2, .5f * target.rx, EXPLOSION);
    } else if (target.type == PANEL) {
      src.willErase = true;
    }
  }

  @Override
  protected void gameStep() {
    super.gameStep();
    juice -= juiceDecay;
    if (rng.rand01() < spawnProb) {
      int lane = rng.randn(NUM_LANES);
      boolean right = laneMovesRight[lane];
      Entity ship = addEntity(0, laneY(lane), laneSpeed[lane] * (right ? 1 : -1), 0, shipScale, SHIP);
      ship.theme = colourOrder[rng.randn(shipColours)];
      ship.ry = ship.rx / SHIP_ASPECT;
      ship.x = right ? -shipScale : mainWidth + shipScale;
      ship.reflected = !right;
      if (hasAnyCollision(ship)) {
        entities.remove(entities.size() - 1);
      }
    }
    if (specialAction == 1 && curTime - lastFireTime >= fireCooldown) {
      Entity ball = addEntity(agent.x, agent.y, 0, 1, BULLET_R, PLAYER_BULLET);
      ball.collidesWithEntities = true;
      ball.expireTime = BULLET_EXPIRY;
      lastFireTime = curTime;
      juice -= fireCost;
    }
    if (juice <= 0) {
      done = true;
    } else if (juice >= 1) {
      juice = 1;
    }
    if (targetsHit >= targetQuota) {
      done = true;
      reward += COMPLETION_BONUS;
      levelComplete = true;
    }
    // The legend is not an obstacle, so the agent is kept clear of it.
    if (agent.x < minAgentX) {
      agent.x = minAgentX;
    }
  }

  // ---- drawing ----

  /** A sailing ship seen from above, bow to the right: 1 hull, 2 deck, 3 sails. */
  private static final Sprite SHIP_SPRITE = new Sprite(
      "..............",
      "..111111111...",
      ".1222332222111",
      "12223333222221",
      "12223333222221",
      ".1222332222111",
      "..111111111...",
      "..............");
  private static final Sprite BALL = new Sprite(
      ".11.",
      "1121",
      "1111",
      ".11.");
  private static final Sprite PLANKS = new Sprite(
      "22222222",
      "11311131",
      "22222222",
      "13111311",
      "22222222");
  private static final Sprite TARGET = new Sprite(
      "..1111..",
      ".122221.",
      "12211221",
      "12133121",
      "12133121",
      "12211221",
      ".122221.",
      "..1111..");
  private static final int[][] SHIPS = new int[SHIP_COLOURS][];

  static {
    for (int k = 0; k < SHIP_COLOURS; k++) {
      int hull = Palettes.hsv(k / (double) SHIP_COLOURS, .7, .75);
      SHIPS[k] = Palettes.of(hull, Palettes.rgb(150, 105, 60), Palettes.shade(Palettes.hsv(k / (double) SHIP_COLOURS, .35, 1), 1));
    }
  }

  private static final int[] BALL_COLOURS = Palettes.of(Palettes.rgb(40, 40, 45), Palettes.rgb(150, 150, 160));
  private static final int[] PANEL_COLOURS = Palettes.of(Palettes.rgb(170, 120, 60), Palettes.rgb(110, 70, 35), Palettes.rgb(90, 55, 25));
  private static final int[] TARGET_COLOURS = Palettes.of(Palettes.rgb(230, 40, 40), Palettes.rgb(250, 250, 250), Palettes.rgb(230, 40, 40));
  private static final int JUICE_COLOUR = Palettes.rgb(66, 245, 135);
  private static final int PROGRESS_COLOUR = Palettes.rgb(245, 66, 144);

  @Override
  protected void drawTile(int type, int x, int y) {}

  @Override
  protected void drawEntity(Entity e) {
    switch (e.type) {
      // Procgen turns the agent's ship to face up and the legend's to face down; a turned
      // sprite covers its box turned about the centre, as Qt's rotated drawImage does.
      case PLAYER -> canvas.drawSprite(SHIP_SPRITE, SHIPS[e.theme], e.x - e.ry, e.y - e.rx, e.x + e.ry, e.y + e.rx, false, 1);
      case TARGET_LEGEND -> canvas.drawSprite(SHIP_SPRITE, SHIPS[e.theme], e.x - e.ry, e.y - e.rx, e.x + e.ry, e.y + e.rx, false, 3);
      case SHIP -> drawBox(e, SHIP_SPRITE, SHIPS[e.theme]);
      case TARGET_BACKGROUND -> drawBox(e, TARGET, TARGET_COLOURS);
      case PANEL -> drawBox(e, PLANKS, PANEL_COLOURS);
      case PLAYER_BULLET -> drawBox(e, BALL, BALL_COLOURS);
      case EXPLOSION -> drawExplosion(e);
      default -> { }
    }
  }

  /** The juice and progress bars along the top, in world units from the frame's top-left corner. */
  @Override
  protected void drawHud() {
    float unit = RES / (float) mainWidth;
    hudBar(.25f * unit, .25f * unit, mainWidth * juice * unit, .5f * unit, JUICE_COLOUR);
    hudBar(.25f * unit, .75f * unit, mainWidth * (targetsHit / (float) targetQuota) * unit, .5f * unit, PROGRESS_COLOUR);
  }

  /** Fills the pixels whose centres lie in [x, x + w) x [y, y + h) (pixels, y down). */
  private void hudBar(float x, float y, float w, float h, int rgb) {
    if (w <= 0) {
      return;
    }
    canvas.fillPixels((int) Math.ceil(x - .5f), (int) Math.ceil(y - .5f), (int) Math.ceil(x + w - .5f), (int) Math.ceil(y + h - .5f), rgb);
  }
}
