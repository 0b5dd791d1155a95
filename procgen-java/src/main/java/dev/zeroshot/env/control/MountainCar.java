package dev.zeroshot.env.control;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.space.Discrete;
import java.nio.ByteBuffer;

/**
 * Gymnasium's MountainCar-v0 (Moore's mountain car): push left, not at all, or right
 * (actions 0, 1, 2) to drive an underpowered car up the right hill. Reward -1 per step;
 * terminated at {@code position >= goal_position and velocity >= goal_velocity}.
 *
 * <p>Context features as CARL's, with Gymnasium's goal of 0.5 as the default (CARL lists
 * 0.45, the continuous task's goal).
 */
public final class MountainCar extends MountainCarBase {

  public static final ContextSpace CONTEXT = contextSpace("MountainCar-v0", 0.5,
      new ContextFeature("force", 0.001, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
          "velocity change per step of a push"));

  private double force;

  public MountainCar(Context context) {
    super(context);
    actionSpace = new Discrete(3);
  }

  @Override
  protected void applyEngine(Context c) {
    force = c.get("force");
  }

  @Override
  public double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int off) {
    move((actions.getLong(actionOffset) - 1) * force, obs, off);
    return -1.0;
  }
}
