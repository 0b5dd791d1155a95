package dev.zeroshot.env.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.context.Context;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The traffic-signal queue model: conservation, red means stop, signal timing, travel time, spillback. */
class TrafficSignalTest {

  private final ByteBuffer action = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
  private final ByteBuffer obs = ByteBuffer.allocate(4 * TrafficSignal.OBSERVATION_SIZE).order(ByteOrder.LITTLE_ENDIAN);

  private TrafficSignal make(String context, long seed) {
    Context c = context.isEmpty() ? TrafficSignal.CONTEXT.defaults() : TrafficSignal.CONTEXT.parse(context);
    TrafficSignal env = new TrafficSignal(c);
    env.seed(seed);
    env.reset(obs, 0);
    return env;
  }

  private double step(TrafficSignal env, int phase) {
    action.putLong(0, phase);
    return env.step(action, 0, obs, 0);
  }

  private static long inNetwork(TrafficSignal env) {
    long n = 0;
    for (int lane = 0; lane < TrafficSignal.LANES; lane++) {
      n += env.queued(lane) + env.moving(lane) + env.blocked(lane);
    }
    return n;
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "inflow=2500,lane_length=50", "inflow=2500,lane_length=2500,speed_limit=25",
      "inflow=50,speed_limit=0.5", "green_time=1,yellow_time=0,saturation_headway=1", "left_turn_ratio=1"})
  void vehiclesAreConservedEveryStep(String context) {
    TrafficSignal env = make(context, 7);
    SplittableRandom actions = new SplittableRandom(3);
    for (int t = 0; t < TrafficSignal.EPISODE_SECONDS; t++) {
      step(env, actions.nextInt(4));
      assertEquals(env.entered(), env.departed() + inNetwork(env), "in = out + in the network at t = " + (t + 1));
      for (int lane = 0; lane < TrafficSignal.LANES; lane++) {
        assertTrue(env.moving(lane) + env.queued(lane) <= env.storage(), "lane " + lane + " over its storage");
      }
    }
    assertTrue(env.entered() > 0, "vehicles arrived");
  }

  @Test
  void nothingLeavesOnRedOrYellow() {
    TrafficSignal env = make("inflow=2500", 11);
    long[] before = new long[TrafficSignal.LANES];
    SplittableRandom actions = new SplittableRandom(5);
    int[][] green = {{0, 4}, {1, 5}, {2, 6}, {3, 7}};
    for (int t = 0; t < TrafficSignal.EPISODE_SECONDS; t++) {
      for (int lane = 0; lane < TrafficSignal.LANES; lane++) {
        before[lane] = env.departed(lane);
      }
      step(env, actions.nextInt(4));
      // The signal shown this second is the one after the step's change: a departure needs its green.
      for (int lane = 0; lane < TrafficSignal.LANES; lane++) {
        long left = env.departed(lane) - before[lane];
        assertTrue(left == 0 || left == 1, "at most one vehicle per lane per second");
        if (left == 1) {
          boolean greenLane = green[env.phase()][0] == lane || green[env.phase()][1] == lane;
          assertTrue(greenLane && !env.yellow(), "lane " + lane + " discharged on red or yellow at t = " + (t + 1));
        }
      }
    }
    assertTrue(env.departed() > 0);
  }

  @Test
  void aPhaseIsHeldForItsMinimumGreenThenYellowThenTheAskedPhase() {
    TrafficSignal env = make("green_time=5,yellow_time=3", 1);
    for (int t = 1; t <= 5; t++) {
      step(env, 2);
      assertEquals(0, env.phase(), "minimum green holds phase 0 at t = " + t);
      assertFalse(env.yellow());
    }
    step(env, 2); // sixth second: the ask is taken, yellow starts
    assertTrue(env.yellow());
    step(env, 1); // asks during yellow are ignored
    step(env, 1);
    assertTrue(env.yellow());
    step(env, 1);
    assertFalse(env.yellow());
    assertEquals(2, env.phase(), "the phase asked when the yellow began follows it");
  }

  @Test
  void vehiclesReachTheStopLineAfterLaneLengthOverSpeedAndLeaveAtTheSaturationFlow() {
    // 100 m at 10 m/s: 10 s; only lane 0 (N through) gets traffic; hold its green.
    TrafficSignal env = make("inflow=2500,lane_length=100,speed_limit=10,left_turn_ratio=0,saturation_headway=2", 2);
    assertEquals(10, env.travelSeconds());
    assertEquals(13, env.storage());
    int firstQueued = -1;
    int firstEntered = -1;
    for (int t = 1; t <= 40 && firstQueued < 0; t++) {
      step(env, 0);
      if (firstEntered < 0 && env.entered() > 0) {
        firstEntered = t;
      }
      for (int lane = 0; lane < TrafficSignal.LANES; lane++) {
        if (env.queued(lane) > 0 || (env.departed() > 0)) {
          firstQueued = t;
        }
      }
    }
    assertEquals(firstEntered + 10, firstQueued, "a vehicle entering at t joins its queue at t + 10");
  }

  @Test
  void aFullLaneBlocksItsEntryAndAGreenEmptiesItAtOneVehiclePerHeadway() {
    // 50 m stores 6 vehicles; hold N-S left (lanes 1, 5) so every through lane fills and spills back.
    TrafficSignal env = make("inflow=2500,lane_length=50,left_turn_ratio=0,saturation_headway=2", 4);
    assertEquals(6, env.storage());
    for (int t = 0; t < 200; t++) {
      step(env, 1);
    }
    assertEquals(6, env.queued(0), "the red lane filled to its storage");
    assertTrue(env.blocked(0) > 0, "vehicles wait outside the full lane");
    long departed = env.departed();
    // Switch to N-S through: after the minimum green (already passed) and 4 s of yellow, lane 0 discharges 1 per 2 s.
    for (int t = 0; t < 5; t++) {
      step(env, 0);
    }
    assertEquals(0, env.phase());
    assertFalse(env.yellow());
    long atGreen = env.departed();
    assertEquals(departed, atGreen, "no departure on the left phase with no left-turners, nor during yellow");
    for (int t = 0; t < 20; t++) {
      step(env, 0);
    }
    assertEquals(20, env.departed() - atGreen, "two through lanes at one vehicle per 2 s for 20 s");
  }

  @Test
  void rewardIsMinusTheWaitingVehiclesOverOneHundred() {
    TrafficSignal env = make("inflow=2500,lane_length=50", 9);
    for (int t = 0; t < 300; t++) {
      double r = step(env, t / 50 % 4);
      int waiting = 0;
      for (int lane = 0; lane < TrafficSignal.LANES; lane++) {
        waiting += env.queued(lane) + env.blocked(lane);
        assertEquals((float) (env.queued(lane) * (1.0 / env.storage())), obs.getFloat(4 * lane), "queue share, lane " + lane);
        assertEquals((float) (env.blocked(lane) * (1.0 / env.storage())), obs.getFloat(4 * (16 + lane)));
      }
      assertEquals(-waiting / 100.0, r, 1e-12);
      assertEquals(1f, obs.getFloat(4 * (24 + env.phase())), "phase one-hot");
      assertFalse(env.terminated());
    }
  }

  @Test
  void theSameSeedGivesTheSameEpisodeAndAnotherSeedAnother() {
    assertArrayEquals(trace(21), trace(21));
    assertFalse(java.util.Arrays.equals(trace(21), trace(22)));
  }

  private double[] trace(long seed) {
    TrafficSignal env = make("inflow=1500", seed);
    SplittableRandom actions = new SplittableRandom(seed);
    double[] rewards = new double[TrafficSignal.EPISODE_SECONDS];
    for (int t = 0; t < rewards.length; t++) {
      rewards[t] = step(env, actions.nextInt(4));
    }
    return rewards;
  }

  @Test
  void contextsOutsideMbtlsRangesAndBadActionsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrafficSignal.CONTEXT.parse("inflow=3000"));
    assertTrue(e.getMessage().contains("inflow"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TrafficSignal.CONTEXT.parse("lane_length=40"));
    assertThrows(IllegalArgumentException.class, () -> TrafficSignal.CONTEXT.parse("speed_limit=26"));
    TrafficSignal env = make("", 1);
    assertThrows(IllegalArgumentException.class, () -> step(env, 4));
  }
}
