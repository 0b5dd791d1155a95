package dev.zeroshot.env.control;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import java.nio.ByteBuffer;

/**
 * Gymnasium's MountainCarContinuous-v0: a force in [-1, 1] times {@code power}. Reward 100 on
 * reaching the goal minus {@code 0.1 a^2} each step (of the unclipped action, as Gymnasium);
 * goal at 0.45.
 */
public final class MountainCarContinuous extends MountainCarBase {

  public static final ContextSpace CONTEXT = contextSpace("MountainCarContinuous-v0", 0.45,
      new ContextFeature("power", 0.0015, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
          "velocity change per step at full force"));

  private double power;

  public MountainCarContinuous(Context context) {
    super(context);
    actionSpace = Box.uniform(-1, 1, new int[] {1}, DType.FLOAT32);
  }

  @Override
  protected void applyEngine(Context c) {
    power = c.get("power");
  }

  @Override
  public double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int off) {
    double action = actions.getFloat(actionOffset);
    move(Math.min(Math.max(action, -1.0), 1.0) * power, obs, off);
    return (terminated ? 100.0 : 0.0) - action * action * 0.1;
  }
}
