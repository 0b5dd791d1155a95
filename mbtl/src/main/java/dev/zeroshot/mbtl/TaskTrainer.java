package dev.zeroshot.mbtl;

import java.io.IOException;

/**
 * Trains a policy on one task and evaluates it zero-shot on all tasks: one row of the transfer
 * matrix. Implementations must be deterministic in {@code task} (the same row whenever and on
 * whichever thread it is trained) and safe to call from several threads at once, which is what
 * makes a sweep's results independent of its parallelism and lets a resumed sweep replay.
 */
@FunctionalInterface
public interface TaskTrainer {
  TrainedTask train(int task) throws IOException;

  /**
   * The multi-task baseline: one policy trained on all N tasks (N x S steps), evaluated on each;
   * the result's task is {@link #MULTI_TASK}.
   */
  default TrainedTask trainMultiTask() throws IOException {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot train a multi-task policy");
  }

  /**
   * The sweep stopped (a training failed): {@code train} calls in flight should return soon, by
   * throwing; trainings running outside this process may go on (their jobs are saved).
   */
  default void stop() { }

  /** The task number of the multi-task policy's row. */
  int MULTI_TASK = -1;
}
