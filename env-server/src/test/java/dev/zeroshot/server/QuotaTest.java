package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.proto.v1.MakeRequest;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Limits that stop one client from holding the server: the make timeout and the quotas. */
class QuotaTest {

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
}
