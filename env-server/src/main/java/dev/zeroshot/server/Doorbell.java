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
  private volatile SocketChannel peer;
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
      listener.bind(UnixDomainSocketAddress.of(path), 1);
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
   * listening (the socket file goes: nobody else can ring). A connection with another nonce is
   * dropped and the wait goes on.
   */
  private SocketChannel attach() throws IOException {
    while (true) {
      SocketChannel c = listener.accept();
      Long shown = DoorbellProtocol.readNonce(c);
      if (shown != null && shown == nonce) {
        peer = c;
        if (closed) { // close() ran before peer was set: it could not close this one
          c.close();
          throw new ClosedChannelException();
        }
        listener.close();
        Files.deleteIfExists(path);
        return c;
      }
      log.warn("session {}: a doorbell connection without the session's nonce was dropped", sessionId);
      c.close();
    }
  }

  /** Closes the socket (waking the thread if it waits) and deletes its file. */
  @Override
  public void close() {
    closed = true;
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
