package dev.zeroshot.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.proto.v1.MakeResponse;
import dev.zeroshot.proto.v1.SessionResponse;
import dev.zeroshot.proto.v1.StepResult;
import dev.zeroshot.proto.v1.Tensor;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** The client's protobuf-free step decoding reads what protobuf writes, packed or not. */
class StepResultDecoderTest {

  private static final int N = 3;
  private static final byte[] OBS = new byte[N * 8];

  static {
    for (int i = 0; i < OBS.length; i++) {
      OBS[i] = (byte) (i * 7 + 1);
    }
  }

  private static StepBuffers buffers() {
    return StepBuffers.allocate(Box.uniform(-1, 1, new int[] {2}, DType.FLOAT32), new Discrete(2), N);
  }

  private static void assertDecoded(StepBuffers b) {
    byte[] obs = new byte[OBS.length];
    b.observations().get(0, obs);
    assertArrayEquals(OBS, obs);
    assertEquals(1.5, b.reward(0));
    assertEquals(-2.0, b.reward(1));
    assertEquals(0.0, b.reward(2));
    assertTrue(b.terminated(1) && !b.truncated(1) && b.episodeEnded(1));
    assertTrue(!b.terminated(2) && b.truncated(2) && b.episodeEnded(2));
    assertFalse(b.episodeEnded(0));
    assertEquals(12.5, b.episodeReturn(1));
    assertEquals(40, b.episodeLength(1));
    assertEquals(-3.0, b.episodeReturn(2));
    assertEquals(500, b.episodeLength(2));
  }

  @Test
  void readsTheGeneratedClassesBytes() throws Exception {
    StepResult r = StepResult.newBuilder()
        .setObservations(Tensor.newBuilder().setDtype(dev.zeroshot.proto.v1.DType.DTYPE_FLOAT32).addShape(N).addShape(2)
            .setData(ByteString.copyFrom(OBS)))
        .addReward(1.5).addReward(-2.0).addReward(0.0)
        .addTerminated(false).addTerminated(true).addTerminated(false)
        .addTruncated(false).addTruncated(false).addTruncated(true)
        .addEndedEnvs(1).addEndedEnvs(2).addEndedReturns(12.5).addEndedReturns(-3.0)
        .addEndedLengths(40).addEndedLengths(500).build();
    for (SessionResponse resp : new SessionResponse[] {SessionResponse.newBuilder().setStep(r).build(),
        SessionResponse.newBuilder().setReset(r).build()}) {
      byte[] bytes = resp.toByteArray();
      StepBuffers b = buffers();
      assertTrue(new StepResultDecoder(N).decode(bytes, bytes.length, b));
      assertDecoded(b);
    }
  }

  @Test
  void readsUnpackedFieldsAndSkipsUnknownOnes() throws Exception {
    ByteArrayOutputStream result = new ByteArrayOutputStream();
    CodedOutputStream o = CodedOutputStream.newInstance(result);
    o.writeUInt64(99, 7); // a field from a newer server
    for (double v : new double[] {1.5, -2.0, 0.0}) {
      o.writeDouble(2, v);
    }
    for (boolean v : new boolean[] {false, true, false}) {
      o.writeBool(3, v);
    }
    for (boolean v : new boolean[] {false, false, true}) {
      o.writeBool(4, v);
    }
    o.writeInt32(5, 1);
    o.writeDouble(6, 12.5);
    o.writeInt32(7, 40);
    o.writeInt32(5, 2);
    o.writeDouble(6, -3.0);
    o.writeInt32(7, 500);
    o.writeMessage(1, Tensor.newBuilder().setDtype(dev.zeroshot.proto.v1.DType.DTYPE_FLOAT32).addShape(N).addShape(2)
        .setData(ByteString.copyFrom(OBS)).build()); // fields in any order
    o.flush();
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    CodedOutputStream m = CodedOutputStream.newInstance(msg);
    m.writeByteArray(SessionResponse.STEP_FIELD_NUMBER, result.toByteArray());
    m.flush();
    byte[] bytes = msg.toByteArray();
    StepBuffers b = buffers();
    assertTrue(new StepResultDecoder(N).decode(bytes, bytes.length, b));
    assertDecoded(b);
  }

  @Test
  void otherResponsesAreLeftToProtobufAndBadResultsAreRefused() throws Exception {
    byte[] make = SessionResponse.newBuilder().setMake(MakeResponse.newBuilder().setNumEnvs(N)).build().toByteArray();
    assertFalse(new StepResultDecoder(N).decode(make, make.length, buffers()));
    byte[] shortResult = SessionResponse.newBuilder().setStep(StepResult.newBuilder()
        .setObservations(Tensor.newBuilder().setData(ByteString.copyFrom(OBS))).addReward(1).addTerminated(false)
        .addTruncated(false)).build().toByteArray();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new StepResultDecoder(N).decode(shortResult, shortResult.length, buffers()));
    assertTrue(e.getMessage().contains("result for 1 envs"), e.getMessage());
    byte[] wrongObs = SessionResponse.newBuilder().setStep(StepResult.newBuilder()
        .setObservations(Tensor.newBuilder().setData(ByteString.copyFrom(new byte[5])))).build().toByteArray();
    e = assertThrows(IllegalStateException.class,
        () -> new StepResultDecoder(N).decode(wrongObs, wrongObs.length, buffers()));
    assertTrue(e.getMessage().contains("5 observation bytes"), e.getMessage());
  }
}
