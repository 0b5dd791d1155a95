package dev.zeroshot.server;

import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.proto.v1.MakeResponse;

/**
 * How a session's actions reach its envs and their results reach the client: tensors in the
 * messages ({@link MessagePlane}), a shared-memory region with step messages
 * ({@link SharedMemoryPlane}), or the region with the doorbell socket ({@link DoorbellPlane}).
 * The session makes one at make and closes it when it ends; the session's lock covers every call.
 */
interface DataPlane extends AutoCloseable {

  /** Where the session's env reads the actions and writes its observations and results. */
  StepBuffers buffers();

  /** Throws a status if what the plane shares with the client can no longer be used (a truncated region file). */
  default void requireIntact() {}

  /** A step request without an actions tensor: puts the actions the client left in the plane into {@link #buffers()}. */
  void takeActions();

  /** Answers a reset or a step ({@code field} of SessionResponse) with the results now in {@link #buffers()}. */
  void sendResult(int field);

  /** Adds what the client needs to use this plane to the make response. */
  default void describe(MakeResponse.Builder made) {}

  /** Frees what the plane holds; the env has stopped using {@link #buffers()}. */
  @Override
  void close();
}
