package dev.zeroshot.env.procgen;

/**
 * An axis-aligned box in world units (y up), as Procgen's {@code Entity}: centre, velocity,
 * half-extents, a type and a few per-game flags. Entities are pooled by {@link EntityList},
 * so {@link #init} resets every field a reused one might carry over.
 */
public final class Entity {

  public float x;
  public float y;
  public float vx;
  public float vy;
  public float rx;
  public float ry;
  public int type;
  /** Which colour variant of the type's sprite to draw (Procgen's image_theme). */
  public int theme;
  public boolean willErase;
  /** Moved by the engine's sub-stepped collision physics instead of plain {@code x += vx}. */
  public boolean smartStep;
  /** Removed once it leaves the world. */
  public boolean autoErase;
  /** Drawn mirrored (facing left). */
  public boolean reflected;
  /** -1 below the grid tiles, 0 above them, 1 on top. */
  public int renderZ;
  public float collisionMargin;
  /** Radians, counter-clockwise; used by games whose sprites turn (heist's agent). */
  public float rotation;
  /** A per-game counter (e.g. an egg's hatch timer, an enemy's vulnerability). */
  public int timer;
  /** A per-game integer (e.g. a patrol's direction or a lane). */
  public int aux;
  public int lifeTime;
  /** Checked against every other entity each step ({@link ProcgenGame#handleCollision}): projectiles. */
  public boolean collidesWithEntities;
  /** Erased once {@link #lifeTime} exceeds it; 0 or less = never (Procgen's expire_time). */
  public int expireTime;
  /** Multiplies rx and ry each step (explosions and exhausts grow). */
  public float growRate;
  /** Hit points of a shootable entity (caveflyer's targets, starpilot's ships). */
  public float health;
  /** Radians added to {@link #rotation} each step. */
  public float vrot;
  /** Opacity in [0, 1], multiplied by {@link #alphaDecay} each step (fading trails). */
  public float alpha;
  public float alphaDecay;
  /** A per-game step number (e.g. when an enemy fires). */
  public int fireTime;
  /** The step an entity entered the level. */
  public int spawnTime;

  void init(float x, float y, float vx, float vy, float rx, float ry, int type) {
    this.x = x;
    this.y = y;
    this.vx = vx;
    this.vy = vy;
    this.rx = rx;
    this.ry = ry;
    this.type = type;
    theme = 0;
    willErase = false;
    smartStep = false;
    autoErase = true;
    reflected = false;
    renderZ = 0;
    collisionMargin = 0;
    rotation = 0;
    timer = 0;
    aux = 0;
    lifeTime = 0;
    collidesWithEntities = false;
    expireTime = -1;
    growRate = 1;
    health = 1;
    vrot = 0;
    alpha = 1;
    alphaDecay = 1;
    fireTime = -1;
    spawnTime = -1;
    if (type == ProcgenGame.EXPLOSION) {
      // A puff that grows 40% a step and is gone after five steps.
      growRate = 1.4f;
      expireTime = 4;
    } else if (type == ProcgenGame.TRAIL) {
      growRate = 1.05f;
      alphaDecay = .8f;
    }
  }

  /** Procgen's {@code Entity::step}: plain motion unless the engine moves it, turning, ageing, growing, fading. */
  void step() {
    if (!smartStep) {
      x += vx;
      y += vy;
    }
    rotation += vrot;
    lifeTime++;
    if (expireTime > 0 && lifeTime > expireTime) {
      willErase = true;
    }
    rx *= growRate;
    ry *= growRate;
    alpha *= alphaDecay;
  }

  /** Turns to face (dx, dy) (Procgen's {@code face_direction}); a zero vector keeps the rotation. */
  public void faceDirection(float dx, float dy, float offset) {
    if (dx != 0 || dy != 0) {
      rotation = (float) (-Math.atan2(dy, dx)) + offset;
    }
  }

  /** Whether the boxes overlap, each grown by {@code margin}. */
  public boolean collides(Entity o, float margin) {
    return Math.abs(x - o.x) < rx + o.rx + margin && Math.abs(y - o.y) < ry + o.ry + margin;
  }
}
