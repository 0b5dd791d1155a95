package dev.zeroshot.mbtl.exec;

import java.util.Locale;

/**
 * Where a training job is: Slurm's job states (the local executor uses the same words).
 *
 * @param phase the state
 * @param exitCode the command's exit status once ended, else -1
 * @param signal the signal that ended it (Slurm's {@code ExitCode=exit:signal}; 15 on a cancel), else 0
 * @param nodes the node(s) it ran on, or "" before it starts
 * @param reason Slurm's reason (why pending, or why it ended), or ""
 */
public record JobState(Phase phase, int exitCode, int signal, String nodes, String reason) {

  /** Slurm's job states ({@code squeue -t all}); UNKNOWN: the executor no longer knows the job. */
  public enum Phase {
    PENDING, CONFIGURING, RUNNING, COMPLETING, SUSPENDED, REQUEUED, RESIZING, STOPPED, SIGNALING,
    COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, PREEMPTED, BOOT_FAIL, DEADLINE,
    SPECIAL_EXIT, REVOKED, UNKNOWN;

    /** A state from Slurm's text ("CANCELLED+" and "CANCELLED by 0" from sacct included). */
    public static Phase parse(String text) {
      String t = text.strip().toUpperCase(Locale.ROOT);
      int cut = t.indexOf(' ');
      t = (cut >= 0 ? t.substring(0, cut) : t).replace("+", "");
      for (Phase p : values()) {
        if (p.name().equals(t)) {
          return p;
        }
      }
      return UNKNOWN;
    }

    /** The job will not run again (SPECIAL_EXIT waits for a user's requeue: the sweep counts it as ended). */
    public boolean ended() {
      return ordinal() >= COMPLETED.ordinal();
    }
  }

  public static JobState of(Phase phase) {
    return new JobState(phase, -1, 0, "", "");
  }

  public boolean ended() {
    return phase.ended();
  }

  /** Ended with exit status 0. */
  public boolean succeeded() {
    return phase == Phase.COMPLETED && exitCode == 0;
  }

  /** For messages: "FAILED (exit 3) on node2", "CANCELLED (signal 15)", "TIMEOUT on node1". */
  public String describe() {
    StringBuilder s = new StringBuilder(phase.name());
    if (phase.ended() && phase != Phase.UNKNOWN) {
      if (signal != 0) {
        s.append(" (signal ").append(signal).append(')');
      } else if (exitCode > 0) {
        s.append(" (exit ").append(exitCode).append(')');
      }
    }
    if (!nodes.isEmpty()) {
      s.append(" on ").append(nodes);
    }
    return s.toString();
  }
}
