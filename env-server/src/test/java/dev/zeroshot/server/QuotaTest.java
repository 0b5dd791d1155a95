package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.client.ClientSecurity;
import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.proto.v1.MakeRequest;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits that stop one client from holding the server: the make timeout and the quotas. */
class QuotaTest {

  @TempDir
  Path dir;

  private static RemoteVectorEnv open(EnvServer s, String token) {
    return RemoteVectorEnv.builder("127.0.0.1:" + s.port(), "CartPole-v1").numEnvs(2)
        .security(new ClientSecurity(false, null, token)).build();
  }

  /** The status a make is refused with. */
  private static Status refusal(EnvServer s, String token) {
    return assertThrows(StatusRuntimeException.class, () -> open(s, token).close()).getStatus();
  }

  private static SessionRequest make(int numEnvs) {
    return SessionRequest.newBuilder().setMake(MakeRequest.newBuilder().setEnvId("CartPole-v1").setNumEnvs(numEnvs))
        .build();
  }

  @Test
  void streamsThatNeverMakeAreEndedAndTheirSlotsFreed() throws Exception {
    int slots = 4;
    ServerLimits limits = ServerLimits.DEFAULTS.withMaxSessions(slots).withMakeTimeout(Duration.ofSeconds(1));
    try (TestServer ts = new TestServer(limits)) {
      List<TestServer.Probe> silent = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < slots; i++) {
        silent.add(ts.probe()); // opens the stream, sends nothing
      }
      TestServer.await("live sessions", ts.server::liveSessions, slots);
      try (TestServer.Probe refused = ts.probe()) { // the silent streams hold every slot
        assertTrue(refused.sendExpectingError(make(1), Status.Code.RESOURCE_EXHAUSTED).getDescription()
            .contains("--max-sessions"));
      }
      for (TestServer.Probe p : silent) {
        Status s = p.expectEnd(Status.Code.DEADLINE_EXCEEDED);
        assertTrue(s.getDescription().contains("--make-timeout"), s.toString());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds >= 1 && seconds < 5, "silent streams ended after " + seconds + " s, make timeout 1 s");
      TestServer.await("live sessions", ts.server::liveSessions, 0);
      try (TestServer.Probe fresh = ts.probe()) {
        assertEquals(1, fresh.send(make(1)).getMake().getNumEnvs());
      }
      silent.forEach(TestServer.Probe::close);
    }
  }

  @Test
  void aSessionThatMadeItsEnvOutlivesTheMakeTimeout() throws Exception {
    ServerLimits limits = ServerLimits.DEFAULTS.withMakeTimeout(Duration.ofMillis(300));
    try (TestServer ts = new TestServer(limits); TestServer.Probe p = ts.probe()) {
      p.send(make(2));
      Thread.sleep(1000);
      assertTrue(p.send(SessionRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(1)).build())
          .hasReset());
      assertEquals(1, ts.server.liveSessions());
    }
  }

  @Test
  void eachAddressHasItsOwnSessionQuota() throws Exception {
    try (TestServer ts = new TestServer(ServerLimits.DEFAULTS.withMaxSessionsPerClient(2))) {
      RemoteVectorEnv first = open(ts.server, null);
      try (RemoteVectorEnv second = open(ts.server, null)) {
        Status s = refusal(ts.server, null);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getCode(), s.toString());
        assertTrue(s.getDescription().contains("address 127.0.0.1")
            && s.getDescription().contains("allows each client 2 at once (--max-sessions-per-client)"), s.toString());
        first.close();
        TestServer.await("live sessions", ts.server::liveSessions, 1);
        open(ts.server, null).close(); // the freed place is this client's again
      }
    }
  }

  @Test
  void withTokensTheQuotaIsPerIdentity() throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "secret-a alice\nsecret-b bob\n");
    ServerLimits limits = ServerLimits.DEFAULTS.withMaxSessionsPerClient(2);
    try (EnvServer s = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, limits, 1, null, null,
        new ServerSecurity(null, null, null, tokens)).start();
        RemoteVectorEnv a1 = open(s, "secret-a"); RemoteVectorEnv a2 = open(s, "secret-a")) {
      Status refused = refusal(s, "secret-a");
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getCode(), refused.toString());
      assertTrue(refused.getDescription().contains("identity 'alice'"), refused.toString());
      // bob comes from the same address but is another client
      try (RemoteVectorEnv b1 = open(s, "secret-b"); RemoteVectorEnv b2 = open(s, "secret-b")) {
        assertEquals(4, s.liveSessions());
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refusal(s, "secret-b").getCode());
      }
    }
  }

  @Test
  void aMakeBeyondTheServersEnvBudgetIsRefusedBeforeItsEnvsExist() throws Exception {
    try (TestServer ts = new TestServer(ServerLimits.DEFAULTS.withMaxEnvs(10))) {
      TestServer.Probe six = ts.probe();
      six.send(make(6));
      try (TestServer.Probe five = ts.probe()) {
        Status s = five.sendExpectingError(make(5), Status.Code.RESOURCE_EXHAUSTED);
        assertTrue(s.getDescription().contains("budget of 10 envs over all sessions (--max-envs); 6 are live"),
            s.toString());
      }
      TestServer.await("live sessions", ts.server::liveSessions, 1);
      assertEquals(6, ts.server.liveEnvs(), "the refused make counted nothing");
      try (TestServer.Probe four = ts.probe()) {
        four.send(make(4)); // exactly the budget
        assertEquals(10, ts.server.liveEnvs());
        six.close();
        TestServer.await("live envs", ts.server::liveEnvs, 4);
        try (TestServer.Probe again = ts.probe()) {
          again.send(make(6));
          assertEquals(10, ts.server.liveEnvs());
        }
      }
    }
  }

  /** Issue 16 defect 3: each make's memory is estimated and counted against --max-memory before its envs exist. */
  @Test
  void aMakeBeyondTheServersMemoryBudgetIsRefusedBeforeItsEnvsExist() throws Exception {
    String game = "procgen/bigfish-easy-v0";
    long perEnv = MemoryEstimate.bytes(1, 64 * 64 * 3, 8); // 64x64x3 frames, a Discrete action (int64)
    assertEquals(6 * 12_288 + 2 * 8 + 4096, perEnv);
    try (TestServer ts = new TestServer(ServerLimits.DEFAULTS.withMaxMemoryBytes(100 * perEnv))) {
      TestServer.Probe sixty = ts.probe();
      sixty.send(procgen(game, 60));
      try (TestServer.Probe fifty = ts.probe()) {
        Status s = fifty.sendExpectingError(procgen(game, 50), Status.Code.RESOURCE_EXHAUSTED);
        assertTrue(s.getDescription().startsWith("num_envs 50 of " + game + " is estimated at "
            + MemoryEstimate.human(50 * perEnv) + " (per env 6 x its 12288-byte observation + 4096 bytes), which would "
            + "pass this server's memory budget of " + MemoryEstimate.human(100 * perEnv) + " (--max-memory); live "
            + "sessions hold an estimated " + MemoryEstimate.human(60 * perEnv)), s.toString());
      }
      TestServer.await("live sessions", ts.server::liveSessions, 1);
      assertEquals(60, ts.server.liveEnvs(), "the refused make made no env");
      try (TestServer.Probe forty = ts.probe()) {
        forty.send(procgen(game, 40)); // exactly the budget
        sixty.close();
        TestServer.await("live envs", ts.server::liveEnvs, 40);
        try (TestServer.Probe again = ts.probe()) {
          again.send(procgen(game, 60)); // the freed estimate is available again
          assertEquals(100, ts.server.liveEnvs());
        }
      }
    }
  }

  private static SessionRequest procgen(String id, int n) {
    return SessionRequest.newBuilder().setMake(dev.zeroshot.proto.v1.MakeRequest.newBuilder().setEnvId(id)
        .setNumEnvs(n)).build();
  }
}
