package dev.zeroshot.client;

import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.proto.v1.SharedMemory;
import dev.zeroshot.wire.DoorbellProtocol;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;

/**
 * Shared memory with the doorbell: as {@link SharedMemoryPlane}, but a step is one byte out on
 * the session's Unix socket and one byte back once the results are in the region
 * (docs/protocol.md, "The doorbell"). Both ends block in a read while the other works, so
 * neither steals a core from the envs. Resets still go over the stream.
 */
final class DoorbellPlane extends SharedMemoryPlane {

  private final SocketChannel doorbell;
  private final ByteBuffer bell = ByteBuffer.allocateDirect(1);

  private DoorbellPlane(SessionStream stream, SharedMemory d, int numEnvs, int observationBytes, int actionBytes,
      SocketChannel doorbell) {
    super(stream, d, numEnvs, observationBytes, actionBytes);
    this.doorbell = doorbell;
  }

  /**
   * The doorbell plane for this region, or the plain shared-memory plane when the session has no
   * doorbell or it cannot be reached (another mount namespace, say): steps then go over the stream.
   */
  static SharedMemoryPlane connect(SessionStream stream, SharedMemory d, int numEnvs, int observationBytes,
      int actionBytes) {
    SocketChannel c = d.getDoorbellPath().isEmpty() ? null : open(d);
    if (c == null) {
      return new SharedMemoryPlane(stream, d, numEnvs, observationBytes, actionBytes);
    }
    try {
      return new DoorbellPlane(stream, d, numEnvs, observationBytes, actionBytes, c);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** Connects to the session's doorbell and shows it the session's nonce; null if it cannot be reached. */
  private static SocketChannel open(SharedMemory d) {
    SocketChannel c = null;
    try {
      c = SocketChannel.open(UnixDomainSocketAddress.of(d.getDoorbellPath()));
      DoorbellProtocol.showNonce(c, d.getNonce());
      return c;
    } catch (IOException | RuntimeException e) {
      closeQuietly(c);
      return null;
    }
  }

  /**
   * Rings for one step. Any answer but {@link DoorbellProtocol#DONE} (the socket closed) means the
   * session failed on this step or ended: its stream says why, and that status is thrown.
   */
  @Override
  public void step(StepBuffers io) {
    putActions(io);
    stream.requireOpen(); // (no step responses are owed: with a doorbell every step goes through it)
    boolean done;
    try {
      bell.clear();
      bell.put(0, DoorbellProtocol.STEP);
      doorbell.write(bell);
      bell.clear();
      done = doorbell.read(bell) == 1 && bell.get(0) == DoorbellProtocol.DONE;
    } catch (ClosedByInterruptException e) {
      throw stream.interrupted(e);
    } catch (IOException e) {
      done = false;
    }
    if (!done) {
      throw stream.endStatus("doorbell");
    }
    takeNext(io);
  }

  @Override
  public void close() {
    closeQuietly(doorbell); // the server closes its end when the session ends
  }

  private static void closeQuietly(SocketChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // nothing more to free
      }
    }
  }
}
