package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;

/**
 * Procgen's bigfish: in a 20x20 tank fish swim in from the sides; eating one no larger than
 * the agent gives +1 and grows it, touching a larger one ends the episode, and eating
 * fish_quota fish gives +10 and completes the level. Each step a fish enters with probability
 * 1/spawn_one_in, with radius 0.25 + 1.75 u^1.4 and speed (0.15 + 0.25 u) x fish_speed_scale.
 */
public final class BigFish extends ProcgenGame {

  public static final int FISH = 2;
  public static final float COMPLETION_BONUS = 10;
  public static final float POSITIVE_REWARD = 1;
  public static final int TIMEOUT = 6000;
  static final float FISH_MIN_R = .25f;
  static final float FISH_MAX_R = 2;

  private static final int[][] FISH_COLOURS = {
      Palettes.of(Palettes.rgb(240, 130, 40), Palettes.rgb(190, 80, 20), Palettes.rgb(20, 20, 20)),
      Palettes.of(Palettes.rgb(200, 80, 200), Palettes.rgb(130, 40, 140), Palettes.rgb(20, 20, 20)),
      Palettes.of(Palettes.rgb(120, 200, 90), Palettes.rgb(60, 130, 50), Palettes.rgb(20, 20, 20))};
  private static final int[] AGENT = Palettes.of(Palettes.rgb(250, 220, 60), Palettes.rgb(230, 60, 50), Palettes.rgb(20, 20, 20));

  public static ContextSpace contextSpace(DistributionMode mode) {
    double startR = switch (mode) {
      case EASY -> 1;
      case HARD -> .5;
      default -> throw new IllegalArgumentException("bigfish has no " + mode.id() + " mode");
    };
    return Features.common(true)
        .real("start_radius", startR, 0.1, 1.9, "the agent's starting radius (fish radii are 0.25-2)")
        .integer("fish_quota", 30, 1, 200, "fish to eat to complete the level")
        .integer("spawn_one_in", 10, 2, 1000, "a fish enters with probability 1/spawn_one_in per step")
        .real("fish_speed_scale", 1, 0.1, 5, "multiplies every fish's speed")
        .build(ProcgenSuite.id("bigfish", mode));
  }

  private float startRadius;
  private int fishQuota;
  private int spawnOneIn;
  private float fishSpeedScale;
  private int fishEaten;
  private float rInc;

  public BigFish(DistributionMode mode, Context context) {
    super(mode, context, Backgrounds.Style.WATER);
  }

  @Override
  protected void applyContext(Context c) {
    startRadius = (float) c.get("start_radius");
    fishQuota = (int) c.get("fish_quota");
    spawnOneIn = (int) c.get("spawn_one_in");
    fishSpeedScale = (float) c.get("fish_speed_scale");
  }

  public int fishEaten() {
    return fishEaten;
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
    fishEaten = 0;
    rInc = (FISH_MAX_R - startRadius) / fishQuota;
    agent.rx = startRadius;
    agent.ry = startRadius;
    agent.y = 1 + agent.ry;
  }

  @Override
  protected void handleAgentCollision(Entity e) {
    if (e.type == FISH) {
      if (e.rx > agent.rx) {
        done = true;
      } else {
        reward += POSITIVE_REWARD;
        e.willErase = true;
        agent.rx += rInc;
        agent.ry += rInc;
        fishEaten++;
      }
    }
  }

  @Override
  protected void gameStep() {
    super.gameStep();
    if (rng.randn(spawnOneIn) == 1) {
      float r = (float) ((FISH_MAX_R - FISH_MIN_R) * Math.pow(rng.rand01(), 1.4) + FISH_MIN_R);
      float y = rng.rand01() * (mainHeight - 2 * r);
      boolean right = rng.rand01() < .5f;
      float vx = (float) ((.15 + rng.rand01() * .25) * (right ? 1 : -1) * fishSpeedScale);
      float x = right ? -r : mainWidth + r;
      Entity fish = addEntity(x, y, vx, 0, r, FISH);
      fish.theme = rng.randn(FISH_COLOURS.length);
      fish.reflected = !right;
    }
    if (fishEaten >= fishQuota) {
      done = true;
      reward += COMPLETION_BONUS;
      levelComplete = true;
    }
    if (actionVx > 0) {
      agent.reflected = false;
    }
    if (actionVx < 0) {
      agent.reflected = true;
    }
  }

  @Override
  protected void drawTile(int type, int x, int y) {}

  @Override
  protected void drawEntity(Entity e) {
    if (e.type == PLAYER) {
      drawBox(e, Sprites.FISH, AGENT);
    } else if (e.type == FISH) {
      drawBox(e, Sprites.FISH, FISH_COLOURS[e.theme]);
    }
  }
}
