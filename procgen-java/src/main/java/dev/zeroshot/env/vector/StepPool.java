package dev.zeroshot.env.vector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool of threads that runs one batch job at a time, split into contiguous ranges
 * (chunks) of env indices. The calling thread takes part: every participant claims chunks
 * until none are left, so a worker that the OS has not scheduled yet (other processes on the
 * machine) costs nothing; the caller steps that chunk itself. Idle workers spin briefly
 * before parking, because waking a parked thread costs ~25-30 us on this kind of machine
 * while a 64-env CartPole step takes a few microseconds (EnvPool does the same).
 *
 * <p>Results never depend on the pool size or on who claims what: each env is stepped by
 * exactly one thread per job, and envs share no state.
 */
public final class StepPool implements AutoCloseable {

  /** Work over env indices {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeTask {
    void run(int from, int to);
  }

  private static final int SPIN_ITERATIONS = 20_000;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
  // The words threads spin on or claim from, each 128+ bytes from the others and from any
  // other object, so that spinning never steals a cache line an env is writing.
  private static final int GENERATION = 16;
  private static final int CLAIM = 48; // (generation << 32) | next chunk index
  private static final int REMAINING = 80; // chunks not yet finished
  private final long[] sync = new long[112];

  private final Worker[] workers;
  private volatile boolean closed;
  private RangeTask task;
  private int count;
  private int chunks;
  private volatile Throwable failure;

  /** A pool of {@code threads} threads in all, counting the caller (1 = run everything inline). */
  public StepPool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("a step pool needs at least 1 thread, got " + threads);
    }
    workers = new Worker[threads - 1];
    for (int w = 0; w < workers.length; w++) {
      workers[w] = new Worker(w + 1);
      workers[w].start();
    }
  }

  /** A pool with one thread per available core. */
  public static StepPool perCore() {
    return new StepPool(Runtime.getRuntime().availableProcessors());
  }

  public int threads() {
    return workers.length + 1;
  }

  /**
   * Runs {@code task} over {@code [0, count)} split into at most {@link #threads()} ranges and
   * returns when all are done. Jobs from different callers run one after another.
   */
  public synchronized void run(int count, RangeTask task) {
    if (closed) {
      throw new IllegalStateException("step pool is closed");
    }
    int n = Math.min(threads(), count);
    if (n <= 1) {
      task.run(0, count);
      return;
    }
    this.task = task;
    this.count = count;
    this.chunks = n;
    this.failure = null;
    long generation = (long) SLOT.getVolatile(sync, GENERATION) + 1;
    SLOT.setVolatile(sync, REMAINING, (long) n);
    SLOT.setVolatile(sync, CLAIM, generation << 32);
    SLOT.setVolatile(sync, GENERATION, generation); // publishes task/count/chunks to the workers
    for (int w = 0; w < n - 1; w++) {
      if (workers[w].parked) {
        LockSupport.unpark(workers[w]);
      }
    }
    runClaimedChunks(generation);
    while ((long) SLOT.getVolatile(sync, REMAINING) > 0) {
      Thread.onSpinWait();
    }
    this.task = null;
    Throwable t = failure;
    if (t != null) {
      if (t instanceof RuntimeException re) {
        throw re;
      }
      if (t instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException(t);
    }
  }

  /** Claims and runs chunks of job {@code generation} until none are left. */
  private void runClaimedChunks(long generation) {
    while (true) {
      long claim = (long) SLOT.getVolatile(sync, CLAIM);
      if ((claim >>> 32) != (generation & 0xFFFFFFFFL)) {
        return; // a later job: this one is finished
      }
      int c = (int) claim;
      if (c >= chunks) {
        return;
      }
      if (!SLOT.compareAndSet(sync, CLAIM, claim, claim + 1)) {
        continue;
      }
      try {
        int from = (int) ((long) count * c / chunks);
        int to = (int) ((long) count * (c + 1) / chunks);
        task.run(from, to);
      } catch (Throwable t) {
        failure = t;
      }
      SLOT.getAndAdd(sync, REMAINING, -1L);
    }
  }

  private long generation() {
    return (long) SLOT.getVolatile(sync, GENERATION);
  }

  @Override
  public void close() {
    closed = true;
    for (Worker w : workers) {
      LockSupport.unpark(w);
    }
  }

  private final class Worker extends Thread {
    volatile boolean parked;

    Worker(int index) {
      super("step-pool-" + index);
      setDaemon(true);
    }

    @Override
    public void run() {
      long seen = 0;
      while (!closed) {
        long g = awaitGeneration(seen);
        if (g != seen) {
          seen = g;
          runClaimedChunks(g);
        }
      }
    }

    private long awaitGeneration(long seen) {
      for (int i = 0; i < SPIN_ITERATIONS; i++) {
        long g = generation();
        if (g != seen || closed) {
          return g;
        }
        Thread.onSpinWait();
      }
      parked = true;
      try {
        while (generation() == seen && !closed) {
          LockSupport.park(this);
        }
      } finally {
        parked = false;
      }
      return generation();
    }
  }
}
