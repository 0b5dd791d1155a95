package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.VectorEnvApi;
import io.grpc.ManagedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Several servers behind one client target: gRPC's round_robin spreads the sessions opened on
 * one channel over both servers in turn, and every session steps bit-identically to in-process.
 */
class LoadBalancingTest {

  private static final int SESSIONS = 6;

  @Test
  void sessionsOnOneChannelTakeBothServersInTurnWithInProcessResults() throws Exception {
    try (TestServer a = new TestServer(); TestServer b = new TestServer()) {
      String target = a.target() + "," + b.target();
      ManagedChannel channel = RemoteVectorEnv.channel(target, 64 << 20);
      try {
        awaitBothConnected(channel, a, b);
        List<RemoteVectorEnv> envs = new ArrayList<>();
        try {
          for (int k = 0; k < SESSIONS; k++) {
            envs.add(RemoteVectorEnv.builder(channel, "CartPole-v1").numEnvs(3).build());
          }
          // once both servers are connected, round_robin alternates: half the sessions each
          assertEquals(SESSIONS / 2, a.server.liveSessions(), "sessions on the first server");
          assertEquals(SESSIONS / 2, b.server.liveSessions(), "sessions on the second server");
          EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
          for (int k = 0; k < SESSIONS; k++) {
            try (VectorEnv local = VectorEnv.builder(spec).numEnvs(3).build()) {
              assertArrayEquals(run(local, 40 + k), run(envs.get(k), 40 + k), "session " + k);
            }
          }
        } finally {
          for (RemoteVectorEnv e : envs) {
            e.close();
          }
        }
      } finally {
        channel.shutdownNow();
      }
      TestServer.await("sessions left on the first server", a.server::liveSessions, 0);
      TestServer.await("sessions left on the second server", b.server::liveSessions, 0);
    }
  }

  /**
   * Opens sessions (kept open) until each server holds one, so that round_robin has both
   * connected, then closes them. Bounded: a channel that never reaches the second server fails.
   */
  private static void awaitBothConnected(ManagedChannel channel, TestServer a, TestServer b) throws Exception {
    List<RemoteVectorEnv> probes = new ArrayList<>();
    try {
      while (a.server.liveSessions() == 0 || b.server.liveSessions() == 0) {
        if (probes.size() == 200) {
          fail("200 sessions on one channel never reached both servers: " + a.server.liveSessions() + " and "
              + b.server.liveSessions());
        }
        probes.add(RemoteVectorEnv.builder(channel, "CartPole-v1").build());
      }
    } finally {
      for (RemoteVectorEnv p : probes) {
        p.close();
      }
    }
    TestServer.await("probe sessions on the first server", a.server::liveSessions, 0);
    TestServer.await("probe sessions on the second server", b.server::liveSessions, 0);
  }

  /** Observations, rewards and flags of a seeded run with seeded random actions, as bytes. */
  private static byte[] run(VectorEnvApi env, long seed) {
    StepBuffers buf = StepBuffers.allocate(env);
    SplittableRandom policy = new SplittableRandom(seed);
    int steps = 150;
    ByteBuffer out = ByteBuffer.allocate((steps + 1) * (buf.observations().capacity() + env.numEnvs() * 10));
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
        ended += buf.episodeEnded(i) ? 1 : 0;
      }
    }
    assertTrue(ended > 0, "the run should include finished episodes (autoresets)");
    return out.array();
  }

  @Test
  void sharedMemoryIsRefusedForSeveralServers() throws Exception {
    try (TestServer a = new TestServer()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> RemoteVectorEnv.builder(a.target() + "," + a.target(), "CartPole-v1").sharedMemory(true).build());
      assertTrue(e.getMessage().contains("shared memory needs one server on this host"), e.getMessage());
      assertEquals(0, a.server.liveSessions());
    }
  }
}
