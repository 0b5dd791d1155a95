package dev.zeroshot.mbtl;

import com.google.gson.JsonParser;
import dev.zeroshot.mbtl.exec.SlurmOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * Trains tasks in child JVMs, for parallel sweeps: DJL's PyTorch engine lets only one thread of a
 * process collect gradients at a time, so PPO trainings run side by side only in separate
 * processes. Up to {@code workers} children ({@code java -cp <this classpath>
 * dev.zeroshot.mbtl.ProcessTaskTrainer <sweep dir>}) are started as needed and reused, so the JVM
 * and libtorch start once per worker, not once per task. A child reads task numbers on stdin,
 * runs {@link PpoTaskTrainer} with the settings of the sweep's state file, writes the row to
 * {@code tasks/task-SSS/row.json} and answers on stdout; its logs go to
 * {@code tasks/worker-W.log}. The rows are the same as in-process training.
 */
public final class ProcessTaskTrainer implements TaskTrainer, AutoCloseable {

  private static final String REPLY = "@@mbtl-worker ";

  private final Path sweepDir;
  private final int workers;
  private final LinkedBlockingDeque<Worker> idle = new LinkedBlockingDeque<>();
  private final List<Worker> all = new ArrayList<>(); // guarded by this
  private boolean cancelled; // guarded by this

  public ProcessTaskTrainer(Path sweepDir, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    this.sweepDir = sweepDir.toAbsolutePath();
    this.workers = workers;
  }

  private record Worker(int id, Process process, Writer in, BufferedReader out, Path log) {}

  @Override
  public TrainedTask trainMultiTask() throws IOException {
    return train(MULTI_TASK);
  }

  @Override
  public TrainedTask train(int task) throws IOException {
    Worker w = acquire();
    boolean healthy = false;
    try {
      w.in().write(task + "\n");
      w.in().flush();
      String line;
      while ((line = w.out().readLine()) != null && !line.startsWith(REPLY)) {
        // not ours (a library printing to stdout): ignore
      }
      if (line == null) {
        throw new IOException("training task " + task + ": worker process " + w.id() + " died (see " + w.log() + ")");
      }
      String reply = line.substring(REPLY.length());
      if (!reply.equals("ok " + task)) {
        healthy = true; // it answered: the failure was the task's
        throw new IOException("training task " + task + " in worker " + w.id() + " failed: " + reply
            + " (see " + w.log() + ")");
      }
      healthy = true;
      Path row = rowFile(sweepDir, task);
      return Sweep.taskFromJson(JsonParser.parseString(Files.readString(row, StandardCharsets.UTF_8)).getAsJsonObject());
    } finally {
      if (healthy) {
        idle.addFirst(w);
      } else {
        w.process().destroyForcibly();
        synchronized (this) {
          all.remove(w);
        }
      }
    }
  }

  private Worker acquire() throws IOException {
    while (true) {
      synchronized (this) {
        if (cancelled) {
          throw new IOException("cancelled: no more trainings in worker processes");
        }
      }
      Worker w = idle.pollFirst();
      if (w != null) {
        return w;
      }
      synchronized (this) {
        if (!cancelled && all.size() < workers) { // (cancel() holds this lock: none starts after it)
          w = start(all.size());
          all.add(w);
          return w;
        }
      }
      try {
        w = idle.pollFirst(200, java.util.concurrent.TimeUnit.MILLISECONDS); // then look at cancelled again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for a worker process");
      }
      if (w != null) {
        return w;
      }
    }
  }

  /**
   * Stops at once: destroys the workers, so the trainings under way end (their {@code train} calls
   * throw) and no worker starts after. For a sweep a client cancels, where finishing the task under
   * way could take hours.
   */
  public void cancel() {
    List<Worker> ws;
    synchronized (this) {
      cancelled = true;
      ws = new ArrayList<>(all);
    }
    for (Worker w : ws) {
      w.process().destroyForcibly();
    }
  }

  private Worker start(int id) throws IOException {
    Path tasks = sweepDir.resolve("tasks");
    Files.createDirectories(tasks);
    Path log = tasks.resolve("worker-" + id + ".log");
    List<String> cmd = new ArrayList<>(SlurmOptions.javaCommand(ProcessTaskTrainer.class.getName()));
    cmd.add(sweepDir.toString());
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new Worker(id, p, new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8),
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)), log);
  }

  /** Ends the workers (closing their stdin makes them exit). */
  @Override
  public void close() {
    List<Worker> ws;
    synchronized (this) {
      ws = new ArrayList<>(all);
      all.clear();
    }
    for (Worker w : ws) {
      try {
        w.in().close();
      } catch (IOException e) {
        // already gone
      }
    }
    for (Worker w : ws) {
      try {
        if (!w.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          w.process().destroyForcibly();
        }
      } catch (InterruptedException e) {
        w.process().destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Where a training of the sweep in {@code sweepDir} leaves its row. */
  static Path rowFile(Path sweepDir, int task) {
    return (task == MULTI_TASK ? PpoTaskTrainer.multiTaskDir(sweepDir) : PpoTaskTrainer.taskDir(sweepDir, task))
        .resolve("row.json");
  }

  /** The child: trains the tasks named on stdin, one per line, in the sweep of {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    PrintStream replies = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    System.setOut(System.err); // stdout carries only the replies
    // A worker whose sweep process died (kill -9) must not go on writing into a task folder that a
    // resumed sweep may be training again: it stops within a second of its parent.
    ProcessHandle.current().parent().ifPresent(parent -> {
      Thread watch = new Thread(() -> {
        while (parent.isAlive()) {
          try {
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            return;
          }
        }
        Runtime.getRuntime().halt(3);
      }, "parent-watch");
      watch.setDaemon(true);
      watch.start();
    });
    Path dir = Path.of(args[0]);
    SweepSettings s = Sweep.open(dir).settings();
    PpoTaskTrainer trainer = new PpoTaskTrainer(s, dir);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        int task = Integer.parseInt(line);
        // the pid: to see in the log which process to look for (or that it is gone)
        System.err.printf(Locale.ROOT, "training task %d in pid %d%n", task, ProcessHandle.current().pid());
        trainAndWrite(trainer, s, dir, task);
        replies.println(REPLY + "ok " + task);
      } catch (Exception e) {
        e.printStackTrace();
        replies.println(REPLY + "error " + String.valueOf(e).replace('\n', ' '));
      }
    }
    System.exit(0);
  }

  /**
   * One training of the sweep in {@code dir} ({@link #MULTI_TASK}: the multi-task policy), its row
   * written to {@code tasks/.../row.json} atomically: what one Slurm job of a sweep runs
   * ({@code zeroshot mbtl train-task}).
   */
  public static TrainedTask trainOne(Path dir, int task) throws IOException {
    SweepSettings s = Sweep.open(dir).settings();
    if (task != MULTI_TASK && (task < 0 || task >= s.n())) {
      throw new IllegalArgumentException("--task " + task + " is not a task of the sweep in " + dir + " (0.."
          + (s.n() - 1) + ", or 'multi')");
    }
    return trainAndWrite(new PpoTaskTrainer(s, dir), s, dir, task);
  }

  private static TrainedTask trainAndWrite(PpoTaskTrainer trainer, SweepSettings s, Path dir, int task)
      throws IOException {
    TrainedTask t = task == MULTI_TASK ? trainer.trainMultiTask() : trainer.train(task);
    Path file = rowFile(dir, task);
    Path tmp = file.resolveSibling("row.json.tmp");
    Files.writeString(tmp, Sweep.taskToJson(t, s).toString(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return t;
  }
}
