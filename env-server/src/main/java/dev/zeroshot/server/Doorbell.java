package dev.zeroshot.server;

import dev.zeroshot.wire.DoorbellProtocol;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Semaphore;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared-memory session's doorbell: a Unix domain socket on which the client asks for each
 * step with one byte and the server answers with one byte once the results are in the region
 * (docs/protocol.md, "The doorbell"; its bytes in {@link DoorbellProtocol}). A step then costs two small socket writes and two thread
 * wake-ups instead of a gRPC round trip (HTTP/2 framing, event-loop hand-offs), which is what
 * kept image batches over shared memory well below in-process speed.
 *
 * <p>The session's gRPC stream stays the control plane: reset, close and the session's
 * lifetime go through it, and a step that fails ends the stream with its status, as a step
 * message would; the doorbell then closes without answering, and the client reads the status
 * from the stream. One platform thread per doorbell waits for the client; {@link #close()} (the
 * session's end, however it ends) wakes and ends it.
 *
 * <p>After answering, the thread polls for the next request for up to {@link #SPIN_NANOS} before
 * it blocks, when the server has a core to spare for that (a permit from {@code spinPermits}):
 * an agent that steps in a loop rings again within tens of microseconds, and waking a blocked
 * thread costs ~25-50 us on a small VM (measured: one CartPole env, server on one thread, 2
 * vCPUs, p50 45-59 us without the spin, 23-29 us with it). Without a permit it blocks at once,
 * so a spinning doorbell never takes the core the envs or the client need.
 */
final class Doorbell implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Doorbell.class);

  private final Path path;
  private final long nonce;
  private final String sessionId;
  private final IntPredicate ring;
  private final ServerSocketChannel listener;
  private final Thread thread;
  private final Semaphore spinPermits;
  /** How long an answered doorbell polls for the next request before blocking. */
  static final long SPIN_NANOS = 50_000;
  /** How long a connection may take to show the nonce before it is dropped (the real client's takes microseconds). */
  static final long NONCE_TIMEOUT_MILLIS = 2_000;
  /** Connections that may wait to be accepted at once; each then has its own nonce timeout. */
  static final int BACKLOG = 16;
  private volatile SocketChannel peer;
  private volatile java.nio.channels.Selector selector; // while waiting for the client (see attach)
  private volatile boolean closed;

  private Doorbell(Path path, long nonce, String sessionId, IntPredicate ring, ServerSocketChannel listener,
      Semaphore spinPermits) {
    this.spinPermits = spinPermits;
    this.path = path;
    this.nonce = nonce;
    this.sessionId = sessionId;
    this.ring = ring;
    this.listener = listener;
    this.thread = new Thread(this::serve, "zeroshot-doorbell-" + sessionId);
    this.thread.setDaemon(true);
  }

  /**
   * Binds a socket at {@code path} (mode 0600) and starts the thread that waits for the
   * session's client. {@code ring} gets each byte the client sends, runs the step it asks for
   * and returns whether its results are in the region (false: the session has ended, or failed
   * on this byte and said why on its stream). {@code spinPermits} bounds how many doorbells of
   * the server poll at once (see the class comment).
   *
   * @throws IOException if the socket cannot be made (e.g. a path longer than the ~107 bytes
   *     a Unix socket address holds)
   */
  static Doorbell open(Path path, long nonce, String sessionId, IntPredicate ring, Semaphore spinPermits)
      throws IOException {
    ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      listener.bind(UnixDomainSocketAddress.of(path), BACKLOG);
      try {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the nonce still keeps other clients out
      }
    } catch (IOException | RuntimeException e) {
      listener.close();
      Files.deleteIfExists(path);
      throw e instanceof IOException io ? io : new IOException(e);
    }
    Doorbell d = new Doorbell(path, nonce, sessionId, ring, listener, spinPermits);
    d.thread.start();
    return d;
  }

  Path path() {
    return path;
  }

  private void serve() {
    try {
      SocketChannel c = attach();
      ByteBuffer bell = ByteBuffer.allocateDirect(1);
      while (true) {
        if (awaitRequest(c, bell) < 0) {
          return; // the client closed its doorbell: it may still step over the stream
        }
        if (!ring.test(bell.get(0))) {
          return; // the session failed (its stream carries the status) or ended
        }
        bell.clear();
        bell.put(0, DoorbellProtocol.DONE);
        c.write(bell);
      }
    } catch (ClosedChannelException e) {
      // close(): the session ended
    } catch (IOException e) {
      if (!closed) {
        log.debug("session {}: doorbell ended: {}", sessionId, e.toString());
      }
    } finally {
      close();
    }
  }

  /** Reads the client's next byte into {@code bell}: polling first when a spin permit is free, then blocking. */
  private int awaitRequest(SocketChannel c, ByteBuffer bell) throws IOException {
    bell.clear();
    if (spinPermits.tryAcquire()) {
      try {
        c.configureBlocking(false);
        long until = System.nanoTime() + SPIN_NANOS;
        do {
          int got = c.read(bell);
          if (got != 0) {
            return got;
          }
          Thread.onSpinWait();
        } while (System.nanoTime() < until);
      } finally {
        spinPermits.release();
        c.configureBlocking(true);
      }
    }
    return c.read(bell);
  }

  /**
   * Waits for the client that shows the session's nonce (8 bytes, little-endian) and then stops
   * listening (the socket file goes: nobody else can ring). Connections are read side by side,
   * so one that sends part of a nonce and stalls cannot hold up the real client: a connection
   * with another nonce, or none in full within {@link #NONCE_TIMEOUT_MILLIS}, is dropped and the
   * wait goes on.
   */
  private SocketChannel attach() throws IOException {
    java.util.Map<SocketChannel, Pending> pending = new java.util.HashMap<>();
    SocketChannel client = null;
    try (java.nio.channels.Selector sel = java.nio.channels.Selector.open()) {
      selector = sel;
      listener.configureBlocking(false);
      listener.register(sel, java.nio.channels.SelectionKey.OP_ACCEPT);
      while (client == null) {
        if (closed) {
          throw new ClosedChannelException();
        }
        long now = System.nanoTime();
        long wait = dropLate(pending, now);
        sel.select(Math.max(1, wait));
        for (java.nio.channels.SelectionKey key : sel.selectedKeys()) {
          if (key.isValid() && key.isAcceptable()) {
            SocketChannel c = listener.accept();
            if (c != null) {
              c.configureBlocking(false);
              c.register(sel, java.nio.channels.SelectionKey.OP_READ);
              pending.put(c, new Pending(System.nanoTime() + NONCE_TIMEOUT_MILLIS * 1_000_000L));
            }
          } else if (key.isValid() && key.isReadable()) {
            SocketChannel c = (SocketChannel) key.channel();
            Pending p = pending.get(c);
            int got = c.read(p.nonce);
            if (p.nonce.hasRemaining() && got >= 0) {
              continue; // more of the nonce to come
            }
            pending.remove(c);
            key.cancel();
            if (!p.nonce.hasRemaining() && p.nonce.getLong(0) == nonce) {
              client = c;
              break;
            }
            log.warn("session {}: a doorbell connection without the session's nonce was dropped", sessionId);
            c.close();
          }
        }
        sel.selectedKeys().clear();
      }
    } finally {
      selector = null;
      for (SocketChannel c : pending.keySet()) {
        c.close();
      }
      if (client == null) {
        listener.close();
      }
    }
    client.configureBlocking(true); // the selector, closed, no longer holds it
    peer = client;
    if (closed) { // close() ran before peer was set: it could not close this one
      client.close();
      throw new ClosedChannelException();
    }
    listener.close();
    Files.deleteIfExists(path);
    return client;
  }

  /** A connection that has not shown all of a nonce yet, and when it must have. */
  private record Pending(long deadlineNanos, ByteBuffer nonce) {
    Pending(long deadlineNanos) {
      this(deadlineNanos, ByteBuffer.allocate(DoorbellProtocol.NONCE_BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN));
    }
  }

  /** Drops the connections past their nonce timeout; returns the milliseconds until the next one's (at most 1 s). */
  private long dropLate(java.util.Map<SocketChannel, Pending> pending, long now) throws IOException {
    long next = 1000;
    for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      long left = e.getValue().deadlineNanos() - now;
      if (left <= 0) {
        log.warn("session {}: a doorbell connection that showed no nonce within {} ms was dropped", sessionId,
            NONCE_TIMEOUT_MILLIS);
        e.getKey().close();
        it.remove();
      } else {
        next = Math.min(next, left / 1_000_000L + 1);
      }
    }
    return next;
  }

  /** Closes the socket (waking the thread if it waits) and deletes its file. */
  @Override
  public void close() {
    closed = true;
    java.nio.channels.Selector waiting = selector;
    if (waiting != null) {
      waiting.wakeup(); // attach() sees closed
    }
    try {
      listener.close();
    } catch (IOException e) {
      log.debug("session {}: closing the doorbell listener: {}", sessionId, e.toString());
    }
    SocketChannel c = peer;
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        log.debug("session {}: closing the doorbell: {}", sessionId, e.toString());
      }
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      log.warn("could not delete doorbell socket {}: {}", path, e.toString());
    }
  }
}
