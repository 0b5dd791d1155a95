package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.VectorEnvApi;
import dev.zeroshot.env.context.ContextSampler;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.proto.v1.DescribeEnvRequest;
import dev.zeroshot.proto.v1.ListEnvsRequest;
import dev.zeroshot.proto.v1.UniformSampler;
import dev.zeroshot.wire.Protos;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real server on a loopback port, driven by the real client. */
class EnvServiceIntegrationTest {

  private static TestServer ts;

  @BeforeAll
  static void start() throws Exception {
    ts = new TestServer();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  @Test
  void listEnvsDescribesEveryRegisteredEnv() {
    List<dev.zeroshot.proto.v1.EnvSpec> envs = ts.blocking().listEnvs(ListEnvsRequest.getDefaultInstance()).getEnvsList();
    List<String> ids = new ArrayList<>();
    for (dev.zeroshot.proto.v1.EnvSpec e : envs) {
      ids.add(e.getId());
      assertEquals("NEXT_STEP", e.getAutoresetMode());
    }
    List<String> expected = new ArrayList<>();
    for (EnvSpec s : EnvRegistry.builtin().specs()) {
      expected.add(s.id());
    }
    assertEquals(expected, ids);
    dev.zeroshot.proto.v1.EnvSpec cartPole = envs.get(ids.indexOf("CartPole-v1"));
    assertEquals(new Discrete(2), Protos.space(cartPole.getActionSpace()));
    Box obs = (Box) Protos.space(cartPole.getObservationSpace());
    assertEquals(DType.FLOAT32, obs.dtype());
    assertArrayEquals(new int[] {4}, obs.shape());
    assertEquals(500, cartPole.getMaxEpisodeSteps());
    assertEquals(475.0, cartPole.getRewardThreshold());
    assertEquals(9.8, cartPole.getContextMap().get("gravity"));
    dev.zeroshot.proto.v1.ContextFeature length = cartPole.getContextFeaturesList().stream()
        .filter(f -> f.getName().equals("length")).findFirst().orElseThrow();
    assertEquals(0.5, length.getDefaultValue());
    assertEquals(0.05, length.getLower());
    assertEquals(5.0, length.getUpper());
    assertFalse(length.getDescription().isEmpty());
    assertFalse(length.getInteger(), "a pole's length is real-valued");
    dev.zeroshot.proto.v1.EnvSpec maze = envs.get(ids.indexOf("procgen/maze-easy-v0"));
    assertTrue(maze.getContextFeaturesList().stream().filter(f -> f.getName().equals("num_levels")).findFirst()
        .orElseThrow().getInteger(), "a level count is an integer feature");
    dev.zeroshot.proto.v1.EnvSpec pendulum = envs.get(ids.indexOf("Pendulum-v1"));
    assertFalse(pendulum.hasRewardThreshold());
    assertEquals(Double.POSITIVE_INFINITY, pendulum.getContextFeaturesList().stream()
        .filter(f -> f.getName().equals("g")).findFirst().orElseThrow().getUpper());
  }

  /**
   * The reply must fit gRPC's default 4 MiB receive limit with room to grow: uniform boxes (the
   * Procgen images) travel as two scalars, not 12,288 bounds each. Every space must still decode
   * to exactly the space a local env has.
   */
  @Test
  void listEnvsReplyIsSmallAndEverySpaceRoundTripsExactly() {
    dev.zeroshot.proto.v1.ListEnvsResponse reply = ts.blocking().listEnvs(ListEnvsRequest.getDefaultInstance());
    int size = reply.getSerializedSize();
    System.out.println("ListEnvs reply: " + size + " bytes for " + reply.getEnvsCount() + " envs");
    assertTrue(size < 256 * 1024, "ListEnvs reply is " + size + " bytes, above 256 KB");
    for (dev.zeroshot.proto.v1.EnvSpec wire : reply.getEnvsList()) {
      EnvSpec spec = EnvRegistry.builtin().spec(wire.getId());
      dev.zeroshot.env.Env local = spec.make(spec.contextSpace().defaults(), List.of());
      assertEquals(local.observationSpace(), Protos.space(wire.getObservationSpace()), wire.getId());
      assertEquals(local.actionSpace(), Protos.space(wire.getActionSpace()), wire.getId());
    }
  }

  @Test
  void describeEnvUsesTheContextAndVisibleFeatures() {
    dev.zeroshot.proto.v1.EnvSpec d = ts.blocking().describeEnv(DescribeEnvRequest.newBuilder()
        .setEnvId("CartPole-v1").putContext("length", 0.9).addVisibleContext("length").addVisibleContext("masscart")
        .build());
    assertEquals(0.9, d.getContextMap().get("length"));
    assertEquals(1.0, d.getContextMap().get("masscart"));
    assertArrayEquals(new int[] {6}, Protos.space(d.getObservationSpace()).shape());
  }

  @Test
  void healthAndReflectionServicesAreOn() throws Exception {
    assertEquals(ServingStatus.SERVING, ts.health());
    for (String service : List.of("zeroshot.v1.EnvService", "zeroshot.v1.SweepService", "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection")) {
      assertEquals(ServingStatus.SERVING, HealthGrpc.newBlockingStub(ts.channel)
          .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus(), service);
    }
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> req = ServerReflectionGrpc.newStub(ts.channel).serverReflectionInfo(
        new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse r) {
            answer.complete(r);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    List<String> services = new ArrayList<>();
    for (ServiceResponse s : answer.get(20, TimeUnit.SECONDS).getListServicesResponse().getServiceList()) {
      services.add(s.getName());
    }
    req.onCompleted();
    assertTrue(services.contains("zeroshot.v1.EnvService"), services.toString());
    assertTrue(services.contains("grpc.health.v1.Health"), services.toString());
  }

  @Test
  void fullCartPoleEpisodeOverTheWire() throws Exception {
    try (RemoteVectorEnv env = RemoteVectorEnv.builder(ts.target(), "CartPole-v1").sharedMemory(false).build()) {
      assertEquals("NEXT_STEP", env.spec().getAutoresetMode());
      StepBuffers buf = StepBuffers.allocate(env);
      env.reset(3, buf);
      SplittableRandom policy = new SplittableRandom(3);
      int steps = 0;
      double sum = 0;
      do {
        env.singleActionSpace().sample(policy, buf.actions(), 0);
        env.step(buf);
        steps++;
        sum += buf.reward(0);
      } while (!buf.episodeEnded(0));
      assertTrue(buf.terminated(0) || buf.truncated(0));
      assertEquals(steps, buf.episodeLength(0));
      assertEquals(sum, buf.episodeReturn(0));
      assertEquals(steps, sum, "CartPole pays 1 per step");
      // next-step autoreset: the action is ignored, reward 0, flags false, a fresh observation
      buf.setDiscreteAction(0, 1);
      env.step(buf);
      assertEquals(0.0, buf.reward(0));
      assertFalse(buf.episodeEnded(0));
      for (int j = 0; j < 4; j++) {
        assertTrue(Math.abs(buf.floatObservation(0, j)) <= 0.05f, "a reset state is within +-0.05");
      }
      assertEquals(1, ts.server.liveSessions());
      assertEquals(1, ts.server.liveEnvs());
    }
    TestServer.await("live envs after close", ts.server::liveEnvs, 0);
    TestServer.await("live sessions after close", ts.server::liveSessions, 0);
  }

  @Test
  void cartPoleRemoteAndInProcessAreBitIdentical() {
    EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
    Map<String, Double> ctx = Map.of("length", 0.7, "masspole", 0.2);
    assertSameRun(
        () -> VectorEnv.builder(spec).numEnvs(16).context(spec.contextSpace().with(ctx)).build(),
        () -> RemoteVectorEnv.builder(ts.target(), "CartPole-v1").numEnvs(16).context(ctx).sharedMemory(false).build(),
        7, 700);
  }

  @Test
  void serverSteppingInlineOnItsTransportThreadGivesTheSameBits() throws Exception {
    EnvSpec spec = EnvRegistry.builtin().spec("Acrobot-v1");
    try (TestServer inline = new TestServer(ServerLimits.DEFAULTS, 1)) {
      assertSameRun(
          () -> VectorEnv.builder(spec).numEnvs(5).maxEpisodeSteps(60).build(),
          () -> RemoteVectorEnv.builder(inline.target(), "Acrobot-v1").numEnvs(5).maxEpisodeSteps(60).sharedMemory(false)
              .build(),
          2, 400);
    }
  }

  @Test
  void procgenImageObservationsRemoteAndInProcessAreBitIdentical() {
    EnvSpec spec = EnvRegistry.builtin().spec("procgen/maze-easy-v0");
    assertArrayEquals(new int[] {3, 64, 64}, ((Box) spec.make(spec.contextSpace().defaults()).observationSpace()).shape());
    assertSameRun(
        () -> VectorEnv.builder(spec).numEnvs(4).maxEpisodeSteps(40).build(),
        () -> RemoteVectorEnv.builder(ts.target(), "procgen/maze-easy-v0").numEnvs(4).maxEpisodeSteps(40)
            .sharedMemory(false).build(),
        9, 120);
  }

  @Test
  void pendulumBoxActionsRemoteAndInProcessAreBitIdentical() {
    EnvSpec spec = EnvRegistry.builtin().spec("Pendulum-v1");
    assertSameRun(
        () -> VectorEnv.builder(spec).numEnvs(4).context(spec.contextSpace().with(Map.of("m", 1.3))).build(),
        () -> RemoteVectorEnv.builder(ts.target(), "Pendulum-v1").numEnvs(4).context(Map.of("m", 1.3)).sharedMemory(false)
            .build(),
        11, 450);
  }

  @Test
  void sampledVisibleContextsRemoteAndInProcessAreBitIdentical() {
    EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
    assertSameRun(
        () -> VectorEnv.builder(spec).numEnvs(8)
            .contextSampler(ContextSampler.uniform(spec.contextSpace().defaults(), List.of("length", "masscart")))
            .resampleOnReset(true).visibleContext(List.of("length")).maxEpisodeSteps(50).build(),
        () -> RemoteVectorEnv.builder(ts.target(), "CartPole-v1").numEnvs(8)
            .contextSampler(dev.zeroshot.proto.v1.ContextSampler.newBuilder()
                .setUniform(UniformSampler.newBuilder().addFeatures("length").addFeatures("masscart")).build())
            .resampleOnReset(true).visibleContext(List.of("length")).maxEpisodeSteps(50).sharedMemory(false).build(),
        5, 300);
  }

  @Test
  void sharedMemoryRemoteAndInProcessAreBitIdentical() {
    EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
    Map<String, Double> ctx = Map.of("length", 0.7, "masspole", 0.2);
    // stepping on the region's own buffers (no copy) and on caller buffers (copied in and out)
    for (boolean own : new boolean[] {true, false}) {
      assertSameRun(
          () -> VectorEnv.builder(spec).numEnvs(16).context(spec.contextSpace().with(ctx)).build(),
          () -> RemoteVectorEnv.builder(ts.target(), "CartPole-v1").numEnvs(16).context(ctx).sharedMemory(true).build(),
          7, 700, own);
    }
    EnvSpec maze = EnvRegistry.builtin().spec("procgen/maze-easy-v0");
    for (boolean doorbell : new boolean[] {true, false}) { // steps through the doorbell, or as step messages
      assertSameRun(
          () -> VectorEnv.builder(maze).numEnvs(4).maxEpisodeSteps(40).build(),
          () -> RemoteVectorEnv.builder(ts.target(), "procgen/maze-easy-v0").numEnvs(4).maxEpisodeSteps(40)
              .sharedMemory(true).doorbell(doorbell).build(),
          9, 120, true);
    }
    EnvSpec pendulum = EnvRegistry.builtin().spec("Pendulum-v1");
    assertSameRun(
        () -> VectorEnv.builder(pendulum).numEnvs(4).context(pendulum.contextSpace().with(Map.of("m", 1.3))).build(),
        () -> RemoteVectorEnv.builder(ts.target(), "Pendulum-v1").numEnvs(4).context(Map.of("m", 1.3))
            .sharedMemory(true).build(),
        11, 450, true);
  }

  /**
   * Runs both envs with the same seed and random actions (reset with the seed, later a reset
   * without one) and compares every byte each step produces.
   */
  private static void assertSameRun(Supplier<VectorEnvApi> local, Supplier<VectorEnvApi> remote, long seed, int steps) {
    assertSameRun(local, remote, seed, steps, false);
  }

  /** @param sharedBuffers step the remote env on its shared-memory buffers rather than on allocated ones */
  private static void assertSameRun(Supplier<VectorEnvApi> local, Supplier<VectorEnvApi> remote, long seed, int steps,
      boolean sharedBuffers) {
    List<byte[]> a = record(local, seed, steps, false);
    List<byte[]> b = record(remote, seed, steps, sharedBuffers);
    assertEquals(a.size(), b.size());
    int ended = 0;
    for (int t = 0; t < a.size(); t++) {
      assertArrayEquals(a.get(t), b.get(t), "step " + t + " differs");
    }
    for (byte[] r : a) {
      ended += r[r.length - 1];
    }
    assertTrue(ended > 0, "the run should include finished episodes (autoresets)");
    assertNotEquals(0, a.size());
  }

  private static List<byte[]> record(Supplier<VectorEnvApi> make, long seed, int steps, boolean sharedBuffers) {
    List<byte[]> out = new ArrayList<>();
    try (VectorEnvApi env = make.get()) {
      StepBuffers buf = sharedBuffers ? ((RemoteVectorEnv) env).sharedBuffers() : StepBuffers.allocate(env);
      SplittableRandom policy = new SplittableRandom(seed * 31);
      env.reset(seed, buf);
      out.add(snapshot(buf, 0));
      int endedSoFar = 0;
      for (int t = 0; t < steps; t++) {
        if (t == steps / 2) {
          env.reset(buf); // Gymnasium's reset(seed=None): streams continue
          out.add(snapshot(buf, endedSoFar));
          continue;
        }
        for (int i = 0; i < env.numEnvs(); i++) {
          env.singleActionSpace().sample(policy, buf.actions(), i * buf.actionBytes());
        }
        env.step(buf);
        for (int i = 0; i < env.numEnvs(); i++) {
          endedSoFar += buf.episodeEnded(i) ? 1 : 0;
        }
        out.add(snapshot(buf, endedSoFar));
      }
    }
    return out;
  }

  /** Observations, then per env reward bits, flags and (when ended) the episode's totals. */
  private static byte[] snapshot(StepBuffers buf, int endedSoFar) {
    int n = buf.numEnvs();
    ByteBuffer s = ByteBuffer.allocate(buf.observations().capacity() + n * 24 + 1);
    ByteBuffer obs = buf.observations().duplicate();
    obs.clear();
    s.put(obs);
    for (int i = 0; i < n; i++) {
      s.putLong(Double.doubleToRawLongBits(buf.reward(i)));
      s.put((byte) ((buf.terminated(i) ? 1 : 0) | (buf.truncated(i) ? 2 : 0) | (buf.episodeEnded(i) ? 4 : 0)));
      if (buf.episodeEnded(i)) {
        s.putLong(Double.doubleToRawLongBits(buf.episodeReturn(i)));
        s.putInt(buf.episodeLength(i));
      }
    }
    s.put((byte) Math.min(1, endedSoFar));
    return java.util.Arrays.copyOf(s.array(), s.position());
  }
}
