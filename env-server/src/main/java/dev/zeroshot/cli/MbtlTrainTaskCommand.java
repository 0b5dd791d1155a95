package dev.zeroshot.cli;

import dev.zeroshot.mbtl.ProcessTaskTrainer;
import dev.zeroshot.mbtl.TaskTrainer;
import dev.zeroshot.mbtl.TrainedTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot mbtl train-task}: one training of a run-mode sweep, its row written to the
 * sweep's folder. What each job of {@code mbtl run --executor slurm} runs; hidden from help.
 */
@Command(name = "train-task", hidden = true, mixinStandardHelpOptions = true,
    description = "Train one task of the sweep in --sweep and write its row (what a Slurm job of a sweep runs).")
final class MbtlTrainTaskCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--sweep", required = true, paramLabel = "DIR", description = "the sweep's folder")
  Path sweep;

  @Option(names = "--task", required = true, paramLabel = "K|multi", description = "the task, or multi for the "
      + "multi-task policy")
  String task;

  @Override
  public Integer call() throws IOException {
    int k;
    try {
      k = task.equals("multi") ? TaskTrainer.MULTI_TASK : Integer.parseInt(task);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--task must be a task number or 'multi', got '" + task + "'");
    }
    TrainedTask t = ProcessTaskTrainer.trainOne(sweep, k);
    spec.commandLine().getOut().printf(java.util.Locale.ROOT, "%s: %,d steps in %.1f s, evaluation %.1f s; row "
        + "written%n", k == TaskTrainer.MULTI_TASK ? "multi-task policy" : "task " + k, t.samples(), t.trainSeconds(),
        t.evalSeconds());
    return 0;
  }
}
