package dev.zeroshot.server;

import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.proto.v1.MakeResponse;
import dev.zeroshot.proto.v1.SessionResponse;
import dev.zeroshot.proto.v1.StepResult;
import io.grpc.stub.ServerCallStreamObserver;
import java.nio.file.Path;

/**
 * Shared memory over step messages: the envs write observations and results into the session's
 * {@link SharedRegion} and read the actions the client wrote there; a reset or step is answered
 * with the number of the result the region now holds (published before the answer is sent).
 */
class SharedMemoryPlane implements DataPlane {

  private final SharedRegion region;
  private final ServerCallStreamObserver<Object> out;
  private long sequence;

  SharedMemoryPlane(SharedRegion region, ServerCallStreamObserver<Object> out) {
    this.region = region;
    this.out = out;
  }

  @Override
  public StepBuffers buffers() {
    return region.buffers();
  }

  @Override
  public void requireIntact() {
    region.requireIntact();
  }

  @Override
  public void takeActions() {
    region.takeActions();
  }

  @Override
  public void sendResult(int field) {
    StepResult r = StepResult.newBuilder().setSequence(publish()).build();
    out.onNext(field == SessionResponse.RESET_FIELD_NUMBER ? SessionResponse.newBuilder().setReset(r).build()
        : SessionResponse.newBuilder().setStep(r).build());
  }

  /** The region's file. */
  Path path() {
    return region.path();
  }

  /** What is wrong with the region's file if the client truncated it (see {@link SharedRegion#truncation()}), else null. */
  String truncation() {
    return region.truncation();
  }

  /** Marks the results in the region as the next result; returns its number. */
  long publish() {
    region.publish(++sequence);
    return sequence;
  }

  @Override
  public void describe(MakeResponse.Builder made) {
    made.setSharedMemory(region.description());
  }

  @Override
  public void close() {
    region.close(); // deletes the file; no step runs now (every entry point holds the session's lock)
  }
}
