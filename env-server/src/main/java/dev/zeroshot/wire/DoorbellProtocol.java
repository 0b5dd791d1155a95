package dev.zeroshot.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

/**
 * The bytes spoken on a shared-memory session's doorbell socket (docs/protocol.md, "The
 * doorbell"): the client first shows the session's nonce (8 bytes, little-endian), then asks
 * for each step with {@link #STEP} and the server answers {@link #DONE} once the results are in
 * the region; a socket closed without an answer means the session ended, and its stream says why.
 */
public final class DoorbellProtocol {

  /** Client to server: step once (the actions are in the region). */
  public static final byte STEP = 1;
  /** Server to client: the step's results are in the region. */
  public static final byte DONE = 1;
  /** Bytes of the nonce a client shows first. */
  public static final int NONCE_BYTES = 8;

  private DoorbellProtocol() {}

  /** Sends the session's nonce, as a client does before its first step. */
  public static void showNonce(SocketChannel c, long nonce) throws IOException {
    ByteBuffer proof = ByteBuffer.allocate(NONCE_BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, nonce);
    while (proof.hasRemaining()) {
      c.write(proof);
    }
  }
}
