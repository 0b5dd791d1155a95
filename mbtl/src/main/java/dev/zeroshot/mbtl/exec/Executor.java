package dev.zeroshot.mbtl.exec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Runs training jobs and says where they are: {@link LocalExecutor} (child processes on this
 * machine) or {@link SlurmExecutor} (jobs on a Slurm cluster). Job ids are strings the executor
 * hands out; a Slurm id outlives this process, so a restarted controller can ask about it again.
 * Failures outside this process that the user must act on (Slurm rejected a job, or stopped
 * answering) are {@link ExecutorException}s with a one-line message.
 */
public interface Executor extends AutoCloseable {

  /** "local" or "slurm". */
  String name();

  /** Starts {@code jobs} (known together: Slurm gets one job array); their ids, in order. */
  List<String> submit(List<TrainingJob> jobs) throws IOException;

  /** The state of each of {@code ids}; an id this executor does not know is {@link JobState.Phase#UNKNOWN}. */
  Map<String, JobState> poll(Collection<String> ids) throws IOException;

  /** Stops job {@code id} (it ends CANCELLED). */
  void cancel(String id) throws IOException;

  /** Where job {@code id}'s output (stdout and stderr) goes. */
  Path log(String id);

  /** Releases what this process holds; Slurm's jobs go on. */
  @Override
  void close();
}
