package dev.zeroshot.cli;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.server.EnvServer;
import dev.zeroshot.server.ServerLimits;
import dev.zeroshot.server.SweepLimits;
import dev.zeroshot.server.ServerSecurity;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code zeroshot serve}: the gRPC environment server, until SIGTERM or Ctrl-C (which drain it). */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve zeroshot.v1.EnvService over gRPC (with health and reflection) until SIGTERM, which drains sessions.")
final class ServeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--port", description = "port to listen on; 0 picks a free one and prints it (default: ${DEFAULT-VALUE})")
  int port = 50051;

  @Option(names = "--host", description = "address to bind; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(names = "--max-sessions", description = "Session streams open at once (default: ${DEFAULT-VALUE})")
  int maxSessions = ServerLimits.DEFAULTS.maxSessions();

  @Option(names = "--max-sessions-per-client", description = "Session streams one client (its token identity, else its "
      + "IP address) may have open at once (default: ${DEFAULT-VALUE})")
  int maxSessionsPerClient = ServerLimits.DEFAULTS.maxSessionsPerClient();

  @Option(names = "--max-envs-per-session", description = "largest num_envs of one session (default: ${DEFAULT-VALUE})")
  int maxEnvsPerSession = ServerLimits.DEFAULTS.maxEnvsPerSession();

  @Option(names = "--max-envs", description = "envs live at once over all sessions; a Make that would pass it is refused (default: ${DEFAULT-VALUE})")
  int maxEnvs = ServerLimits.DEFAULTS.maxEnvs();

  @Option(names = "--max-memory", paramLabel = "BYTES", converter = ByteSize.class,
      description = "memory the live sessions' envs may take, by the server's estimate (per env 6 x its observation + "
          + "4 KiB); a Make that would pass it is refused. A number of bytes, or with k, m or g (default: half the JVM's "
          + "max heap, here ${DEFAULT-VALUE} bytes)")
  long maxMemory = ServerLimits.DEFAULTS.maxMemoryBytes();

  @Option(names = "--max-message-bytes", description = "largest gRPC message either way (default: ${DEFAULT-VALUE})")
  int maxMessageBytes = ServerLimits.DEFAULTS.maxMessageBytes();

  @Option(names = "--idle-timeout", description = "seconds a session may send nothing before it is ended; 0 = never (default: ${DEFAULT-VALUE})")
  double idleTimeout = ServerLimits.DEFAULTS.idleTimeout().toSeconds();

  @Option(names = "--drain-timeout", description = "seconds open sessions may continue after SIGTERM (default: ${DEFAULT-VALUE})")
  double drainTimeout = ServerLimits.DEFAULTS.drainTimeout().toSeconds();

  @Option(names = "--make-timeout", description = "seconds a new session may take to make its env before it is ended; 0 = never (default: ${DEFAULT-VALUE})")
  double makeTimeout = ServerLimits.DEFAULTS.makeTimeout().toSeconds();

  @Option(names = "--threads", description = "1: each session steps on its own transport thread; N > 1: all sessions "
      + "step on one shared pool of N threads (default: ${DEFAULT-VALUE})")
  int threads = 1;

  @Option(names = "--datasets", paramLabel = "DIR",
      description = "also serve zeroshot.v1.DatasetService over the Minari datasets under DIR (e.g. ~/.minari/datasets)")
  java.nio.file.Path datasets;

  @Option(names = "--sweeps", paramLabel = "DIR",
      description = "let zeroshot.v1.SweepService run PPO sweeps (mbtl run mode), each in a folder under DIR "
          + "(without it: simulate sweeps only)")
  java.nio.file.Path sweepsRoot;

  @Option(names = "--max-sweep-steps-per-task", description = "largest RunSweep.steps_per_task (default: ${DEFAULT-VALUE})")
  long maxSweepStepsPerTask = SweepLimits.DEFAULTS.maxStepsPerTask();

  @Option(names = "--max-sweep-tasks", description = "most tasks N of a run sweep (default: ${DEFAULT-VALUE})")
  int maxSweepTasks = SweepLimits.DEFAULTS.maxTasks();

  @Option(names = "--max-sweep-budget", description = "largest budget K of a run sweep (default: ${DEFAULT-VALUE})")
  int maxSweepBudget = SweepLimits.DEFAULTS.maxBudget();

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "serve over TLS with this PEM certificate chain (needs --tls-key)")
  java.nio.file.Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "the PEM (PKCS#8) private key of --tls-cert")
  java.nio.file.Path tlsKey;

  @Option(names = "--tls-client-ca", paramLabel = "FILE",
      description = "with TLS: require client certificates signed by the CA certificates in this PEM file")
  java.nio.file.Path tlsClientCa;

  @Option(names = "--auth-tokens", paramLabel = "FILE", description = "require 'authorization: Bearer TOKEN' on every "
      + "call but health; FILE has one 'TOKEN IDENTITY' per line, '#' comments, and is re-read when it changes")
  java.nio.file.Path authTokens;

  @Option(names = "--insecure", description = "allow a non-loopback --host without TLS and tokens (a private network only)")
  boolean insecure;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be in [0, 65535], got " + port);
    }
    if (threads < 1 || idleTimeout < 0 || drainTimeout < 0 || makeTimeout < 0) {
      throw new IllegalArgumentException("--threads must be >= 1 and timeouts >= 0");
    }
    ServerSecurity security = new ServerSecurity(tlsCert, tlsKey, tlsClientCa, authTokens);
    String exposed = exposedWithoutProtection(host, security);
    if (exposed != null && !insecure) {
      throw new IllegalArgumentException("refusing to serve on " + host + " (reachable from other machines) " + exposed
          + ": give --tls-cert/--tls-key and --auth-tokens, bind --host 127.0.0.1, or pass --insecure on a private network");
    }
    ServerLimits limits = new ServerLimits(maxSessions, maxEnvsPerSession, maxMessageBytes,
        Duration.ofMillis(Math.round(idleTimeout * 1000)), Duration.ofMillis(Math.round(drainTimeout * 1000)),
        Duration.ofMillis(Math.round(makeTimeout * 1000)), maxSessionsPerClient, maxEnvs, maxMemory);
    SweepLimits sweepLimits = new SweepLimits(maxSweepStepsPerTask, maxSweepTasks, maxSweepBudget);
    EnvServer server = new EnvServer(EnvRegistry.builtin(), host, port, limits, threads, datasets, sweepsRoot,
        sweepLimits, security);
    try {
      server.start();
    } catch (java.io.IOException e) {
      server.close();
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.shutdownGracefully();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "zeroshot-serve-drain"));
    PrintWriter out = spec.commandLine().getOut();
    // One machine-readable line: scripts read the port from it when started with --port 0.
    out.printf("zeroshot serve: listening on %s:%d%n", host, server.port());
    out.flush();
    server.awaitTermination();
    return 0;
  }

  /** A byte count: digits, optionally followed by k, m or g (powers of 1024). */
  static final class ByteSize implements picocli.CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,15})([kmgKMG]?)").matcher(value.strip());
      if (!m.matches()) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a byte count: give digits, "
            + "optionally followed by k, m or g (e.g. 2g)");
      }
      int shift = switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
        case "k" -> 10;
        case "m" -> 20;
        case "g" -> 30;
        default -> 0;
      };
      long n = Long.parseLong(m.group(1));
      if (n < 1 || n > (Long.MAX_VALUE >> shift)) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a byte count >= 1 that fits in 63 bits");
      }
      return n << shift;
    }
  }

  /**
   * What a server bound to {@code host} lacks when other machines can reach it ("without TLS",
   * "without tokens", or both), or null when it is loopback-only or fully protected.
   */
  static String exposedWithoutProtection(String host, ServerSecurity security) {
    boolean loopback;
    try {
      loopback = java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("--host '" + host + "' does not resolve to an address on this machine");
    }
    if (loopback || (security.tls() && security.tokens())) {
      return null;
    }
    return !security.tls() && !security.tokens() ? "without TLS and without tokens"
        : !security.tls() ? "without TLS" : "without tokens";
  }
}
