package dev.zeroshot.cli;

import dev.zeroshot.mbtl.exec.SlurmExecutor;
import dev.zeroshot.mbtl.exec.SlurmOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** Where trainings run ({@code --executor}) and what a Slurm job asks for: a mixin of the commands that train. */
final class ExecutorOptions {

  @Option(names = "--executor", paramLabel = "local|slurm", description = "where trainings run: local (default: "
      + "worker JVMs on this machine) or slurm (each training a Slurm job; needs a filesystem shared with the nodes)")
  String executor = "local";

  @Option(names = "--slurm-partition", description = "Slurm partition (sbatch -p; default: the cluster's)")
  String partition;

  @Option(names = "--slurm-account", description = "Slurm account (sbatch -A)")
  String account;

  @Option(names = "--slurm-time", description = "time limit per training (sbatch -t, e.g. 30 or 2:00:00)")
  String time;

  @Option(names = "--slurm-cpus", description = "CPUs per training (sbatch -c; default 1)")
  Integer cpus;

  @Option(names = "--slurm-mem", description = "memory per training (sbatch --mem, e.g. 4G)")
  String mem;

  @Option(names = "--slurm-gpus", description = "GPUs per training (sbatch --gres=gpu:N)")
  Integer gpus;

  @Option(names = "--slurm-arg", paramLabel = "ARG", description = "one more sbatch argument, as is (repeatable: "
      + "--slurm-arg=--qos=long --slurm-arg=--nodelist=node2)")
  List<String> extraArgs = new ArrayList<>();

  @Option(names = "--slurm-launcher", paramLabel = "CMD", description = "the shell command that starts zeroshot on "
      + "the nodes (default: this JVM's java and classpath, e.g. 'java -jar /shared/zeroshot.jar')")
  String launcher;

  @Option(names = "--slurm-wait", paramLabel = "SECONDS", description = "how long Slurm may stay unreachable "
      + "before the controller stops, state saved (default: 300)")
  Integer waitSeconds;

  /** True for slurm, false for local; anything else, or Slurm options without slurm, is an error. */
  boolean slurm() {
    if (!executor.equals("local") && !executor.equals("slurm")) {
      throw new IllegalArgumentException("--executor must be local or slurm, got '" + executor + "'");
    }
    boolean slurm = executor.equals("slurm");
    if (!slurm) {
      Object[][] given = {{"--slurm-partition", partition}, {"--slurm-account", account}, {"--slurm-time", time},
          {"--slurm-cpus", cpus}, {"--slurm-mem", mem}, {"--slurm-gpus", gpus},
          {"--slurm-arg", extraArgs.isEmpty() ? null : extraArgs}, {"--slurm-launcher", launcher},
          {"--slurm-wait", waitSeconds}};
      for (Object[] g : given) {
        if (g[1] != null) {
          throw new IllegalArgumentException(g[0] + " needs --executor slurm");
        }
      }
    }
    return slurm;
  }

  /** A Slurm executor writing its scripts and logs to {@code logDir}; fails in one line without sbatch. */
  SlurmExecutor slurmExecutor(String jobName, Path logDir, Consumer<String> notes) {
    SlurmOptions o = new SlurmOptions(partition, account, time, cpus, mem, gpus, extraArgs,
        launcher != null ? launcher : SlurmOptions.defaultLauncher(Zeroshot.class.getName()), jobName,
        Duration.ofSeconds(waitSeconds == null ? 300 : waitSeconds));
    return new SlurmExecutor(o, logDir, Map.of(), notes);
  }
}
