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
 * Gymnasium's CartPole-v1 (Barto, Sutton and Anderson's cart-pole with Florian's corrected
 * equations, Euler integration), with CARL's context features. Reward 1 for every step,
 * including the terminating one; terminated when |x| > 2.4 or |theta| > 12 degrees.
 *
 * <p>Total mass and pole mass-length are computed from the context on every step, so every
 * feature fully sets the dynamics it names.
 */
public final class CartPole extends ControlEnv {

  public static final double X_THRESHOLD = 2.4;
  public static final double THETA_THRESHOLD = 12 * 2 * Math.PI / 360;

  public static final ContextSpace CONTEXT = new ContextSpace("CartPole-v1", List.of(
      new ContextFeature("gravity", 9.8, 0.1, Double.POSITIVE_INFINITY, "gravitational acceleration (m/s^2)"),
      new ContextFeature("masscart", 1.0, 0.1, 10, "mass of the cart (kg)"),
      new ContextFeature("masspole", 0.1, 0.01, 1, "mass of the pole (kg)"),
      new ContextFeature("length", 0.5, 0.05, 5, "half the pole's length (m)"),
      new ContextFeature("force_mag", 10.0, 1, 100, "magnitude of the push (N)"),
      new ContextFeature("tau", 0.02, 0.002, 0.2, "seconds between state updates"),
      new ContextFeature("initial_state_lower", -0.05, -0.2, 0.2, "lower bound of each initial state variable"),
      new ContextFeature("initial_state_upper", 0.05, -0.2, 0.2, "upper bound of each initial state variable")),
      List.of(c -> c.get("initial_state_lower") <= c.get("initial_state_upper") ? null
          : "initial_state_lower must not exceed initial_state_upper"));

  private static final Space OBSERVATION_SPACE = Box.float32(
      new double[] {-2 * X_THRESHOLD, Double.NEGATIVE_INFINITY, -2 * THETA_THRESHOLD, Double.NEGATIVE_INFINITY},
      new double[] {2 * X_THRESHOLD, Double.POSITIVE_INFINITY, 2 * THETA_THRESHOLD, Double.POSITIVE_INFINITY});
  private static final Space ACTION_SPACE = new Discrete(2);

  private double gravity;
  private double massCart;
  private double massPole;
  private double length;
  private double forceMag;
  private double tau;
  private double initialLower;
  private double initialUpper;

  private double x;
  private double xDot;
  private double theta;
  private double thetaDot;

  public CartPole(Context context) {
    super(context);
    observationSpace = OBSERVATION_SPACE;
    actionSpace = ACTION_SPACE;
  }

  @Override
  protected void applyContext(Context c) {
    gravity = c.get("gravity");
    massCart = c.get("masscart");
    massPole = c.get("masspole");
    length = c.get("length");
    forceMag = c.get("force_mag");
    tau = c.get("tau");
    initialLower = c.get("initial_state_lower");
    initialUpper = c.get("initial_state_upper");
  }



  @Override
  public void reset(ByteBuffer obs, int off) {
    x = uniform(initialLower, initialUpper);
    xDot = uniform(initialLower, initialUpper);
    theta = uniform(initialLower, initialUpper);
    thetaDot = uniform(initialLower, initialUpper);
    terminated = false;
    writeObservation(obs, off);
  }

  @Override
  public double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int off) {
    double force = actions.getLong(actionOffset) == 1 ? forceMag : -forceMag;
    double cosTheta = Math.cos(theta);
    double sinTheta = Math.sin(theta);
    double totalMass = massPole + massCart;
    double poleMassLength = massPole * length;
    double temp = (force + poleMassLength * thetaDot * thetaDot * sinTheta) / totalMass;
    double thetaAcc = (gravity * sinTheta - cosTheta * temp)
        / (length * (4.0 / 3.0 - massPole * cosTheta * cosTheta / totalMass));
    double xAcc = temp - poleMassLength * thetaAcc * cosTheta / totalMass;
    x = x + tau * xDot;
    xDot = xDot + tau * xAcc;
    theta = theta + tau * thetaDot;
    thetaDot = thetaDot + tau * thetaAcc;
    terminated = x < -X_THRESHOLD || x > X_THRESHOLD || theta < -THETA_THRESHOLD || theta > THETA_THRESHOLD;
    writeObservation(obs, off);
    return 1.0;
  }

  private void writeObservation(ByteBuffer obs, int off) {
    obs.putFloat(off, (float) x);
    obs.putFloat(off + 4, (float) xDot);
    obs.putFloat(off + 8, (float) theta);
    obs.putFloat(off + 12, (float) thetaDot);
  }

  /** The state (x, x_dot, theta, theta_dot), in double precision. */
  public double[] state() {
    return new double[] {x, xDot, theta, thetaDot};
  }

  /** Sets the state, for tests and for researchers who start episodes in chosen states. */
  public void setState(double x, double xDot, double theta, double thetaDot) {
    this.x = x;
    this.xDot = xDot;
    this.theta = theta;
    this.thetaDot = thetaDot;
    this.terminated = false;
  }
}
