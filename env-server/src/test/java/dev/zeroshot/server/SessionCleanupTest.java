package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.proto.v1.DType;
import dev.zeroshot.proto.v1.EnvServiceGrpc;
import dev.zeroshot.proto.v1.MakeRequest;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.SessionResponse;
import dev.zeroshot.proto.v1.StepRequest;
import dev.zeroshot.proto.v1.Tensor;
import dev.zeroshot.wire.DoorbellProtocol;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Everything a session made is freed when its stream ends, however it ends: the server's live
 * env and session counts return to zero.
 */
class SessionCleanupTest {

  private static final int ENVS = 32;

  /** The shared-memory region file of the last session {@link #midEpisode} made with shared memory. */
  private Path region;
  /** Its doorbell socket file, and the connection {@link #midEpisode} rang it on. */
  private Path socket;
  private SocketChannel bell;

  /**
   * A session mid-episode: made, reset, stepped a few times; with {@code shared}, on the
   * shared-memory data plane (actions left in the region, steps without tensors).
   */
  private TestServer.Probe midEpisode(TestServer ts, EnvServiceGrpc.EnvServiceStub stub, boolean shared)
      throws Exception {
    TestServer.Probe p = new TestServer.Probe(stub);
    SessionResponse made = p.send(SessionRequest.newBuilder().setMake(MakeRequest.newBuilder().setEnvId("CartPole-v1")
        .setNumEnvs(ENVS).setSharedMemory(shared)).build());
    region = shared ? Path.of(made.getMake().getSharedMemory().getPath()) : null;
    p.send(SessionRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(1)).build());
    if (shared) { // steps through the doorbell too, and keeps it connected
      socket = Path.of(made.getMake().getSharedMemory().getDoorbellPath());
      bell = TestServer.doorbell(made.getMake().getSharedMemory(), made.getMake().getSharedMemory().getNonce());
      assertEquals(DoorbellProtocol.DONE, TestServer.ring(bell, DoorbellProtocol.STEP));
    }
    Tensor actions = Tensor.newBuilder().setDtype(DType.DTYPE_INT64).addShape(ENVS)
        .setData(ByteString.copyFrom(new byte[8 * ENVS])).build();
    for (int t = 0; t < 5; t++) {
      StepRequest.Builder step = StepRequest.newBuilder();
      if (!shared) {
        step.setActions(actions);
      }
      p.send(SessionRequest.newBuilder().setStep(step).build());
    }
    assertEquals(ENVS, ts.server.liveEnvs());
    assertEquals(1, ts.server.liveSessions());
    if (shared) {
      assertTrue(Files.exists(region), region + " should exist while the session lives");
    }
    return p;
  }

  /** The server holds nothing of the session any more: no envs, no session, no region file. */
  private void awaitFreed(TestServer ts) throws InterruptedException {
    TestServer.await("live envs", ts.server::liveEnvs, 0);
    TestServer.await("live sessions", ts.server::liveSessions, 0);
    if (region != null) {
      Path r = region;
      TestServer.await("region file " + r + " exists", () -> Files.exists(r) ? 1 : 0, 0);
      Path sock = socket;
      TestServer.await("doorbell socket " + sock + " exists", () -> Files.exists(sock) ? 1 : 0, 0);
      assertEquals(-1, TestServer.ring(bell, DoorbellProtocol.STEP), "the server closed the doorbell");
      TestServer.await("doorbell threads", TestServer::doorbellThreads, 0);
    }
  }

  @ParameterizedTest(name = "shared memory {0}")
  @ValueSource(booleans = {false, true})
  void clientCancelMidEpisodeFreesTheEnvs(boolean shared) throws Exception {
    try (TestServer ts = new TestServer()) {
      TestServer.Probe p = midEpisode(ts, EnvServiceGrpc.newStub(ts.channel), shared);
      p.cancel();
      awaitFreed(ts);
    }
  }

  @ParameterizedTest(name = "shared memory {0}")
  @ValueSource(booleans = {false, true})
  void droppedChannelMidEpisodeFreesTheEnvs(boolean shared) throws Exception {
    try (TestServer ts = new TestServer()) {
      ManagedChannel own = RemoteVectorEnv.channel(ts.target(), 1 << 20);
      midEpisode(ts, EnvServiceGrpc.newStub(own), shared);
      own.shutdownNow(); // as a crashed client: the connection just goes away
      awaitFreed(ts);
    }
  }

  @ParameterizedTest(name = "shared memory {0}")
  @ValueSource(booleans = {false, true})
  void clientHalfCloseWithoutCloseRequestFreesTheEnvs(boolean shared) throws Exception {
    try (TestServer ts = new TestServer()) {
      TestServer.Probe p = midEpisode(ts, EnvServiceGrpc.newStub(ts.channel), shared);
      p.requests.onCompleted();
      assertEquals(Status.Code.OK, ((Status) p.next()).getCode());
      awaitFreed(ts);
    }
  }

  @ParameterizedTest(name = "shared memory {0}")
  @ValueSource(booleans = {false, true})
  void expiredDeadlineFreesTheEnvs(boolean shared) throws Exception {
    try (TestServer ts = new TestServer()) {
      TestServer.Probe p = midEpisode(ts, EnvServiceGrpc.newStub(ts.channel).withDeadlineAfter(5, TimeUnit.SECONDS), shared);
      Status s = p.expectEnd(Status.Code.DEADLINE_EXCEEDED);
      assertTrue(s.getCode() == Status.Code.DEADLINE_EXCEEDED);
      awaitFreed(ts);
    }
  }

  @ParameterizedTest(name = "shared memory {0}")
  @ValueSource(booleans = {false, true})
  void idleSessionIsEndedAndFreed(boolean shared) throws Exception {
    try (TestServer ts = new TestServer(ServerLimits.DEFAULTS.withIdleTimeout(Duration.ofSeconds(1)))) {
      TestServer.Probe p = midEpisode(ts, EnvServiceGrpc.newStub(ts.channel), shared);
      Status s = p.expectEnd(Status.Code.DEADLINE_EXCEEDED);
      assertTrue(s.getDescription().contains("idle"), s.toString());
      awaitFreed(ts);
    }
  }

  @Test
  void remoteEnvCloseFreesTheEnvs() throws Exception {
    try (TestServer ts = new TestServer()) {
      RemoteVectorEnv env = RemoteVectorEnv.builder(ts.target(), "Acrobot-v1").numEnvs(ENVS).sharedMemory(false).build();
      StepBuffers b = StepBuffers.allocate(env);
      env.reset(0, b);
      env.step(b);
      assertEquals(ENVS, ts.server.liveEnvs());
      env.close();
      TestServer.await("live envs", ts.server::liveEnvs, 0);
      assertThrows(IllegalStateException.class, () -> env.step(b));
    }
  }

  @Test
  void gracefulShutdownLetsOpenSessionsFinishThenStops() throws Exception {
    TestServer ts = new TestServer(ServerLimits.DEFAULTS.withDrainTimeout(Duration.ofSeconds(30)));
    try {
      RemoteVectorEnv env = RemoteVectorEnv.builder(ts.channel, "CartPole-v1").numEnvs(4).build();
      StepBuffers b = StepBuffers.allocate(env);
      env.reset(0, b);
      Thread drain = new Thread(() -> {
        try {
          ts.server.shutdownGracefully();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      drain.start();
      // new sessions are refused while draining...
      TestServer.await("draining", () -> refusesNewSessions(ts) ? 1 : 0, 1);
      // ...health says NOT_SERVING, on the open connection and on a new one (the port still listens)...
      assertEquals(HealthCheckResponse.ServingStatus.NOT_SERVING, ts.health());
      io.grpc.ManagedChannel fresh = RemoteVectorEnv.channel(ts.target(), 1 << 20);
      try {
        assertEquals(HealthCheckResponse.ServingStatus.NOT_SERVING, HealthGrpc.newBlockingStub(fresh)
            .withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus());
      } finally {
        fresh.shutdownNow();
      }
      // ...while the open one keeps stepping
      for (int t = 0; t < 10; t++) {
        env.step(b);
      }
      env.close();
      drain.join(TimeUnit.SECONDS.toMillis(30));
      assertTrue(!drain.isAlive(), "shutdown should finish once the last session closed");
      awaitFreed(ts);
    } finally {
      ts.close();
    }
  }

  @ParameterizedTest(name = "shared memory {0}")
  @ValueSource(booleans = {false, true})
  void drainTimeoutCancelsLingeringSessions(boolean shared) throws Exception {
    TestServer ts = new TestServer(ServerLimits.DEFAULTS.withDrainTimeout(Duration.ofMillis(200)));
    try {
      TestServer.Probe p = midEpisode(ts, EnvServiceGrpc.newStub(ts.channel), shared);
      ts.server.shutdownGracefully();
      awaitFreed(ts);
      Object end = p.next();
      assertTrue(end instanceof Status s && !s.isOk(), "the lingering session ends with an error: " + end);
    } finally {
      ts.close();
    }
  }

  private static boolean refusesNewSessions(TestServer ts) {
    try (RemoteVectorEnv probe = RemoteVectorEnv.builder(ts.channel, "CartPole-v1").build()) {
      return false;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() == Status.Code.UNAVAILABLE;
    }
  }

  /** The real command in its own JVM: prints its port, serves, and on SIGTERM drains and exits. */
  @Test
  void serveCommandPrintsItsPortAndDrainsOnSigterm() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process proc = new ProcessBuilder(java, "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"),
        "dev.zeroshot.cli.Zeroshot",
        "serve", "--port", "0", "--drain-timeout", "20").redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
      Pattern listening = Pattern.compile("zeroshot serve: listening on 127\\.0\\.0\\.1:(\\d+)");
      int port = -1;
      StringBuilder seen = new StringBuilder();
      for (String line; port < 0 && (line = out.readLine()) != null; ) {
        seen.append(line).append('\n');
        Matcher m = listening.matcher(line);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
      }
      assertTrue(port > 0, "no port line in:\n" + seen);
      Path shm;
      try (RemoteVectorEnv env = RemoteVectorEnv.builder("127.0.0.1:" + port, "CartPole-v1").numEnvs(2).sharedMemory(false)
          .build();
          RemoteVectorEnv shared = RemoteVectorEnv.builder("127.0.0.1:" + port, "CartPole-v1").numEnvs(2)
              .sharedMemory(true).build()) {
        shm = Path.of(shared.sharedMemoryPath());
        StepBuffers b = StepBuffers.allocate(env);
        env.reset(0, b);
        env.step(b);
        shared.reset(0, shared.sharedBuffers());
        sigterm(proc); // the server drains: these open sessions may finish their work
        for (int t = 0; t < 5; t++) {
          env.step(b);
          shared.step(shared.sharedBuffers());
        }
        assertTrue(Files.exists(shm));
      }
      assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "server should exit after the drain");
      assertFalse(Files.exists(shm), shm + " should be deleted when its session ends");
      StringBuilder rest = new StringBuilder(seen);
      for (String line; (line = out.readLine()) != null; ) {
        rest.append(line).append('\n');
      }
      assertTrue(rest.toString().contains("server stopped liveSessions=0 liveEnvs=0"), rest.toString());
      assertEquals(143, proc.exitValue(), "exit status after SIGTERM (128 + 15)");
    } finally {
      proc.destroyForcibly();
    }
  }

  private static void sigterm(Process proc) throws Exception {
    // Process.destroy() would also close our end of its output; kill(1) only signals.
    assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(proc.pid())).start().waitFor());
  }
}
