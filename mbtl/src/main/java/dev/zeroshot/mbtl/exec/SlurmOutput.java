package dev.zeroshot.mbtl.exec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what Slurm's client tools print (the formats {@link SlurmExecutor} asks for). Ids are
 * Slurm's: {@code 123} for a job, {@code 123_4} for task 4 of array job 123 (whose own numeric
 * job id, Slurm's {@code %A} or {@code JobId=}, is another number).
 */
final class SlurmOutput {

  private SlurmOutput() { }

  /** The squeue format asked for: id, numeric job id, state, nodes, reason. */
  static final String SQUEUE_FORMAT = "%i|%A|%T|%N|%r";

  /** The sacct fields asked for. */
  static final String SACCT_FIELDS = "JobID,State,ExitCode,NodeList";

  /** A job as squeue lists it. */
  record Listed(String id, String jobId, JobState state) {}

  /** {@code sbatch --parsable}'s answer: "123", or "123;cluster" with several clusters. */
  static String submittedId(String stdout) {
    String s = stdout.strip();
    int semi = s.indexOf(';');
    String id = semi >= 0 ? s.substring(0, semi) : s;
    if (!id.matches("\\d+")) {
      throw new IllegalArgumentException("sbatch --parsable answered '" + s + "', not a job id");
    }
    return id;
  }

  /**
   * {@code squeue -h -r -t all -o "%i|%A|%T|%N|%r"}: one line per job and array task. squeue
   * has no exit status: a job that ended other than COMPLETED is looked up with scontrol.
   */
  static Map<String, Listed> squeue(String stdout) {
    Map<String, Listed> out = new LinkedHashMap<>();
    for (String line : stdout.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.strip().split("\\|", -1);
      if (f.length != 5) {
        throw new IllegalArgumentException("squeue printed '" + line + "', expected " + SQUEUE_FORMAT);
      }
      JobState.Phase phase = JobState.Phase.parse(f[2]);
      int exit = phase == JobState.Phase.COMPLETED ? 0 : -1; // COMPLETED means exit status 0
      out.put(f[0], new Listed(f[0], f[1], new JobState(phase, exit, 0, f[3], reason(f[4]))));
    }
    return out;
  }

  private static final Pattern TOKEN = Pattern.compile("(\\S+?)=(.*?)(?= \\S+?=|\\s*$)");

  /** {@code scontrol show job -o ID}: one line of Key=Value tokens (a value may hold spaces). */
  static Map<String, String> scontrolFields(String line) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = TOKEN.matcher(line.strip());
    while (m.find()) {
      out.putIfAbsent(m.group(1), m.group(2));
    }
    return out;
  }

  /** The state in a {@code scontrol show job -o} line: JobState, ExitCode=exit:signal, NodeList, Reason. */
  static JobState scontrol(String line) {
    Map<String, String> f = scontrolFields(line);
    String state = f.get("JobState");
    if (state == null) {
      throw new IllegalArgumentException("scontrol printed no JobState: '" + line.strip() + "'");
    }
    int[] code = exitCode(f.getOrDefault("ExitCode", ""));
    JobState.Phase phase = JobState.Phase.parse(state);
    return new JobState(phase, phase.ended() ? code[0] : -1, code[1], nodes(f.getOrDefault("NodeList", "")),
        reason(f.getOrDefault("Reason", "")));
  }

  /** {@code sacct -n -P -o JobID,State,ExitCode,NodeList}: the line of job {@code id}, or null. */
  static JobState sacct(String stdout, String id) {
    for (String line : stdout.split("\n")) {
      String[] f = line.strip().split("\\|", -1);
      if (f.length == 4 && f[0].equals(id)) {
        int[] code = exitCode(f[2]);
        return new JobState(JobState.Phase.parse(f[1]), code[0], code[1], nodes(f[3]), "");
      }
    }
    return null;
  }

  /** "exit:signal" as two numbers; {-1, 0} when absent. */
  static int[] exitCode(String text) {
    String[] p = text.strip().split(":");
    try {
      return new int[] {Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 0};
    } catch (NumberFormatException e) {
      return new int[] {-1, 0};
    }
  }

  /** Slurm says the id does not exist (any more): not a reason to retry. */
  static boolean invalidJobId(String stderr) {
    return stderr.contains("Invalid job id");
  }

  private static String nodes(String s) {
    return s.equals("(null)") || s.equals("None assigned") ? "" : s;
  }

  private static String reason(String s) {
    return s.equals("None") || s.equals("(null)") ? "" : s;
  }
}
