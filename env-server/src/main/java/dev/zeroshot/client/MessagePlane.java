package dev.zeroshot.client;

import com.google.protobuf.ByteString;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.space.Space;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.StepRequest;
import dev.zeroshot.proto.v1.StepResult;
import dev.zeroshot.proto.v1.Tensor;
import dev.zeroshot.wire.Protos;
import dev.zeroshot.wire.StepResultDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Tensors in the messages: each step request carries the actions, each answer the observations
 * and results, read straight into the caller's buffers by {@link StepResultDecoder}.
 */
final class MessagePlane implements DataPlane {

  private final SessionStream stream;
  private final int numEnvs;
  private final dev.zeroshot.proto.v1.DType actionDType;
  private final List<Long> actionShape;
  private final StepResultDecoder decoder;
  /** Told of every result, parsed (a curriculum session reads its levels); null: results go straight to the buffers. */
  private final java.util.function.Consumer<StepResult> results;

  MessagePlane(SessionStream stream, int numEnvs, Space actionSpace) {
    this(stream, numEnvs, actionSpace, null);
  }

  MessagePlane(SessionStream stream, int numEnvs, Space actionSpace, java.util.function.Consumer<StepResult> results) {
    this.results = results;
    this.stream = stream;
    this.numEnvs = numEnvs;
    this.actionDType = Protos.dtype(Protos.elementDType(actionSpace));
    this.actionShape = Protos.batchShape(numEnvs, actionSpace);
    this.decoder = new StepResultDecoder(numEnvs);
  }

  @Override
  public void reset(ResetRequest request, StepBuffers out) {
    sendReset(request);
    receiveReset(out);
  }

  @Override
  public void step(StepBuffers io) {
    sendStep(io);
    receiveStep(io);
  }

  // The halves of reset and step, apart so that a spread vector env can send to all its
  // sessions before it waits for any (its servers then step in parallel).

  void sendReset(ResetRequest request) {
    stream.send(SessionRequest.newBuilder().setReset(request).build());
  }

  void receiveReset(StepBuffers out) {
    SessionStream.Raw raw = stream.answerRaw();
    if (!decode(raw, out)) {
      read(SessionStream.parse(raw).getReset(), out);
    }
  }

  void sendStep(StepBuffers io) {
    ByteBuffer a = io.actions().duplicate();
    a.clear();
    Tensor actions = Tensor.newBuilder().setDtype(actionDType).addAllShape(actionShape)
        .setData(ByteString.copyFrom(a)).build();
    stream.send(SessionRequest.newBuilder().setStep(StepRequest.newBuilder().setActions(actions)).build());
  }

  void receiveStep(StepBuffers io) {
    SessionStream.Raw raw = stream.answerRaw();
    if (!decode(raw, io)) {
      read(SessionStream.parse(raw).getStep(), io);
    }
  }

  /** Reads a reset's or step's result straight into {@code out}; false if the response is something else. */
  private boolean decode(SessionStream.Raw raw, StepBuffers out) {
    if (results != null) {
      return false; // parsed by protobuf, for the extra fields
    }
    try {
      return decoder.decode(raw.bytes(), raw.length(), out);
    } catch (IOException e) {
      throw stream.broken("server sent a step result that is not valid protobuf: " + e.getMessage(), e);
    }
  }

  /** Reads a parsed result (a response {@link #decode} did not take; one with no result fails the size check). */
  private void read(StepResult r, StepBuffers out) {
    if (r.getRewardCount() != numEnvs || r.getObservations().getData().size() != out.observations().capacity()) {
      throw new IllegalStateException("server sent a result for " + r.getRewardCount() + " envs and "
          + r.getObservations().getData().size() + " observation bytes; expected " + numEnvs + " and "
          + out.observations().capacity());
    }
    ByteBuffer o = out.observations().duplicate();
    o.clear();
    r.getObservations().getData().copyTo(o);
    for (int i = 0; i < numEnvs; i++) {
      out.setResult(i, r.getReward(i), r.getTerminated(i), r.getTruncated(i));
    }
    for (int k = 0; k < r.getEndedEnvsCount(); k++) {
      out.setEpisode(r.getEndedEnvs(k), r.getEndedReturns(k), r.getEndedLengths(k));
    }
    if (results != null) {
      results.accept(r);
    }
  }
}
