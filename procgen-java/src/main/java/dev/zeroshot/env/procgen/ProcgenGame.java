package dev.zeroshot.env.procgen;

import dev.zeroshot.env.Env;
import dev.zeroshot.env.LevelInfo;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;

/**
 * What every Procgen game shares (Procgen's {@code Game} and {@code BasicAbstractGame}): level
 * seeding, the 15-action scheme, a tile grid and box entities with sub-stepped collision
 * physics, and the frame drawing order. A game overrides the hooks: world size, level
 * generation, per-step rules, blocking and collision handling, and how its tiles and entities
 * look.
 *
 * <p>Seeding follows Procgen: {@link #seed} seeds the level-seed stream; every reset draws a
 * level seed from {@code [start_level, start_level + num_levels)} (0 levels = [0, 2^31 - 1)),
 * seeds the level's MT19937 with it and generates the level; the same stream then drives the
 * level's per-step randomness. Time limits are the registry's (so they truncate, not
 * terminate), and the game never resets itself: the vector env does, on the next step.
 */
public abstract class ProcgenGame implements Env, LevelInfo {

  public static final int RES = Canvas.RES;
  public static final Space OBSERVATION = Box.uniform(0, 255, new int[] {3, RES, RES}, DType.UINT8);
  public static final Space ACTION = new Discrete(15);

  // Object ids shared by games (Procgen's object-ids.h).
  public static final int INVALID_OBJ = -1;
  public static final int PLAYER = 0;
  public static final int SPACE = 100;
  public static final int WALL_OBJ = 51;
  /** A short-lived growing puff where something was hit or destroyed (drawn by {@link #drawExplosion}). */
  public static final int EXPLOSION = 54;
  /** A fading trail puff. */
  public static final int TRAIL = 59;

  /** Shrinks boxes slightly for collision tests against the grid and other entities. */
  static final float POS_EPS = -0.001f;
  /** Procgen's PI is a float. */
  public static final float PI = (float) Math.PI;
  /** How fast a turning agent's spin follows the action (Procgen's MIXRATEROT and MAXVTHETA). */
  static final float MIX_RATE_ROT = .5f;
  static final float MAX_V_THETA = 15 * PI / 180;
  /** Enlarges tiles slightly when drawn so that neighbours leave no gaps. */
  static final float RENDER_EPS = 0.02f;

  protected final DistributionMode mode;
  private final Backgrounds.Style backgroundStyle;
  private Context context;
  private int levelSeedLow;
  private int levelSeedHigh;
  protected boolean useBackgrounds;
  protected boolean restrictThemes;
  protected boolean paintVelInfo;

  private final Mt19937 levelSeedRng = new Mt19937();
  /** The level's stream: generation, then per-step randomness. */
  protected final Mt19937 rng = new Mt19937();
  private int levelSeed;

  protected final Grid grid = new Grid();
  protected final EntityList entities = new EntityList();
  protected Entity agent;
  protected int mainWidth;
  protected int mainHeight;
  protected int outOfBoundsObject = INVALID_OBJ;

  protected boolean gridStep;
  protected boolean randomAgentStart = true;
  protected boolean hasUsefulVelInfo = true;
  protected boolean centerAgent;
  protected float mixrate = .5f;
  protected float maxspeed = .5f;
  protected float maxJump = .5f;
  /** World units across the view when the view follows the agent. */
  protected float visibility = 16;

  protected int action;
  protected int moveAction;
  protected int specialAction;
  protected int lastMoveAction = 7;
  protected float actionVx;
  protected float actionVy;
  /** -1, 0 or 1: turning asked this step (caveflyer's ship); turns the agent via its vrot. */
  protected float actionVrot;
  protected int stepRandInt;
  protected int curTime;

  protected int backgroundIndex;
  protected float bgPctX;
  /** Where drawing goes: the frame, or (while it is built) the level's tile raster. */
  protected Canvas canvas = new Canvas();
  private final Canvas frame = canvas;
  /**
   * With a following camera, the background, z = -1 entities and tiles of the whole level
   * (plus a margin of out-of-bounds tiles) are drawn once into this raster, and each frame
   * copies its window; rebuilt when a tile changes. The camera moves in whole pixels.
   */
  private final Canvas raster = new Canvas();
  private boolean rasterValid;
  private long rasterGridVersion;
  private float rasterUnit;
  private int rasterLeft;
  private int rasterTop;
  /**
   * With a fixed view, the background, the z = -1 entities and the tiles are cached as one
   * layer and redrawn only when a tile changes or the level does: tiles dominate drawing time.
   * A game that moves a z = -1 entity must call {@link #invalidateUnderlay} (this also goes
   * for the following camera's raster below).
   */
  private final byte[] underlay = new byte[3 * RES * RES];
  private boolean underlayValid;
  private long underlayGridVersion;

  /** Writes the symbolic observation instead of pixels, or null for pixels. */
  private SymbolicView symbolic;

  // The current step's outcome, set by the game's rules.
  protected float reward;
  protected boolean done;
  protected boolean levelComplete;
  private boolean terminated;

  protected ProcgenGame(DistributionMode mode, Context context, Backgrounds.Style backgroundStyle) {
    this.mode = mode;
    this.backgroundStyle = backgroundStyle;
    setContext(context);
  }

  // ---- Env ----

  @Override
  public final Space observationSpace() {
    return symbolic == null ? OBSERVATION : symbolic.space();
  }

  @Override
  public final Space actionSpace() {
    return ACTION;
  }

  @Override
  public final Context context() {
    return context;
  }

  @Override
  public final void setContext(Context c) {
    this.context = c;
    int numLevels = (int) c.get("num_levels");
    int startLevel = (int) c.get("start_level");
    levelSeedLow = numLevels == 0 ? 0 : startLevel;
    levelSeedHigh = numLevels == 0 ? Integer.MAX_VALUE : startLevel + numLevels;
    useBackgrounds = c.get("use_backgrounds") != 0;
    restrictThemes = c.get("restrict_themes") != 0;
    paintVelInfo = c.space().names().contains("paint_vel_info") && c.get("paint_vel_info") != 0;
    applyContext(c);
  }

  /**
   * Switches this env to the symbolic observation: the level's cells and entities around the
   * agent as small integer codes in a {@code side x side} window (see {@link SymbolicView}).
   * Only the dynamics-free drawing changes; call before the first reset.
   */
  final void useSymbolicObservation(int side) {
    symbolic = new SymbolicView(this, side);
  }

  /** The symbolic code of grid object {@code type} (0 = empty); games with a symbolic mode override. */
  protected int symbolicCell(int type) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no symbolic observation");
  }

  /** The symbolic code of a non-agent entity (0 = not shown); the agent is always 1. */
  protected int symbolicEntity(Entity e) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no symbolic observation");
  }

  /** The largest code {@link #symbolicCell} or {@link #symbolicEntity} returns. */
  protected int symbolicMaxCode() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no symbolic observation");
  }

  /** Reads the game's own knobs; takes effect at the next reset. */
  protected abstract void applyContext(Context c);

  /**
   * Seeds the level-seed stream with the seed's low 32 bits folded with its high ones, and
   * starts afresh what Procgen carries from one episode to the next (the last move's heading).
   */
  @Override
  public final void seed(long seed) {
    levelSeedRng.seed((int) (seed ^ (seed >>> 32)));
    lastMoveAction = 7;
  }

  @Override
  public final void reset(ByteBuffer obs, int obsOffset) {
    levelSeed = levelSeedRng.randint(levelSeedLow, levelSeedHigh);
    rng.seed(levelSeed);
    curTime = 0;
    action = 4;
    levelComplete = false;
    terminated = false;
    gameReset();
    invalidateUnderlay();
    render(obs, obsOffset);
  }

  @Override
  public final double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int obsOffset) {
    action = (int) actions.getLong(actionOffset);
    curTime++;
    reward = 0;
    done = false;
    levelComplete = false;
    gameStep();
    terminated = done;
    render(obs, obsOffset);
    return reward;
  }

  @Override
  public final boolean terminated() {
    return terminated;
  }

  @Override
  public final long levelSeed() {
    return levelSeed;
  }

  @Override
  public final boolean levelComplete() {
    return levelComplete;
  }

  public final DistributionMode mode() {
    return mode;
  }

  /** The tile grid (read-only use: tests and viewers). */
  public final Grid grid() {
    return grid;
  }

  public final Entity agent() {
    return agent;
  }

  public final int entityCount() {
    return entities.size();
  }

  public final Entity entity(int i) {
    return entities.get(i);
  }

  /** The last rendered frame's pixel at (px, py) as 0xRRGGBB, row 0 at the top. */
  public final int pixel(int px, int py) {
    return canvas.pixel(px, py);
  }

  // ---- hooks ----

  /** Sets {@link #mainWidth} and {@link #mainHeight} (and anything else fixed per mode). */
  protected abstract void chooseWorldDim();

  /** Generates the level; overrides call {@code super.gameReset()} first. */
  protected void gameReset() {
    chooseWorldDim();
    bgPctX = rng.rand01();
    grid.resize(mainWidth, mainHeight, SPACE);
    backgroundIndex = rng.randn(Backgrounds.count(backgroundStyle));
    entities.clear();
    float ar = .4f;
    float ax = ar;
    float ay = ar;
    if (randomAgentStart) {
      ax = rng.rand01() * (mainWidth - 2 * ar) + ar;
      ay = rng.rand01() * (mainHeight - 2 * ar) + ar;
    }
    agent = entities.add(ax, ay, 0, 0, ar, ar, PLAYER);
    agent.smartStep = true;
    agent.renderZ = 1;
  }

  /** One step of the rules; overrides call {@code super.gameStep()} first. */
  protected void gameStep() {
    stepRandInt = rng.randint(0, 1000000);
    moveAction = action % 9;
    specialAction = 0;
    if (action >= 9) {
      specialAction = action - 8;
      moveAction = 4; // a special action stands still
    }
    if (moveAction != 4) {
      lastMoveAction = moveAction;
    }
    actionVx = 0;
    actionVy = 0;
    actionVrot = 0;
    setActionXY(moveAction);
    if (gridStep) {
      agent.vx = actionVx;
      agent.vy = actionVy;
    } else {
      updateAgentVelocity();
      agent.vrot = MIX_RATE_ROT * agent.vrot + MIX_RATE_ROT * MAX_V_THETA * actionVrot;
    }
    stepEntities();
    for (int i = entities.size() - 1; i >= 0; i--) {
      Entity e = entities.get(i);
      if (hasAgentCollision(e)) {
        handleAgentCollision(e);
      }
      if (e.collidesWithEntities) {
        for (int j = entities.size() - 1; j >= 0; j--) {
          Entity o = entities.get(j);
          if (i != j && e.collides(o, e.collisionMargin) && !e.willErase && !o.willErase) {
            handleCollision(e, o);
          }
        }
      }
      if (e.smartStep) {
        checkGridCollisions(e);
      }
    }
    eraseIfNeeded();
    done = done || isOutOfBounds(agent);
  }

  /** Actions 0-8 are a 3x3 grid of moves: dx = a / 3 - 1, dy = a % 3 - 1 (y up). */
  protected void setActionXY(int move) {
    actionVx = move / 3 - 1;
    actionVy = move % 3 - 1;
  }

  protected void updateAgentVelocity() {
    agent.vx = (1 - mixrate) * agent.vx;
    agent.vy = (1 - mixrate) * agent.vy;
    agent.vx += mixrate * maxspeed * actionVx;
    agent.vy += mixrate * maxspeed * actionVy;
    decayAgentVelocity();
  }

  protected void decayAgentVelocity() {
    agent.vx = (float) (.9 * agent.vx);
    agent.vy = (float) (.9 * agent.vy);
  }

  /** Whether grid object {@code target} blocks {@code src}. */
  protected boolean isBlocked(Entity src, int target, boolean horizontal) {
    return target == WALL_OBJ || target == outOfBoundsObject;
  }

  /** Whether entity {@code target} blocks {@code src}. */
  protected boolean isBlockedByEntity(Entity src, Entity target, boolean horizontal) {
    return isBlocked(src, target.type, horizontal);
  }

  protected boolean willReflect(int srcType, int targetType) {
    return false;
  }

  protected void handleAgentCollision(Entity e) {}

  /** Entity {@code src}, which {@link Entity#collidesWithEntities} (a projectile), touches {@code target}. */
  protected void handleCollision(Entity src, Entity target) {}

  protected void handleGridCollision(Entity e, int type, int x, int y) {}

  // ---- grid ----

  protected final int getObj(int x, int y) {
    return grid.contains(x, y) ? grid.get(x, y) : outOfBoundsObject;
  }

  protected final int getObj(int index) {
    return index >= 0 && index < grid.size() ? grid.get(index) : outOfBoundsObject;
  }

  protected final void setObj(int x, int y, int value) {
    grid.set(x, y, value);
  }

  protected final void setObj(int index, int value) {
    grid.set(index, value);
  }

  /** Sets the cells [x, x + dx) x [y, y + dy) to {@code value}. */
  protected final void fillElem(int x, int y, int dx, int dy, int value) {
    for (int j = 0; j < dx; j++) {
      for (int k = 0; k < dy; k++) {
        grid.set(x + j, y + k, value);
      }
    }
  }

  protected final int getObjFromFloats(float x, float y) {
    if (x < 0 || y < 0) {
      return outOfBoundsObject;
    }
    return getObj((int) Math.floor(x), (int) Math.floor(y));
  }

  // ---- entities and physics ----

  protected final Entity addEntity(float x, float y, float vx, float vy, float r, int type) {
    return entities.add(x, y, vx, vy, r, r, type);
  }

  protected final Entity addEntity(float x, float y, float vx, float vy, float rx, float ry, int type) {
    return entities.add(x, y, vx, vy, rx, ry, type);
  }

  /** A new entity of radius r centred on grid cell {@code index} (Procgen's spawn_entity_at_idx). */
  protected final Entity spawnEntityAtIndex(int index, float r, int type) {
    return entities.add(index % mainWidth + .5f, index / mainWidth + .5f, 0, 0, r, r, type);
  }

  /** Places a new entity at a random spot of the box (x, y, w, h), avoiding the agent (and others if asked). */
  protected final Entity spawnEntity(float r, int type, float x, float y, float w, float h, boolean checkCollisions) {
    return spawnEntity(r, r, type, x, y, w, h, checkCollisions);
  }

  /** {@link #spawnEntity(float, int, float, float, float, float, boolean)} for a box of half-extents rx, ry. */
  protected final Entity spawnEntity(float rx, float ry, int type, float x, float y, float w, float h, boolean checkCollisions) {
    Entity e = entities.add(0, 0, 0, 0, rx, ry, type);
    e.x = randPos(rx, x, x + w);
    e.y = randPos(ry, y, y + h);
    int count = 0;
    while ((hasAgentCollision(e) || (checkCollisions && hasAnyCollision(e))) && count < 100) {
      e.x = randPos(rx, x, x + w);
      e.y = randPos(ry, y, y + h);
      count++;
    }
    return e;
  }

  /** Adds a {@code type} entity of radius r at src's centre, moving with src if asked (Procgen's spawn_child). */
  protected final Entity spawnChild(Entity src, int type, float r, boolean matchVelocity) {
    return entities.add(src.x, src.y, matchVelocity ? src.vx : 0, matchVelocity ? src.vy : 0, r, r, type);
  }

  /** Moves the agent to a random spot of the world that touches no entity (up to 100 tries). */
  protected final void repositionAgent() {
    int count = 0;
    do {
      agent.x = rng.rand01() * (mainWidth - 2 * agent.rx) + agent.rx;
      agent.y = rng.rand01() * (mainHeight - 2 * agent.ry) + agent.ry;
      count++;
    } while (agentHasCollision() && count < 100);
  }

  private boolean agentHasCollision() {
    for (int i = 0; i < entities.size(); i++) {
      if (hasAgentCollision(entities.get(i))) {
        return true;
      }
    }
    return false;
  }

  protected final float randPos(float r, float min, float max) {
    if (max - min <= 2 * r) {
      return (max + min) / 2;
    }
    return (max - min - 2 * r) * rng.rand01() + r + min;
  }

  /** Whether e overlaps any other entity (the agent included). */
  protected final boolean hasAnyCollision(Entity e) {
    for (int i = entities.size() - 1; i >= 0; i--) {
      Entity o = entities.get(i);
      if (o != e && o.collides(e, 0)) {
        return true;
      }
    }
    return false;
  }

  protected final boolean hasAgentCollision(Entity e) {
    return e.type != PLAYER && e.collides(agent, e.collisionMargin);
  }

  protected final boolean isOutOfBounds(Entity e) {
    return e.x + e.rx < 0 || e.y + e.ry < 0 || e.x - e.rx > mainWidth || e.y - e.ry > mainHeight;
  }

  protected final void eraseIfNeeded() {
    for (int i = entities.size() - 1; i >= 0; i--) {
      Entity e = entities.get(i);
      if (e.willErase || (e.autoErase && isOutOfBounds(e))) {
        entities.remove(i);
      }
    }
  }

  protected void stepEntities() {
    for (int i = entities.size() - 1; i >= 0; i--) {
      Entity e = entities.get(i);
      if (e.smartStep) {
        basicStepObject(e);
      }
      e.step();
    }
  }

  /** Moves a smart entity by its velocity in sub-steps, stopping or reflecting at obstacles. */
  protected final void basicStepObject(Entity obj) {
    if (obj.willErase) {
      return;
    }
    int subSteps;
    if (gridStep) {
      subSteps = 1;
    } else {
      subSteps = (int) (4 * (float) Math.sqrt(obj.vx * obj.vx + obj.vy * obj.vy));
      if (subSteps < 4) {
        subSteps = 4;
      }
    }
    float pct = (float) (1.0 / subSteps);
    float cmp = Math.abs(obj.vx) - Math.abs(obj.vy);
    // Ties are broken at random so that movers do not favour one axis at forks.
    boolean xFirst = cmp == 0 ? stepRandInt % 2 == 0 : cmp > 0;
    if (obj.type == PLAYER) {
      if (actionVx != 0) {
        xFirst = true;
      }
      if (actionVy != 0) {
        xFirst = false;
      }
    }
    float vxPct = 0;
    float vyPct = 0;
    for (int s = 0; s < subSteps; s++) {
      boolean blockX;
      boolean blockY;
      if (xFirst) {
        blockX = subStep(obj, obj.vx * pct, 0, 0);
        blockY = subStep(obj, 0, obj.vy * pct, 0);
      } else {
        blockY = subStep(obj, 0, obj.vy * pct, 0);
        blockX = subStep(obj, obj.vx * pct, 0, 0);
      }
      if (!blockX) {
        vxPct += 1;
      }
      if (!blockY) {
        vyPct += 1;
      }
      if (blockX && blockY) {
        break;
      }
    }
    obj.vx *= vxPct / subSteps;
    obj.vy *= vyPct / subSteps;
  }

  private boolean subStep(Entity obj, float dx, float dy, int depth) {
    if (obj.willErase) {
      return false;
    }
    float ny = obj.y + dy;
    float nx = obj.x + dx;
    final float margin = 0.98f;
    boolean horizontal = dx != 0;
    boolean block = false;
    boolean reflect = false;
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        int t = getObjFromFloats(nx + obj.rx * margin * (2 * i - 1), ny + obj.ry * margin * (2 * j - 1));
        block = block || isBlocked(obj, t, horizontal);
        reflect = reflect || willReflect(obj.type, t);
      }
    }
    if (reflect) {
      if (horizontal) {
        float delta = dx < 0 ? (float) Math.ceil(nx - obj.rx) - (nx - obj.rx) : (float) Math.floor(nx + obj.rx) - (nx + obj.rx);
        obj.vx = -obj.vx;
        nx = nx + 2 * delta;
      } else {
        float delta = dy < 0 ? (float) Math.ceil(ny - obj.ry) - (ny - obj.ry) : (float) Math.floor(ny + obj.ry) - (ny + obj.ry);
        obj.vy = -obj.vy;
        ny = ny + 2 * delta;
      }
    } else if (block) {
      if (horizontal) {
        nx = gridStep ? obj.x : dx > 0 ? (float) Math.floor(nx + obj.rx) - obj.rx : (float) Math.ceil(nx - obj.rx) + obj.rx;
      } else {
        ny = gridStep ? obj.y : dy > 0 ? (float) Math.floor(ny + obj.ry) - obj.ry : (float) Math.ceil(ny - obj.ry) + obj.ry;
      }
    }
    obj.x = nx;
    obj.y = ny;

    boolean block2 = false;
    for (int i = entities.size() - 1; i >= 0; i--) {
      Entity m = entities.get(i);
      if (m == obj || m.willErase) {
        continue;
      }
      boolean current = false;
      if (obj.collides(m, POS_EPS)) {
        if (isBlockedByEntity(obj, m, horizontal)) {
          current = true;
        } else if (willReflect(obj.type, m.type)) {
          if (horizontal) {
            float delx = m.x - obj.x;
            float rsum = m.rx + obj.rx;
            obj.x += dx > 0 ? -2 * (rsum - delx) : 2 * (rsum + delx);
            obj.vx = -obj.vx;
          } else {
            float dely = m.y - obj.y;
            float rsum = m.ry + obj.ry;
            obj.y += dy > 0 ? -2 * (rsum - dely) : 2 * (rsum + dely);
            obj.vy = -obj.vy;
          }
        }
        if (current) {
          pushObj(m, obj, horizontal, depth);
        }
      }
      block2 = block2 || current;
    }
    return block || block2;
  }

  /** Pushes {@code target} out of {@code src} along the axis of motion. */
  private void pushObj(Entity src, Entity target, boolean horizontal, int depth) {
    float rsum = horizontal ? src.rx + target.rx : src.ry + target.ry;
    float tvx = 0;
    float tvy = 0;
    // Procgen's sign() returns a double, so this sum is computed in double, then narrowed.
    if (horizontal) {
      tvx = (float) (src.x + Math.signum((double) (target.x - src.x)) * rsum - target.x);
    } else {
      tvy = (float) (src.y + Math.signum((double) (target.y - src.y)) * rsum - target.y);
    }
    // Rare numerical cases could recurse forever; Procgen stops at depth 5 too.
    if (depth < 5) {
      subStep(target, tvx, tvy, depth + 1);
    }
    if (horizontal) {
      target.vx = 0;
    } else {
      target.vy = 0;
    }
  }

  private void checkGridCollisions(Entity e) {
    int minX = (int) (e.x - (e.rx + POS_EPS));
    int maxX = (int) (e.x + (e.rx + POS_EPS));
    int minY = (int) (e.y - (e.ry + POS_EPS));
    int maxY = (int) (e.y + (e.ry + POS_EPS));
    for (int x = minX; x <= maxX; x++) {
      for (int y = minY; y <= maxY; y++) {
        int t = getObjFromFloats(x, y);
        if (t != SPACE) {
          handleGridCollision(e, t, x, y);
        }
      }
    }
  }

  // ---- platformer physics (Procgen's climber and ninja) ----

  /**
   * Whether the agent stands on something: a tile that blocks it lies just under one of its
   * bottom corners (the world's edge counts, as the out-of-bounds object blocks).
   */
  protected final boolean hasGridSupport() {
    float below = agent.y - (agent.ry + .01f);
    return isBlocked(agent, getObjFromFloats(agent.x - (agent.rx - .01f), below), false)
        || isBlocked(agent, getObjFromFloats(agent.x + (agent.rx - .01f), below), false);
  }

  /** Steers horizontally: the usual velocity mix on the ground, {@code airControl} of it in the air. */
  protected final void steerPlatformer(boolean grounded, float airControl) {
    float mix = grounded ? mixrate : mixrate * airControl;
    agent.vx = (1 - mix) * agent.vx + mix * maxspeed * actionVx;
  }

  /** Falls: off the ground the agent loses {@code gravity} of vertical speed per step, down to -2. */
  protected final void fallPlatformer(boolean grounded, float gravity) {
    if (!grounded && agent.vy > -2) {
      agent.vy -= gravity;
    }
  }

  // ---- drawing ----

  /** The level's colour theme: the background index, or 0 when themes are restricted. */
  protected final int theme() {
    return restrictThemes ? 0 : backgroundIndex;
  }

  /** Where the view is centred when it follows the agent. */
  protected float centerX() {
    return agent.x;
  }

  protected float centerY() {
    return agent.y;
  }

  void render(ByteBuffer obs, int offset) {
    if (symbolic != null) {
      symbolic.write(obs, offset);
      return;
    }
    if (centerAgent) {
      float cx = centerX();
      float cy = centerY(); // may set the visibility (climber)
      float unit = RES / visibility;
      int originX = Math.round(RES / 2f - cx * unit);
      int originY = Math.round(RES / 2f + cy * unit);
      canvas.setMapping(unit, originX, originY);
      if (staticTiles()) {
        buildRasterIfStale(unit);
        canvas.copyWindow(raster, rasterLeft - originX, rasterTop - originY);
      } else {
        float margin = visibility / 2 + 1;
        drawUnderlay((int) (cx - margin), (int) (cx + margin), (int) (cy - margin), (int) (cy + margin));
      }
    } else {
      canvas.setView(mainWidth * .5f, mainHeight * .5f, Math.max(mainWidth, mainHeight));
      if (backgroundMoves()) {
        drawUnderlay(0, mainWidth - 1, 0, mainHeight - 1);
      } else if (underlayValid && grid.version() == underlayGridVersion) {
        canvas.restoreFrom(underlay);
      } else {
        drawUnderlay(0, mainWidth - 1, 0, mainHeight - 1);
        canvas.saveTo(underlay);
        underlayValid = true;
        underlayGridVersion = grid.version();
      }
    }
    drawEntities(0);
    drawEntities(1);
    if (hasUsefulVelInfo && paintVelInfo) {
      int d = (int) (RES * .2f);
      int s1 = shade(.5f * agent.vx / maxspeed + .5f);
      int s2 = shade(.5f * agent.vy / maxJump + .5f);
      canvas.fillPixels(0, 0, d, d, Palettes.rgb(s1, s1, s1));
      canvas.fillPixels(d, 0, 2 * d, d, Palettes.rgb(s2, s2, s2));
    }
    drawHud();
    canvas.writeTo(obs, offset);
  }

  /** Forces the next frame to redraw the background, z = -1 entities and tiles. */
  protected final void invalidateUnderlay() {
    underlayValid = false;
    rasterValid = false;
  }

  /**
   * Whether tiles change rarely enough (only on level events) for a following camera to draw
   * them once per level into a raster; games whose tiles change most steps return false.
   */
  protected boolean staticTiles() {
    return true;
  }

  private void buildRasterIfStale(float unit) {
    if (rasterValid && rasterGridVersion == grid.version() && rasterUnit == unit) {
      return;
    }
    int margin = (int) Math.ceil(visibility / 2) + 2;
    rasterLeft = Math.round(margin * unit);
    rasterTop = Math.round((mainHeight + margin) * unit);
    raster.resize((int) Math.ceil((mainWidth + 2 * margin) * unit) + 1, (int) Math.ceil((mainHeight + 2 * margin) * unit) + 1);
    raster.setMapping(unit, rasterLeft, rasterTop);
    canvas = raster;
    try {
      drawUnderlay(-margin, mainWidth - 1 + margin, -margin, mainHeight - 1 + margin);
    } finally {
      canvas = frame;
    }
    rasterValid = true;
    rasterGridVersion = grid.version();
    rasterUnit = unit;
  }

  /** Background, z = -1 entities, then the tiles of cells [lowX, highX] x [lowY, highY]. */
  private void drawUnderlay(int lowX, int highX, int lowY, int highY) {
    if (useBackgrounds) {
      drawBackground();
    } else {
      canvas.clear(0);
    }
    drawEntities(-1);
    drawGrid(lowX, highX, lowY, highY);
  }

  /** Draws the level's background texture, by default stretched over the world at a random x offset. */
  protected void drawBackground() {
    canvas.drawBackground(Backgrounds.texture(backgroundStyle, theme()), Backgrounds.SIZE, 0, 0, mainWidth, mainHeight, bgPctX);
  }

  /**
   * Draws the level's background texture as copies stacked down a tall world, each as wide as
   * the world (Procgen's negative bg_tile_ratio, fruitbot's corridor), instead of one stretched.
   */
  protected final void drawBackgroundTiledDown() {
    canvas.drawBackground(Backgrounds.texture(backgroundStyle, theme()), Backgrounds.SIZE, 0, 0, mainWidth, mainHeight, 0,
        Math.max(1, mainHeight / mainWidth));
  }

  /**
   * Whether a fixed view's background changes from frame to frame (a scrolling game): then it
   * is drawn every frame instead of cached with the tiles.
   */
  protected boolean backgroundMoves() {
    return false;
  }

  private static int shade(float v) {
    int s = (int) (v * 255);
    return s < 0 ? 0 : Math.min(s, 255);
  }

  /** Draws the tiles of cells [lowX, highX] x [lowY, highY]; outside the world, the out-of-bounds object. */
  private void drawGrid(int lowX, int highX, int lowY, int highY) {
    for (int y = lowY; y <= highY; y++) {
      for (int x = lowX; x <= highX; x++) {
        int t = getObj(x, y);
        if (t != SPACE && t != INVALID_OBJ) {
          drawTile(t, x, y);
        }
      }
    }
  }

  private void drawEntities(int z) {
    for (int i = 0; i < entities.size(); i++) {
      Entity e = entities.get(i);
      if (e.renderZ == z) {
        drawEntity(e);
      }
    }
  }

  /** Draws the grid tile of type {@code type} at cell (x, y). */
  protected abstract void drawTile(int type, int x, int y);

  /** Draws an entity (the agent included). */
  protected abstract void drawEntity(Entity e);

  /** Draws anything fixed to the frame (keys held, counters); nothing by default. */
  protected void drawHud() {}

  /** Draws a sprite over cell (x, y), enlarged slightly so that tiles meet. */
  protected final void drawCell(Sprite s, int[] palette, int x, int y) {
    canvas.drawSprite(s, palette, x - RENDER_EPS, y - RENDER_EPS, x + 1 + RENDER_EPS, y + 1 + RENDER_EPS, false, 0);
  }

  /** Draws an {@link #EXPLOSION} entity: a puff that fades from white-hot to smoke over its five steps. */
  protected final void drawExplosion(Entity e) {
    drawBox(e, EXPLOSION_SPRITE, EXPLOSION_STAGES[Math.min(e.lifeTime, EXPLOSION_STAGES.length - 1)]);
  }

  private static final Sprite EXPLOSION_SPRITE = new Sprite(
      "..3..3..",
      ".312213.",
      "32111123",
      ".211112.",
      ".211112.",
      "32111123",
      ".312213.",
      "..3..3..");
  private static final int[][] EXPLOSION_STAGES = {
      Palettes.of(Palettes.rgb(255, 255, 220), Palettes.rgb(255, 220, 90), Palettes.rgb(255, 150, 40)),
      Palettes.of(Palettes.rgb(255, 230, 120), Palettes.rgb(255, 160, 40), Palettes.rgb(230, 90, 30)),
      Palettes.of(Palettes.rgb(255, 170, 60), Palettes.rgb(220, 90, 30), Palettes.rgb(150, 60, 40)),
      Palettes.of(Palettes.rgb(200, 100, 50), Palettes.rgb(140, 70, 50), Palettes.rgb(100, 90, 90)),
      Palettes.of(Palettes.rgb(130, 110, 100), Palettes.rgb(100, 95, 95), Palettes.rgb(80, 80, 80))};

  /**
   * Draws a sprite repeated along an entity's box (walls, fences): along its longer side, as
   * many copies as fit at {@code aspect} (width / height) each, stretched to fill, at least one.
   */
  protected final void drawBoxTiled(Entity e, Sprite s, int[] palette, float aspect) {
    float x0 = e.x - e.rx;
    float y0 = e.y - e.ry;
    float w = 2 * e.rx;
    float h = 2 * e.ry;
    if (e.rx >= e.ry) {
      int n = Math.max(1, (int) (w / (h * aspect)));
      for (int i = 0; i < n; i++) {
        canvas.drawSprite(s, palette, x0 + w * i / n, y0, x0 + w * (i + 1) / n, y0 + h, false, 0);
      }
    } else {
      int n = Math.max(1, (int) (h / (w / aspect)));
      for (int i = 0; i < n; i++) {
        canvas.drawSprite(s, palette, x0, y0 + h * i / n, x0 + w, y0 + h * (i + 1) / n, false, 0);
      }
    }
  }

  /** Draws a sprite over an entity's box. */
  protected final void drawBox(Entity e, Sprite s, int[] palette) {
    canvas.drawSprite(s, palette, e.x - e.rx, e.y - e.ry, e.x + e.rx, e.y + e.ry, e.reflected, 0);
  }
}
