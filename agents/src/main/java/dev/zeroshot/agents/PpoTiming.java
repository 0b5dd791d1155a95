package dev.zeroshot.agents;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Where a PPO run's wall time goes, summed over its updates: nanoseconds per {@link Phase},
 * measured with {@link System#nanoTime} around each phase on the training thread (a few calls
 * per env step, nothing allocated). Whatever no phase covers (bookkeeping, GAE's caller, the
 * listener) is {@link #otherNanos}.
 *
 * <p>On a GPU the network's forward pass is asynchronous: its time shows up where the result
 * is read back, which is inside {@link Phase#INFERENCE}; {@link Phase#UPLOAD} is the
 * host-to-device copy of observations (on the CPU: the copy into a tensor).
 */
public final class PpoTiming {

  /** The phases of a PPO iteration, as {@code bench-ppo} reports them. */
  public enum Phase {
    /** The envs' step (on the step pool) and the copy of their observations for the policy. */
    ENV_STEP("env stepping"),
    /** The policy's forward pass without gradients, reading its output, and sampling actions. */
    INFERENCE("inference"),
    /** Observations into tensors on the network's device: the rollout's and every minibatch's. */
    UPLOAD("host->device"),
    /** Advantages, minibatch gathering, the loss, backward passes and Adam (uploads excluded). */
    LEARNING("learning"),
    /**
     * The training thread waiting for envs that another thread steps (the overlapped rollout) or,
     * under a policy lag, for the learner thread to finish its update.
     */
    WAITING("waiting");

    public final String label;

    Phase(String label) {
      this.label = label;
    }
  }

  private static final Phase[] PHASES = Phase.values();
  private final long[] nanos = new long[PHASES.length];
  private long totalNanos;
  private long steps;

  /** Adds {@code elapsed} nanoseconds to {@code phase}. */
  public void add(Phase phase, long elapsed) {
    nanos[phase.ordinal()] += elapsed;
  }

  /** Adds one whole iteration's wall time and the env steps it took. */
  void addIteration(long elapsed, long envSteps) {
    totalNanos += elapsed;
    steps += envSteps;
  }

  public long nanos(Phase phase) {
    return nanos[phase.ordinal()];
  }

  public long totalNanos() {
    return totalNanos;
  }

  /** Env steps (all envs) the timed iterations took. */
  public long steps() {
    return steps;
  }

  /** The iterations' time that no phase covers. */
  public long otherNanos() {
    long s = 0;
    for (long n : nanos) {
      s += n;
    }
    return totalNanos - s;
  }

  /** A table: per phase, seconds, microseconds per env step and share of the wall time. */
  public void printTable(PrintWriter w) {
    w.printf("%-18s %10s %12s %8s%n", "phase", "seconds", "us/env-step", "share");
    for (Phase p : PHASES) {
      row(w, p.label, nanos(p));
    }
    row(w, "other", otherNanos());
    row(w, "total", totalNanos);
  }

  private void row(PrintWriter w, String label, long n) {
    w.printf(Locale.ROOT, "%-18s %10.2f %12.2f %7.1f%%%n", label, n / 1e9, n / 1e3 / Math.max(1, steps),
        100.0 * n / Math.max(1, totalNanos));
  }

  /** The CSV header of {@link #csvRows}. */
  public static final String CSV_HEADER = "run,phase,seconds,us_per_env_step,share";

  /** One CSV row per phase (and other, total), the first column {@code run}. */
  public String csvRows(String run) {
    StringBuilder b = new StringBuilder();
    for (Phase p : PHASES) {
      csvRow(b, run, p.name().toLowerCase(Locale.ROOT), nanos(p));
    }
    csvRow(b, run, "other", otherNanos());
    csvRow(b, run, "total", totalNanos);
    return b.toString();
  }

  private void csvRow(StringBuilder b, String run, String phase, long n) {
    b.append(String.format(Locale.ROOT, "%s,%s,%.4f,%.3f,%.4f%n", run, phase, n / 1e9, n / 1e3 / Math.max(1, steps),
        (double) n / Math.max(1, totalNanos)));
  }
}
