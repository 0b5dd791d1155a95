package dev.zeroshot.env.control;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Gymnasium's MountainCar-v0 (Moore's mountain car): push left, not at all, or right
 * (actions 0, 1, 2) to drive an underpowered car up the right hill. Reward -1 per step;
 * terminated at {@code position >= goal_position and velocity >= goal_velocity}.
 *
 * <p>Context features as CARL's, with Gymnasium's goal of 0.5 as the default (CARL lists
 * 0.45, the continuous task's goal).
 */
public final class MountainCar extends ControlEnv {

  public static final ContextSpace CONTEXT = contextSpace("MountainCar-v0", 0.5,
      new ContextFeature("force", 0.001, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
          "velocity change per step of a push"));

  private static final Space ACTION = new Discrete(3);

  private Terrain terrain; // made in applyContext, which the super constructor calls first
  private double force;
  private Space observationSpace;

  public MountainCar(Context context) {
    super(context);
  }

  /** The features both mountain cars share, plus the one that sets the engine. */
  static ContextSpace contextSpace(String owner, double goalPosition, ContextFeature engine) {
    double inf = Double.POSITIVE_INFINITY;
    List<ContextFeature> f = new ArrayList<>(List.of(
        new ContextFeature("min_position", -1.2, -inf, inf, "left end of the track"),
        new ContextFeature("max_position", 0.6, -inf, inf, "right end of the track"),
        new ContextFeature("max_speed", 0.07, 0, inf, "speed limit"),
        new ContextFeature("goal_position", goalPosition, -inf, inf, "position to reach"),
        new ContextFeature("goal_velocity", 0, -inf, inf, "velocity needed at the goal"),
        engine,
        new ContextFeature("gravity", 0.0025, 0, inf, "pull of the slope, times cos(3 x)"),
        new ContextFeature("min_position_start", -0.6, -inf, inf, "initial position drawn from [min, max]"),
        new ContextFeature("max_position_start", -0.4, -inf, inf, "initial position drawn from [min, max]"),
        new ContextFeature("min_velocity_start", 0, -inf, inf, "initial velocity drawn from [min, max]"),
        new ContextFeature("max_velocity_start", 0, -inf, inf, "initial velocity drawn from [min, max]")));
    List<Function<Context, String>> rules = List.of(
        c -> c.get("min_position") < c.get("max_position") ? null : "min_position must be below max_position",
        c -> c.get("min_position_start") <= c.get("max_position_start") ? null
            : "min_position_start must not exceed max_position_start",
        c -> c.get("min_position_start") >= c.get("min_position") && c.get("max_position_start") <= c.get("max_position")
            ? null : "the start positions must lie within [min_position, max_position]",
        c -> c.get("min_velocity_start") <= c.get("max_velocity_start") ? null
            : "min_velocity_start must not exceed max_velocity_start");
    return new ContextSpace(owner, f, rules);
  }

  @Override
  protected void applyContext(Context c) {
    if (terrain == null) {
      terrain = new Terrain();
    }
    terrain.apply(c);
    force = c.get(5);
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
    long action = actions.getLong(actionOffset);
    terrain.move((action - 1) * force);
    terminated = terrain.atGoal();
    terrain.writeObservation(obs, off);
    return -1.0;
  }

  public double[] state() {
    return new double[] {terrain.position, terrain.velocity};
  }

  public void setState(double position, double velocity) {
    terrain.position = position;
    terrain.velocity = velocity;
  }

  /** The track, the car's state and its motion, shared with {@link MountainCarContinuous}. */
  static final class Terrain {
    double minPosition;
    double maxPosition;
    double maxSpeed;
    double goalPosition;
    double goalVelocity;
    double gravity;
    double minPositionStart;
    double maxPositionStart;
    double minVelocityStart;
    double maxVelocityStart;
    double position;
    double velocity;

    void apply(Context c) {
      minPosition = c.get("min_position");
      maxPosition = c.get("max_position");
      maxSpeed = c.get("max_speed");
      goalPosition = c.get("goal_position");
      goalVelocity = c.get("goal_velocity");
      gravity = c.get("gravity");
      minPositionStart = c.get("min_position_start");
      maxPositionStart = c.get("max_position_start");
      minVelocityStart = c.get("min_velocity_start");
      maxVelocityStart = c.get("max_velocity_start");
    }

    Space observationSpace() {
      return Box.float32(new double[] {minPosition, -maxSpeed}, new double[] {maxPosition, maxSpeed});
    }

    void reset(ControlEnv env) {
      position = env.uniform(minPositionStart, maxPositionStart);
      velocity = minVelocityStart == maxVelocityStart ? minVelocityStart : env.uniform(minVelocityStart, maxVelocityStart);
    }

    /** One step of Gymnasium's update with engine acceleration {@code push}. */
    void move(double push) {
      velocity += push + Math.cos(3 * position) * (-gravity);
      velocity = Math.max(-maxSpeed, Math.min(maxSpeed, velocity));
      position += velocity;
      position = Math.max(minPosition, Math.min(maxPosition, position));
      if (position == minPosition && velocity < 0) {
        velocity = 0;
      }
    }

    boolean atGoal() {
      return position >= goalPosition && velocity >= goalVelocity;
    }

    void writeObservation(ByteBuffer obs, int off) {
      obs.putFloat(off, (float) position);
      obs.putFloat(off + 4, (float) velocity);
    }
  }
}
