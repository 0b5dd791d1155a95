package dev.zeroshot.server;

import com.google.protobuf.UnsafeByteOperations;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.proto.v1.SessionResponse;
import dev.zeroshot.proto.v1.StepResult;
import dev.zeroshot.proto.v1.Tensor;
import dev.zeroshot.wire.Protos;
import dev.zeroshot.wire.StepResultEncoder;
import io.grpc.stub.ServerCallStreamObserver;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tensors in the messages: every step request carries its actions, every answer its
 * observations and results, written by {@link StepResultEncoder} straight from the buffers.
 */
final class MessagePlane implements DataPlane {

  private static final Logger log = LoggerFactory.getLogger(MessagePlane.class);

  private final String sessionId;
  private final ServerCallStreamObserver<Object> out; // SessionResponse or StepResultEncoder.Message
  private final StepBuffers buf;
  private final int numEnvs;
  private final dev.zeroshot.proto.v1.DType observationDType;
  private final List<Long> observationShape;
  private StepResultEncoder encoder; // null once gRPC kept a message: protobuf objects from then on
  /** What a curriculum session adds to every result (the envs' new levels); null for others. */
  private final java.util.function.Consumer<StepResult.Builder> extra;

  MessagePlane(String sessionId, ServerCallStreamObserver<Object> out, VectorEnv env) {
    this(sessionId, out, env, null);
  }

  MessagePlane(String sessionId, ServerCallStreamObserver<Object> out, VectorEnv env,
      java.util.function.Consumer<StepResult.Builder> extra) {
    this.extra = extra;
    this.sessionId = sessionId;
    this.out = out;
    this.buf = StepBuffers.allocate(env);
    this.numEnvs = env.numEnvs();
    this.observationDType = Protos.dtype(Protos.elementDType(env.singleObservationSpace()));
    this.observationShape = Protos.batchShape(numEnvs, env.singleObservationSpace());
    // the encoder writes the fixed fields only: results with extras are built with protobuf
    this.encoder = extra != null ? null
        : new StepResultEncoder(numEnvs, observationDType, observationShape, buf.observationBytes());
  }

  @Override
  public StepBuffers buffers() {
    return buf;
  }

  @Override
  public void takeActions() {
    throw new IllegalArgumentException("step has no actions tensor");
  }

  @Override
  public void sendResult(int field) {
    if (encoder != null) {
      StepResultEncoder.Message m = encoder.encode(field, buf);
      out.onNext(m);
      if (!m.consumed()) {
        // gRPC kept the stream to read later (or dropped it: a cancelled call): its arrays must
        // not be reused. Never seen with grpc-java's message framer on a live call; if it
        // happens, this session goes back to protobuf objects.
        encoder = null;
        if (out.isCancelled()) {
          return;
        }
        log.warn("session {}: gRPC did not consume a step response inside onNext; encoding with protobuf from now on",
            sessionId);
      }
      return;
    }
    StepResult r = result();
    out.onNext(field == SessionResponse.RESET_FIELD_NUMBER ? SessionResponse.newBuilder().setReset(r).build()
        : SessionResponse.newBuilder().setStep(r).build());
  }

  private StepResult result() {
    ByteBuffer obs = buf.observations().duplicate();
    obs.clear();
    // No copy: gRPC serializes the response inside onNext (into its own buffers), and these
    // buffers change only when the next request is handled, after onNext has returned.
    StepResult.Builder r = StepResult.newBuilder().setObservations(Tensor.newBuilder()
        .setDtype(observationDType).addAllShape(observationShape).setData(UnsafeByteOperations.unsafeWrap(obs)));
    for (int i = 0; i < numEnvs; i++) {
      r.addReward(buf.reward(i));
      r.addTerminated(buf.terminated(i));
      r.addTruncated(buf.truncated(i));
    }
    for (int i = 0; i < numEnvs; i++) {
      if (buf.episodeEnded(i)) {
        r.addEndedEnvs(i).addEndedReturns(buf.episodeReturn(i)).addEndedLengths(buf.episodeLength(i));
      }
    }
    if (extra != null) {
      extra.accept(r);
    }
    return r.build();
  }

  @Override
  public void close() {
    encoder = null;
  }
}
