package dev.zeroshot.offline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A minibatch of windows of consecutive steps of one episode each (for sequence models such as
 * the Decision Transformer), reused from batch to batch. Step s of window b is row b * context
 * + s of every array; a window that would begin before its episode's first step is padded on
 * the left: those rows have {@code real} false, zero observations, action 0, return-to-go 0 and
 * timestep 0.
 */
public final class SequenceBatch {

  public final int capacity;
  public final int context;
  public final int observationBytes;
  /** Observations end to end in a direct little-endian buffer (ready to wrap as a tensor). */
  public final ByteBuffer observations;
  public final long[] actions;
  /** The undiscounted return from this step to the episode's end (this step's reward included). */
  public final float[] returnsToGo;
  /** The step's index in its episode. */
  public final long[] timesteps;
  public final boolean[] real;
  /** Per window: the episode id it was cut from. */
  public final int[] episode;
  public int size;

  public SequenceBatch(int capacity, int context, int observationBytes) {
    this.capacity = capacity;
    this.context = context;
    this.observationBytes = observationBytes;
    int rows = Math.multiplyExact(capacity, context);
    this.observations = ByteBuffer.allocateDirect(Math.multiplyExact(rows, observationBytes)).order(ByteOrder.LITTLE_ENDIAN);
    this.actions = new long[rows];
    this.returnsToGo = new float[rows];
    this.timesteps = new long[rows];
    this.real = new boolean[rows];
    this.episode = new int[capacity];
  }
}
