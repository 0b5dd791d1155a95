package dev.zeroshot.env.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.Env;
import dev.zeroshot.env.context.Context;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Pins each control task's transition to the published equations, written here independently
 * of the implementation (other algebraic forms: Florian's cart-pole equations, Acrobot's
 * equations of motion solved as a 2x2 linear system), at default and non-default contexts.
 */
class ControlPhysicsTest {

  private static final double TOL = 1e-6;

  private final ByteBuffer actions = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
  private final ByteBuffer obs = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);

  private double stepDiscrete(Env env, long a) {
    actions.putLong(0, a);
    return env.step(actions, 0, obs, 0);
  }

  private double stepContinuous(Env env, float a) {
    actions.putFloat(0, a);
    return env.step(actions, 0, obs, 0);
  }

  private void assertObservation(double[] expected) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], obs.getFloat(4 * i), TOL, "observation element " + i);
    }
  }

  private static void assertState(double[] expected, double[] actual) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], TOL, "state element " + i);
    }
  }

  // ---- CartPole: Florian (2007), "Correct equations for the dynamics of the cart-pole system".

  private static double[] cartPoleReference(Context c, double[] s, long action) {
    double g = c.get("gravity");
    double mc = c.get("masscart");
    double mp = c.get("masspole");
    double l = c.get("length");
    double f = action == 1 ? c.get("force_mag") : -c.get("force_mag");
    double dt = c.get("tau");
    double th = s[2];
    double thd = s[3];
    double thdd = (g * Math.sin(th) + Math.cos(th) * (-f - mp * l * thd * thd * Math.sin(th)) / (mc + mp))
        / (l * (4.0 / 3.0 - mp * Math.cos(th) * Math.cos(th) / (mc + mp)));
    double xdd = (f + mp * l * (thd * thd * Math.sin(th) - thdd * Math.cos(th))) / (mc + mp);
    return new double[] {s[0] + dt * s[1], s[1] + dt * xdd, s[2] + dt * s[3], s[3] + dt * thdd};
  }

  @Test
  void cartPoleFollowsTheEquations() {
    Context[] contexts = {
        CartPole.CONTEXT.defaults(),
        CartPole.CONTEXT.parse("masscart=3,masspole=0.7,length=2,gravity=20,force_mag=50,tau=0.05")};
    double[][] states = {{0, 0, 0, 0}, {0.3, -0.5, 0.1, 1.2}, {-1.5, 2.0, -0.18, -0.7}};
    for (Context c : contexts) {
      CartPole env = new CartPole(c);
      for (double[] s : states) {
        for (long a = 0; a < 2; a++) {
          env.setState(s[0], s[1], s[2], s[3]);
          double r = stepDiscrete(env, a);
          double[] expected = cartPoleReference(c, s, a);
          assertState(expected, env.state());
          assertObservation(expected);
          assertEquals(1.0, r);
        }
      }
    }
  }

  @Test
  void cartPoleTerminatesPastThresholdsAndRewardsTheTerminatingStep() {
    CartPole env = new CartPole(CartPole.CONTEXT.defaults());
    env.setState(2.39, 1.0, 0, 0); // x will pass 2.4
    assertEquals(1.0, stepDiscrete(env, 1));
    assertTrue(env.terminated());
    env.setState(0, 0, 0.2090, 0.5); // theta will pass 12 degrees (0.20944 rad)
    stepDiscrete(env, 1);
    assertTrue(env.terminated());
    env.setState(0, 0, 0.2, 0);
    stepDiscrete(env, 0);
    assertFalse(env.terminated());
  }

  @Test
  void changingTheContextChangesEveryDerivedQuantity() {
    // CARL's defect: total mass and pole mass-length cached at construction. Here an env
    // switched to a context behaves exactly as one built in it.
    Context heavy = CartPole.CONTEXT.parse("masspole=0.9,length=3");
    CartPole switched = new CartPole(CartPole.CONTEXT.defaults());
    switched.setContext(heavy);
    CartPole fresh = new CartPole(heavy);
    switched.setState(0.1, 0.2, 0.05, -0.3);
    fresh.setState(0.1, 0.2, 0.05, -0.3);
    stepDiscrete(switched, 1);
    stepDiscrete(fresh, 1);
    assertEquals(fresh.state()[3], switched.state()[3]);
    assertState(cartPoleReference(heavy, new double[] {0.1, 0.2, 0.05, -0.3}, 1), switched.state());
  }

  // ---- Pendulum: thdd = 3g/(2l) sin(th) + 3/(m l^2) u, semi-implicit Euler, speed clipped to 8.

  @Test
  void pendulumFollowsTheEquations() {
    Context[] contexts = {Pendulum.CONTEXT.defaults(), Pendulum.CONTEXT.parse("g=3.7,m=2.5,l=0.4,dt=0.01")};
    double[][] states = {{0, 0}, {Math.PI, 0.5}, {-2.5, -7.9}, {7.0, 3.0}};
    float[] torques = {-2f, 0f, 0.75f, 2f};
    for (Context c : contexts) {
      Pendulum env = new Pendulum(c);
      for (double[] s : states) {
        for (float u : torques) {
          env.setState(s[0], s[1]);
          double r = stepContinuous(env, u);
          double g = c.get("g");
          double m = c.get("m");
          double l = c.get("l");
          double dt = c.get("dt");
          double thdd = 3 * g / (2 * l) * Math.sin(s[0]) + 3.0 / (m * l * l) * u;
          double thd = Math.max(-8, Math.min(8, s[1] + thdd * dt));
          double th = s[0] + thd * dt;
          double wrapped = Math.atan2(Math.sin(s[0]), Math.cos(s[0])); // angle in (-pi, pi]
          double cost = wrapped * wrapped + 0.1 * s[1] * s[1] + 0.001 * u * u;
          assertEquals(-cost, r, TOL);
          assertState(new double[] {th, thd}, env.state());
          assertObservation(new double[] {Math.cos(th), Math.sin(th), thd});
          assertFalse(env.terminated());
        }
      }
    }
  }

  @Test
  void pendulumAtRestUprightStaysThereAtZeroCost() {
    Pendulum env = new Pendulum(Pendulum.CONTEXT.defaults());
    env.setState(0, 0);
    assertEquals(0.0, stepContinuous(env, 0f), 0.0);
    assertState(new double[] {0, 0}, env.state());
  }

  @Test
  void pendulumGravityFeatureChangesTheDynamics() {
    // CARL's defect: its 'gravity' feature is never read. Here 'g' is read every step.
    Pendulum weak = new Pendulum(Pendulum.CONTEXT.parse("g=1"));
    Pendulum strong = new Pendulum(Pendulum.CONTEXT.defaults());
    weak.setState(1, 0);
    strong.setState(1, 0);
    stepContinuous(weak, 0f);
    stepContinuous(strong, 0f);
    assertEquals(10.0, strong.state()[1] / weak.state()[1], 1e-9);
  }

  // ---- MountainCar: v' = clip(v + (a - 1) F - g cos(3p)), p' = clip(p + v'), stop at the left wall.

  @Test
  void mountainCarFollowsTheEquations() {
    Context[] contexts = {MountainCar.CONTEXT.defaults(), MountainCar.CONTEXT.parse("force=0.002,gravity=0.004,max_speed=0.05")};
    double[][] states = {{-0.5, 0}, {0.2, 0.06}, {-1.19, -0.03}, {0.49, 0.01}};
    for (Context c : contexts) {
      MountainCar env = new MountainCar(c);
      for (double[] s : states) {
        for (long a = 0; a < 3; a++) {
          env.setState(s[0], s[1]);
          double r = stepDiscrete(env, a);
          double vmax = c.get("max_speed");
          double v = Math.max(-vmax, Math.min(vmax, s[1] + (a - 1) * c.get("force") - c.get("gravity") * Math.cos(3 * s[0])));
          double p = Math.max(-1.2, Math.min(0.6, s[0] + v));
          if (p == -1.2 && v < 0) {
            v = 0;
          }
          assertState(new double[] {p, v}, env.state());
          assertObservation(new double[] {p, v});
          assertEquals(-1.0, r);
          assertEquals(p >= 0.5 && v >= 0, env.terminated());
        }
      }
    }
  }

  @Test
  void mountainCarReachesTheGoalAndStopsAtTheLeftWall() {
    MountainCar env = new MountainCar(MountainCar.CONTEXT.defaults());
    env.setState(0.49, 0.05);
    stepDiscrete(env, 2);
    assertTrue(env.terminated());
    env.setState(-1.19, -0.07);
    stepDiscrete(env, 0);
    assertEquals(-1.2, env.state()[0]);
    assertEquals(0.0, env.state()[1]);
  }

  @Test
  void mountainCarContinuousFollowsTheEquations() {
    Context[] contexts = {MountainCarContinuous.CONTEXT.defaults(), MountainCarContinuous.CONTEXT.parse("power=0.003,goal_position=0.3")};
    double[][] states = {{-0.5, 0}, {0.44, 0.02}, {0.29, 0.03}};
    float[] forces = {-1f, 0.25f, 1f};
    for (Context c : contexts) {
      MountainCarContinuous env = new MountainCarContinuous(c);
      for (double[] s : states) {
        for (float f : forces) {
          env.setState(s[0], s[1]);
          double r = stepContinuous(env, f);
          double v = Math.max(-0.07, Math.min(0.07, s[1] + f * c.get("power") - 0.0025 * Math.cos(3 * s[0])));
          double p = Math.max(-1.2, Math.min(0.6, s[0] + v));
          boolean goal = p >= c.get("goal_position") && v >= 0;
          assertState(new double[] {p, v}, env.state());
          assertEquals(goal, env.terminated());
          assertEquals((goal ? 100.0 : 0.0) - 0.1 * f * f, r, TOL);
        }
      }
    }
  }

  // ---- Acrobot: Sutton & Barto's equations of motion, M(q) qdd = rhs solved by Cramer's rule, RK4.

  private static double[] acrobotDerivative(Context c, double[] s, double tau) {
    double m1 = c.get("LINK_MASS_1");
    double m2 = c.get("LINK_MASS_2");
    double l1 = c.get("LINK_LENGTH_1");
    double lc1 = c.get("LINK_COM_POS_1");
    double lc2 = c.get("LINK_COM_POS_2");
    double i = c.get("LINK_MOI");
    double g = 9.8;
    double t1 = s[0];
    double t2 = s[1];
    double w1 = s[2];
    double w2 = s[3];
    double d1 = m1 * lc1 * lc1 + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * Math.cos(t2)) + 2 * i;
    double d2 = m2 * (lc2 * lc2 + l1 * lc2 * Math.cos(t2)) + i;
    double phi2 = m2 * lc2 * g * Math.sin(t1 + t2); // cos(t1 + t2 - pi/2)
    double phi1 = -m2 * l1 * lc2 * w2 * w2 * Math.sin(t2) - 2 * m2 * l1 * lc2 * w2 * w1 * Math.sin(t2)
        + (m1 * lc1 + m2 * l1) * g * Math.sin(t1) + phi2;
    // d1 a1 + d2 a2 = -phi1 ;  d2 a1 + (m2 lc2^2 + I) a2 = tau - m2 l1 lc2 w1^2 sin(t2) - phi2
    double a11 = d1;
    double a12 = d2;
    double a21 = d2;
    double a22 = m2 * lc2 * lc2 + i;
    double b1 = -phi1;
    double b2 = tau - m2 * l1 * lc2 * w1 * w1 * Math.sin(t2) - phi2;
    double det = a11 * a22 - a12 * a21;
    return new double[] {w1, w2, (b1 * a22 - a12 * b2) / det, (a11 * b2 - a21 * b1) / det};
  }

  private static double[] acrobotReference(Context c, double[] s, double tau) {
    double h = 0.2;
    double[] k1 = acrobotDerivative(c, s, tau);
    double[] k2 = acrobotDerivative(c, axpy(s, h / 2, k1), tau);
    double[] k3 = acrobotDerivative(c, axpy(s, h / 2, k2), tau);
    double[] k4 = acrobotDerivative(c, axpy(s, h, k3), tau);
    double[] n = new double[4];
    for (int j = 0; j < 4; j++) {
      n[j] = s[j] + h / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
    }
    n[0] = Math.atan2(Math.sin(n[0]), Math.cos(n[0]));
    n[1] = Math.atan2(Math.sin(n[1]), Math.cos(n[1]));
    n[2] = Math.max(-c.get("MAX_VEL_1"), Math.min(c.get("MAX_VEL_1"), n[2]));
    n[3] = Math.max(-c.get("MAX_VEL_2"), Math.min(c.get("MAX_VEL_2"), n[3]));
    return n;
  }

  private static double[] axpy(double[] s, double a, double[] k) {
    double[] out = new double[s.length];
    for (int j = 0; j < s.length; j++) {
      out[j] = s[j] + a * k[j];
    }
    return out;
  }

  @Test
  void acrobotFollowsTheEquations() {
    Context[] contexts = {Acrobot.CONTEXT.defaults(),
        Acrobot.CONTEXT.parse("LINK_MASS_1=2,LINK_MASS_2=0.5,LINK_LENGTH_1=1.5,LINK_COM_POS_2=0.3,LINK_MOI=0.7,MAX_VEL_1=6")};
    double[][] states = {{0, 0, 0, 0}, {0.5, -1.0, 1.5, -2.0}, {3.0, 2.5, -4.0, 8.0}};
    for (Context c : contexts) {
      Acrobot env = new Acrobot(c);
      for (double[] s : states) {
        for (long a = 0; a < 3; a++) {
          env.setState(s[0], s[1], s[2], s[3]);
          double r = stepDiscrete(env, a);
          double[] n = acrobotReference(c, s, a - 1);
          assertState(n, env.state());
          assertObservation(new double[] {Math.cos(n[0]), Math.sin(n[0]), Math.cos(n[1]), Math.sin(n[1]), n[2], n[3]});
          double l1 = c.get("LINK_LENGTH_1");
          double l2 = c.get("LINK_LENGTH_2");
          boolean up = -l1 * Math.cos(n[0]) - l2 * Math.cos(n[0] + n[1]) > (l1 + l2) / 2;
          assertEquals(up, env.terminated());
          assertEquals(up ? 0.0 : -1.0, r);
        }
      }
    }
  }

  @Test
  void acrobotTerminatesWhenTheTipIsHighAtTheDefaultContext() {
    // Gymnasium's own test at unit links: -cos(t1) - cos(t1 + t2) > 1.
    Acrobot env = new Acrobot(Acrobot.CONTEXT.defaults());
    env.setState(Math.PI, 0, 0, 0); // arm straight up: height 2
    assertEquals(0.0, stepDiscrete(env, 1));
    assertTrue(env.terminated());
    env.setState(0, 0, 0, 0); // hanging down
    assertEquals(-1.0, stepDiscrete(env, 1));
    assertFalse(env.terminated());
  }
}
