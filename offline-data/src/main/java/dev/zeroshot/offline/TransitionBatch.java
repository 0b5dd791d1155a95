package dev.zeroshot.offline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A minibatch of transitions (s, a, r, s', terminated), reused from batch to batch:
 * observations end to end in direct little-endian buffers (ready to wrap as a tensor).
 */
public final class TransitionBatch {

  public final int capacity;
  public final int observationBytes;
  public final ByteBuffer observations;
  public final ByteBuffer nextObservations;
  public final long[] actions;
  public final float[] rewards;
  public final boolean[] terminated;
  /** Where each row came from: episode id and step. */
  public final int[] episode;
  public final int[] step;
  public int size;

  public TransitionBatch(int capacity, int observationBytes) {
    this.capacity = capacity;
    this.observationBytes = observationBytes;
    this.observations = ByteBuffer.allocateDirect(capacity * observationBytes).order(ByteOrder.LITTLE_ENDIAN);
    this.nextObservations = ByteBuffer.allocateDirect(capacity * observationBytes).order(ByteOrder.LITTLE_ENDIAN);
    this.actions = new long[capacity];
    this.rewards = new float[capacity];
    this.terminated = new boolean[capacity];
    this.episode = new int[capacity];
    this.step = new int[capacity];
  }
}
