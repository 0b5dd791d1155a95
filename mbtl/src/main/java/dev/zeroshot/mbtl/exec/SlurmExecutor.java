package dev.zeroshot.mbtl.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs trainings as Slurm batch jobs through Slurm's command-line tools: {@code sbatch
 * --parsable} (one job, or one job array for a batch known at once), {@code squeue -t all} for
 * the states, {@code scontrol show job -o} for an exit status and, once Slurm has forgotten a
 * job ({@code MinJobAge}), {@code sacct} (accounting) or {@code sacct -c} (the job completion
 * file). Every call is bounded ({@link #CALL_LIMIT}); a query that fails as if Slurm were
 * unreachable is retried with growing pauses for {@link SlurmOptions#unreachableWait} before
 * giving up. A submission is never retried: one that timed out may have been made.
 *
 * <p>Each job runs a script written to {@code logDir} (kept as {@code <id>.sh}) that starts
 * {@code <launcher> <args>} ({@link TrainingJob#shell}: a job Slurm restarted may resume instead);
 * stdout and stderr go to {@code logDir/<id>.log}, where Slurm also writes why it ended a job
 * (time limit, cancel).
 */
public final class SlurmExecutor implements Executor {

  static final Duration CALL_LIMIT = Duration.ofSeconds(30);

  private final SlurmOptions options;
  private final Path logDir;
  private final Map<String, String> env;
  private final Consumer<String> notes;
  private final Map<String, String> numericIds = new ConcurrentHashMap<>(); // array task id -> its own job id
  private final AtomicInteger scripts = new AtomicInteger();

  /**
   * @param env variables added to the client tools' environment (e.g. {@code SLURM_CONF})
   * @param notes where to say that Slurm is not answering and when the next try is
   */
  public SlurmExecutor(SlurmOptions options, Path logDir, Map<String, String> env, Consumer<String> notes) {
    this.options = options;
    this.logDir = logDir.toAbsolutePath();
    this.env = Map.copyOf(env);
    this.notes = notes;
  }

  @Override
  public String name() {
    return "slurm";
  }

  public SlurmOptions options() {
    return options;
  }

  /** Fails with one line when {@code sbatch} is not on the PATH or does not run. */
  public static void checkInstalled(Map<String, String> env) {
    Command c = call(List.of("sbatch", "--version"), env);
    if (!c.ok()) {
      throw new ExecutorException("--executor slurm: 'sbatch --version' failed: " + c.errorLine());
    }
  }

  @Override
  public List<String> submit(List<TrainingJob> jobs) throws IOException {
    if (jobs.isEmpty()) {
      return List.of();
    }
    Files.createDirectories(logDir);
    Path script = logDir.resolve("submit-" + ProcessHandle.current().pid() + "-" + scripts.incrementAndGet() + ".sh");
    Files.writeString(script, script(jobs), StandardCharsets.UTF_8);
    boolean array = jobs.size() > 1;
    String log = logDir.resolve(array ? "%A_%a.log" : "%j.log").toString();
    List<String> argv = new ArrayList<>(List.of("sbatch", "--parsable", "--job-name=" + options.jobName(),
        "--output=" + log, "--error=" + log));
    if (array) {
      argv.add("--array=0-" + (jobs.size() - 1));
    }
    argv.addAll(options.sbatchArgs());
    argv.add(script.toString());
    Command c = call(argv);
    if (c.exit() == Command.TIMED_OUT) {
      throw new ExecutorException("sbatch did not answer within " + CALL_LIMIT.toSeconds() + " s; the job may have "
          + "been submitted: check 'squeue -n " + options.jobName() + "' before resuming");
    }
    if (!c.ok()) {
      throw new ExecutorException("Slurm rejected the job: " + c.errorLine());
    }
    String id = SlurmOutput.submittedId(c.stdout());
    Files.move(script, logDir.resolve(id + ".sh"), StandardCopyOption.REPLACE_EXISTING);
    if (!array) {
      return List.of(id);
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      ids.add(id + "_" + i);
    }
    return ids;
  }

  /** The batch script: array task i runs job i's command line (a requeued job its resume). */
  String script(List<TrainingJob> jobs) {
    StringBuilder s = new StringBuilder("#!/bin/sh\n# Written by zeroshot: one training per Slurm job (array task).\n"
        + "case \"${SLURM_ARRAY_TASK_ID:-0}\" in\n");
    for (int i = 0; i < jobs.size(); i++) {
      s.append("  ").append(i).append(") ").append(jobs.get(i).shell(options.launcher(), true)).append(" ;;\n");
    }
    s.append("esac\necho \"zeroshot: no training for array task $SLURM_ARRAY_TASK_ID\" >&2\nexit 2\n");
    return s.toString();
  }

  @Override
  public Map<String, JobState> poll(Collection<String> ids) throws IOException {
    Map<String, JobState> out = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    LinkedHashSet<String> jobs = new LinkedHashSet<>();
    for (String id : ids) {
      jobs.add(id.contains("_") ? id.substring(0, id.indexOf('_')) : id);
    }
    Command q = patiently(List.of("squeue", "-h", "-r", "-t", "all", "-o", SlurmOutput.SQUEUE_FORMAT, "-j",
        String.join(",", jobs)));
    Map<String, SlurmOutput.Listed> listed = q.ok() ? SlurmOutput.squeue(q.stdout()) : Map.of(); // else: none known
    for (String id : ids) {
      SlurmOutput.Listed l = listed.get(id);
      if (l != null) {
        numericIds.put(id, l.jobId());
        boolean needsExitCode = l.state().ended() && l.state().phase() != JobState.Phase.COMPLETED;
        out.put(id, needsExitCode ? detail(id) : l.state());
      } else {
        out.put(id, detail(id));
      }
    }
    return out;
  }

  /** One job's state with its exit status: scontrol while Slurm holds it, then the accounting. */
  private JobState detail(String id) {
    Command c = patiently(List.of("scontrol", "show", "job", "-o", id));
    if (c.ok() && c.stdout().contains("JobState=")) {
      return SlurmOutput.scontrol(c.stdout());
    }
    Command acct = call(List.of("sacct", "-n", "-P", "-X", "-j", id, "-o", SlurmOutput.SACCT_FIELDS));
    JobState s = acct.ok() ? SlurmOutput.sacct(acct.stdout(), id) : null;
    String numeric = id.contains("_") ? numericIds.get(id) : id; // the completion file knows numeric ids only
    if (s == null && numeric != null) {
      Command comp = call(List.of("sacct", "-c", "-n", "-P", "-j", numeric, "-o", SlurmOutput.SACCT_FIELDS));
      s = comp.ok() ? SlurmOutput.sacct(comp.stdout(), numeric) : null;
    }
    return s != null ? s : JobState.of(JobState.Phase.UNKNOWN);
  }

  @Override
  public void cancel(String id) throws IOException {
    Command c = patiently(List.of("scancel", id));
    if (!c.ok()) {
      throw new ExecutorException("scancel " + id + " failed: " + c.errorLine());
    }
  }

  @Override
  public Path log(String id) {
    return logDir.resolve(id + ".log");
  }

  @Override
  public void close() {
    // nothing held: the jobs belong to Slurm
  }

  /**
   * A query, retried with pauses of 1, 2, 4 ... 30 s while Slurm does not answer (time-out or an
   * error other than "Invalid job id"), for at most {@link SlurmOptions#unreachableWait}.
   */
  private Command patiently(List<String> argv) {
    long deadline = System.nanoTime() + options.unreachableWait().toNanos();
    long pause = 1;
    while (true) {
      Command c = call(argv);
      if (c.ok() || (c.exit() != Command.TIMED_OUT && SlurmOutput.invalidJobId(c.stderr()))) {
        return c;
      }
      long left = (deadline - System.nanoTime()) / 1_000_000_000L;
      if (left < pause) {
        throw new ExecutorException("Slurm did not answer for " + options.unreachableWait().toSeconds() + " s ("
            + argv.get(0) + ": " + c.errorLine() + ")");
      }
      notes.accept("Slurm is not answering (" + argv.get(0) + ": " + c.errorLine() + "); trying again in " + pause
          + " s (giving up after " + options.unreachableWait().toSeconds() + " s)");
      try {
        Thread.sleep(pause * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ExecutorException("interrupted while waiting for Slurm");
      }
      pause = Math.min(30, pause * 2);
    }
  }

  /** One bounded call; a tool that is not installed is one clear line. */
  private Command call(List<String> argv) {
    return call(argv, env);
  }

  private static Command call(List<String> argv, Map<String, String> env) {
    try {
      return Command.run(argv, env, CALL_LIMIT);
    } catch (IOException e) {
      throw new ExecutorException("--executor slurm: no '" + argv.get(0) + "' on the PATH (" + e.getMessage()
          + "); run on a Slurm login node, or install Slurm's client tools");
    }
  }
}
