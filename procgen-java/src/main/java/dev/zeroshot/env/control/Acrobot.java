package dev.zeroshot.env.control;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Gymnasium's Acrobot-v1 (Sutton and Barto's book dynamics, one RK4 step of dt = 0.2): torque
 * -1, 0 or +1 on the joint between two links; reward -1 per step until the free end rises
 * above the target height, then 0 and terminated.
 *
 * <p>Context features as CARL's. Gymnasium's target, {@code -cos(t1) - cos(t1 + t2) > 1},
 * assumes unit links; here the tip height uses the link lengths and the target is half their
 * sum, which is the same test at the default context and lets {@code LINK_LENGTH_2} set the
 * task it names (in Gymnasium it only drew the picture).
 */
public final class Acrobot extends ControlEnv {

  public static final double DT = 0.2;
  private static final double G = 9.8;

  public static final ContextSpace CONTEXT = new ContextSpace("Acrobot-v1", List.of(
      new ContextFeature("LINK_LENGTH_1", 1.0, 0.1, 10, "length of link 1 (m)"),
      new ContextFeature("LINK_LENGTH_2", 1.0, 0.1, 10, "length of link 2 (m), sets the tip height"),
      new ContextFeature("LINK_MASS_1", 1.0, 0.1, 10, "mass of link 1 (kg)"),
      new ContextFeature("LINK_MASS_2", 1.0, 0.1, 10, "mass of link 2 (kg)"),
      new ContextFeature("LINK_COM_POS_1", 0.5, 0, 1, "position of link 1's centre of mass (m)"),
      new ContextFeature("LINK_COM_POS_2", 0.5, 0, 1, "position of link 2's centre of mass (m)"),
      new ContextFeature("LINK_MOI", 1.0, 0.1, 10, "moment of inertia of both links"),
      new ContextFeature("MAX_VEL_1", 4 * Math.PI, 0.4 * Math.PI, 40 * Math.PI, "angular velocity limit of joint 1"),
      new ContextFeature("MAX_VEL_2", 9 * Math.PI, 0.9 * Math.PI, 90 * Math.PI, "angular velocity limit of joint 2"),
      new ContextFeature("torque_noise_max", 0, 0, 1, "torque noise drawn from [-max, max] each step"),
      new ContextFeature("INITIAL_ANGLE_LOWER", -0.1, -Math.PI, Math.PI, "initial angles drawn from [lower, upper]"),
      new ContextFeature("INITIAL_ANGLE_UPPER", 0.1, -Math.PI, Math.PI, "initial angles drawn from [lower, upper]"),
      new ContextFeature("INITIAL_VELOCITY_LOWER", -0.1, -1, 1, "initial velocities drawn from [lower, upper]"),
      new ContextFeature("INITIAL_VELOCITY_UPPER", 0.1, -1, 1, "initial velocities drawn from [lower, upper]")),
      List.of(
          c -> c.get("INITIAL_ANGLE_LOWER") <= c.get("INITIAL_ANGLE_UPPER") ? null
              : "INITIAL_ANGLE_LOWER must not exceed INITIAL_ANGLE_UPPER",
          c -> c.get("INITIAL_VELOCITY_LOWER") <= c.get("INITIAL_VELOCITY_UPPER") ? null
              : "INITIAL_VELOCITY_LOWER must not exceed INITIAL_VELOCITY_UPPER"));

  private double l1;
  private double l2;
  private double m1;
  private double m2;
  private double lc1;
  private double lc2;
  private double moi;
  private double maxVel1;
  private double maxVel2;
  private double torqueNoiseMax;
  private double angleLower;
  private double angleUpper;
  private double velocityLower;
  private double velocityUpper;

  /** theta1, theta2, dtheta1, dtheta2. */
  private final double[] s = new double[4];
  // RK4 scratch, reused so a step allocates nothing.
  private final double[] k1 = new double[4];
  private final double[] k2 = new double[4];
  private final double[] k3 = new double[4];
  private final double[] k4 = new double[4];
  private final double[] y = new double[4];

  public Acrobot(Context context) {
    super(context);
    actionSpace = new Discrete(3);
  }

  @Override
  protected void applyContext(Context c) {
    l1 = c.get("LINK_LENGTH_1");
    l2 = c.get("LINK_LENGTH_2");
    m1 = c.get("LINK_MASS_1");
    m2 = c.get("LINK_MASS_2");
    lc1 = c.get("LINK_COM_POS_1");
    lc2 = c.get("LINK_COM_POS_2");
    moi = c.get("LINK_MOI");
    maxVel1 = c.get("MAX_VEL_1");
    maxVel2 = c.get("MAX_VEL_2");
    torqueNoiseMax = c.get("torque_noise_max");
    angleLower = c.get("INITIAL_ANGLE_LOWER");
    angleUpper = c.get("INITIAL_ANGLE_UPPER");
    velocityLower = c.get("INITIAL_VELOCITY_LOWER");
    velocityUpper = c.get("INITIAL_VELOCITY_UPPER");
    observationSpace = Box.float32(new double[] {-1, -1, -1, -1, -maxVel1, -maxVel2},
        new double[] {1, 1, 1, 1, maxVel1, maxVel2});
  }



  @Override
  public void reset(ByteBuffer obs, int off) {
    // Gymnasium draws the initial state as float32.
    s[0] = (float) uniform(angleLower, angleUpper);
    s[1] = (float) uniform(angleLower, angleUpper);
    s[2] = (float) uniform(velocityLower, velocityUpper);
    s[3] = (float) uniform(velocityLower, velocityUpper);
    terminated = false;
    writeObservation(obs, off);
  }

  @Override
  public double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int off) {
    double torque = actions.getLong(actionOffset) - 1;
    if (torqueNoiseMax > 0) {
      torque += uniform(-torqueNoiseMax, torqueNoiseMax);
    }
    rk4(torque);
    s[0] = wrap(s[0], -Math.PI, Math.PI);
    s[1] = wrap(s[1], -Math.PI, Math.PI);
    s[2] = Math.min(Math.max(s[2], -maxVel1), maxVel1);
    s[3] = Math.min(Math.max(s[3], -maxVel2), maxVel2);
    terminated = -l1 * Math.cos(s[0]) - l2 * Math.cos(s[1] + s[0]) > (l1 + l2) / 2;
    writeObservation(obs, off);
    return terminated ? 0.0 : -1.0;
  }

  /** One classical Runge-Kutta step of length DT, as Gymnasium's {@code rk4}. */
  private void rk4(double torque) {
    double h = DT / 2.0;
    derivatives(s, torque, k1);
    for (int i = 0; i < 4; i++) {
      y[i] = s[i] + h * k1[i];
    }
    derivatives(y, torque, k2);
    for (int i = 0; i < 4; i++) {
      y[i] = s[i] + h * k2[i];
    }
    derivatives(y, torque, k3);
    for (int i = 0; i < 4; i++) {
      y[i] = s[i] + DT * k3[i];
    }
    derivatives(y, torque, k4);
    for (int i = 0; i < 4; i++) {
      s[i] = s[i] + DT / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    }
  }

  /** Gymnasium's {@code _dsdt} ("book" variant) written into {@code out}. */
  private void derivatives(double[] st, double a, double[] out) {
    double theta1 = st[0];
    double theta2 = st[1];
    double dtheta1 = st[2];
    double dtheta2 = st[3];
    double i1 = moi;
    double i2 = moi;
    double d1 = m1 * lc1 * lc1 + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * Math.cos(theta2)) + i1 + i2;
    double d2 = m2 * (lc2 * lc2 + l1 * lc2 * Math.cos(theta2)) + i2;
    double phi2 = m2 * lc2 * G * Math.cos(theta1 + theta2 - Math.PI / 2.0);
    double phi1 = -m2 * l1 * lc2 * dtheta2 * dtheta2 * Math.sin(theta2)
        - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.sin(theta2)
        + (m1 * lc1 + m2 * l1) * G * Math.cos(theta1 - Math.PI / 2)
        + phi2;
    double ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * dtheta1 * dtheta1 * Math.sin(theta2) - phi2)
        / (m2 * lc2 * lc2 + i2 - d2 * d2 / d1);
    double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
    out[0] = dtheta1;
    out[1] = dtheta2;
    out[2] = ddtheta1;
    out[3] = ddtheta2;
  }

  /** Gymnasium's {@code wrap}: shifts x into [m, M] by whole periods. */
  static double wrap(double x, double m, double big) {
    double diff = big - m;
    while (x > big) {
      x = x - diff;
    }
    while (x < m) {
      x = x + diff;
    }
    return x;
  }

  private void writeObservation(ByteBuffer obs, int off) {
    obs.putFloat(off, (float) Math.cos(s[0]));
    obs.putFloat(off + 4, (float) Math.sin(s[0]));
    obs.putFloat(off + 8, (float) Math.cos(s[1]));
    obs.putFloat(off + 12, (float) Math.sin(s[1]));
    obs.putFloat(off + 16, (float) s[2]);
    obs.putFloat(off + 20, (float) s[3]);
  }

  /** The state (theta1, theta2, dtheta1, dtheta2). */
  public double[] state() {
    return s.clone();
  }

  public void setState(double theta1, double theta2, double dtheta1, double dtheta2) {
    s[0] = theta1;
    s[1] = theta2;
    s[2] = dtheta1;
    s[3] = dtheta2;
  }
}
