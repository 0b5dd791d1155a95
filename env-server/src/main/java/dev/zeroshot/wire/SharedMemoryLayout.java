package dev.zeroshot.wire;

import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.proto.v1.SharedMemory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The layout of a shared-memory session's region file (docs/protocol.md, "Shared memory"), which
 * the server writes and the client reads: a 64-byte header, then the observations, the actions
 * and the per-env result records ({@link StepBuffers#RECORD_BYTES} each, the in-process buffers'
 * own format), each part 64-byte aligned. The header's sequence number says which result the
 * region holds; it is written with release and read with acquire semantics on both sides.
 */
public final class SharedMemoryLayout {

  /** "ZSHM" then layout version 1, as the first eight bytes (little-endian u32 magic, u32 version). */
  public static final int MAGIC = 0x4D48535A;
  public static final int LAYOUT_VERSION = 1;
  public static final int HEADER_BYTES = 64;
  public static final int ALIGN = 64;
  /** Header offsets (little-endian). */
  public static final int H_MAGIC = 0;
  public static final int H_VERSION = 4;
  public static final int H_NONCE = 8;
  public static final int H_SEQUENCE = 16;
  public static final int H_NUM_ENVS = 24;
  public static final int H_OBSERVATION_BYTES = 28;
  public static final int H_ACTION_BYTES = 32;
  public static final int H_RECORD_BYTES = 36;
  public static final int H_OBSERVATIONS_OFFSET = 40;
  public static final int H_ACTIONS_OFFSET = 48;
  public static final int H_RESULTS_OFFSET = 56;

  private static final VarHandle LONG_LE = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private SharedMemoryLayout() {}

  private static long align(long offset) {
    return (offset + ALIGN - 1) / ALIGN * ALIGN;
  }

  /** The layout for these sizes, with no path or nonce yet. */
  public static SharedMemory.Builder layout(int numEnvs, int observationBytes, int actionBytes) {
    long obs = HEADER_BYTES;
    long act = align(obs + (long) numEnvs * observationBytes);
    long res = align(act + (long) numEnvs * actionBytes);
    long size = res + (long) numEnvs * StepBuffers.RECORD_BYTES;
    return SharedMemory.newBuilder().setLayoutVersion(LAYOUT_VERSION).setSize(size).setObservationsOffset(obs)
        .setActionsOffset(act).setResultsOffset(res).setObservationBytes(observationBytes)
        .setActionBytes(actionBytes).setRecordBytes(StepBuffers.RECORD_BYTES);
  }

  /** Writes the header of a new region described by {@code d} (sequence 0) at the start of {@code region}. */
  public static void writeHeader(ByteBuffer region, SharedMemory.Builder d, int numEnvs) {
    ByteBuffer h = region.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(H_MAGIC, MAGIC).putInt(H_VERSION, LAYOUT_VERSION).putLong(H_NONCE, d.getNonce()).putLong(H_SEQUENCE, 0)
        .putInt(H_NUM_ENVS, numEnvs).putInt(H_OBSERVATION_BYTES, d.getObservationBytes())
        .putInt(H_ACTION_BYTES, d.getActionBytes()).putInt(H_RECORD_BYTES, d.getRecordBytes())
        .putLong(H_OBSERVATIONS_OFFSET, d.getObservationsOffset()).putLong(H_ACTIONS_OFFSET, d.getActionsOffset())
        .putLong(H_RESULTS_OFFSET, d.getResultsOffset());
  }

  /**
   * Checks that the server's description is of the layout this client reads, for a vector env
   * with these sizes.
   *
   * @throws IllegalStateException naming both layouts if they differ
   */
  public static void checkDescription(SharedMemory d, int observationBytes, int actionBytes) {
    if (d.getLayoutVersion() != LAYOUT_VERSION || d.getObservationBytes() != observationBytes
        || d.getActionBytes() != actionBytes || d.getRecordBytes() != StepBuffers.RECORD_BYTES) {
      throw new IllegalStateException("shared memory layout " + d.getLayoutVersion() + " with " + d.getObservationBytes()
          + "/" + d.getActionBytes() + "/" + d.getRecordBytes() + " bytes per env is not the one this client reads ("
          + LAYOUT_VERSION + ", " + observationBytes + "/" + actionBytes + "/" + StepBuffers.RECORD_BYTES + ")");
    }
  }

  /** Whether the mapped {@code region} is the one {@code d} describes (magic, nonce and env count). */
  public static boolean headerMatches(ByteBuffer region, SharedMemory d, int numEnvs) {
    ByteBuffer h = region.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    return h.getInt(H_MAGIC) == MAGIC && h.getLong(H_NONCE) == d.getNonce() && h.getInt(H_NUM_ENVS) == numEnvs;
  }

  /** The number of the result the region holds (an acquire load: the results written before it are visible). */
  public static long sequence(ByteBuffer region) {
    return (long) LONG_LE.getAcquire(region, H_SEQUENCE);
  }

  /** Marks the results in the region as number {@code sequence}, after they are written (a release store). */
  public static void publish(ByteBuffer region, long sequence) {
    LONG_LE.setRelease(region, H_SEQUENCE, sequence);
  }
}
