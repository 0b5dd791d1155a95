package dev.zeroshot.env.control;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Traffic-signal control at a four-way intersection, without SUMO: MBTL's traffic task family
 * (inflow, lane length, speed limit, green time as contexts) as a queue model with travel time
 * and spillback, one step per simulated second.
 *
 * <p><b>Road.</b> Four approaches (N, E, S, W), each with a through(+right) lane and a left-turn
 * lane: eight lanes. A vehicle enters its approach at random (Bernoulli per second, rate
 * {@code inflow / (4 * 1000)}, so {@code inflow} is the expected number of vehicles per
 * 1,000-second episode over all approaches), turns left with probability
 * {@code left_turn_ratio}, drives the lane at the speed limit ({@code ceil(lane_length /
 * speed_limit)} seconds) and joins the lane's queue at the stop line. A lane stores
 * {@code floor(lane_length / 7.5)} vehicles (moving plus queued); when it is full, new vehicles
 * wait outside the network (spillback). On green, the queue discharges one vehicle per
 * {@code saturation_headway} seconds.
 *
 * <p><b>Why this model.</b> What decides which controller is best, and so how well a policy
 * transfers between contexts, is demand against capacity (inflow, headway, green and yellow
 * times), how long until a decision shows at the stop line (lane length over speed limit) and how
 * much queue a lane can hold before it blocks its entry (lane length). A queue model with travel
 * time and storage keeps all three, exactly and cheaply; a cell transmission model would add
 * shock waves inside the lane, which change delay by seconds but not the ranking of phase
 * choices, at 100-5,000 cells per lane.
 *
 * <p><b>Signal.</b> Four phases, the action being the phase asked for: 0 N-S through, 1 N-S
 * left, 2 E-W through, 3 E-W left. A phase is held at least {@code green_time} seconds; asking
 * for another phase after that starts {@code yellow_time} seconds of yellow (nothing moves, the
 * asked-for phase follows); asks during the minimum green or the yellow are ignored.
 *
 * <p><b>Reward and observation.</b> Reward is minus the vehicles waiting (queued at the stop line
 * or blocked outside) this second, divided by 100: total delay, scaled. The observation
 * (float32, 30) holds per lane the queued, moving and blocked vehicles as shares of the lane's
 * storage (24), the phase one-hot (4), the yellow flag and whether the minimum green has passed.
 * Episodes never terminate; the registry's 1,000-step limit truncates them.
 */
public final class TrafficSignal extends ControlEnv {

  /** Seconds in an episode: the registry's time limit, and the period {@code inflow} counts over. */
  public static final int EPISODE_SECONDS = 1000;
  public static final int LANES = 8;
  public static final int PHASES = 4;
  /** Road length one vehicle occupies in a queue (m), SUMO's default length plus gap. */
  public static final double VEHICLE_SPACING = 7.5;
  public static final int OBSERVATION_SIZE = 3 * LANES + PHASES + 2;

  public static final ContextSpace CONTEXT = new ContextSpace("TrafficSignal-v0", List.of(
      new ContextFeature("inflow", 1000, 50, 2500, "expected vehicles entering per 1,000-s episode, all approaches"),
      new ContextFeature("lane_length", 750, 50, 2500, "length of each approach lane (m)"),
      new ContextFeature("speed_limit", 14, 0.5, 25, "speed vehicles drive the lane at (m/s)"),
      new ContextFeature("green_time", 10, 1, 50, "minimum green of a phase (s)"),
      new ContextFeature("yellow_time", 4, 0, 10, "yellow between two phases (s)"),
      new ContextFeature("left_turn_ratio", 0.25, 0, 1, "share of vehicles that turn left"),
      new ContextFeature("saturation_headway", 2, 1, 4, "seconds between two vehicles leaving a green queue")));

  /** Lanes that move in each phase: approach a's through lane is 2a, its left lane 2a + 1 (N0 E1 S2 W3). */
  private static final int[][] GREEN_LANES = {{0, 4}, {1, 5}, {2, 6}, {3, 7}};

  private double arrivalProbability;
  private double leftTurnRatio;
  private int travelSeconds;
  private int storage;
  private int greenTime;
  private int yellowTime;
  private double dischargePerSecond;

  /** The most vehicles a lane can hold: the longest lane over the spacing. */
  private static final int MAX_STORAGE = (int) Math.floor(2500 / VEHICLE_SPACING);

  /**
   * Per lane, the arrival times at the stop line of the moving vehicles, a FIFO ring sized for the
   * longest lane, so a context change never reallocates it or drops a vehicle.
   */
  private final int[][] movingArrivals = new int[LANES][MAX_STORAGE];
  private final int[] movingHead = new int[LANES];
  private final int[] moving = new int[LANES];
  private final int[] queued = new int[LANES];
  private final int[] blocked = new int[LANES];
  private final double[] dischargeCredit = new double[LANES];

  private int now;
  private int phase;
  private int nextPhase;
  private int secondsInPhase;
  private int yellowLeft;
  private long entered;
  private final long[] departed = new long[LANES];

  public TrafficSignal(Context context) {
    super(context);
    observationSpace = Box.uniform(0, Double.POSITIVE_INFINITY, new int[] {OBSERVATION_SIZE}, DType.FLOAT32);
    actionSpace = new Discrete(PHASES);
  }

  @Override
  protected void applyContext(Context c) {
    arrivalProbability = c.get("inflow") / (4.0 * EPISODE_SECONDS);
    leftTurnRatio = c.get("left_turn_ratio");
    double length = c.get("lane_length");
    travelSeconds = (int) Math.ceil(length / c.get("speed_limit"));
    storage = Math.max(1, (int) Math.floor(length / VEHICLE_SPACING));
    greenTime = (int) Math.round(c.get("green_time"));
    yellowTime = (int) Math.round(c.get("yellow_time"));
    dischargePerSecond = 1.0 / c.get("saturation_headway");
  }

  @Override
  public void reset(ByteBuffer obs, int off) {
    for (int lane = 0; lane < LANES; lane++) {
      movingHead[lane] = 0;
      moving[lane] = 0;
      queued[lane] = 0;
      blocked[lane] = 0;
      dischargeCredit[lane] = 0;
      departed[lane] = 0;
    }
    now = 0;
    phase = 0;
    nextPhase = 0;
    secondsInPhase = 0;
    yellowLeft = 0;
    entered = 0;
    terminated = false;
    writeObservation(obs, off);
  }

  @Override
  public double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int off) {
    long action = actions.getLong(actionOffset);
    if (action < 0 || action >= PHASES) {
      throw new IllegalArgumentException("TrafficSignal action must be a phase in [0, 3], got " + action);
    }
    now++;
    changeSignal((int) action);
    arrive();
    reachStopLines();
    discharge();
    writeObservation(obs, off);
    return -waitingVehicles() / 100.0;
  }

  private void changeSignal(int asked) {
    if (yellowLeft > 0) {
      if (--yellowLeft == 0) {
        phase = nextPhase;
        secondsInPhase = 0;
      }
      return;
    }
    secondsInPhase++;
    if (asked != phase && secondsInPhase > greenTime) {
      nextPhase = asked;
      if (yellowTime == 0) {
        phase = asked;
        secondsInPhase = 0;
      } else {
        yellowLeft = yellowTime;
      }
    }
  }

  /** New vehicles appear at each approach's entry, then enter their lane while it has room. */
  private void arrive() {
    for (int approach = 0; approach < 4; approach++) {
      if (random.nextDouble() < arrivalProbability) {
        int lane = 2 * approach + (random.nextDouble() < leftTurnRatio ? 1 : 0);
        blocked[lane]++;
        entered++;
      }
    }
    for (int lane = 0; lane < LANES; lane++) {
      while (blocked[lane] > 0 && moving[lane] + queued[lane] < storage) {
        blocked[lane]--;
        movingArrivals[lane][(movingHead[lane] + moving[lane]) % MAX_STORAGE] = now + travelSeconds;
        moving[lane]++;
      }
    }
  }

  /** Moving vehicles whose travel time is up join the queue; the ring is in arrival order. */
  private void reachStopLines() {
    for (int lane = 0; lane < LANES; lane++) {
      while (moving[lane] > 0 && movingArrivals[lane][movingHead[lane]] <= now) {
        movingHead[lane] = (movingHead[lane] + 1) % MAX_STORAGE;
        moving[lane]--;
        queued[lane]++;
      }
    }
  }

  /** Green lanes release queued vehicles at the saturation flow; unused capacity is not banked. */
  private void discharge() {
    for (int lane = 0; lane < LANES; lane++) {
      boolean green = yellowLeft == 0 && (GREEN_LANES[phase][0] == lane || GREEN_LANES[phase][1] == lane);
      if (!green) {
        dischargeCredit[lane] = 0;
        continue;
      }
      dischargeCredit[lane] = Math.min(1.0, dischargeCredit[lane] + dischargePerSecond);
      if (dischargeCredit[lane] >= 1.0 && queued[lane] > 0) {
        dischargeCredit[lane] -= 1.0;
        queued[lane]--;
        departed[lane]++;
      }
    }
  }

  private int waitingVehicles() {
    int waiting = 0;
    for (int lane = 0; lane < LANES; lane++) {
      waiting += queued[lane] + blocked[lane];
    }
    return waiting;
  }

  private void writeObservation(ByteBuffer obs, int off) {
    double perVehicle = 1.0 / storage;
    for (int lane = 0; lane < LANES; lane++) {
      obs.putFloat(off + 4 * lane, (float) (queued[lane] * perVehicle));
      obs.putFloat(off + 4 * (LANES + lane), (float) (moving[lane] * perVehicle));
      obs.putFloat(off + 4 * (2 * LANES + lane), (float) (blocked[lane] * perVehicle));
    }
    int p = off + 4 * 3 * LANES;
    for (int i = 0; i < PHASES; i++) {
      obs.putFloat(p + 4 * i, i == phase ? 1f : 0f);
    }
    obs.putFloat(p + 4 * PHASES, yellowLeft > 0 ? 1f : 0f);
    obs.putFloat(p + 4 * PHASES + 4, yellowLeft == 0 && secondsInPhase >= greenTime ? 1f : 0f);
  }

  /** The phase in force (during yellow, the phase being ended). */
  public int phase() {
    return phase;
  }

  /** Whether the signal is yellow (nothing moves). */
  public boolean yellow() {
    return yellowLeft > 0;
  }

  /** Vehicles queued at lane {@code lane}'s stop line. */
  public int queued(int lane) {
    return queued[lane];
  }

  /** Vehicles driving lane {@code lane} towards its stop line. */
  public int moving(int lane) {
    return moving[lane];
  }

  /** Vehicles waiting outside lane {@code lane} because it is full. */
  public int blocked(int lane) {
    return blocked[lane];
  }

  /** Vehicles each lane holds (moving plus queued). */
  public int storage() {
    return storage;
  }

  /** Seconds a vehicle takes from a lane's entry to its stop line. */
  public int travelSeconds() {
    return travelSeconds;
  }

  /** Vehicles that appeared this episode. */
  public long entered() {
    return entered;
  }

  /** Vehicles that crossed the intersection this episode. */
  public long departed() {
    long n = 0;
    for (long d : departed) {
      n += d;
    }
    return n;
  }

  /** Vehicles that left lane {@code lane}'s stop line this episode. */
  public long departed(int lane) {
    return departed[lane];
  }
}
