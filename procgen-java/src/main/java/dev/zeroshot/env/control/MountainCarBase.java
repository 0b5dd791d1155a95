package dev.zeroshot.env.control;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.space.Box;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Function;

/**
 * What Gymnasium's two mountain cars share: the track, the car's state, its motion under the
 * slope's pull and the goal test. The subclasses differ only in the engine and the reward.
 */
abstract class MountainCarBase extends ControlEnv {

  private double minPosition;
  private double maxPosition;
  private double maxSpeed;
  private double goalPosition;
  private double goalVelocity;
  private double gravity;
  private double minPositionStart;
  private double maxPositionStart;
  private double minVelocityStart;
  private double maxVelocityStart;

  private double position;
  private double velocity;

  MountainCarBase(Context context) {
    super(context);
  }

  /** CARL's mountain-car features, with {@code engine} (the one that sets the push) in place 5. */
  static ContextSpace contextSpace(String owner, double goalPosition, ContextFeature engine) {
    double inf = Double.POSITIVE_INFINITY;
    List<ContextFeature> f = List.of(
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
        new ContextFeature("max_velocity_start", 0, -inf, inf, "initial velocity drawn from [min, max]"));
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
  protected final void applyContext(Context c) {
    minPosition = c.get("min_position");
    maxPosition = c.get("max_position");
    maxSpeed = c.get("max_speed");
    goalPosition = c.get("goal_position");
    goalVelocity = c.get("goal_velocity");
    applyEngine(c);
    gravity = c.get("gravity");
    minPositionStart = c.get("min_position_start");
    maxPositionStart = c.get("max_position_start");
    minVelocityStart = c.get("min_velocity_start");
    maxVelocityStart = c.get("max_velocity_start");
    observationSpace = Box.float32(new double[] {minPosition, -maxSpeed}, new double[] {maxPosition, maxSpeed});
  }

  /** Takes the engine feature's value (MountainCar's force, MountainCarContinuous's power). */
  protected abstract void applyEngine(Context c);

  @Override
  public final void reset(ByteBuffer obs, int off) {
    position = uniform(minPositionStart, maxPositionStart);
    velocity = minVelocityStart == maxVelocityStart ? minVelocityStart : uniform(minVelocityStart, maxVelocityStart);
    terminated = false;
    writeObservation(obs, off);
  }

  /** One step of Gymnasium's update with engine acceleration {@code push}; sets terminated. */
  protected final void move(double push, ByteBuffer obs, int off) {
    velocity += push + Math.cos(3 * position) * (-gravity);
    velocity = Math.max(-maxSpeed, Math.min(maxSpeed, velocity));
    position += velocity;
    position = Math.max(minPosition, Math.min(maxPosition, position));
    if (position == minPosition && velocity < 0) {
      velocity = 0;
    }
    terminated = position >= goalPosition && velocity >= goalVelocity;
    writeObservation(obs, off);
  }

  private void writeObservation(ByteBuffer obs, int off) {
    obs.putFloat(off, (float) position);
    obs.putFloat(off + 4, (float) velocity);
  }

  /** The state (position, velocity). */
  public final double[] state() {
    return new double[] {position, velocity};
  }

  public final void setState(double position, double velocity) {
    this.position = position;
    this.velocity = velocity;
  }
}
