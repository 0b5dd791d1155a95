package dev.zeroshot.mbtl.exec;

import java.nio.file.Path;
import java.util.List;

/**
 * One training to run: a {@code zeroshot} command line ({@code args} without the launcher, e.g.
 * {@code mbtl train-task --sweep DIR --task 3}); the executor prefixes the command that starts
 * Zeroshot where the job runs and decides where its log goes ({@link Executor#log}).
 *
 * @param name a short name for listings (Slurm's job name is the batch's)
 * @param args the arguments to {@code zeroshot}
 * @param then the arguments of a second {@code zeroshot} command run in the same job once
 *     {@code args} succeeded (e.g. an evaluation of the trained run), or null
 * @param resume what a Slurm job that Slurm restarted (requeued) runs instead of {@code args},
 *     or null: {@code args} again
 */
public record TrainingJob(String name, List<String> args, List<String> then, Resume resume) {

  /**
   * How a restarted job continues: when {@code checkpoint} exists, {@code args} (e.g. {@code
   * train ppo --resume RUN}); before the first checkpoint, {@code folder} is deleted and the job's
   * own command starts again (it refuses a folder that holds a run).
   */
  public record Resume(Path checkpoint, Path folder, List<String> args) {
    public Resume {
      args = List.copyOf(args);
    }
  }

  public TrainingJob {
    args = List.copyOf(args);
    then = then == null ? null : List.copyOf(then);
  }

  public TrainingJob(String name, List<String> args) {
    this(name, args, null, null);
  }

  /**
   * The sh command that runs this job with {@code launcher}: {@code args} (exec'd when it is the
   * last command), then {@code then}. With {@code requeueAware} (Slurm's jobs, where
   * {@code SLURM_RESTART_COUNT} > 0 says Slurm restarted the job) a restarted job follows
   * {@link #resume}.
   */
  public String shell(String launcher, boolean requeueAware) {
    String last = then == null ? "" : " && exec " + line(launcher, then);
    String run = (then == null ? "exec " : "") + line(launcher, args) + last;
    if (!requeueAware || resume == null) {
      return run;
    }
    String ckpt = SlurmOptions.quote(resume.checkpoint().toString());
    return "if [ \"${SLURM_RESTART_COUNT:-0}\" -gt 0 ] && [ -f " + ckpt + " ]; then\n"
        + "    echo \"zeroshot: Slurm restarted this job ($SLURM_RESTART_COUNT): resuming from " + ckpt + "\" >&2\n"
        + "    " + (then == null ? "exec " : "") + line(launcher, resume.args()) + last + "\n"
        + "    exit $?\n"
        + "  elif [ \"${SLURM_RESTART_COUNT:-0}\" -gt 0 ]; then\n"
        + "    echo \"zeroshot: Slurm restarted this job ($SLURM_RESTART_COUNT) before its first checkpoint: "
        + "starting again\" >&2\n"
        + "    rm -rf -- " + SlurmOptions.quote(resume.folder().toString()) + "\n"
        + "  fi\n"
        + "  " + run;
  }

  private static String line(String launcher, List<String> args) {
    StringBuilder s = new StringBuilder(launcher);
    for (String a : args) {
      s.append(' ').append(SlurmOptions.quote(a));
    }
    return s.toString();
  }
}
