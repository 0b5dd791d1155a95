package dev.zeroshot.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.proto.v1.SessionResponse;
import java.io.IOException;

/**
 * Reads the {@code StepResult} of a {@code SessionResponse{reset|step}} from its wire bytes
 * straight into {@link StepBuffers}, without protobuf objects: the observations are copied once
 * from the message bytes, and the per-env arrays are reused from step to step.
 */
public final class StepResultDecoder {

  private final int numEnvs;
  private final double[] rewards;
  private final boolean[] terminated;
  private final boolean[] truncated;
  private final int[] endedEnvs;
  private final double[] endedReturns;
  private final int[] endedLengths;

  public StepResultDecoder(int numEnvs) {
    this.numEnvs = numEnvs;
    rewards = new double[numEnvs];
    terminated = new boolean[numEnvs];
    truncated = new boolean[numEnvs];
    endedEnvs = new int[numEnvs];
    endedReturns = new double[numEnvs];
    endedLengths = new int[numEnvs];
  }

  /**
   * Reads a reset's or step's {@code StepResult} from the wire bytes straight into {@code out}
   * (the observations copied once, no protobuf objects). Accepts packed and unpacked repeated
   * fields and skips unknown ones, as protobuf does. False if {@code bytes} hold another kind of
   * {@code SessionResponse}.
   *
   * @throws IOException if the bytes are not valid protobuf
   * @throws IllegalStateException if the result does not fit this vector env (counts, sizes)
   */
  public boolean decode(byte[] bytes, int length, StepBuffers out) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes, 0, length);
    int tag = in.readTag();
    int field = WireFormat.getTagFieldNumber(tag);
    if ((field != SessionResponse.RESET_FIELD_NUMBER && field != SessionResponse.STEP_FIELD_NUMBER)
        || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED || in.isAtEnd()) {
      return false;
    }
    int result = in.pushLimit(in.readRawVarint32());
    int obs = -1;
    int nReward = 0;
    int nTerm = 0;
    int nTrunc = 0;
    int nEnded = 0;
    int nReturns = 0;
    int nLengths = 0;
    while ((tag = in.readTag()) != 0) {
      int f = WireFormat.getTagFieldNumber(tag);
      boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
      switch (f) {
        case 1: { // observations Tensor: only its data is read (shape and dtype are the session's)
          int tensor = in.pushLimit(in.readRawVarint32());
          int t;
          while ((t = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(t) == 3 && WireFormat.getTagWireType(t) == 2) {
              obs = in.readRawVarint32();
              if (obs != out.observations().capacity()) {
                throw new IllegalStateException("server sent " + obs + " observation bytes; expected "
                    + out.observations().capacity());
              }
              out.observations().put(0, bytes, in.getTotalBytesRead(), obs);
              in.skipRawBytes(obs);
            } else {
              in.skipField(t);
            }
          }
          in.popLimit(tensor);
          break;
        }
        case 2:
        case 6: {
          double[] into = f == 2 ? rewards : endedReturns;
          int n = f == 2 ? nReward : nReturns;
          int end = packed ? in.pushLimit(in.readRawVarint32()) : -1;
          do {
            if (n >= numEnvs) {
              throw new IllegalStateException("server sent more than " + numEnvs + " values of field " + f);
            }
            into[n++] = in.readDouble();
          } while (packed && !in.isAtEnd());
          if (packed) {
            in.popLimit(end);
          }
          if (f == 2) {
            nReward = n;
          } else {
            nReturns = n;
          }
          break;
        }
        case 3:
        case 4: {
          boolean[] into = f == 3 ? terminated : truncated;
          int n = f == 3 ? nTerm : nTrunc;
          int end = packed ? in.pushLimit(in.readRawVarint32()) : -1;
          do {
            if (n >= numEnvs) {
              throw new IllegalStateException("server sent more than " + numEnvs + " values of field " + f);
            }
            into[n++] = in.readBool();
          } while (packed && !in.isAtEnd());
          if (packed) {
            in.popLimit(end);
          }
          if (f == 3) {
            nTerm = n;
          } else {
            nTrunc = n;
          }
          break;
        }
        case 5:
        case 7: {
          int[] into = f == 5 ? endedEnvs : endedLengths;
          int n = f == 5 ? nEnded : nLengths;
          int end = packed ? in.pushLimit(in.readRawVarint32()) : -1;
          do {
            if (n >= numEnvs) {
              throw new IllegalStateException("server sent more than " + numEnvs + " values of field " + f);
            }
            into[n++] = in.readInt32();
          } while (packed && !in.isAtEnd());
          if (packed) {
            in.popLimit(end);
          }
          if (f == 5) {
            nEnded = n;
          } else {
            nLengths = n;
          }
          break;
        }
        default:
          in.skipField(tag);
      }
    }
    in.popLimit(result);
    if (obs != out.observations().capacity() || nReward != numEnvs || nTerm != numEnvs || nTrunc != numEnvs
        || nReturns != nEnded || nLengths != nEnded) {
      throw new IllegalStateException("server sent a result for " + nReward + " envs (" + nTerm + "/" + nTrunc
          + " flags, " + nEnded + "/" + nReturns + "/" + nLengths + " ended) and " + obs
          + " observation bytes; expected " + numEnvs + " envs and " + out.observations().capacity() + " bytes");
    }
    for (int i = 0; i < numEnvs; i++) {
      out.setResult(i, rewards[i], terminated[i], truncated[i]);
    }
    for (int k = 0; k < nEnded; k++) {
      if (endedEnvs[k] < 0 || endedEnvs[k] >= numEnvs) {
        throw new IllegalStateException("server sent an ended env index " + endedEnvs[k]);
      }
      out.setEpisode(endedEnvs[k], endedReturns[k], endedLengths[k]);
    }
    return true;
  }
}
