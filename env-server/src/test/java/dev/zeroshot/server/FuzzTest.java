package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.offline.CollectionPolicy;
import dev.zeroshot.offline.Collector;
import dev.zeroshot.offline.DatasetId;
import dev.zeroshot.offline.DatasetInfo;
import dev.zeroshot.offline.DatasetWriter;
import dev.zeroshot.proto.v1.CloseRequest;
import dev.zeroshot.proto.v1.ContextSampler;
import dev.zeroshot.proto.v1.DType;
import dev.zeroshot.proto.v1.DatasetServiceGrpc;
import dev.zeroshot.proto.v1.DescribeDatasetRequest;
import dev.zeroshot.proto.v1.DescribeEnvRequest;
import dev.zeroshot.proto.v1.EnvServiceGrpc;
import dev.zeroshot.proto.v1.ListDatasetsRequest;
import dev.zeroshot.proto.v1.ListEnvsRequest;
import dev.zeroshot.proto.v1.MakeRequest;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.RunSweep;
import dev.zeroshot.proto.v1.SampleTransitionsRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.SimulateSweep;
import dev.zeroshot.proto.v1.StartSweepRequest;
import dev.zeroshot.proto.v1.StepRequest;
import dev.zeroshot.proto.v1.StreamEpisodesRequest;
import dev.zeroshot.proto.v1.SweepRequest;
import dev.zeroshot.proto.v1.SweepServiceGrpc;
import dev.zeroshot.proto.v1.SweepState;
import dev.zeroshot.proto.v1.Tensor;
import dev.zeroshot.proto.v1.UniformSampler;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 16, "what it must show": a seeded fuzz test over every RPC of the three services. Valid
 * requests are mutated (fields set to extremes, bytes flipped, cut or added) and sent to a real
 * server on loopback; no answer may be UNKNOWN or INTERNAL, nothing a client sends may put a
 * stack trace in the server's log, and once the clients are gone no session or env is left.
 * The seed fixes every case, so a failure is replayed by running the test again; it names the
 * case and the request's bytes.
 */
class FuzzTest {

  private static final long SEED = 16;
  private static final int CASES = 2400;
  private static final String DATASET = "test/cartpole-random-v0";

  @TempDir
  Path datasets;

  @Test
  void mutatedRequestsOfEveryRpcGetAClearStatusAndLeaveNothingBehind() throws Exception {
    DatasetId id = DatasetId.parse(DATASET);
    var probe = EnvRegistry.builtin().make("CartPole-v1");
    try (DatasetWriter w = DatasetWriter.create(id.dataDir(datasets), new DatasetInfo(id, probe.observationSpace(),
        probe.actionSpace(), "random", "fuzz", null, null, Map.of()))) {
      new Collector("CartPole-v1", EnvRegistry.builtin().spec("CartPole-v1").contextSpace().defaults(), 2, 1)
          .collect(CollectionPolicy.random(), 200, w, null, () -> false);
    }
    // small limits, so that a mutated num_envs or message stays cheap; a short make timeout
    ServerLimits limits = ServerLimits.DEFAULTS.withMaxEnvsPerSession(64).withMaxMessageBytes(1 << 20)
        .withMakeTimeout(Duration.ofSeconds(2));
    LogWatch log = LogWatch.start();
    Map<String, Integer> codes = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    long started = System.nanoTime();
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, limits, 1, datasets).start()) {
      ManagedChannel ch = RemoteVectorEnv.channel("127.0.0.1:" + server.port(), 64 << 20);
      try {
        Random rnd = new Random(SEED);
        Mutator mutator = new Mutator(rnd);
        List<String> sweepIds = new ArrayList<>();
        for (int c = 0; c < CASES; c++) {
          Case k = nextCase(c, rnd, mutator, sweepIds);
          Outcome o = run(ch, k);
          codes.merge(k.name + " " + o.status.getCode(), 1, Integer::sum);
          if (o.status.getCode() == Status.Code.UNKNOWN || o.status.getCode() == Status.Code.INTERNAL) {
            failures.add("case " + c + " " + k.name + ": " + o.status + " for requests " + k.hex());
          }
          if (k.name.equals("StartSweep") && o.sweepId != null && sweepIds.size() < 50) {
            sweepIds.add(o.sweepId);
          }
        }
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      TestServer.await("live sessions", server::liveSessions, 0);
      TestServer.await("live envs", server::liveEnvs, 0);
    } finally {
      log.stop();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("fuzz: %d cases in %.1f s, seed %d; answers: %s%n", CASES, seconds, SEED, codes);
    assertTrue(failures.isEmpty(), failures.size() + " UNKNOWN or INTERNAL answers:\n" + String.join("\n",
        failures.subList(0, Math.min(20, failures.size()))));
    List<String> traces = log.stackTraces();
    assertTrue(traces.isEmpty(), traces.size() + " stack traces in the server's log for clients' mistakes, such as "
        + traces.subList(0, Math.min(5, traces.size())) + "; answers: " + codes);
    assertTrue(codes.keySet().stream().anyMatch(k -> k.endsWith(" OK")), "some cases are answered normally: " + codes);
    assertTrue(codes.keySet().stream().anyMatch(k -> k.endsWith(" INVALID_ARGUMENT")), "some are refused: " + codes);
  }

  // ---- the cases ----

  /** One call: its method (requests and replies as bytes), the requests, and how many replies to read. */
  private record Case(String name, MethodDescriptor<byte[], byte[]> method, List<byte[]> requests, int maxReplies,
      boolean halfClose) {
    String hex() {
      StringBuilder b = new StringBuilder();
      for (byte[] r : requests) {
        b.append(b.length() == 0 ? "" : " | ").append(java.util.HexFormat.of().formatHex(r));
      }
      return b.toString();
    }
  }

  private static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> m) {
    return m.toBuilder(RawBytes.MARSHALLER, RawBytes.MARSHALLER).build();
  }

  private static Case nextCase(int c, Random rnd, Mutator m, List<String> sweepIds) {
    switch (c % 12) {
      case 0:
        if (c % 48 == 0) { // one in four rounds: the answer describes every env (4.4 MB), which takes a while
          return unary("ListEnvs", EnvServiceGrpc.getListEnvsMethod(), m.mutate(ListEnvsRequest.getDefaultInstance()));
        }
        // fall through
      case 1:
        return unary("DescribeEnv", EnvServiceGrpc.getDescribeEnvMethod(), m.mutate(DescribeEnvRequest.newBuilder()
            .setEnvId(rnd.nextBoolean() ? "CartPole-v1" : "procgen/maze-easy-v0").putContext(rnd.nextBoolean()
                ? "length" : "gravity", 0.7).addVisibleContext("length").build()));
      case 2:
      case 3:
      case 4:
        return session(rnd, m);
      case 5:
        return unary("StartSweep", SweepServiceGrpc.getStartSweepMethod(), m.mutate(rnd.nextInt(4) == 0
            ? StartSweepRequest.newBuilder().setRun(RunSweep.newBuilder().setEnvId("CartPole-v1").setFeature("length")
                .setRangeFrom(0.1).setRangeTo(2.0).setTasks(4).setBudget(2).setStepsPerTask(1024)).build()
            : StartSweepRequest.newBuilder().setSimulate(simulate(rnd)).build()));
      case 6:
        return unary("GetSweep", SweepServiceGrpc.getGetSweepMethod(), m.mutate(sweep(rnd, sweepIds)));
      case 7:
        return streaming("WatchSweep", SweepServiceGrpc.getWatchSweepMethod(), m.mutate(sweep(rnd, sweepIds)), 3);
      case 8:
        return unary("CancelSweep", SweepServiceGrpc.getCancelSweepMethod(), m.mutate(sweep(rnd, sweepIds)));
      case 9:
        return rnd.nextBoolean()
            ? unary("ListDatasets", DatasetServiceGrpc.getListDatasetsMethod(),
                m.mutate(ListDatasetsRequest.getDefaultInstance()))
            : unary("DescribeDataset", DatasetServiceGrpc.getDescribeDatasetMethod(),
                m.mutate(DescribeDatasetRequest.newBuilder().setDatasetId(DATASET).build()));
      case 10:
        return streaming("StreamEpisodes", DatasetServiceGrpc.getStreamEpisodesMethod(), m.mutate(
            StreamEpisodesRequest.newBuilder().setDatasetId(DATASET).setStart(1).setCount(2).build()), 3);
      default:
        return streaming("SampleTransitions", DatasetServiceGrpc.getSampleTransitionsMethod(), m.mutate(
            SampleTransitionsRequest.newBuilder().setDatasetId(DATASET).setBatchSize(8).setNumBatches(2)
                .setSeed(rnd.nextInt(100)).build()), 3);
    }
  }

  private static Case unary(String name, MethodDescriptor<?, ?> method, byte[] request) {
    return new Case(name, raw(method), List.of(request), 1, true);
  }

  private static Case streaming(String name, MethodDescriptor<?, ?> method, byte[] request, int maxReplies) {
    return new Case(name, raw(method), List.of(request), maxReplies, true);
  }

  private static SimulateSweep.Builder simulate(Random rnd) {
    int n = 4;
    SimulateSweep.Builder b = SimulateSweep.newBuilder().setN(n).setSteps(2).addStrategies("greedy")
        .addStrategies(rnd.nextBoolean() ? "random" : "mbtl").setSeed(rnd.nextInt(10));
    for (int i = 0; i < n * n; i++) {
      b.addMatrix(rnd.nextDouble());
    }
    return b;
  }

  private static SweepRequest sweep(Random rnd, List<String> ids) {
    String id = ids.isEmpty() || rnd.nextInt(4) == 0 ? "sweep-none" : ids.get(rnd.nextInt(ids.size()));
    return SweepRequest.newBuilder().setSweepId(id).build();
  }

  /** A Session: make, reset, a few steps, close, each valid or mutated; the stream is half-closed or cancelled. */
  private static Case session(Random rnd, Mutator m) {
    String env = switch (rnd.nextInt(4)) {
      case 0 -> "Pendulum-v1";
      case 1 -> "procgen/maze-easy-v0";
      default -> "CartPole-v1";
    };
    int n = 1 + rnd.nextInt(4);
    MakeRequest.Builder make = MakeRequest.newBuilder().setEnvId(env).setNumEnvs(n).setMaxEpisodeSteps(20);
    if (env.equals("CartPole-v1")) {
      make.putContext("length", 0.7).addVisibleContext("length");
      if (rnd.nextBoolean()) {
        make.setSampler(ContextSampler.newBuilder().setUniform(UniformSampler.newBuilder().addFeatures("length")));
      }
    }
    make.setSharedMemory(rnd.nextInt(8) == 0);
    List<SessionRequest> valid = new ArrayList<>();
    valid.add(SessionRequest.newBuilder().setMake(make).build());
    valid.add(SessionRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(rnd.nextInt(100))).build());
    int steps = rnd.nextInt(4);
    for (int t = 0; t < steps; t++) {
      valid.add(SessionRequest.newBuilder().setStep(StepRequest.newBuilder().setActions(actions(env, n, rnd))).build());
    }
    if (rnd.nextBoolean()) {
      valid.add(SessionRequest.newBuilder().setClose(CloseRequest.getDefaultInstance()).build());
    }
    List<byte[]> requests = new ArrayList<>();
    for (SessionRequest r : valid) {
      requests.add(rnd.nextInt(3) == 0 ? m.mutate(r) : r.toByteArray());
    }
    return new Case("Session", raw(EnvServiceGrpc.getSessionMethod()), requests, requests.size(), rnd.nextBoolean());
  }

  private static Tensor actions(String env, int n, Random rnd) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    if (env.equals("Pendulum-v1")) {
      for (int i = 0; i < n; i++) {
        b.putFloat((float) (rnd.nextDouble() * 4 - 2));
      }
      return Tensor.newBuilder().setDtype(DType.DTYPE_FLOAT32).addShape(n).addShape(1)
          .setData(ByteString.copyFrom(b.array(), 0, 4 * n)).build();
    }
    int actionsOf = env.equals("CartPole-v1") ? 2 : 15;
    for (int i = 0; i < n; i++) {
      b.putLong(rnd.nextInt(actionsOf));
    }
    return Tensor.newBuilder().setDtype(DType.DTYPE_INT64).addShape(n).setData(ByteString.copyFrom(b.array())).build();
  }

  // ---- running a case ----

  /** The status a case ended with (OK when the client stopped reading first), and a started sweep's id. */
  private record Outcome(Status status, String sweepId) {}

  private static Outcome run(ManagedChannel ch, Case k) throws InterruptedException {
    LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    ClientCall<byte[], byte[]> call = ch.newCall(k.method, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(byte[] message) {
        events.add(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        events.add(status);
      }
    }, new Metadata());
    call.request(Integer.MAX_VALUE);
    if (k.method.getType() == MethodDescriptor.MethodType.BIDI_STREAMING) {
      for (byte[] r : k.requests) { // a session answers each request in turn, or ends
        call.sendMessage(r);
        Object e = events.poll(20, TimeUnit.SECONDS);
        if (e == null) {
          call.cancel("the fuzz test stops waiting", null);
          return new Outcome(Status.DEADLINE_EXCEEDED.withDescription("no answer within 20 s"), null);
        }
        if (e instanceof Status s) {
          return new Outcome(s, null);
        }
      }
      if (!k.halfClose) {
        call.cancel("the fuzz test goes away", null); // the client vanishes mid-session
        return new Outcome(Status.OK, null);
      }
    } else {
      call.sendMessage(k.requests.get(0));
    }
    call.halfClose();
    String sweepId = null;
    int replies = 0;
    while (true) {
      Object e = events.poll(20, TimeUnit.SECONDS);
      if (e == null) {
        call.cancel("the fuzz test stops waiting", null);
        return new Outcome(Status.DEADLINE_EXCEEDED.withDescription("no answer within 20 s"), null);
      }
      if (e instanceof Status s) {
        return new Outcome(s, sweepId);
      }
      if (k.name.equals("StartSweep")) {
        try {
          sweepId = SweepState.parseFrom((byte[]) e).getSweepId();
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      }
      if (++replies >= k.maxReplies && k.method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING) {
        call.cancel("the fuzz test has read enough", null);
        return new Outcome(Status.OK, null);
      }
    }
  }

  // ---- mutations ----

  /** Mutates a valid request: one to three changes to its fields, or to its serialized bytes. */
  static final class Mutator {
    private final Random rnd;

    Mutator(Random rnd) {
      this.rnd = rnd;
    }

    byte[] mutate(Message valid) {
      if (rnd.nextInt(8) == 0) {
        return valid.toByteArray(); // some stay valid
      }
      Message m = valid;
      int changes = 1 + rnd.nextInt(3);
      for (int i = 0; i < changes && rnd.nextInt(4) != 0; i++) {
        m = mutateField(m, 0);
      }
      byte[] bytes = m.toByteArray();
      return rnd.nextInt(4) == 0 ? mutateBytes(bytes) : bytes;
    }

    private Message mutateField(Message m, int depth) {
      List<FieldDescriptor> fields = m.getDescriptorForType().getFields();
      if (fields.isEmpty()) {
        return m;
      }
      FieldDescriptor f = fields.get(rnd.nextInt(fields.size()));
      Message.Builder b = m.toBuilder();
      if (f.isMapField() || f.isRepeated()) {
        if (rnd.nextInt(3) == 0) {
          b.clearField(f);
        } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
          Message.Builder e = b.newBuilderForField(f);
          Message entry = mutateField(e.build(), depth + 1);
          b.addRepeatedField(f, mutateField(entry, depth + 1));
        } else {
          b.addRepeatedField(f, value(f));
        }
      } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (rnd.nextInt(4) == 0 || depth > 3) {
          b.clearField(f);
        } else {
          b.setField(f, mutateField((Message) m.getField(f), depth + 1));
        }
      } else {
        b.setField(f, value(f));
      }
      return b.build();
    }

    private Object value(FieldDescriptor f) {
      return switch (f.getJavaType()) {
        case INT -> new int[] {0, -1, 1, 2, 64, 65, 4097, Integer.MAX_VALUE, Integer.MIN_VALUE,
            rnd.nextInt()}[rnd.nextInt(10)];
        case LONG -> new long[] {0, -1, 1, 100, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, rnd.nextLong()}[rnd.nextInt(8)];
        case FLOAT -> new float[] {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE,
            -1f, rnd.nextFloat()}[rnd.nextInt(8)];
        case DOUBLE -> new double[] {0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -1, 1e-300, rnd.nextDouble() * 10}[rnd.nextInt(11)];
        case BOOLEAN -> rnd.nextBoolean();
        case STRING -> switch (rnd.nextInt(8)) {
          case 0 -> "";
          case 1 -> "x".repeat(10_000);
          case 2 -> "../../../../etc/passwd";
          case 3 -> "procgen/maze-easy-v0";
          case 4 -> "length";
          case 5 -> "\u0000\uffff\ud83d\ude00";
          case 6 -> "test/cartpole-random-v99999999999";
          default -> Long.toString(rnd.nextLong(), 36);
        };
        case BYTE_STRING -> {
          byte[] data = new byte[rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(200)];
          rnd.nextBytes(data);
          yield ByteString.copyFrom(data);
        }
        case ENUM -> f.getEnumType().getValues().get(rnd.nextInt(f.getEnumType().getValues().size()));
        case MESSAGE -> throw new IllegalStateException("messages are mutated field by field");
      };
    }

    private byte[] mutateBytes(byte[] bytes) {
      byte[] out = bytes.clone();
      switch (rnd.nextInt(4)) {
        case 0 -> { // flip bytes
          for (int i = 0; i < 1 + rnd.nextInt(3) && out.length > 0; i++) {
            out[rnd.nextInt(out.length)] ^= (byte) (1 + rnd.nextInt(255));
          }
        }
        case 1 -> out = java.util.Arrays.copyOf(out, out.length == 0 ? 0 : rnd.nextInt(out.length)); // cut
        case 2 -> { // append junk
          byte[] junk = new byte[1 + rnd.nextInt(16)];
          rnd.nextBytes(junk);
          out = java.util.Arrays.copyOf(out, out.length + junk.length);
          System.arraycopy(junk, 0, out, bytes.length, junk.length);
        }
        default -> { // a huge length prefix
          out = java.util.Arrays.copyOf(out, out.length + 6);
          System.arraycopy(new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, 0, out,
              bytes.length, 6);
        }
      }
      return out;
    }
  }

  // ---- the server's log ----

  /**
   * Captures the server's log at its default level (INFO) while the test runs, from SLF4J and
   * from gRPC's java.util.logging; keeps the events that carry a stack trace.
   */
  static final class LogWatch {
    private final List<String> traces = new CopyOnWriteArrayList<>();
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Map<String, Level> levels = new TreeMap<>();
    private final List<Appender<ILoggingEvent>> detached = new ArrayList<>();
    private AppenderBase<ILoggingEvent> appender;
    private Handler handler;
    private final java.util.logging.Logger grpc = java.util.logging.Logger.getLogger("io.grpc");
    // the test's own client logs "Received data on closed stream" (INFO) for every stream it cancels
    private final java.util.logging.Logger clientStream =
        java.util.logging.Logger.getLogger("io.grpc.internal.AbstractClientStream");
    private java.util.logging.Level clientStreamLevel;

    static LogWatch start() {
      LogWatch w = new LogWatch();
      w.attach();
      return w;
    }

    private void attach() {
      ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
        detached.add(it.next()); // the console: thousands of INFO lines would drown the test's output
      }
      detached.forEach(root::detachAppender);
      appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
          if (e.getThrowableProxy() != null) {
            traces.add(e.getLoggerName() + " " + e.getLevel() + " " + e.getFormattedMessage() + ": "
                + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage());
          }
        }
      };
      appender.setContext(context);
      appender.start();
      root.addAppender(appender);
      for (String name : new String[] {"dev.zeroshot", "dev.zeroshot.server", "io.grpc"}) {
        ch.qos.logback.classic.Logger l = context.getLogger(name);
        levels.put(name, l.getLevel());
        l.setLevel(Level.INFO);
      }
      handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
          if (r.getThrown() != null && r.getLevel().intValue() >= java.util.logging.Level.INFO.intValue()) {
            traces.add(r.getLoggerName() + " " + r.getLevel() + " " + r.getMessage() + ": " + r.getThrown());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
      grpc.addHandler(handler);
      clientStreamLevel = clientStream.getLevel();
      clientStream.setLevel(java.util.logging.Level.WARNING);
    }

    List<String> stackTraces() {
      return List.copyOf(traces);
    }

    void stop() {
      grpc.removeHandler(handler);
      clientStream.setLevel(clientStreamLevel);
      ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      root.detachAppender(appender);
      appender.stop();
      detached.forEach(root::addAppender);
      levels.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }
  }
}
