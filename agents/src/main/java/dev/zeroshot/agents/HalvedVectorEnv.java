package dev.zeroshot.agents;

import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.VectorEnvApi;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSampler;
import dev.zeroshot.env.curriculum.CurriculumLink;
import dev.zeroshot.env.curriculum.CurriculumSampler;
import dev.zeroshot.env.space.Space;
import dev.zeroshot.env.vector.StepPool;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * N in-process envs as two vector envs, envs 0..N/2-1 and N/2..N-1, that can be stepped in the
 * background one half at a time ({@link #stepInBackground}), so that PPO's overlapped rollout
 * runs the policy on one half while the other steps (EnvPool's async mode with two groups).
 * Both halves step on one shared {@link StepPool}, called from one background thread, so the
 * envs get the pool's threads and the training thread stays free for the policy.
 *
 * <p>Results are bit-identical to one {@link VectorEnv} of N envs with the same context sampler:
 * the second half is reset with seed + N/2, so env i is still seeded with seed + i, and each
 * half asks the sampler for its envs by their index in all N. A sequential sampler (a
 * curriculum) is asked in the same order too: the halves' steps run one at a time on one
 * thread, half 0 before half 1 at every step, each in env order, as one vector env draws.
 */
public final class HalvedVectorEnv implements VectorEnvApi, CurriculumLink.Provider {

  private final VectorEnv[] halves = new VectorEnv[2];
  private final ContextSampler sampler;
  private final int[] first = new int[2]; // env index of each half's first env
  private final StepPool pool;
  private final ExecutorService stepper;
  private final Future<?>[] pending = new Future<?>[2];
  private StepBuffers viewsOf; // the caller's buffers that views were cut from
  private final StepBuffers[] views = new StepBuffers[2];

  /** {@code numEnvs} (at least 2) envs of {@code spec} in {@code context}, stepped by {@code threads} threads. */
  public HalvedVectorEnv(EnvSpec spec, Context context, int numEnvs, int threads) {
    this(spec, ContextSampler.fixed(context), false, numEnvs, threads);
  }

  /**
   * {@code numEnvs} (at least 2) envs of {@code spec} whose contexts come from {@code sampler}
   * (at seeded resets, and at every reset if {@code resampleOnReset}), as
   * {@link VectorEnv.Builder#contextSampler} gives them.
   */
  public HalvedVectorEnv(EnvSpec spec, ContextSampler sampler, boolean resampleOnReset, int numEnvs, int threads) {
    if (numEnvs < 2) {
      throw new IllegalArgumentException("the overlapped rollout splits the envs in two halves: it needs "
          + "num-envs >= 2, got " + numEnvs);
    }
    this.pool = new StepPool(Math.min(threads, numEnvs));
    int half = numEnvs / 2;
    first[1] = half;
    this.sampler = sampler;
    for (int h = 0; h < 2; h++) {
      halves[h] = VectorEnv.builder(spec).numEnvs(h == 0 ? half : numEnvs - half).pool(pool)
          .contextSampler(shifted(sampler, first[h])).resampleOnReset(resampleOnReset).build();
    }
    this.stepper = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "halved-env-stepper");
      t.setDaemon(true);
      return t;
    });
  }

  /** {@code sampler} for a half whose env j is env {@code offset + j} of all N. */
  private static ContextSampler shifted(ContextSampler sampler, int offset) {
    return new ContextSampler() {
      @Override
      public Context sample(int envIndex, long resetCount, SplittableRandom rng) {
        return sampler.sample(offset + envIndex, resetCount, rng);
      }

      @Override
      public Context base() {
        return sampler.base();
      }

      @Override
      public boolean sequential() {
        return sampler.sequential();
      }
    };
  }

  /** The curriculum choosing the levels (the sampler, if it is one), else null. */
  @Override
  public CurriculumLink curriculumLink() {
    return sampler instanceof CurriculumSampler s ? s : null;
  }

  /** Envs in half {@code h} (0 or 1). */
  public int size(int h) {
    return halves[h].numEnvs();
  }

  /** Index of half {@code h}'s first env. */
  public int first(int h) {
    return first[h];
  }

  public int threads() {
    return pool.threads();
  }

  /** Half {@code h}'s part of {@code b} (same memory: writes through either show in both). */
  public StepBuffers view(StepBuffers b, int h) {
    if (b != viewsOf) {
      int ob = b.observationBytes();
      int ab = b.actionBytes();
      int rb = StepBuffers.RECORD_BYTES;
      for (int k = 0; k < 2; k++) {
        int from = first[k];
        int n = halves[k].numEnvs();
        views[k] = StepBuffers.wrap(n, ob, ab, b.observations().slice(from * ob, n * ob),
            b.actions().slice(from * ab, n * ab), b.results().slice(from * rb, n * rb));
      }
      viewsOf = b;
    }
    return views[h];
  }

  /**
   * Starts stepping half {@code h} with its actions in {@code io} on the background thread (an
   * executor task: a few small objects per half-step, against the milliseconds a pixel game's
   * half-step takes).
   */
  public void stepInBackground(StepBuffers io, int h) {
    if (pending[h] != null) {
      throw new IllegalStateException("half " + h + " is already stepping");
    }
    StepBuffers v = view(io, h);
    VectorEnv env = halves[h];
    pending[h] = stepper.submit(() -> env.step(v));
  }

  /** Waits until half {@code h}'s background step is done (at once if none is pending); rethrows its failure. */
  public void await(int h) {
    Future<?> f = pending[h];
    if (f == null) {
      return;
    }
    pending[h] = null;
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while half " + h + " of the envs stepped", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public int numEnvs() {
    return first[1] + halves[1].numEnvs();
  }

  @Override
  public Space singleObservationSpace() {
    return halves[0].singleObservationSpace();
  }

  @Override
  public Space singleActionSpace() {
    return halves[0].singleActionSpace();
  }

  @Override
  public int maxEpisodeSteps() {
    return halves[0].maxEpisodeSteps();
  }

  @Override
  public void reset(long seed, StepBuffers out) {
    awaitBoth();
    for (int h = 0; h < 2; h++) {
      halves[h].reset(seed + first[h], view(out, h));
    }
  }

  @Override
  public void reset(StepBuffers out) {
    awaitBoth();
    for (int h = 0; h < 2; h++) {
      halves[h].reset(view(out, h));
    }
  }

  /** Steps both halves on the calling thread, one after the other. */
  @Override
  public void step(StepBuffers io) {
    awaitBoth();
    for (int h = 0; h < 2; h++) {
      halves[h].step(view(io, h));
    }
  }

  private void awaitBoth() {
    await(0);
    await(1);
  }

  @Override
  public void close() {
    stepper.shutdownNow();
    for (VectorEnv h : halves) {
      h.close();
    }
    pool.close();
  }
}
