package dev.zeroshot.env.control;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;

/** Registers the contextual classic-control tasks with Gymnasium's ids and time limits. */
public final class ControlSuite {

  private ControlSuite() {}

  public static void registerAll(EnvRegistry registry) {
    registry.register(new EnvSpec("CartPole-v1", "balance a pole on a cart by pushing it left or right",
        CartPole.CONTEXT, CartPole::new, 500, 475.0));
    registry.register(new EnvSpec("Pendulum-v1", "swing up and hold an inverted pendulum with a bounded torque",
        Pendulum.CONTEXT, Pendulum::new, 200, null));
    registry.register(new EnvSpec("MountainCar-v0", "drive an underpowered car up a hill (3 discrete pushes)",
        MountainCar.CONTEXT, MountainCar::new, 200, -110.0));
    registry.register(new EnvSpec("MountainCarContinuous-v0", "drive an underpowered car up a hill (continuous force)",
        MountainCarContinuous.CONTEXT, MountainCarContinuous::new, 999, 90.0));
    registry.register(new EnvSpec("Acrobot-v1", "swing the tip of a two-link arm above a target height",
        Acrobot.CONTEXT, Acrobot::new, 500, -100.0));
    registry.register(new EnvSpec("TrafficSignal-v0", "time the phases of a four-way intersection's signal (queue model, no SUMO)",
        TrafficSignal.CONTEXT, TrafficSignal::new, TrafficSignal.EPISODE_SECONDS, null));
  }
}
