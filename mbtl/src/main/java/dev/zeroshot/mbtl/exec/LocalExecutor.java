package dev.zeroshot.mbtl.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs trainings as child processes of this one, at most {@code parallel} at a time, the others
 * waiting in order (PENDING). Each is {@code sh -c '<launcher> <args>'} ({@link TrainingJob#shell};
 * nothing restarts a job here, so it never resumes) with its output in
 * {@code logDir/local-<n>.log}. The jobs end with this process ({@link #close} stops the ones
 * still running): a restarted controller knows none of them (UNKNOWN) and trains them again.
 */
public final class LocalExecutor implements Executor {

  private final String launcher;
  private final Path logDir;
  private final int parallel;
  private final Map<String, TrainingJob> jobs = new HashMap<>(); // guarded by this
  private final ArrayDeque<String> waiting = new ArrayDeque<>(); // guarded by this
  private final Map<String, Process> started = new HashMap<>(); // guarded by this
  private final Map<String, JobState> ended = new HashMap<>(); // guarded by this
  private int next;

  public LocalExecutor(String launcher, Path logDir, int parallel) {
    if (parallel < 1) {
      throw new IllegalArgumentException("--parallel must be >= 1, got " + parallel);
    }
    this.launcher = launcher;
    this.logDir = logDir.toAbsolutePath();
    this.parallel = parallel;
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public synchronized List<String> submit(List<TrainingJob> batch) throws IOException {
    Files.createDirectories(logDir);
    List<String> ids = new ArrayList<>();
    for (TrainingJob j : batch) {
      String id = "local-" + ProcessHandle.current().pid() + "-" + next++;
      jobs.put(id, j);
      waiting.add(id);
      ids.add(id);
    }
    startWaiting();
    return ids;
  }

  /** Starts waiting jobs while fewer than {@code parallel} run; collects ended ones first. */
  private void startWaiting() throws IOException {
    started.entrySet().removeIf(e -> {
      if (e.getValue().isAlive()) {
        return false;
      }
      int exit = e.getValue().exitValue();
      JobState.Phase phase = ended.containsKey(e.getKey()) ? JobState.Phase.CANCELLED
          : exit == 0 ? JobState.Phase.COMPLETED : JobState.Phase.FAILED;
      ended.put(e.getKey(), new JobState(phase, exit, 0, "localhost", ""));
      return true;
    });
    while (started.size() < parallel && !waiting.isEmpty()) {
      String id = waiting.poll();
      Process p = new ProcessBuilder("sh", "-c", jobs.get(id).shell(launcher, false))
          .redirectErrorStream(true).redirectOutput(log(id).toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      started.put(id, p);
    }
  }

  @Override
  public synchronized Map<String, JobState> poll(Collection<String> ids) throws IOException {
    startWaiting();
    Map<String, JobState> out = new LinkedHashMap<>();
    for (String id : ids) {
      JobState s = ended.get(id);
      if (s == null) {
        s = started.containsKey(id) ? new JobState(JobState.Phase.RUNNING, -1, 0, "localhost", "")
            : waiting.contains(id) ? JobState.of(JobState.Phase.PENDING) : JobState.of(JobState.Phase.UNKNOWN);
      }
      out.put(id, s);
    }
    return out;
  }

  @Override
  public synchronized void cancel(String id) {
    if (waiting.remove(id)) {
      ended.put(id, new JobState(JobState.Phase.CANCELLED, -1, 15, "", ""));
      return;
    }
    Process p = started.get(id);
    if (p != null && p.isAlive()) {
      ended.put(id, null); // marks the exit to come as a cancel
      p.destroy();
    }
  }

  @Override
  public Path log(String id) {
    return logDir.resolve(id + ".log");
  }

  /** Stops what still runs or waits. */
  @Override
  public synchronized void close() {
    waiting.clear();
    for (Process p : started.values()) {
      p.destroy();
    }
  }
}
