package dev.zeroshot.env.control;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Gymnasium's Pendulum-v1: swing up and balance an inverted pendulum. Cost
 * {@code angle^2 + 0.1 thdot^2 + 0.001 u^2}; never terminates (the time limit truncates).
 *
 * <p>Context features as CARL's, except that CARL's {@code gravity} is not offered: Gymnasium
 * reads {@code g}, so CARL's {@code gravity} changes nothing. Here {@code g} is the gravity.
 */
public final class Pendulum extends ControlEnv {

  public static final double MAX_SPEED = 8;
  public static final double MAX_TORQUE = 2;

  public static final ContextSpace CONTEXT = new ContextSpace("Pendulum-v1", List.of(
      new ContextFeature("dt", 0.05, 0, Double.POSITIVE_INFINITY, "seconds per step"),
      new ContextFeature("g", 10.0, 0, Double.POSITIVE_INFINITY, "gravitational acceleration (m/s^2)"),
      new ContextFeature("m", 1.0, 1e-6, Double.POSITIVE_INFINITY, "mass of the pendulum (kg)"),
      new ContextFeature("l", 1.0, 1e-6, Double.POSITIVE_INFINITY, "length of the pendulum (m)"),
      new ContextFeature("initial_angle_max", Math.PI, 0, Double.POSITIVE_INFINITY, "initial angle drawn from [-max, max]"),
      new ContextFeature("initial_velocity_max", 1.0, 0, Double.POSITIVE_INFINITY, "initial angular velocity drawn from [-max, max]")));

  private static final Space OBSERVATION_SPACE = Box.float32(new double[] {-1, -1, -MAX_SPEED}, new double[] {1, 1, MAX_SPEED});
  private static final Space ACTION_SPACE = Box.uniform(-MAX_TORQUE, MAX_TORQUE, new int[] {1}, DType.FLOAT32);

  private double dt;
  private double g;
  private double m;
  private double l;
  private double initialAngleMax;
  private double initialVelocityMax;

  private double theta;
  private double thetaDot;

  public Pendulum(Context context) {
    super(context);
    observationSpace = OBSERVATION_SPACE;
    actionSpace = ACTION_SPACE;
  }

  @Override
  protected void applyContext(Context c) {
    dt = c.get("dt");
    g = c.get("g");
    m = c.get("m");
    l = c.get("l");
    initialAngleMax = c.get("initial_angle_max");
    initialVelocityMax = c.get("initial_velocity_max");
  }



  @Override
  public void reset(ByteBuffer obs, int off) {
    theta = uniform(-initialAngleMax, initialAngleMax);
    thetaDot = uniform(-initialVelocityMax, initialVelocityMax);
    terminated = false;
    writeObservation(obs, off);
  }

  @Override
  public double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int off) {
    double u = Math.max(-MAX_TORQUE, Math.min(MAX_TORQUE, actions.getFloat(actionOffset)));
    double normalized = angleNormalize(theta);
    double cost = normalized * normalized + 0.1 * thetaDot * thetaDot + 0.001 * (u * u);
    double newThetaDot = thetaDot + (3 * g / (2 * l) * Math.sin(theta) + 3.0 / (m * l * l) * u) * dt;
    newThetaDot = Math.max(-MAX_SPEED, Math.min(MAX_SPEED, newThetaDot));
    theta = theta + newThetaDot * dt;
    thetaDot = newThetaDot;
    writeObservation(obs, off);
    return -cost;
  }

  /** Python's {@code ((x + pi) % (2 pi)) - pi}: the remainder takes the divisor's sign. */
  static double angleNormalize(double x) {
    double twoPi = 2 * Math.PI;
    double r = (x + Math.PI) % twoPi;
    if (r < 0) {
      r += twoPi;
    }
    return r - Math.PI;
  }

  private void writeObservation(ByteBuffer obs, int off) {
    obs.putFloat(off, (float) Math.cos(theta));
    obs.putFloat(off + 4, (float) Math.sin(theta));
    obs.putFloat(off + 8, (float) thetaDot);
  }

  /** The state (theta, theta_dot). */
  public double[] state() {
    return new double[] {theta, thetaDot};
  }

  public void setState(double theta, double thetaDot) {
    this.theta = theta;
    this.thetaDot = thetaDot;
  }
}
