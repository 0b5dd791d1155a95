package dev.zeroshot.mbtl.exec;

import java.util.List;

/**
 * One training to run: a {@code zeroshot} command line ({@code args} without the launcher, e.g.
 * {@code mbtl train-task --sweep DIR --task 3}); the executor prefixes the command that starts
 * Zeroshot where the job runs and decides where its log goes ({@link Executor#log}).
 *
 * @param name a short name for listings (Slurm's job name is the batch's)
 * @param args the arguments to {@code zeroshot}
 */
public record TrainingJob(String name, List<String> args) {
  public TrainingJob {
    args = List.copyOf(args);
  }
}
