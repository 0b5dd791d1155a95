package dev.zeroshot.env.control;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;

/**
 * Gymnasium's MountainCarContinuous-v0: a force in [-1, 1] times {@code power}. Reward 100 on
 * reaching the goal minus {@code 0.1 a^2} each step; goal at 0.45.
 */
public final class MountainCarContinuous extends ControlEnv {

  public static final ContextSpace CONTEXT = MountainCar.contextSpace("MountainCarContinuous-v0", 0.45,
      new ContextFeature("power", 0.0015, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
          "velocity change per step at full force"));

  private static final Space ACTION = Box.uniform(-1, 1, new int[] {1}, DType.FLOAT32);

  private MountainCar.Terrain terrain; // made in applyContext, which the super constructor calls first
  private double power;
  private Space observationSpace;

  public MountainCarContinuous(Context context) {
    super(context);
  }

  @Override
  protected void applyContext(Context c) {
    if (terrain == null) {
      terrain = new MountainCar.Terrain();
    }
    terrain.apply(c);
    power = c.get(5);
    observationSpace = terrain.observationSpace();
  }

  @Override
  public Space observationSpace() {
    return observationSpace;
  }

  @Override
  public Space actionSpace() {
    return ACTION;
  }

  @Override
  public void reset(ByteBuffer obs, int off) {
    terrain.reset(this);
    terminated = false;
    terrain.writeObservation(obs, off);
  }

  @Override
  public double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int off) {
    double action = actions.getFloat(actionOffset);
    double force = Math.min(Math.max(action, -1.0), 1.0);
    terrain.move(force * power);
    terminated = terrain.atGoal();
    terrain.writeObservation(obs, off);
    double reward = terminated ? 100.0 : 0.0;
    return reward - action * action * 0.1;
  }

  public double[] state() {
    return new double[] {terrain.position, terrain.velocity};
  }

  public void setState(double position, double velocity) {
    terrain.position = position;
    terrain.velocity = velocity;
  }
}
