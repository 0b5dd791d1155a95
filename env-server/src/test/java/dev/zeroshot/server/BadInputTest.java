package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.proto.v1.DType;
import dev.zeroshot.proto.v1.DescribeEnvRequest;
import dev.zeroshot.proto.v1.EnvServiceGrpc;
import dev.zeroshot.proto.v1.MakeRequest;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.SessionResponse;
import dev.zeroshot.proto.v1.SharedMemory;
import dev.zeroshot.proto.v1.StepRequest;
import dev.zeroshot.proto.v1.Tensor;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bad-input table. Each row sends one bad thing and asserts the status code and that the
 * message names the problem; after each row, a bystander session made before it still steps,
 * the server reports SERVING, a new session works, and once the bystander closes the server
 * holds no envs and no sessions (so the bad session was freed too).
 */
class BadInputTest {

  private static final int MAX_SESSIONS = 4;
  private static final int MAX_ENVS = 64;
  private static final int MAX_MESSAGE = 256 * 1024;

  private static TestServer ts;
  private RemoteVectorEnv bystander;
  private StepBuffers bystanderBuf;

  @BeforeAll
  static void start() throws Exception {
    ts = new TestServer(ServerLimits.DEFAULTS.withMaxSessions(MAX_SESSIONS).withMaxEnvsPerSession(MAX_ENVS)
        .withMaxMessageBytes(MAX_MESSAGE).withIdleTimeout(Duration.ZERO));
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  @BeforeEach
  void openBystander() {
    bystander = RemoteVectorEnv.builder(ts.channel, "CartPole-v1").numEnvs(3).build();
    bystanderBuf = StepBuffers.allocate(bystander);
    bystander.reset(1, bystanderBuf);
  }

  @AfterEach
  void serverAndOtherSessionsAreUnaffected() throws Exception {
    for (int t = 0; t < 20; t++) {
      for (int i = 0; i < 3; i++) {
        bystanderBuf.setDiscreteAction(i, t % 2);
      }
      bystander.step(bystanderBuf);
    }
    assertEquals(ServingStatus.SERVING, ts.health());
    try (RemoteVectorEnv fresh = RemoteVectorEnv.builder(ts.channel, "Pendulum-v1").numEnvs(2).build()) {
      StepBuffers b = StepBuffers.allocate(fresh);
      fresh.reset(0, b);
      fresh.step(b);
    }
    bystander.close();
    TestServer.await("live envs", ts.server::liveEnvs, 0);
    TestServer.await("live sessions", ts.server::liveSessions, 0);
  }

  // ---- rows ----

  @Test
  void unknownEnvId() throws Exception {
    Status s = makeFails(MakeRequest.newBuilder().setEnvId("CartPol-v1").setNumEnvs(1), Code.INVALID_ARGUMENT);
    assertMentions(s, "unknown env id 'CartPol-v1'", "CartPole-v1");
  }

  @Test
  void unknownEnvVersionSuggestsTheRegisteredOne() throws Exception {
    Status s = makeFails(MakeRequest.newBuilder().setEnvId("CartPole-v0").setNumEnvs(1), Code.INVALID_ARGUMENT);
    assertMentions(s, "unknown env id 'CartPole-v0'", "did you mean CartPole-v1");
  }

  @Test
  void unknownEnvIdInDescribeEnv() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ts.blocking()
        .describeEnv(DescribeEnvRequest.newBuilder().setEnvId("NoSuchEnv-v3").build()));
    assertEquals(Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertMentions(e.getStatus(), "unknown env id 'NoSuchEnv-v3'");
  }

  @Test
  void unknownContextFeature() throws Exception {
    Status s = makeFails(MakeRequest.newBuilder().setEnvId("CartPole-v1").setNumEnvs(1).putContext("gravty", 9.8),
        Code.INVALID_ARGUMENT);
    assertMentions(s, "unknown context feature 'gravty'", "gravity");
  }

  @Test
  void contextValueOutOfBounds() throws Exception {
    Status s = makeFails(MakeRequest.newBuilder().setEnvId("CartPole-v1").setNumEnvs(1).putContext("masscart", 100),
        Code.INVALID_ARGUMENT);
    assertMentions(s, "masscart", "100.0", "[0.1, 10.0]");
  }

  @Test
  void contextValueNaN() throws Exception {
    Status s = makeFails(MakeRequest.newBuilder().setEnvId("CartPole-v1").setNumEnvs(1)
        .putContext("length", Double.NaN), Code.INVALID_ARGUMENT);
    assertMentions(s, "length", "NaN");
  }

  @Test
  void contextValueInfiniteOnAnUnboundedFeature() throws Exception {
    Status s = makeFails(MakeRequest.newBuilder().setEnvId("CartPole-v1").setNumEnvs(1)
        .putContext("gravity", Double.POSITIVE_INFINITY), Code.INVALID_ARGUMENT);
    assertMentions(s, "'gravity' = Infinity is not finite", "[0.1, inf)");
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ts.blocking().describeEnv(
        DescribeEnvRequest.newBuilder().setEnvId("MountainCar-v0").putContext("force", Double.NEGATIVE_INFINITY)
            .build()));
    assertEquals(Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertMentions(e.getStatus(), "'force' = -Infinity is not finite");
  }

  /** A 10,000-character id or feature name is echoed cut (the status travels in a header a client caps at 8 KiB). */
  @Test
  void hugeIdsAndNamesAreEchoedCut() throws Exception {
    String huge = "X".repeat(10_000);
    Status s = makeFails(MakeRequest.newBuilder().setEnvId(huge + "-v1").setNumEnvs(1), Code.INVALID_ARGUMENT);
    assertMentions(s, "unknown env id '" + "X".repeat(64) + "...' (10003 characters)");
    assertTrue(s.getDescription().length() < 2_000, s.getDescription().length() + " characters");
    s = makeFails(MakeRequest.newBuilder().setEnvId("CartPole-v1").setNumEnvs(1).putContext(huge, 1),
        Code.INVALID_ARGUMENT);
    assertMentions(s, "unknown context feature '" + "X".repeat(64) + "...' (10000 characters)");
    assertTrue(s.getDescription().length() < 2_000, s.getDescription().length() + " characters");
  }

  @Test
  void numEnvsZero() throws Exception {
    Status s = makeFails(MakeRequest.newBuilder().setEnvId("CartPole-v1").setNumEnvs(0), Code.INVALID_ARGUMENT);
    assertMentions(s, "num_envs must be >= 1, got 0");
  }

  @Test
  void numEnvsAboveTheLimit() throws Exception {
    Status s = makeFails(MakeRequest.newBuilder().setEnvId("CartPole-v1").setNumEnvs(MAX_ENVS + 1),
        Code.INVALID_ARGUMENT);
    assertMentions(s, "num_envs " + (MAX_ENVS + 1), "limit of " + MAX_ENVS);
  }

  @Test
  void makeTwiceInOneSession() throws Exception {
    try (TestServer.Probe p = ts.probe()) {
      p.send(make("CartPole-v1", 2));
      Status s = p.sendExpectingError(make("CartPole-v1", 2), Code.FAILED_PRECONDITION);
      assertMentions(s, "already has a vector env");
    }
  }

  @Test
  void stepBeforeMake() throws Exception {
    try (TestServer.Probe p = ts.probe()) {
      Status s = p.sendExpectingError(step(Tensor.getDefaultInstance()), Code.FAILED_PRECONDITION);
      assertMentions(s, "step before make");
    }
  }

  @Test
  void stepBeforeReset() throws Exception {
    try (TestServer.Probe p = ts.probe()) {
      p.send(make("CartPole-v1", 4));
      Status s = p.sendExpectingError(step(int64Actions(0, 1, 0, 1)), Code.FAILED_PRECONDITION);
      assertMentions(s, "step called before reset");
    }
  }

  @Test
  void emptyRequest() throws Exception {
    try (TestServer.Probe p = ts.probe()) {
      Status s = p.sendExpectingError(SessionRequest.getDefaultInstance(), Code.INVALID_ARGUMENT);
      assertMentions(s, "empty SessionRequest");
    }
  }

  @Test
  void actionOfWrongDtype() throws Exception {
    ByteBuffer f = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    Tensor t = Tensor.newBuilder().setDtype(DType.DTYPE_FLOAT32).addShape(4).setData(ByteString.copyFrom(f.array()))
        .build();
    Status s = stepFails("CartPole-v1", 4, t, Code.INVALID_ARGUMENT);
    assertMentions(s, "dtype float32", "Discrete(2)", "int64");
  }

  @Test
  void actionWithoutDtype() throws Exception {
    Tensor t = int64Actions(0, 1, 0, 1).toBuilder().setDtype(DType.DTYPE_UNSPECIFIED).build();
    Status s = stepFails("CartPole-v1", 4, t, Code.INVALID_ARGUMENT);
    assertMentions(s, "DTYPE_UNSPECIFIED");
  }

  @Test
  void actionOfWrongShape() throws Exception {
    Status s = stepFails("CartPole-v1", 4, int64Actions(0, 1, 0), Code.INVALID_ARGUMENT);
    assertMentions(s, "shape [3]", "[4]");
  }

  @Test
  void actionDataOfWrongLength() throws Exception {
    Tensor t = int64Actions(0, 1, 0, 1).toBuilder().setData(ByteString.copyFrom(new byte[31])).build();
    Status s = stepFails("CartPole-v1", 4, t, Code.INVALID_ARGUMENT);
    assertMentions(s, "31 bytes", "needs 32");
  }

  @Test
  void actionOutOfRange() throws Exception {
    Status s = stepFails("CartPole-v1", 4, int64Actions(0, 1, 0, 17), Code.INVALID_ARGUMENT);
    assertEquals("action 17 out of range for Discrete(2) in env 3", s.getDescription());
  }

  @Test
  void actionOutOfRangeWrittenIntoSharedMemory() throws Exception {
    try (TestServer.Probe p = ts.probe()) {
      SessionResponse made = p.send(SessionRequest.newBuilder().setMake(MakeRequest.newBuilder()
          .setEnvId("CartPole-v1").setNumEnvs(4).setSharedMemory(true)).build());
      SharedMemory d = made.getMake().getSharedMemory();
      p.send(SessionRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(0)).build());
      try (FileChannel ch = FileChannel.open(Path.of(d.getPath()), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        ByteBuffer a = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 17);
        ch.write(a, d.getActionsOffset() + 3 * 8);
      }
      Status s = p.sendExpectingError(SessionRequest.newBuilder().setStep(StepRequest.getDefaultInstance()).build(),
          Code.INVALID_ARGUMENT);
      assertEquals("action 17 out of range for Discrete(2) in env 3", s.getDescription());
      TestServer.await("region file deleted", () -> Files.exists(Path.of(d.getPath())) ? 1 : 0, 0);
    }
  }

  @Test
  void stepWithoutActionsOutsideSharedMemory() throws Exception {
    try (TestServer.Probe p = ts.probe()) {
      p.send(make("CartPole-v1", 2));
      p.send(SessionRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(0)).build());
      Status s = p.sendExpectingError(SessionRequest.newBuilder().setStep(StepRequest.getDefaultInstance()).build(),
          Code.INVALID_ARGUMENT);
      assertMentions(s, "step has no actions tensor");
    }
  }

  @Test
  void negativeDiscreteAction() throws Exception {
    Status s = stepFails("MountainCar-v0", 2, int64Actions(-1, 0), Code.INVALID_ARGUMENT);
    assertMentions(s, "action -1 out of range for Discrete(3) in env 0");
  }

  @Test
  void nanActionForBox() throws Exception {
    Status s = stepFails("Pendulum-v1", 2, float32Actions(0.5f, Float.NaN), Code.INVALID_ARGUMENT);
    assertMentions(s, "NaN", "env 1");
  }

  @Test
  void boxActionOutOfRange() throws Exception {
    Status s = stepFails("Pendulum-v1", 2, float32Actions(2.5f, 0f), Code.INVALID_ARGUMENT);
    assertMentions(s, "2.5", "outside [-2.0, 2.0]", "env 0");
  }

  @Test
  void remoteClientRefusesBadActionsLikeTheInProcessEnvAndStaysUsable() {
    String inProcess;
    try (VectorEnv local = EnvRegistry.builtin().vector("CartPole-v1").numEnvs(4).threads(1).build()) {
      StepBuffers b = StepBuffers.allocate(local);
      local.reset(0, b);
      b.setDiscreteAction(2, 5);
      inProcess = assertThrows(IllegalArgumentException.class, () -> local.step(b)).getMessage();
    }
    try (RemoteVectorEnv remote = RemoteVectorEnv.builder(ts.channel, "CartPole-v1").numEnvs(4).build()) {
      StepBuffers b = StepBuffers.allocate(remote);
      assertEquals("step called before reset",
          assertThrows(IllegalStateException.class, () -> remote.step(b)).getMessage());
      remote.reset(0, b);
      b.setDiscreteAction(2, 5);
      assertEquals(inProcess, assertThrows(IllegalArgumentException.class, () -> remote.step(b)).getMessage());
      b.setDiscreteAction(2, 1);
      remote.step(b);
    }
  }

  @Test
  void oversizedMessage() throws Exception {
    try (TestServer.Probe p = ts.probe()) {
      p.send(make("CartPole-v1", 4));
      p.send(SessionRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(0)).build());
      Tensor huge = Tensor.newBuilder().setDtype(DType.DTYPE_INT64).addShape(4)
          .setData(ByteString.copyFrom(new byte[MAX_MESSAGE + 1000])).build();
      Status s = p.sendExpectingError(step(huge), Code.RESOURCE_EXHAUSTED);
      assertMentions(s, "request of " + step(huge).getSerializedSize() + " bytes", "max message size of " + MAX_MESSAGE + " bytes");
    }
  }

  @Test
  void makeWhoseStepResultsWouldExceedTheMessageLimit() throws Exception {
    // 64 Acrobot envs: fine; the limit is about bytes, so shrink it with a dedicated server
    try (TestServer small = new TestServer(ServerLimits.DEFAULTS.withMaxMessageBytes(2048));
        TestServer.Probe p = small.probe()) {
      Status s = p.sendExpectingError(make("CartPole-v1", 64), Code.INVALID_ARGUMENT);
      assertMentions(s, "num_envs 64", "max message size of 2048 bytes");
      TestServer.await("live envs", small.server::liveEnvs, 0);
    }
  }

  @Test
  void tooManySessions() throws Exception {
    List<TestServer.Probe> open = new ArrayList<>();
    try {
      for (int k = 1; k < MAX_SESSIONS; k++) { // the bystander holds one
        TestServer.Probe p = ts.probe();
        open.add(p);
        p.send(make("CartPole-v1", 1));
      }
      assertEquals(MAX_SESSIONS, ts.server.liveSessions());
      try (TestServer.Probe extra = ts.probe()) {
        extra.requests.onNext(make("CartPole-v1", 1));
        Status s = extra.expectEnd(Code.RESOURCE_EXHAUSTED);
        assertMentions(s, "too many sessions", "allows " + MAX_SESSIONS);
      }
    } finally {
      for (TestServer.Probe p : open) {
        p.close();
      }
    }
    TestServer.await("live sessions", ts.server::liveSessions, 1);
  }

  @Test
  void garbageBytesOnTheStream() throws Exception {
    MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
        .setFullMethodName(EnvServiceGrpc.getSessionMethod().getFullMethodName())
        .setRequestMarshaller(RawBytes.MARSHALLER).setResponseMarshaller(RawBytes.MARSHALLER).build();
    ClientCall<byte[], byte[]> call = ts.channel.newCall(raw, CallOptions.DEFAULT);
    CompletableFuture<Status> closed = new CompletableFuture<>();
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        closed.complete(status);
      }
    }, new Metadata());
    call.request(1);
    call.sendMessage("this is not a protobuf message".getBytes(StandardCharsets.US_ASCII));
    Status s = closed.get(20, TimeUnit.SECONDS);
    assertEquals(Code.INVALID_ARGUMENT, s.getCode(), s.toString());
    assertMentions(s, "not a valid zeroshot.v1.SessionRequest");
  }

  // ---- helpers ----


  private static Status makeFails(MakeRequest.Builder m, Code code) throws InterruptedException {
    try (TestServer.Probe p = ts.probe()) {
      return p.sendExpectingError(SessionRequest.newBuilder().setMake(m).build(), code);
    }
  }

  private static Status stepFails(String envId, int n, Tensor actions, Code code) throws InterruptedException {
    try (TestServer.Probe p = ts.probe()) {
      p.send(make(envId, n));
      p.send(SessionRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(0)).build());
      return p.sendExpectingError(step(actions), code);
    }
  }

  private static SessionRequest make(String envId, int n) {
    return SessionRequest.newBuilder().setMake(MakeRequest.newBuilder().setEnvId(envId).setNumEnvs(n)).build();
  }

  private static SessionRequest step(Tensor actions) {
    return SessionRequest.newBuilder().setStep(StepRequest.newBuilder().setActions(actions)).build();
  }

  private static Tensor int64Actions(long... a) {
    ByteBuffer b = ByteBuffer.allocate(8 * a.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : a) {
      b.putLong(v);
    }
    return Tensor.newBuilder().setDtype(DType.DTYPE_INT64).addShape(a.length).setData(ByteString.copyFrom(b.array()))
        .build();
  }

  private static Tensor float32Actions(float... a) {
    ByteBuffer b = ByteBuffer.allocate(4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : a) {
      b.putFloat(v);
    }
    return Tensor.newBuilder().setDtype(DType.DTYPE_FLOAT32).addShape(a.length).addShape(1)
        .setData(ByteString.copyFrom(b.array())).build();
  }

  private static void assertMentions(Status s, String... parts) {
    String d = String.valueOf(s.getDescription());
    for (String p : parts) {
      assertTrue(d.contains(p), "status message '" + d + "' should mention '" + p + "'");
    }
  }
}
