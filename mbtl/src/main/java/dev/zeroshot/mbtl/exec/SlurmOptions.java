package dev.zeroshot.mbtl.exec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Slurm job asks for, and how Zeroshot is started on the nodes.
 *
 * @param partition {@code -p}, or null for the cluster's default
 * @param account {@code -A}, or null
 * @param time {@code -t} (e.g. {@code 30}, {@code 2:00:00}, {@code 1-0}), or null for the partition's default
 * @param cpusPerTask {@code -c}, or null (Slurm's default: 1)
 * @param mem {@code --mem} per node (e.g. {@code 4G}), or null
 * @param gpus GPUs per job ({@code --gres=gpu:N}), or null
 * @param extraArgs more {@code sbatch} arguments, as given (e.g. {@code --qos=long}, {@code -w node2})
 * @param launcher the shell command that starts Zeroshot on a node, the arguments follow it
 *     (default {@link #defaultLauncher}: this JVM's java and classpath, which needs a shared filesystem)
 * @param jobName {@code -J}
 * @param unreachableWait how long Slurm may stay unreachable before the controller gives up
 */
public record SlurmOptions(String partition, String account, String time, Integer cpusPerTask, String mem,
                           Integer gpus, List<String> extraArgs, String launcher, String jobName,
                           Duration unreachableWait) {

  public SlurmOptions {
    extraArgs = List.copyOf(extraArgs);
    if (cpusPerTask != null && cpusPerTask < 1) {
      throw new IllegalArgumentException("--slurm-cpus must be >= 1, got " + cpusPerTask);
    }
    if (gpus != null && gpus < 0) {
      throw new IllegalArgumentException("--slurm-gpus must be >= 0, got " + gpus);
    }
    if (launcher == null || launcher.isBlank()) {
      throw new IllegalArgumentException("--slurm-launcher is empty; give the command that starts zeroshot on the "
          + "nodes, e.g. 'java -jar /shared/zeroshot.jar'");
    }
    if (jobName == null || jobName.isBlank() || jobName.contains("\n")) {
      throw new IllegalArgumentException("the Slurm job name must be one non-empty line, got '" + jobName + "'");
    }
    if (unreachableWait.isNegative()) {
      throw new IllegalArgumentException("--slurm-wait must be >= 0 seconds, got " + unreachableWait.toSeconds());
    }
  }

  /** {@link #javaCommand}, shell-quoted: what the local worker JVMs run. */
  public static String defaultLauncher(String mainClass) {
    return String.join(" ", javaCommand(mainClass).stream().map(SlurmOptions::quote).toList());
  }

  /**
   * {@code java -Xmx1g -Djava.awt.headless=true -cp <this JVM's classpath> <mainClass>} with this
   * JVM's java (and its {@code -Dai.djl.offline}): a worker JVM like this one, local or on a node.
   */
  public static List<String> javaCommand(String mainClass) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-Djava.awt.headless=true");
    String offline = System.getProperty("ai.djl.offline");
    if (offline != null) {
      cmd.add("-Dai.djl.offline=" + offline);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    return cmd;
  }

  /** {@code s} as one word for /bin/sh. */
  static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:=@%+,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  /** sbatch's resource arguments, in a fixed order. */
  List<String> sbatchArgs() {
    List<String> a = new ArrayList<>();
    if (partition != null) {
      a.add("--partition=" + partition);
    }
    if (account != null) {
      a.add("--account=" + account);
    }
    if (time != null) {
      a.add("--time=" + time);
    }
    if (cpusPerTask != null) {
      a.add("--cpus-per-task=" + cpusPerTask);
    }
    if (mem != null) {
      a.add("--mem=" + mem);
    }
    if (gpus != null && gpus > 0) {
      a.add("--gres=gpu:" + gpus);
    }
    a.addAll(extraArgs);
    return a;
  }
}
