package dev.zeroshot.wire;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.zeroshot.env.StepBuffers;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes a session's {@code SessionResponse{reset|step: StepResult}} messages straight from its
 * {@link StepBuffers}, with no protobuf objects: the wire bytes are exactly those of the
 * generated classes (fields in number order, packed repeated scalars). The bytes around the
 * observations are encoded into arrays reused from step to step and the observations are copied
 * from the direct buffer to gRPC's output in chunks, so a step allocates nothing but the stream
 * object.
 *
 * <p>Reuse is safe because gRPC consumes a response stream inside {@code onNext} (its message
 * framer drains it into transport buffers before returning) and the session encodes the next
 * response only after that; {@link Message#consumed()} lets the session check it.
 */
public final class StepResultEncoder {

  private static final int SCRATCH = 16 << 10;

  private final int numEnvs;
  private final byte[] tensorHead; // Tensor fields 1 (dtype) and 2 (shape), fixed per session
  private final int obsBytes;
  private final byte[] head;
  private byte[] tail;
  private byte[] scratch;
  private final int[] ended;

  public StepResultEncoder(int numEnvs, dev.zeroshot.proto.v1.DType dtype, List<Long> shape, int observationBytes) {
    this.numEnvs = numEnvs;
    this.obsBytes = Math.multiplyExact(numEnvs, observationBytes);
    this.ended = new int[numEnvs];
    try {
      int shapeBytes = 0;
      for (long d : shape) {
        shapeBytes += CodedOutputStream.computeInt64SizeNoTag(d);
      }
      int size = (dtype.getNumber() == 0 ? 0 : CodedOutputStream.computeEnumSize(1, dtype.getNumber()))
          + CodedOutputStream.computeTagSize(2) + CodedOutputStream.computeUInt32SizeNoTag(shapeBytes) + shapeBytes;
      tensorHead = new byte[size];
      CodedOutputStream out = CodedOutputStream.newInstance(tensorHead);
      if (dtype.getNumber() != 0) {
        out.writeEnum(1, dtype.getNumber());
      }
      out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(shapeBytes);
      for (long d : shape) {
        out.writeInt64NoTag(d);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    this.head = new byte[32 + tensorHead.length];
    // the most the fields after the observations can take: rewards, two flag arrays, and every env ending
    int most = 3 * (5 + numEnvs * 8) + 2 * (5 + numEnvs * 5) + 2 * (5 + numEnvs);
    this.tail = new byte[most];
  }

  /**
   * The response to a reset ({@code field} 2) or a step (3) holding the results in {@code buf}.
   * Valid until the next call.
   */
  public Message encode(int field, StepBuffers buf) {
    try {
      // fields after the observations
      int nEnded = 0;
      for (int i = 0; i < numEnvs; i++) {
        if (buf.episodeEnded(i)) {
          ended[nEnded++] = i;
        }
      }
      CodedOutputStream t = CodedOutputStream.newInstance(tail);
      t.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      t.writeUInt32NoTag(8 * numEnvs);
      for (int i = 0; i < numEnvs; i++) {
        t.writeDoubleNoTag(buf.reward(i));
      }
      t.writeTag(3, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      t.writeUInt32NoTag(numEnvs);
      for (int i = 0; i < numEnvs; i++) {
        t.writeBoolNoTag(buf.terminated(i));
      }
      t.writeTag(4, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      t.writeUInt32NoTag(numEnvs);
      for (int i = 0; i < numEnvs; i++) {
        t.writeBoolNoTag(buf.truncated(i));
      }
      if (nEnded > 0) {
        int idxBytes = 0;
        int lenBytes = 0;
        for (int k = 0; k < nEnded; k++) {
          idxBytes += CodedOutputStream.computeInt32SizeNoTag(ended[k]);
          lenBytes += CodedOutputStream.computeInt32SizeNoTag(buf.episodeLength(ended[k]));
        }
        t.writeTag(5, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        t.writeUInt32NoTag(idxBytes);
        for (int k = 0; k < nEnded; k++) {
          t.writeInt32NoTag(ended[k]);
        }
        t.writeTag(6, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        t.writeUInt32NoTag(8 * nEnded);
        for (int k = 0; k < nEnded; k++) {
          t.writeDoubleNoTag(buf.episodeReturn(ended[k]));
        }
        t.writeTag(7, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        t.writeUInt32NoTag(lenBytes);
        for (int k = 0; k < nEnded; k++) {
          t.writeInt32NoTag(buf.episodeLength(ended[k]));
        }
      }
      int tailLen = t.getTotalBytesWritten();
      // the observations tensor and the framing before it
      int dataField = CodedOutputStream.computeTagSize(3) + CodedOutputStream.computeUInt32SizeNoTag(obsBytes);
      int tensorLen = tensorHead.length + dataField + obsBytes;
      int resultLen = CodedOutputStream.computeTagSize(1) + CodedOutputStream.computeUInt32SizeNoTag(tensorLen)
          + tensorLen + tailLen;
      CodedOutputStream h = CodedOutputStream.newInstance(head);
      h.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      h.writeUInt32NoTag(resultLen);
      h.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      h.writeUInt32NoTag(tensorLen);
      h.writeRawBytes(tensorHead);
      h.writeTag(3, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      h.writeUInt32NoTag(obsBytes);
      return new Message(head, h.getTotalBytesWritten(), buf.observations(), obsBytes, tail, tailLen);
    } catch (IOException e) {
      throw new IllegalStateException("encoding a step result", e);
    }
  }

  private byte[] scratch() {
    if (scratch == null) {
      scratch = new byte[Math.min(SCRATCH, Math.max(1, obsBytes))];
    }
    return scratch;
  }

  /** One encoded response, as the stream gRPC drains: head bytes, the observations, tail bytes. */
  public final class Message extends InputStream implements Drainable, KnownLength {
    private final byte[] headBytes;
    private final int headLen;
    private final ByteBuffer obs;
    private final int obsLen;
    private final byte[] tailBytes;
    private final int tailLen;
    private int pos; // bytes consumed so far
    private boolean consumed;

    private Message(byte[] head, int headLen, ByteBuffer obs, int obsLen, byte[] tail, int tailLen) {
      this.headBytes = head;
      this.headLen = headLen;
      this.obs = obs;
      this.obsLen = obsLen;
      this.tailBytes = tail;
      this.tailLen = tailLen;
    }

    int length() {
      return headLen + obsLen + tailLen;
    }

    /** Whether gRPC has read the whole message (so its arrays may be reused). */
    public boolean consumed() {
      return consumed || pos == length();
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int start = pos;
      if (pos < headLen) {
        target.write(headBytes, pos, headLen - pos);
        pos = headLen;
      }
      byte[] s = scratch();
      while (pos < headLen + obsLen) { // a direct buffer reaches an OutputStream through an array
        int n = read(s, 0, Math.min(s.length, headLen + obsLen - pos));
        target.write(s, 0, n);
      }
      if (pos < length()) {
        int at = pos - headLen - obsLen;
        target.write(tailBytes, at, tailLen - at);
        pos = length();
      }
      consumed = true;
      return pos - start;
    }

    @Override
    public int available() {
      return length() - pos;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= length()) {
        return -1;
      }
      int done = 0;
      while (done < len && pos < length()) {
        int n;
        if (pos < headLen) {
          n = Math.min(len - done, headLen - pos);
          System.arraycopy(headBytes, pos, b, off + done, n);
        } else if (pos < headLen + obsLen) {
          int at = pos - headLen;
          n = Math.min(len - done, obsLen - at);
          obs.get(at, b, off + done, n);
        } else {
          int at = pos - headLen - obsLen;
          n = Math.min(len - done, tailLen - at);
          System.arraycopy(tailBytes, at, b, off + done, n);
        }
        pos += n;
        done += n;
      }
      return done;
    }
  }
}
