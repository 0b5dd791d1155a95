package dev.zeroshot.mbtl.exec;

/**
 * A failure outside this process that the user must act on, in one line: no {@code sbatch} on
 * the PATH, a submission Slurm rejected (with Slurm's reason), Slurm not answering. The command
 * line prints it as {@code error: ...} (it is an {@link IllegalStateException}).
 */
public final class ExecutorException extends IllegalStateException {
  public ExecutorException(String message) {
    super(message);
  }
}
