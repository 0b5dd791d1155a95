package dev.zeroshot.client;

import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.proto.v1.ResetRequest;

/**
 * How a remote vector env's actions reach the server and the results come back: tensors in the
 * messages ({@link MessagePlane}), a shared-memory region with step messages
 * ({@link SharedMemoryPlane}), or the region with the doorbell socket ({@link DoorbellPlane}).
 * All three give the same results; the env picks one when it is made and the session's stream
 * stays the control plane (make, reset, close, errors) for every one of them.
 */
interface DataPlane extends AutoCloseable {

  /** Sends {@code request} and reads the first observations into {@code out}. */
  void reset(ResetRequest request, StepBuffers out);

  /** Steps with the actions in {@code io} (already checked) and reads the results into {@code io}. */
  void step(StepBuffers io);

  /** Frees what the plane holds on this side; the session's stream is closed by then. */
  @Override
  default void close() {}
}
