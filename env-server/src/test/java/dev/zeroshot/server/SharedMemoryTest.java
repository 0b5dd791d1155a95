package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.proto.v1.SharedMemory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import dev.zeroshot.proto.v1.MakeRequest;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.StepRequest;
import dev.zeroshot.wire.SharedMemoryLayout;
import dev.zeroshot.wire.DoorbellProtocol;
import io.grpc.Status;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The shared-memory data plane: layout, header, same-host rule, file lifetime, stale files, the doorbell. */
class SharedMemoryTest {

  @Test
  void layoutIsAlignedAndTheHeaderDescribesIt() throws Exception {
    SharedMemory d = SharedMemoryLayout.layout(5, 3 * 64 * 64 + 4, 8).build();
    assertEquals(64, d.getObservationsOffset());
    assertEquals(0, d.getActionsOffset() % 64);
    assertEquals(0, d.getResultsOffset() % 64);
    assertTrue(d.getActionsOffset() >= 64 + 5L * (3 * 64 * 64 + 4));
    assertTrue(d.getResultsOffset() >= d.getActionsOffset() + 5 * 8);
    assertEquals(d.getResultsOffset() + 5 * 32, d.getSize());

    try (SharedRegion r = SharedRegion.create("t1", 5, 12, 8)) {
      SharedMemory w = r.description();
      assertTrue(Files.exists(r.path()));
      ByteBuffer h = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
      try (FileChannel ch = FileChannel.open(r.path(), StandardOpenOption.READ)) {
        assertEquals(w.getSize(), ch.size());
        ch.read(h, 0);
      }
      assertEquals(SharedMemoryLayout.MAGIC, h.getInt(0));
      assertEquals("ZSHM", new String(h.array(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
      assertEquals(1, h.getInt(4));
      assertEquals(w.getNonce(), h.getLong(8));
      assertEquals(0, h.getLong(16));
      assertEquals(5, h.getInt(24));
      assertEquals(12, h.getInt(28));
      assertEquals(8, h.getInt(32));
      assertEquals(32, h.getInt(36));
      assertEquals(w.getObservationsOffset(), h.getLong(40));
      assertEquals(w.getActionsOffset(), h.getLong(48));
      assertEquals(w.getResultsOffset(), h.getLong(56));
      // the envs write into the file: a result record lands at results_offset + i * 32
      r.buffers().setResult(2, 1.5, true, false);
      r.publish(7);
      ByteBuffer rec = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer seq = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      try (FileChannel ch = FileChannel.open(r.path(), StandardOpenOption.READ)) {
        ch.read(rec, w.getResultsOffset() + 2 * 32);
        ch.read(seq, 16);
      }
      assertEquals(1.5, rec.getDouble(0));
      assertEquals(1, rec.get(20));
      assertEquals(0, rec.get(21));
      assertEquals(1, rec.get(22));
      assertEquals(7, seq.getLong(0));
      r.close();
      assertFalse(Files.exists(r.path()));
    }
  }

  @Test
  void onlyLoopbackPeersAreLocal() throws Exception {
    assertTrue(SharedRegion.isLocal(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000)));
    assertTrue(SharedRegion.isLocal(new InetSocketAddress(InetAddress.getByName("::1"), 5000)));
    assertFalse(SharedRegion.isLocal(new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 5000)));
    assertFalse(SharedRegion.isLocal(null));
  }

  @Test
  void regionFileLivesExactlyAsLongAsTheSession() throws Exception {
    try (TestServer ts = new TestServer()) {
      RemoteVectorEnv env = RemoteVectorEnv.builder(ts.target(), "CartPole-v1").numEnvs(3).sharedMemory(true).build();
      Path path = Path.of(env.sharedMemoryPath());
      assertTrue(Files.exists(path));
      assertTrue(path.getFileName().toString().startsWith("zeroshot-shm-" + ProcessHandle.current().pid() + "-"));
      StepBuffers b = env.sharedBuffers();
      assertNotNull(b);
      env.reset(0, b);
      b.setDiscreteAction(0, 1);
      env.step(b);
      env.close();
      TestServer.await("region file deleted", () -> Files.exists(path) ? 1 : 0, 0);
      TestServer.await("live envs", ts.server::liveEnvs, 0);
      try (RemoteVectorEnv plain = RemoteVectorEnv.builder(ts.target(), "CartPole-v1").sharedMemory(false).build()) {
        assertNull(plain.sharedBuffers());
        assertNull(plain.sharedMemoryPath());
      }
    }
  }

  @Test
  void theDefaultIsSharedMemoryOnThisHostFallingBackToMessagesSilently() throws Exception {
    try (TestServer ts = new TestServer()) {
      String port = ts.target().substring(ts.target().lastIndexOf(':') + 1);
      try (RemoteVectorEnv env = RemoteVectorEnv.builder("localhost:" + port, "CartPole-v1").numEnvs(2).build()) {
        assertEquals("shared memory + doorbell", env.dataPlane());
        assertNotNull(env.sharedMemoryPath());
      }
      try (RemoteVectorEnv env = RemoteVectorEnv.builder(ts.channel, "CartPole-v1").build()) {
        assertEquals("messages", env.dataPlane(), "a caller's channel: its server's host is not known here");
      }
      // a server that cannot make its region file refuses shared memory: the default goes on with messages
      String before = System.getProperty("zeroshot.shm.dir");
      System.setProperty("zeroshot.shm.dir", "/nonexistent/zeroshot-shm-test");
      try {
        try (RemoteVectorEnv env = RemoteVectorEnv.builder(ts.target(), "CartPole-v1").numEnvs(2).build()) {
          assertEquals("messages", env.dataPlane());
          StepBuffers b = StepBuffers.allocate(env);
          env.reset(0, b);
          env.step(b);
        }
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
            () -> RemoteVectorEnv.builder(ts.target(), "CartPole-v1").sharedMemory(true).build());
        assertTrue(e.getMessage().contains("could not create its region file"), e.getMessage());
      } finally {
        if (before == null) {
          System.clearProperty("zeroshot.shm.dir");
        } else {
          System.setProperty("zeroshot.shm.dir", before);
        }
      }
      TestServer.await("live envs", ts.server::liveEnvs, 0);
    }
  }

  @Test
  void aSessionEndedByTheServerIsReportedOnTheNextStep() throws Exception {
    try (TestServer ts = new TestServer(ServerLimits.DEFAULTS.withIdleTimeout(java.time.Duration.ofMillis(300)))) {
      RemoteVectorEnv env = RemoteVectorEnv.builder(ts.target(), "CartPole-v1").numEnvs(2).sharedMemory(true).build();
      StepBuffers b = env.sharedBuffers();
      env.reset(0, b);
      for (int t = 0; t < 50; t++) {
        env.step(b); // completions seen in the region; their responses are taken before each next request
      }
      Path path = Path.of(env.sharedMemoryPath());
      TestServer.await("region file deleted after the idle timeout", () -> Files.exists(path) ? 1 : 0, 0);
      io.grpc.StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
          io.grpc.StatusRuntimeException.class, () -> env.step(b));
      assertEquals(io.grpc.Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains("idle"), e.toString());
      env.close();
      TestServer.await("live envs", ts.server::liveEnvs, 0);
    }
  }

  private static SessionRequest make(String id, int n) {
    return SessionRequest.newBuilder().setMake(MakeRequest.newBuilder().setEnvId(id).setNumEnvs(n)
        .setSharedMemory(true)).build();
  }

  private static final SessionRequest RESET =
      SessionRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(1)).build();
  private static final SessionRequest STEP =
      SessionRequest.newBuilder().setStep(StepRequest.getDefaultInstance()).build();

  /** With one step thread the server has a core to spare on 2+ cores, so its doorbells poll before blocking. */
  @ParameterizedTest(name = "server step threads {0}")
  @ValueSource(ints = {1, 2})
  void doorbellStepsNeedTheNonceAndShareTheSequenceWithStepMessages(int threads) throws Exception {
    try (TestServer ts = new TestServer(ServerLimits.DEFAULTS, threads); TestServer.Probe p = ts.probe()) {
      SharedMemory d = p.send(make("CartPole-v1", 2)).getMake().getSharedMemory();
      Path socket = Path.of(d.getDoorbellPath());
      assertEquals(Path.of(d.getPath() + ".sock"), socket);
      assertTrue(Files.exists(socket));
      try (SocketChannel stranger = TestServer.doorbell(d, d.getNonce() + 1)) {
        assertEquals(-1, TestServer.ring(stranger, DoorbellProtocol.STEP), "a connection without the nonce is dropped");
      }
      assertEquals(1, p.send(RESET).getReset().getSequence());
      try (SocketChannel bell = TestServer.doorbell(d, d.getNonce())) {
        TestServer.await("socket file, once the client is in", () -> Files.exists(socket) ? 1 : 0, 0);
        for (long want = 2; want <= 4; want++) {
          assertEquals(DoorbellProtocol.DONE, TestServer.ring(bell, DoorbellProtocol.STEP));
          assertEquals(want, TestServer.sequence(d), "the answer comes after the results are published");
        }
        assertEquals(5, p.send(STEP).getStep().getSequence()); // step messages still work alongside
        assertEquals(DoorbellProtocol.DONE, TestServer.ring(bell, DoorbellProtocol.STEP));
        assertEquals(6, TestServer.sequence(d));
      }
      // the client hung up its doorbell: the session lives on over the stream
      assertEquals(7, p.send(STEP).getStep().getSequence());
      assertEquals(2, ts.server.liveEnvs());
    }
  }

  @Test
  void aSessionCancelledRightAfterADoorbellStepIsFreed() throws Exception {
    try (TestServer ts = new TestServer(ServerLimits.DEFAULTS, 1)) {
      for (int round = 0; round < 20; round++) {
        TestServer.Probe p = ts.probe();
        SharedMemory d = p.send(make("CartPole-v1", 2)).getMake().getSharedMemory();
        p.send(RESET);
        try (SocketChannel bell = TestServer.doorbell(d, d.getNonce())) {
          assertEquals(DoorbellProtocol.DONE, TestServer.ring(bell, DoorbellProtocol.STEP));
          p.cancel(); // the doorbell is most likely polling for the next byte now
          TestServer.await("live envs", ts.server::liveEnvs, 0);
          assertEquals(-1, TestServer.ring(bell, DoorbellProtocol.STEP), "the server closed the doorbell");
        }
        TestServer.await("region file", () -> Files.exists(Path.of(d.getPath())) ? 1 : 0, 0);
      }
      TestServer.await("doorbell threads", TestServer::doorbellThreads, 0);
      TestServer.await("live sessions", ts.server::liveSessions, 0);
    }
  }

  /** Each row: what goes wrong on the doorbell, the status the stream ends with, a word its message must have. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "step before reset, 1, 0, FAILED_PRECONDITION, before reset",
      "action out of range, 1, 7, INVALID_ARGUMENT, 7 out of range for Discrete(2)",
      "unknown request byte, 42, 0, INVALID_ARGUMENT, doorbell byte 42"})
  void badInputOnTheDoorbellEndsOnlyThatSessionWithAStatusNamingIt(String what, int request, long action,
      Status.Code code, String named) throws Exception {
    try (TestServer ts = new TestServer();
        RemoteVectorEnv other = RemoteVectorEnv.builder(ts.target(), "CartPole-v1").numEnvs(3).sharedMemory(true)
            .build();
        TestServer.Probe p = ts.probe()) {
      assertTrue(other.usesDoorbell());
      other.reset(0, other.sharedBuffers());
      SharedMemory d = p.send(make("CartPole-v1", 2)).getMake().getSharedMemory();
      if (!what.equals("step before reset")) {
        p.send(RESET);
      }
      ByteBuffer a = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, action);
      try (FileChannel ch = FileChannel.open(Path.of(d.getPath()), StandardOpenOption.WRITE)) {
        ch.write(a, d.getActionsOffset() + 8); // env 1's action
      }
      try (SocketChannel bell = TestServer.doorbell(d, d.getNonce())) {
        assertEquals(-1, TestServer.ring(bell, request), "the doorbell closes without an answer");
      }
      Status s = p.expectEnd(code);
      assertTrue(s.getDescription().contains(named), s.toString());
      TestServer.await("live envs (the other session's)", ts.server::liveEnvs, 3);
      TestServer.await("region file", () -> Files.exists(Path.of(d.getPath())) ? 1 : 0, 0);
      TestServer.await("socket file", () -> Files.exists(Path.of(d.getDoorbellPath())) ? 1 : 0, 0);
      for (int t = 0; t < 20; t++) {
        other.step(other.sharedBuffers()); // the other session is unaffected
      }
    }
    TestServer.await("doorbell threads", TestServer::doorbellThreads, 0);
  }

  @Test
  void theJavaClientStepsOverTheDoorbellOrTheStreamWithTheSameResults() throws Exception {
    try (TestServer ts = new TestServer();
        RemoteVectorEnv bell = RemoteVectorEnv.builder(ts.target(), "procgen/bigfish-easy-v0").numEnvs(3)
            .sharedMemory(true).build();
        RemoteVectorEnv stream = RemoteVectorEnv.builder(ts.target(), "procgen/bigfish-easy-v0").numEnvs(3)
            .sharedMemory(true).doorbell(false).build()) {
      assertTrue(bell.usesDoorbell());
      assertFalse(stream.usesDoorbell());
      StepBuffers a = bell.sharedBuffers();
      StepBuffers b = stream.sharedBuffers();
      bell.reset(5, a);
      stream.reset(5, b);
      java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
      for (int t = 0; t < 60; t++) {
        for (int i = 0; i < 3; i++) {
          long act = rng.nextInt(15);
          a.setDiscreteAction(i, act);
          b.setDiscreteAction(i, act);
        }
        bell.step(a);
        stream.step(b);
        assertEquals(b.observations(), a.observations(), "observations at step " + t);
        assertEquals(b.results(), a.results(), "results at step " + t);
      }
    }
  }

  @Test
  void filesOfDeadServersAreDeletedAtStart(@TempDir Path dir) throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path stale = Files.createFile(dir.resolve("zeroshot-shm-" + gone.pid() + "-s1-abcd"));
    Path live = Files.createFile(dir.resolve("zeroshot-shm-" + ProcessHandle.current().pid() + "-s2-abcd"));
    Path staleSocket = Files.createFile(dir.resolve("zeroshot-shm-" + gone.pid() + "-s1-abcd.sock"));
    Path other = Files.createFile(dir.resolve("someone-else"));
    assertEquals(2, SharedRegion.deleteStale(dir));
    assertFalse(Files.exists(stale));
    assertFalse(Files.exists(staleSocket));
    assertTrue(Files.exists(live));
    assertTrue(Files.exists(other));
  }
}
