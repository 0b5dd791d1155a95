package dev.zeroshot.server;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.vector.StepPool;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC environment server: {@code zeroshot.v1.EnvService}, the standard health service
 * ({@code grpc.health.v1.Health}; "" and "zeroshot.v1.EnvService" report SERVING) and server
 * reflection (v1 and v1alpha, so grpcurl works). Calls are handled on the transport threads
 * (direct executor: the round trip of a small batch costs half the CPU); envs are stepped on
 * that thread, or on one shared {@link StepPool} when more than one step thread is asked for.
 */
public final class EnvServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EnvServer.class);

  /**
   * grpc-java logs a WARNING with a stack trace each time a client resets a stream the server is
   * still writing to (a client that stops reading a stream, or cancels a session while a reply is
   * on its way): an ordinary going-away that any client could repeat to flood the log. Those
   * records are dropped; the transport's other stream errors still log. (Held here: java.util.logging
   * keeps loggers only weakly, and would forget the filter.)
   */
  private static final java.util.logging.Logger NETTY_STREAMS =
      java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler");

  static {
    NETTY_STREAMS.setFilter(r -> r.getThrown() == null
        || !String.valueOf(r.getThrown().getMessage()).startsWith("Stream closed before write could take place"));
  }

  private final ServerLimits limits;
  private final StepPool pool;
  private final ScheduledExecutorService reaper;
  private final EnvService service;
  private final HealthStatusManager health = new HealthStatusManager();
  private final Server server;
  private final SweepService sweeps;
  private volatile boolean stopped;
  private volatile boolean draining; // new calls but health's are refused (see shutdownGracefully)

  /**
   * @param host the address to bind ("0.0.0.0" for all, "127.0.0.1" for loopback)
   * @param port the port, 0 for a free one (see {@link #port()})
   * @param threads 1: each session steps its envs on its own transport thread (no hand-off; sessions
   *     on different connections run in parallel on gRPC's transport threads); more: every session
   *     steps on one shared pool of this many threads
   */
  public EnvServer(EnvRegistry registry, String host, int port, ServerLimits limits, int threads) {
    this(registry, host, port, limits, threads, null);
  }

  /**
   * The same, also serving {@code zeroshot.v1.DatasetService} over the Minari datasets under
   * {@code datasetsRoot} (null: no dataset service).
   */
  public EnvServer(EnvRegistry registry, String host, int port, ServerLimits limits, int threads,
      java.nio.file.Path datasetsRoot) {
    this(registry, host, port, limits, threads, datasetsRoot, null);
  }

  /**
   * The same; {@code zeroshot.v1.SweepService} also runs PPO sweeps, each in a folder under
   * {@code sweepsRoot} (null: simulate sweeps only).
   */
  public EnvServer(EnvRegistry registry, String host, int port, ServerLimits limits, int threads,
      java.nio.file.Path datasetsRoot, java.nio.file.Path sweepsRoot) {
    this(registry, host, port, limits, threads, datasetsRoot, sweepsRoot, SweepLimits.DEFAULTS, ServerSecurity.NONE);
  }

  /** The same, refusing run sweeps larger than {@code sweepLimits}. */
  public EnvServer(EnvRegistry registry, String host, int port, ServerLimits limits, int threads,
      java.nio.file.Path datasetsRoot, java.nio.file.Path sweepsRoot, SweepLimits sweepLimits) {
    this(registry, host, port, limits, threads, datasetsRoot, sweepsRoot, sweepLimits, ServerSecurity.NONE);
  }

  /** The same, with TLS and/or bearer tokens as {@code security} says. */
  public EnvServer(EnvRegistry registry, String host, int port, ServerLimits limits, int threads,
      java.nio.file.Path datasetsRoot, java.nio.file.Path sweepsRoot, ServerSecurity security) {
    this(registry, host, port, limits, threads, datasetsRoot, sweepsRoot, SweepLimits.DEFAULTS, security);
  }

  /**
   * A server with run-sweep limits and TLS and/or bearer tokens as {@code security} says.
   *
   * @throws IllegalArgumentException if a TLS certificate or key cannot be read or used
   */
  public EnvServer(EnvRegistry registry, String host, int port, ServerLimits limits, int threads,
      java.nio.file.Path datasetsRoot, java.nio.file.Path sweepsRoot, SweepLimits sweepLimits,
      ServerSecurity security) {
    NettyServerBuilder builder;
    try { // first: a bad certificate must not leave threads behind
      builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port), security.credentials());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot use TLS certificate " + security.tlsCert() + " with key "
          + security.tlsKey() + (security.tlsClientCa() != null ? " and client CA " + security.tlsClientCa() : "")
          + " (PEM files expected, the key in PKCS#8): " + e.getMessage(), e);
    }
    this.sweeps = new SweepService(sweepsRoot, sweepLimits);
    this.limits = limits;
    this.pool = threads > 1 ? new StepPool(threads) : null;
    this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "session-reaper");
      t.setDaemon(true);
      return t;
    });
    this.service = new EnvService(registry, limits, pool, reaper);
    ServerServiceDefinition def = service.definition();
    if (security.tokens()) {
      builder.intercept(new TokenAuthInterceptor(security.authTokens()));
    }
    builder.intercept(refusedWhileDraining());
    if (datasetsRoot != null) {
      builder.addService(UnparsableRequests.refused(new DatasetService(datasetsRoot).bindService()));
    }
    this.server = builder
        .directExecutor()
        // The transport reads up to twice the limit, so that the session itself refuses a request
        // above the limit with RESOURCE_EXHAUSTED and a message (the transport would only reset
        // the stream, which a client sees as a bare CANCELLED).
        .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE - 1024, 2L * limits.maxMessageBytes()))
        .addService(UnparsableRequests.refused(def))
        .addService(UnparsableRequests.refused(sweeps.bindService()))
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .addService(legacyReflection())
        .build();
  }

  /** While draining, every new call but the health service's ends at once with UNAVAILABLE. */
  private io.grpc.ServerInterceptor refusedWhileDraining() {
    return new io.grpc.ServerInterceptor() {
      @Override
      public <Q, R> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, R> call, io.grpc.Metadata headers,
          io.grpc.ServerCallHandler<Q, R> next) {
        if (draining && !io.grpc.health.v1.HealthGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) {
          call.close(io.grpc.Status.UNAVAILABLE.withDescription("the server is draining (shutting down): "
              + "retry on another server"), new io.grpc.Metadata());
          return new io.grpc.ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
      }
    };
  }

  @SuppressWarnings("deprecation")
  private static io.grpc.BindableService legacyReflection() {
    return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
  }

  public EnvServer start() throws IOException {
    SharedRegion.deleteStale(); // region files of servers that were killed before they could delete them
    server.start();
    health.setStatus("", ServingStatus.SERVING);
    for (ServerServiceDefinition s : server.getServices()) { // every service this server runs answers health checks
      health.setStatus(s.getServiceDescriptor().getName(), ServingStatus.SERVING);
    }
    log.info("server started port={} maxSessions={} maxEnvsPerSession={} maxMessageBytes={} idleTimeout={} "
        + "drainTimeout={} stepThreads={}", port(), limits.maxSessions(), limits.maxEnvsPerSession(),
        limits.maxMessageBytes(), limits.idleTimeout(), limits.drainTimeout(), pool == null ? 1 : pool.threads());
    return this;
  }

  /** The port the server listens on (the chosen one when started with port 0). */
  public int port() {
    return server.getPort();
  }

  public ServerLimits limits() {
    return limits;
  }

  /** Session streams open now. */
  public int liveSessions() {
    return service.liveSessions();
  }

  /** Envs held by open sessions now. */
  public int liveEnvs() {
    return service.liveEnvs();
  }

  /** Env steps taken by every session since the server started (a batch step of n envs counts n). */
  public long envSteps() {
    return service.envSteps();
  }

  /**
   * Drains: reports NOT_SERVING, refuses new calls, lets open sessions finish for up to the
   * drain timeout, then cancels the rest (which frees their envs) and stops. The port stays open
   * while sessions are open, so that health probes (new connections included) see NOT_SERVING.
   */
  public void shutdownGracefully() throws InterruptedException {
    if (stopped) {
      return;
    }
    stopped = true;
    log.info("draining liveSessions={} liveEnvs={} drainTimeout={}", liveSessions(), liveEnvs(), limits.drainTimeout());
    health.enterTerminalState();
    draining = true;
    long deadline = System.nanoTime() + limits.drainTimeout().toNanos();
    while (liveSessions() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    server.shutdown(); // the listener closes here, after the open sessions
    long left = Math.max(0, deadline - System.nanoTime());
    if (!server.awaitTermination(left, TimeUnit.NANOSECONDS)) {
      log.warn("drain timeout reached; cancelling {} open session(s)", liveSessions());
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
    reaper.shutdownNow();
    sweeps.shutdown();
    if (pool != null) {
      pool.close();
    }
    log.info("server stopped liveSessions={} liveEnvs={}", liveSessions(), liveEnvs());
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Stops at once: cancels every session. */
  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    health.enterTerminalState();
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reaper.shutdownNow();
    sweeps.shutdown();
    if (pool != null) {
      pool.close();
    }
  }
}
