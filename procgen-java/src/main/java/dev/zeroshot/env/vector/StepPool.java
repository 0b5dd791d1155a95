package dev.zeroshot.env.vector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool of threads that runs one batch job at a time, split into contiguous ranges of
 * env indices. The calling thread runs the first range itself. Workers spin briefly before
 * parking, because waking a parked thread costs ~25-30 us on this kind of machine while a
 * 64-env CartPole step takes a few microseconds (EnvPool does the same).
 *
 * <p>Results never depend on the pool size: each env is stepped by exactly one thread, and
 * envs share no state.
 */
public final class StepPool implements AutoCloseable {

  /** Work over env indices {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeTask {
    void run(int from, int to);
  }

  private static final int SPIN_ITERATIONS = 20_000;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
  // The two words threads spin on, each 128+ bytes from the other and from any other object,
  // so that spinning never steals a cache line that an env is writing (false sharing).
  private static final int GENERATION = 16;
  private static final int PENDING = 48;
  private final long[] sync = new long[64];

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
    SLOT.setVolatile(sync, PENDING, (long) (n - 1));
    // The volatile write publishes task/count/chunks to the workers.
    SLOT.setVolatile(sync, GENERATION, (long) SLOT.getVolatile(sync, GENERATION) + 1);
    for (int w = 0; w < n - 1; w++) {
      if (workers[w].parked) {
        LockSupport.unpark(workers[w]);
      }
    }
    runChunk(0);
    while ((long) SLOT.getVolatile(sync, PENDING) > 0) {
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

  private long generation() {
    return (long) SLOT.getVolatile(sync, GENERATION);
  }

  private void runChunk(int c) {
    int from = (int) ((long) count * c / chunks);
    int to = (int) ((long) count * (c + 1) / chunks);
    task.run(from, to);
  }

  @Override
  public void close() {
    closed = true;
    for (Worker w : workers) {
      LockSupport.unpark(w);
    }
  }

  private final class Worker extends Thread {
    private final int chunk;
    volatile boolean parked;

    Worker(int chunk) {
      super("step-pool-" + chunk);
      this.chunk = chunk;
      setDaemon(true);
    }

    @Override
    public void run() {
      long seen = 0;
      while (!closed) {
        long g = awaitGeneration(seen);
        if (g == seen) {
          continue; // woken by close
        }
        seen = g;
        if (chunk < chunks) {
          try {
            runChunk(chunk);
          } catch (Throwable t) {
            failure = t;
          }
          SLOT.getAndAdd(sync, PENDING, -1L);
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
