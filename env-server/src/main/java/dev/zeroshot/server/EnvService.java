package dev.zeroshot.server;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.vector.StepPool;
import dev.zeroshot.proto.v1.DescribeEnvRequest;
import dev.zeroshot.proto.v1.EnvServiceGrpc;
import dev.zeroshot.proto.v1.ListEnvsRequest;
import dev.zeroshot.proto.v1.ListEnvsResponse;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.SessionResponse;
import dev.zeroshot.wire.Protos;
import dev.zeroshot.wire.StepResultEncoder;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code zeroshot.v1.EnvService}: unary descriptions and one vector env per Session stream. */
final class EnvService extends EnvServiceGrpc.EnvServiceImplBase {

  private static final Logger log = LoggerFactory.getLogger(EnvService.class);


  /** The calling client's address, for the shared-memory same-host check. */
  private static final io.grpc.Context.Key<SocketAddress> PEER = io.grpc.Context.key("zeroshot-peer");

  private static final ServerInterceptor PEER_INTERCEPTOR = new ServerInterceptor() {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
      return Contexts.interceptCall(io.grpc.Context.current().withValue(PEER, peer), call, headers, next);
    }
  };

  private final EnvRegistry registry;
  private final ServerLimits limits;
  private final StepPool pool;
  private final ScheduledExecutorService reaper;
  private final AtomicInteger liveSessions = new AtomicInteger();
  private final AtomicInteger liveEnvs = new AtomicInteger();
  private final AtomicLong liveMemory = new AtomicLong(); // MemoryEstimate of the live sessions' envs
  private final AtomicLong sessionIds = new AtomicLong();
  private final java.util.concurrent.atomic.LongAdder envSteps = new java.util.concurrent.atomic.LongAdder();
  private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
  // Per-client quota: open sessions of each client, and which client each session id is counted for.
  private final Map<String, Integer> sessionsPerClient = new java.util.HashMap<>(); // guarded by this
  private final Map<String, String> clientOfSession = new ConcurrentHashMap<>();
  // How many doorbells may spin at once waiting for their client's next step (see Doorbell):
  // each spinner needs a core of its own beside its client's and the step pool's others.
  private final java.util.concurrent.Semaphore doorbellSpinPermits;

  EnvService(EnvRegistry registry, ServerLimits limits, StepPool pool, ScheduledExecutorService reaper) {
    this.registry = registry;
    this.limits = limits;
    this.pool = pool;
    this.reaper = reaper;
    this.doorbellSpinPermits = new java.util.concurrent.Semaphore(
        Runtime.getRuntime().availableProcessors() / ((pool == null ? 1 : pool.threads()) + 1));
    long shortest = Math.min(positiveOrMax(limits.idleTimeout().toMillis()),
        positiveOrMax(limits.makeTimeout().toMillis()));
    if (shortest != Long.MAX_VALUE) {
      long period = Math.max(10, Math.min(1000, shortest / 4));
      reaper.scheduleWithFixedDelay(this::reapIdle, period, period, TimeUnit.MILLISECONDS);
    }
  }

  java.util.concurrent.Semaphore doorbellSpinPermits() {
    return doorbellSpinPermits;
  }

  /** The service with Session's requests parsed by the session itself (see {@link RawBytes}). */
  ServerServiceDefinition definition() {
    ServerServiceDefinition generated = bindService();
    MethodDescriptor<SessionRequest, SessionResponse> original = EnvServiceGrpc.getSessionMethod();
    MethodDescriptor<byte[], Object> session = original.toBuilder(RawBytes.MARSHALLER, responses(original.getResponseMarshaller()))
        .build();
    ServiceDescriptor descriptor = ServiceDescriptor.newBuilder(EnvServiceGrpc.SERVICE_NAME)
        .setSchemaDescriptor(EnvServiceGrpc.getServiceDescriptor().getSchemaDescriptor())
        .addMethod(EnvServiceGrpc.getListEnvsMethod())
        .addMethod(EnvServiceGrpc.getDescribeEnvMethod())
        .addMethod(session)
        .build();
    return ServerInterceptors.intercept(ServerServiceDefinition.builder(descriptor)
        .addMethod(generated.getMethod(EnvServiceGrpc.getListEnvsMethod().getFullMethodName()))
        .addMethod(generated.getMethod(EnvServiceGrpc.getDescribeEnvMethod().getFullMethodName()))
        .addMethod(session, ServerCalls.asyncBidiStreamingCall(this::openSession))
        .build(), PEER_INTERCEPTOR);
  }

  int liveSessions() {
    return liveSessions.get();
  }

  int liveEnvs() {
    return liveEnvs.get();
  }

  /** Env steps taken by every session since the server started (a batch step of n envs is n). */
  long envSteps() {
    return envSteps.sum();
  }

  void stepped(int envs) {
    envSteps.add(envs);
  }

  @Override
  public void listEnvs(ListEnvsRequest request, StreamObserver<ListEnvsResponse> out) {
    try {
      ListEnvsResponse.Builder b = ListEnvsResponse.newBuilder();
      for (EnvSpec spec : registry.specs()) {
        b.addEnvs(describe(spec, spec.contextSpace().defaults(), java.util.List.of()));
      }
      out.onNext(b.build());
      out.onCompleted();
    } catch (RuntimeException e) {
      out.onError(toStatus(e, "ListEnvs"));
    }
  }

  @Override
  public void describeEnv(DescribeEnvRequest request, StreamObserver<dev.zeroshot.proto.v1.EnvSpec> out) {
    try {
      EnvSpec spec = registry.spec(request.getEnvId());
      Context ctx = spec.contextSpace().with(request.getContextMap());
      out.onNext(describe(spec, ctx, Protos.features(spec.contextSpace(), request.getVisibleContextList())));
      out.onCompleted();
    } catch (RuntimeException e) {
      out.onError(toStatus(e, "DescribeEnv"));
    }
  }

  private static dev.zeroshot.proto.v1.EnvSpec describe(EnvSpec spec, Context ctx, java.util.List<String> visible) {
    // One env is cheap to make (no threads); its spaces are the ones a session would get.
    dev.zeroshot.env.Env env = spec.make(ctx, visible);
    return Protos.spec(spec, env.observationSpace(), env.actionSpace(), ctx, spec.maxEpisodeSteps());
  }

  /**
   * Session responses: a {@link SessionResponse}, serialized by protobuf, or a step result the
   * session encoded itself ({@link StepResultEncoder.Message}, already the wire bytes).
   */
  private static MethodDescriptor.Marshaller<Object> responses(MethodDescriptor.Marshaller<SessionResponse> proto) {
    return new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(Object value) {
        return value instanceof StepResultEncoder.Message m ? m : proto.stream((SessionResponse) value);
      }

      @Override
      public Object parse(InputStream stream) {
        return proto.parse(stream);
      }
    };
  }

  private StreamObserver<byte[]> openSession(StreamObserver<Object> out) {
    ServerCallStreamObserver<Object> call = (ServerCallStreamObserver<Object>) out;
    call.disableAutoRequest(); // the session asks for each request itself (back-pressure, see Session#requestNext)
    long id = sessionIds.incrementAndGet();
    int n = liveSessions.incrementAndGet();
    if (n > limits.maxSessions()) {
      liveSessions.decrementAndGet();
      log.warn("session refused id=s{} reason=too_many_sessions limit={}", id, limits.maxSessions());
      return refuse(out, "too many sessions: this server allows " + limits.maxSessions()
          + " at once (--max-sessions); close one or retry later");
    }
    String client = client(TokenAuthInterceptor.IDENTITY.get(), PEER.get());
    if (!admit(client)) {
      liveSessions.decrementAndGet();
      log.warn("session refused id=s{} reason=client_quota client={} limit={}", id, client,
          limits.maxSessionsPerClient());
      return refuse(out, "too many sessions for " + client + ": this server allows each client "
          + limits.maxSessionsPerClient() + " at once (--max-sessions-per-client); close one or retry later");
    }
    clientOfSession.put("s" + id, client);
    Session session = new Session(this, "s" + id, call, registry, limits, pool, PEER.get());
    sessions.put(id, session);
    call.setOnCancelHandler(() -> session.end("cancelled by client"));
    call.setOnReadyHandler(session::ready);
    call.request(1);
    log.info("session opened id=s{} liveSessions={}", id, n);
    return new StreamObserver<>() {
      @Override
      public void onNext(byte[] bytes) {
        if (bytes.length > limits.maxMessageBytes()) {
          session.fail(Status.RESOURCE_EXHAUSTED.withDescription("request of " + bytes.length
              + " bytes exceeds this server's max message size of " + limits.maxMessageBytes()
              + " bytes (--max-message-bytes)"));
          return;
        }
        SessionRequest req;
        try {
          req = SessionRequest.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
          session.fail(Status.INVALID_ARGUMENT.withDescription("request of " + bytes.length
              + " bytes is not a valid zeroshot.v1.SessionRequest: " + e.getMessage()));
          return;
        }
        session.handle(req);
        session.requestNext();
      }

      @Override
      public void onError(Throwable t) {
        session.end("stream error: " + Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        session.clientHalfClosed();
      }
    };
  }

  /** Ends a stream that gets no session with RESOURCE_EXHAUSTED; what the client sends after is dropped. */
  private static StreamObserver<byte[]> refuse(StreamObserver<Object> out, String why) {
    out.onError(Status.RESOURCE_EXHAUSTED.withDescription(why).asRuntimeException());
    return new StreamObserver<>() {
      @Override
      public void onNext(byte[] value) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  /** Who a quota counts a session for: the token identity when tokens are on, else the peer's IP address. */
  static String client(String identity, SocketAddress peer) {
    if (identity != null) {
      return "identity '" + identity + "'";
    }
    if (peer instanceof java.net.InetSocketAddress inet && inet.getAddress() != null) {
      return "address " + inet.getAddress().getHostAddress();
    }
    return "peer " + peer;
  }

  /** Counts one more open session for {@code client}; false, counting nothing, when it has its quota. */
  private synchronized boolean admit(String client) {
    int open = sessionsPerClient.getOrDefault(client, 0);
    if (open >= limits.maxSessionsPerClient()) {
      return false;
    }
    sessionsPerClient.put(client, open + 1);
    return true;
  }

  private synchronized void release(String client) {
    sessionsPerClient.computeIfPresent(client, (c, open) -> open == 1 ? null : open - 1);
  }

  /** Called once by a session when it has freed its envs (and the memory they were estimated at). */
  void sessionEnded(String id, int envs, long memoryBytes) {
    String client = clientOfSession.remove(id);
    if (client != null) {
      release(client);
    }
    liveEnvs.addAndGet(-envs);
    liveMemory.addAndGet(-memoryBytes);
    int left = liveSessions.decrementAndGet();
    sessions.values().removeIf(s -> s.id().equals(id));
    log.info("session freed id={} envs={} liveSessions={} liveEnvs={}", id, envs, left, liveEnvs.get());
  }

  /**
   * Counts {@code n} envs about to be made against {@code --max-envs}.
   *
   * @throws StatusRuntimeException RESOURCE_EXHAUSTED, counting nothing, when they would pass it
   */
  void reserveEnvs(int n) {
    while (true) {
      int live = liveEnvs.get();
      if ((long) live + n > limits.maxEnvs()) {
        log.warn("make refused reason=env_budget numEnvs={} liveEnvs={} limit={}", n, live, limits.maxEnvs());
        throw Status.RESOURCE_EXHAUSTED.withDescription("num_envs " + n + " would pass this server's budget of "
            + limits.maxEnvs() + " envs over all sessions (--max-envs); " + live + " are live: use fewer envs or "
            + "retry later").asRuntimeException();
      }
      if (liveEnvs.compareAndSet(live, live + n)) {
        return;
      }
    }
  }

  /**
   * Counts a make's estimated memory ({@link MemoryEstimate}) against {@code --max-memory}.
   *
   * @throws StatusRuntimeException RESOURCE_EXHAUSTED, counting nothing, when it would pass it
   */
  void reserveMemory(long bytes, int numEnvs, String envId, long observationBytes) {
    while (true) {
      long live = liveMemory.get();
      if (live + bytes > limits.maxMemoryBytes()) {
        log.warn("make refused reason=memory_budget numEnvs={} estimate={} liveEstimate={} limit={}", numEnvs, bytes,
            live, limits.maxMemoryBytes());
        throw Status.RESOURCE_EXHAUSTED.withDescription("num_envs " + numEnvs + " of " + envId + " is estimated at "
            + MemoryEstimate.human(bytes) + " (per env " + MemoryEstimate.OBSERVATION_COPIES + " x its " + observationBytes
            + "-byte observation + " + MemoryEstimate.STATE_BYTES + " bytes), which would pass this server's memory "
            + "budget of " + MemoryEstimate.human(limits.maxMemoryBytes()) + " (--max-memory); live sessions hold an "
            + "estimated " + MemoryEstimate.human(live) + ": use fewer envs or retry later").asRuntimeException();
      }
      if (liveMemory.compareAndSet(live, live + bytes)) {
        return;
      }
    }
  }

  /** Gives back memory reserved for a make that failed. */
  void releaseMemory(long bytes) {
    liveMemory.addAndGet(-bytes);
  }

  /** Gives back envs reserved for a make that failed. */
  void releaseEnvs(int n) {
    liveEnvs.addAndGet(-n);
  }

  private static long positiveOrMax(long millis) {
    return millis > 0 ? millis : Long.MAX_VALUE;
  }

  /** Ends sessions that never made their env in time, and made ones idle for too long. */
  private void reapIdle() {
    long now = System.nanoTime();
    long idle = limits.idleTimeout().toNanos();
    long make = limits.makeTimeout().toNanos();
    for (Session s : sessions.values()) {
      if (!s.made() && make > 0) {
        if (now - s.openedAtNanos() > make) {
          s.fail(Status.DEADLINE_EXCEEDED.withDescription("session made no env within " + limits.makeTimeout()
              + " of opening (--make-timeout); send Make first"));
        }
      } else if (idle > 0 && now - s.lastActivityNanos() > idle) {
        s.fail(Status.DEADLINE_EXCEEDED.withDescription("session idle for more than " + limits.idleTimeout()
            + " (--idle-timeout); its envs were freed"));
      }
    }
  }

  /** The status for an exception from the env library or from this server. */
  static StatusRuntimeException toStatus(Throwable e, String where) {
    if (e instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (e instanceof IllegalArgumentException) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    if (e instanceof IllegalStateException) {
      return Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
    }
    log.error("internal error in {}", where, e);
    return Status.INTERNAL.withDescription(where + " failed: " + e).asRuntimeException();
  }

  static VectorEnv.Builder builder(EnvSpec spec) {
    return VectorEnv.builder(spec);
  }
}
