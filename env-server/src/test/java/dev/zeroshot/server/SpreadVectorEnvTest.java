package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.client.SpreadVectorEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.VectorEnvApi;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSampler;
import dev.zeroshot.proto.v1.ContextList;
import dev.zeroshot.proto.v1.ContextValues;
import dev.zeroshot.proto.v1.UniformSampler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One learner's envs spread over two real servers: a {@link SpreadVectorEnv} of 8 envs holds one
 * session on each server and steps bit-identically to one in-process vector env of 8 envs.
 */
class SpreadVectorEnvTest {

  private static final EnvSpec CARTPOLE = EnvRegistry.builtin().spec("CartPole-v1");

  @Test
  void eightEnvsOverTwoServersHoldOneSessionEachAndMatchInProcess() throws Exception {
    try (TestServer a = new TestServer(); TestServer b = new TestServer()) {
      SpreadVectorEnv spread = RemoteVectorEnv.builder(a.target() + "," + b.target(), "CartPole-v1").numEnvs(8)
          .buildSpread(2);
      try {
        assertEquals(1, a.server.liveSessions(), "sessions on the first server");
        assertEquals(1, b.server.liveSessions(), "sessions on the second server");
        assertEquals(4, a.server.liveEnvs(), "envs on the first server");
        assertEquals(4, b.server.liveEnvs(), "envs on the second server");
        assertNotEquals(spread.server(0), spread.server(1), spread.placement());
        assertEquals(8, spread.numEnvs());
        try (VectorEnv local = VectorEnv.builder(CARTPOLE).numEnvs(8).build()) {
          assertArrayEquals(run(local, 7), run(spread, 7));
        }
      } finally {
        spread.close();
      }
      // closing frees both sessions
      TestServer.await("sessions left on the first server", a.server::liveSessions, 0);
      TestServer.await("sessions left on the second server", b.server::liveSessions, 0);
    }
  }

  /**
   * Contexts per env survive the split into slices of 2, 3 and 3 envs: a round-robin list (each
   * slice's list is rotated by its offset), a random list and uniform draws (env i's stream
   * comes from seed + i), with a new draw at every reset.
   */
  @Test
  void contextSamplersGiveEachEnvTheSameContextsAsInProcess() throws Exception {
    List<Map<String, Double>> values = List.of(Map.of("length", 0.3), Map.of("length", 0.9), Map.of("length", 2.0));
    List<Context> contexts = new ArrayList<>();
    ContextList.Builder wireList = ContextList.newBuilder();
    for (Map<String, Double> v : values) {
      contexts.add(CARTPOLE.contextSpace().with(v));
      wireList.addContexts(ContextValues.newBuilder().putAllValues(v));
    }
    Context base = CARTPOLE.contextSpace().defaults();
    try (TestServer a = new TestServer(); TestServer b = new TestServer()) {
      String target = a.target() + "," + b.target();
      for (boolean roundRobin : new boolean[] {true, false}) {
        var wire = dev.zeroshot.proto.v1.ContextSampler.newBuilder()
            .setList(wireList.clone().setRandom(!roundRobin)).build();
        compare(VectorEnv.builder(CARTPOLE).numEnvs(8).contextSampler(ContextSampler.list(contexts, roundRobin)),
            RemoteVectorEnv.builder(target, "CartPole-v1").numEnvs(8).contextSampler(wire), "list roundRobin=" + roundRobin);
      }
      var uniform = dev.zeroshot.proto.v1.ContextSampler.newBuilder()
          .setUniform(UniformSampler.newBuilder().addFeatures("length").addFeatures("masspole")).build();
      compare(VectorEnv.builder(CARTPOLE).numEnvs(8)
              .contextSampler(ContextSampler.uniform(base, List.of("length", "masspole"))),
          RemoteVectorEnv.builder(target, "CartPole-v1").numEnvs(8).contextSampler(uniform), "uniform");
    }
  }

  /** The pole's length changes the dynamics, so a wrong context shows in the observations. */
  private static void compare(VectorEnv.Builder local, RemoteVectorEnv.Builder remote, String what) {
    try (VectorEnv l = local.resampleOnReset(true).build();
        SpreadVectorEnv r = remote.resampleOnReset(true).buildSpread(3)) {
      assertEquals(List.of(0, 2, 5), List.of(r.offset(0), r.offset(1), r.offset(2)), "slices of 8 envs in 3");
      assertArrayEquals(run(l, 3), run(r, 3), what);
    }
  }

  /** Observations, rewards and flags of a seeded run with seeded random actions, as bytes. */
  private static byte[] run(VectorEnvApi env, long seed) {
    StepBuffers buf = StepBuffers.allocate(env);
    SplittableRandom policy = new SplittableRandom(seed);
    int steps = 200;
    ByteBuffer out = ByteBuffer.allocate((steps + 2) * (buf.observations().capacity() + env.numEnvs() * 18));
    env.reset(seed, buf);
    int ended = 0;
    for (int t = 0; t <= steps; t++) {
      if (t > 0) {
        for (int i = 0; i < env.numEnvs(); i++) {
          env.singleActionSpace().sample(policy, buf.actions(), i * buf.actionBytes());
        }
        env.step(buf);
      }
      out.put(buf.observations().duplicate().clear());
      for (int i = 0; i < env.numEnvs(); i++) {
        out.putDouble(buf.reward(i)).put((byte) (buf.terminated(i) ? 1 : 0)).put((byte) (buf.truncated(i) ? 1 : 0));
        if (buf.episodeEnded(i)) {
          ended++;
          out.putDouble(buf.episodeReturn(i)).putInt(buf.episodeLength(i));
        }
      }
    }
    assertTrue(ended > 0, "the run should include finished episodes (autoresets)");
    out.flip();
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }

  @Test
  void badSessionCountsAndAnInvalidActionAreOneClearError() throws Exception {
    try (TestServer a = new TestServer(); TestServer b = new TestServer()) {
      String target = a.target() + "," + b.target();
      for (int k : new int[] {0, -1, 9}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> RemoteVectorEnv.builder(target, "CartPole-v1").numEnvs(8).buildSpread(k));
        assertEquals("sessions must be in 1..8 for 8 envs (each session steps one or more of them), got " + k,
            e.getMessage());
      }
      IllegalArgumentException shm = assertThrows(IllegalArgumentException.class,
          () -> RemoteVectorEnv.builder(a.target(), "CartPole-v1").numEnvs(8).sharedMemory(true).buildSpread(2));
      assertTrue(shm.getMessage().startsWith("a spread vector env steps through messages"), shm.getMessage());
      assertEquals(0, a.server.liveSessions() + b.server.liveSessions(), "nothing opened for bad input");

      try (SpreadVectorEnv spread = RemoteVectorEnv.builder(target, "CartPole-v1").numEnvs(8).buildSpread(2)) {
        StepBuffers buf = StepBuffers.allocate(spread);
        spread.reset(1, buf);
        buf.setDiscreteAction(6, 2); // CartPole's actions are 0 and 1; env 6 is the second slice's third
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spread.step(buf));
        assertTrue(e.getMessage().endsWith(" in env 6"), e.getMessage());
        buf.setDiscreteAction(6, 1);
        spread.step(buf); // nothing was sent: the sessions are still in step
      }
      TestServer.await("sessions left on the first server", a.server::liveSessions, 0);
      TestServer.await("sessions left on the second server", b.server::liveSessions, 0);
    }
  }
}
