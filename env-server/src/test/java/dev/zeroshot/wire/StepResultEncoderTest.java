package dev.zeroshot.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.proto.v1.SessionResponse;
import dev.zeroshot.proto.v1.StepResult;
import dev.zeroshot.proto.v1.Tensor;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written step result encoding gives exactly the bytes of the generated protobuf classes. */
class StepResultEncoderTest {

  @Test
  void sameBytesAsProtobufForStepsAndResets() throws Exception {
    for (int n : new int[] {1, 3, 256}) {
      for (int[] shape : new int[][] {{4}, {3, 64, 64}}) {
        Box obsSpace = Box.uniform(0, 255, shape, shape.length == 1 ? DType.FLOAT32 : DType.UINT8);
        StepBuffers buf = StepBuffers.allocate(obsSpace, new Discrete(2), n);
        List<Long> batchShape = new java.util.ArrayList<>(List.of((long) n));
        for (int d : shape) {
          batchShape.add((long) d);
        }
        dev.zeroshot.proto.v1.DType dtype = Protos.dtype(obsSpace.dtype());
        StepResultEncoder enc = new StepResultEncoder(n, dtype, batchShape, buf.observationBytes());
        SplittableRandom rng = new SplittableRandom(n);
        for (int round = 0; round < 6; round++) {
          for (int i = 0; i < buf.observations().capacity(); i++) {
            buf.observations().put(i, (byte) rng.nextInt());
          }
          for (int i = 0; i < n; i++) {
            boolean term = rng.nextInt(4) == 0;
            boolean trunc = round == 5 || rng.nextInt(5) == 0; // round 5: every env ends
            buf.setResult(i, round == 0 ? 0 : rng.nextDouble() * 10 - 5, term && round > 0, trunc && round > 0);
            buf.setEpisode(i, rng.nextDouble() * 500, rng.nextInt(1 << 20));
          }
          StepResult.Builder r = StepResult.newBuilder().setObservations(Tensor.newBuilder().setDtype(dtype)
              .addAllShape(batchShape).setData(ByteString.copyFrom(buf.observations().duplicate().clear())));
          for (int i = 0; i < n; i++) {
            r.addReward(buf.reward(i)).addTerminated(buf.terminated(i)).addTruncated(buf.truncated(i));
          }
          for (int i = 0; i < n; i++) {
            if (buf.episodeEnded(i)) {
              r.addEndedEnvs(i).addEndedReturns(buf.episodeReturn(i)).addEndedLengths(buf.episodeLength(i));
            }
          }
          int field = round == 0 ? SessionResponse.RESET_FIELD_NUMBER : SessionResponse.STEP_FIELD_NUMBER;
          byte[] want = (round == 0 ? SessionResponse.newBuilder().setReset(r) : SessionResponse.newBuilder().setStep(r))
              .build().toByteArray();
          // drained, as gRPC does
          StepResultEncoder.Message m = enc.encode(field, buf);
          assertEquals(want.length, m.available());
          ByteArrayOutputStream drained = new ByteArrayOutputStream();
          assertEquals(want.length, m.drainTo(drained));
          assertTrue(m.consumed());
          assertArrayEquals(want, drained.toByteArray(), "n " + n + " round " + round);
          // read in odd-sized pieces
          m = enc.encode(field, buf);
          ByteArrayOutputStream read = new ByteArrayOutputStream();
          byte[] piece = new byte[777];
          for (int k; (k = m.read(piece, 0, piece.length)) > 0; ) {
            read.write(piece, 0, k);
          }
          assertArrayEquals(want, read.toByteArray());
          assertEquals(round == 5 ? n : -1, round == 5 ? SessionResponse.parseFrom(want).getStep().getEndedEnvsCount() : -1);
        }
      }
    }
  }
}
