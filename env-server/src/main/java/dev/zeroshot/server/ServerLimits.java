package dev.zeroshot.server;

import java.time.Duration;

/**
 * The server's explicit limits.
 *
 * @param maxSessions Session streams open at once; one more is refused with RESOURCE_EXHAUSTED
 * @param maxEnvsPerSession the largest num_envs a Make may ask for
 * @param maxMessageBytes the largest message in either direction (requests above it are refused
 *     by gRPC with RESOURCE_EXHAUSTED; a Make whose step results would exceed it is refused)
 * @param idleTimeout a session with no request for this long is ended with DEADLINE_EXCEEDED
 *     (zero = never)
 * @param drainTimeout on shutdown (SIGTERM), how long open sessions may continue before they
 *     are cancelled
 * @param makeTimeout a session that has not made its env this long after opening is ended with
 *     DEADLINE_EXCEEDED, so streams that send nothing cannot hold the session slots (zero = never)
 * @param maxSessionsPerClient sessions one client may have open at once (the client is its token
 *     identity when tokens are on, else its IP address); one more is refused with RESOURCE_EXHAUSTED
 * @param maxEnvs envs live at once over all sessions; a Make that would pass it is refused with
 *     RESOURCE_EXHAUSTED before its envs are made
 * @param maxMemoryBytes memory that live sessions' envs may take, by {@link MemoryEstimate}; a Make
 *     whose estimate would pass it is refused with RESOURCE_EXHAUSTED before its envs are made
 */
public record ServerLimits(int maxSessions, int maxEnvsPerSession, int maxMessageBytes, Duration idleTimeout,
    Duration drainTimeout, Duration makeTimeout, int maxSessionsPerClient, int maxEnvs, long maxMemoryBytes) {

  /** 64 sessions, 4096 envs each, 64 MiB messages (64 frames of 3x64x64 are 786 KB), 10 min idle, 30 s drain, 10 s to make,
   * 16 sessions per client (a quarter of the slots: one client cannot take them all), 16,384 envs
   * in all (4 full sessions: 64 x 4096 Procgen envs would not fit in the heap), and envs estimated
   * at up to half the JVM's maximum heap (-Xmx; the other half is for gRPC, the JVM and slack).
   */
  public static final ServerLimits DEFAULTS = new ServerLimits(64, 4096, 64 << 20, Duration.ofMinutes(10),
      Duration.ofSeconds(30), Duration.ofSeconds(10), 16, 16_384, Runtime.getRuntime().maxMemory() / 2);

  /** The limits with the default make timeout, per-client quota, env budget and memory budget. */
  public ServerLimits(int maxSessions, int maxEnvsPerSession, int maxMessageBytes, Duration idleTimeout,
      Duration drainTimeout) {
    this(maxSessions, maxEnvsPerSession, maxMessageBytes, idleTimeout, drainTimeout, DEFAULTS.makeTimeout,
        DEFAULTS.maxSessionsPerClient, DEFAULTS.maxEnvs, DEFAULTS.maxMemoryBytes);
  }

  public ServerLimits {
    if (maxSessions < 1) {
      throw new IllegalArgumentException("max sessions must be >= 1, got " + maxSessions);
    }
    if (maxSessionsPerClient < 1) {
      throw new IllegalArgumentException("max sessions per client must be >= 1, got " + maxSessionsPerClient);
    }
    if (maxMemoryBytes < 1) {
      throw new IllegalArgumentException("max memory must be >= 1 byte, got " + maxMemoryBytes);
    }
    if (maxEnvs < 1) {
      throw new IllegalArgumentException("max envs must be >= 1, got " + maxEnvs);
    }
    if (maxEnvsPerSession < 1) {
      throw new IllegalArgumentException("max envs per session must be >= 1, got " + maxEnvsPerSession);
    }
    if (maxMessageBytes < 1024) {
      throw new IllegalArgumentException("max message bytes must be >= 1024, got " + maxMessageBytes);
    }
    if (idleTimeout.isNegative() || drainTimeout.isNegative() || makeTimeout.isNegative()) {
      throw new IllegalArgumentException("timeouts must be >= 0");
    }
  }

  public ServerLimits withMaxSessions(int n) {
    return new ServerLimits(n, maxEnvsPerSession, maxMessageBytes, idleTimeout, drainTimeout, makeTimeout, maxSessionsPerClient, maxEnvs, maxMemoryBytes);
  }

  public ServerLimits withMaxEnvsPerSession(int n) {
    return new ServerLimits(maxSessions, n, maxMessageBytes, idleTimeout, drainTimeout, makeTimeout, maxSessionsPerClient, maxEnvs, maxMemoryBytes);
  }

  public ServerLimits withMaxMessageBytes(int n) {
    return new ServerLimits(maxSessions, maxEnvsPerSession, n, idleTimeout, drainTimeout, makeTimeout, maxSessionsPerClient, maxEnvs, maxMemoryBytes);
  }

  public ServerLimits withIdleTimeout(Duration d) {
    return new ServerLimits(maxSessions, maxEnvsPerSession, maxMessageBytes, d, drainTimeout, makeTimeout, maxSessionsPerClient, maxEnvs, maxMemoryBytes);
  }

  public ServerLimits withDrainTimeout(Duration d) {
    return new ServerLimits(maxSessions, maxEnvsPerSession, maxMessageBytes, idleTimeout, d, makeTimeout, maxSessionsPerClient, maxEnvs, maxMemoryBytes);
  }

  public ServerLimits withMakeTimeout(Duration d) {
    return new ServerLimits(maxSessions, maxEnvsPerSession, maxMessageBytes, idleTimeout, drainTimeout, d, maxSessionsPerClient, maxEnvs, maxMemoryBytes);
  }

  public ServerLimits withMaxSessionsPerClient(int n) {
    return new ServerLimits(maxSessions, maxEnvsPerSession, maxMessageBytes, idleTimeout, drainTimeout, makeTimeout, n, maxEnvs, maxMemoryBytes);
  }

  public ServerLimits withMaxEnvs(int n) {
    return new ServerLimits(maxSessions, maxEnvsPerSession, maxMessageBytes, idleTimeout, drainTimeout, makeTimeout,
        maxSessionsPerClient, n, maxMemoryBytes);
  }

  public ServerLimits withMaxMemoryBytes(long n) {
    return new ServerLimits(maxSessions, maxEnvsPerSession, maxMessageBytes, idleTimeout, drainTimeout, makeTimeout,
        maxSessionsPerClient, maxEnvs, n);
  }
}
