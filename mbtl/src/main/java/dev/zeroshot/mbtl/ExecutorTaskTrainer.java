package dev.zeroshot.mbtl;

import com.google.gson.JsonParser;
import dev.zeroshot.mbtl.exec.Executor;
import dev.zeroshot.mbtl.exec.ExecutorException;
import dev.zeroshot.mbtl.exec.JobState;
import dev.zeroshot.mbtl.exec.TrainingJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Trains each task as a job on an {@link Executor} (a Slurm cluster): the job runs
 * {@code zeroshot mbtl train-task --sweep DIR --task K}, which writes the task's row to
 * {@code tasks/task-SSS/row.json} on the shared filesystem. Requests that arrive within
 * {@link #BATCH_WINDOW_MS} of each other are submitted together (one Slurm job array); the job
 * ids are saved in the sweep's state before anything waits on them, so a restarted controller
 * re-attaches to jobs still queued or running, and reads the rows of those that ended meanwhile.
 * One thread polls the executor for every job in flight. A job that ends without a row is
 * saved as the task's failure (with its log) and stops the sweep; {@code --resume} retries it.
 */
public final class ExecutorTaskTrainer implements TaskTrainer, AutoCloseable {

  static final long BATCH_WINDOW_MS = 200;
  static final long POLL_MS = 500;

  /** How long one job took, as this controller saw it. */
  public record Timing(int task, String id, String nodes, double queuedSeconds, double totalSeconds,
                       double workSeconds) {
    /** Submit to result, less the training and evaluation inside the job. */
    public double overheadSeconds() {
      return totalSeconds - workSeconds;
    }
  }

  private final Sweep sweep;
  private final Executor executor;
  private final Consumer<String> notes;
  private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "mbtl-jobs");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Waiter> inFlight = new ConcurrentHashMap<>();
  private final List<Waiter> toSubmit = new ArrayList<>(); // guarded by this
  private final List<Timing> timings = new ArrayList<>(); // guarded by this
  private volatile RuntimeException stopped;

  /** A {@code train} call waiting for its job. */
  private static final class Waiter {
    final int task;
    final CompletableFuture<JobState> end = new CompletableFuture<>();
    volatile String id;
    volatile String log;
    volatile long submitted = System.nanoTime(); // re-attached jobs: when this process first saw them
    volatile long started;
    volatile boolean reattached;

    Waiter(int task) {
      this.task = task;
    }
  }

  /** @param notes where to report re-attached jobs and an unanswering Slurm */
  public ExecutorTaskTrainer(Sweep sweep, Executor executor, Consumer<String> notes) {
    this.sweep = sweep;
    this.executor = executor;
    this.notes = notes;
    clock.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public TrainedTask train(int task) throws IOException {
    return await(task);
  }

  @Override
  public TrainedTask trainMultiTask() throws IOException {
    return await(MULTI_TASK);
  }

  /** The command line of task {@code task}'s job (to follow {@code zeroshot}). */
  static List<String> command(Path sweepDir, int task) {
    return List.of("mbtl", "train-task", "--sweep", sweepDir.toAbsolutePath().toString(), "--task",
        task == MULTI_TASK ? "multi" : Integer.toString(task));
  }

  private TrainedTask await(int task) throws IOException {
    Waiter w = new Waiter(task);
    Sweep.Job saved = sweep.job(task);
    if (stopped != null) {
      throw stopped;
    }
    if (saved != null) {
      w.id = saved.id();
      w.log = saved.log();
      w.reattached = true;
      notes.accept(String.format(Locale.ROOT, "%s: re-attached to %s job %s (log %s)", what(task), executor.name(),
          saved.id(), saved.log()));
      inFlight.put(w.id, w);
    } else {
      synchronized (this) {
        toSubmit.add(w);
        if (toSubmit.size() == 1) {
          clock.schedule(this::submitBatch, BATCH_WINDOW_MS, TimeUnit.MILLISECONDS);
        }
      }
    }
    JobState end;
    try {
      end = w.end.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for job " + w.id);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(e.getCause());
    }
    Path row = ProcessTaskTrainer.rowFile(sweep.dir(), task);
    // UNKNOWN: Slurm forgot the job (older than MinJobAge, no accounting): its row says whether it finished
    if (end.succeeded() || (end.phase() == JobState.Phase.UNKNOWN && Files.isRegularFile(row))) {
      TrainedTask t;
      try {
        t = Sweep.taskFromJson(JsonParser.parseString(Files.readString(row, StandardCharsets.UTF_8)).getAsJsonObject());
      } catch (IOException | RuntimeException e) {
        return fail(w, "ended " + end.describe() + " but its row " + row + " cannot be read (" + e.getMessage() + ")");
      }
      if (t.task() != task) {
        return fail(w, "wrote the row of task " + t.task() + " to " + row);
      }
      long now = System.nanoTime();
      synchronized (this) {
        timings.add(new Timing(task, w.id, end.nodes(), ((w.started == 0 ? now : w.started) - w.submitted) / 1e9,
            (now - w.submitted) / 1e9, t.trainSeconds() + t.evalSeconds()));
      }
      return t;
    }
    return fail(w, end.phase() == JobState.Phase.UNKNOWN ? "is no longer known to " + executor.name()
        + " and left no row" : "ended " + end.describe() + (end.reason().isEmpty() ? "" : " (" + end.reason() + ")"));
  }

  private TrainedTask fail(Waiter w, String what) throws IOException {
    String why = String.format(Locale.ROOT, "%s job %s %s; log: %s", executor.name(), w.id, what, w.log);
    sweep.failed(w.task, why);
    throw new ExecutorException(what(w.task) + " failed: " + why + "; the sweep is saved: run again with --resume "
        + sweep.dir() + " to retry it");
  }

  private static String what(int task) {
    return task == MULTI_TASK ? "the multi-task policy" : "task " + task;
  }

  /** Submits the waiting requests as one batch and saves their job ids. */
  private void submitBatch() {
    List<Waiter> batch;
    synchronized (this) {
      batch = new ArrayList<>(toSubmit);
      toSubmit.clear();
    }
    if (batch.isEmpty()) {
      return;
    }
    if (stopped != null) {
      batch.forEach(w -> w.end.completeExceptionally(stopped));
      return;
    }
    try {
      List<TrainingJob> jobs = new ArrayList<>();
      for (Waiter w : batch) {
        jobs.add(new TrainingJob(what(w.task), command(sweep.dir(), w.task)));
      }
      long t0 = System.nanoTime();
      List<String> ids = executor.submit(jobs);
      Map<Integer, Sweep.Job> saved = new LinkedHashMap<>();
      for (int i = 0; i < batch.size(); i++) {
        Waiter w = batch.get(i);
        w.id = ids.get(i);
        w.log = executor.log(w.id).toString();
        w.submitted = t0;
        saved.put(w.task, new Sweep.Job(w.id, w.log));
      }
      sweep.submitted(saved);
      batch.forEach(w -> inFlight.put(w.id, w));
      if (stopped != null) { // stopped while submitting: the jobs are saved, nobody waits for them
        batch.forEach(w -> w.end.completeExceptionally(stopped));
      }
    } catch (IOException | RuntimeException e) {
      RuntimeException r = e instanceof RuntimeException x ? x
          : new ExecutorException("cannot submit to " + executor.name() + ": " + e.getMessage());
      batch.forEach(w -> w.end.completeExceptionally(r));
    }
  }

  /** Asks the executor about every job in flight; completes the ended ones. */
  private void poll() {
    if (inFlight.isEmpty()) {
      return;
    }
    Map<String, JobState> states;
    try {
      states = executor.poll(new ArrayList<>(inFlight.keySet()));
    } catch (IOException | RuntimeException e) {
      int n = inFlight.size();
      ExecutorException x = new ExecutorException(e.getMessage() + "; " + n + " job(s) still in flight are saved in "
          + sweep.dir().resolve(Sweep.STATE) + ": run again with --resume " + sweep.dir() + " to re-attach to them");
      stopWith(x);
      return;
    }
    long now = System.nanoTime();
    states.forEach((id, s) -> {
      Waiter w = inFlight.get(id);
      if (w == null) {
        return;
      }
      if (w.started == 0 && (s.phase() != JobState.Phase.PENDING || s.ended())) {
        w.started = now;
      }
      if (s.ended()) {
        inFlight.remove(id);
        w.end.complete(s);
      }
    });
  }

  private void stopWith(RuntimeException e) {
    stopped = e;
    inFlight.values().forEach(w -> w.end.completeExceptionally(e));
    inFlight.clear();
    List<Waiter> waiting;
    synchronized (this) {
      waiting = new ArrayList<>(toSubmit);
      toSubmit.clear();
    }
    waiting.forEach(w -> w.end.completeExceptionally(e));
  }

  /** The sweep stopped: the waiting calls return at once; jobs already submitted go on, saved. */
  @Override
  public void stop() {
    if (stopped == null) {
      stopWith(new CancellationException("sweep stopped"));
    }
  }

  /** The finished jobs' timings, in the order their results came in. */
  public synchronized List<Timing> timings() {
    return new ArrayList<>(timings);
  }

  @Override
  public void close() {
    clock.shutdownNow();
    executor.close();
  }
}
