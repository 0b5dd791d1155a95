package dev.zeroshot.server;

import dev.zeroshot.proto.v1.MakeResponse;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * Shared memory with the doorbell: as {@link SharedMemoryPlane}, and steps may also be asked for
 * and answered with one byte each on the session's {@link Doorbell} socket, skipping gRPC.
 * Resets, close and failures still go over the stream.
 */
final class DoorbellPlane extends SharedMemoryPlane {

  private final Doorbell doorbell;

  DoorbellPlane(SharedRegion region, ServerCallStreamObserver<Object> out, Doorbell doorbell) {
    super(region, out);
    this.doorbell = doorbell;
  }

  @Override
  public void describe(MakeResponse.Builder made) {
    super.describe(made);
    made.setSharedMemory(made.getSharedMemory().toBuilder().setDoorbellPath(doorbell.path().toString()));
  }

  @Override
  public void close() {
    doorbell.close();
    super.close();
  }
}
