package dev.zeroshot.mbtl;

/**
 * One trained source task: the policy trained on {@code task}, evaluated zero-shot on every task.
 *
 * @param task the source task's index
 * @param returns mean return on each target task (raw)
 * @param row the normalized row of the transfer matrix: (return - low) / (high - low)
 * @param samples environment steps spent training it
 * @param trainReturn the trainer's recent mean return at the end of training (on its own task)
 * @param trainSeconds wall-clock seconds of training (informative; never part of a result)
 * @param evalSeconds wall-clock seconds of the N evaluations
 */
public record TrainedTask(int task, double[] returns, double[] row, long samples, double trainReturn,
                          double trainSeconds, double evalSeconds) {}
