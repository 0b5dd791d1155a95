package dev.zeroshot.env;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSampler;
import dev.zeroshot.env.space.Space;
import dev.zeroshot.env.vector.StepPool;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A batch of environments of one id, stepped together with Gymnasium's vector semantics and
 * <b>next-step autoreset</b>: the step after env i's episode ends ignores env i's action,
 * resets it, and reports reward 0 with both flags false (Gymnasium 1.x's default, EnvPool's
 * behaviour). Envs are stepped in parallel on a {@link StepPool}; since envs share nothing,
 * results are the same for any pool size.
 *
 * <p>Seeding follows Gymnasium: {@code reset(seed)} seeds env i with {@code seed + i}.
 * Contexts come from a {@link ContextSampler}: drawn at every seeded reset and, if
 * {@code resampleOnReset}, at every reset (including autoresets).
 */
public final class VectorEnv implements VectorEnvApi {

  /** The autoreset mode, as Gymnasium names it in {@code metadata["autoreset_mode"]}. */
  public static final String AUTORESET_MODE = "NEXT_STEP";

  private final EnvSpec spec;
  private final GymEnv[] slots;
  private final ContextSampler sampler;
  private final boolean resampleOnReset;
  private final SplittableRandom[] contextRandom;
  private final long[] resetCount;
  // Which envs reset on their next step. Kept here, written only when it changes, so the
  // caller's action check reads one rarely-written array instead of the per-env objects the
  // stepping threads write every step (reading those cost ~2 us per 64-env step on 2 cores).
  private final boolean[] autoresetPending;
  private final StepPool pool;
  private final boolean ownsPool;
  private final Space observationSpace;
  private final Space actionSpace;
  private StepBuffers io; // the buffers of the step in progress, read by stepRange
  private final StepPool.RangeTask stepRange = this::stepRange;
  private boolean started;

  private VectorEnv(Builder b) {
    this.spec = b.spec;
    int n = b.numEnvs;
    int limit = b.maxEpisodeSteps == null ? spec.maxEpisodeSteps() : b.maxEpisodeSteps;
    this.sampler = b.sampler == null ? ContextSampler.fixed(spec.contextSpace().defaults()) : b.sampler;
    if (sampler.base().space() != spec.contextSpace()) {
      throw new IllegalArgumentException("context sampler for " + sampler.base().space().owner() + " given to " + spec.id());
    }
    this.resampleOnReset = b.resampleOnReset;
    this.slots = new GymEnv[n];
    for (int i = 0; i < n; i++) {
      slots[i] = new GymEnv(spec.make(sampler.base(), b.visibleContext), limit);
    }
    this.observationSpace = slots[0].observationSpace();
    this.actionSpace = slots[0].actionSpace();
    this.contextRandom = new SplittableRandom[n];
    for (int i = 0; i < n; i++) {
      contextRandom[i] = new SplittableRandom();
    }
    this.resetCount = new long[n];
    this.autoresetPending = new boolean[n];
    this.ownsPool = b.pool == null;
    this.pool = ownsPool ? new StepPool(Math.min(b.threads, n)) : b.pool;
  }

  /** Starts building a vector env of {@code spec}. */
  public static Builder builder(EnvSpec spec) {
    return new Builder(spec);
  }

  public EnvSpec spec() {
    return spec;
  }

  @Override
  public int numEnvs() {
    return slots.length;
  }

  @Override
  public Space singleObservationSpace() {
    return observationSpace;
  }

  @Override
  public Space singleActionSpace() {
    return actionSpace;
  }

  @Override
  public int maxEpisodeSteps() {
    return slots[0].maxEpisodeSteps();
  }

  public int threads() {
    return pool.threads();
  }

  /** Where the envs' contexts come from. */
  public ContextSampler sampler() {
    return sampler;
  }

  /** The context env i currently runs in. */
  public Context context(int i) {
    return slots[i].env().context();
  }

  /** Seeds env i with {@code seed + i}, draws contexts, resets all envs. */
  @Override
  public void reset(long seed, StepBuffers out) {
    checkBuffers(out);
    for (int i = 0; i < slots.length && sampler.sequential(); i++) {
      contextRandom[i] = new SplittableRandom(seed + i).split();
      resetCount[i] = 0;
      drawContext(i);
    }
    pool.run(slots.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        if (!sampler.sequential()) {
          contextRandom[i] = new SplittableRandom(seed + i).split();
          resetCount[i] = 0;
        }
        slots[i].env().seed(seed + i);
        if (!sampler.sequential()) {
          drawContext(i);
        }
        resetSlot(i, out);
      }
    });
    started = true;
  }

  /** Resets all envs, continuing their random streams (Gymnasium's {@code reset(seed=None)}). */
  @Override
  public void reset(StepBuffers out) {
    checkBuffers(out);
    for (int i = 0; i < slots.length && sampler.sequential(); i++) {
      if (resampleOnReset || resetCount[i] == 0) {
        drawContext(i);
      }
    }
    pool.run(slots.length, (from, to) -> {
      for (int i = from; i < to; i++) {
        if (!sampler.sequential() && (resampleOnReset || resetCount[i] == 0)) {
          drawContext(i);
        }
        resetSlot(i, out);
      }
    });
    started = true;
  }

  /**
   * Steps every env with its action in {@code io.actions()}. All actions that will be used are
   * checked first; if one is invalid nothing is stepped and the exception names the env.
   */
  @Override
  public void step(StepBuffers io) {
    if (!started) {
      throw new IllegalStateException("step called before reset");
    }
    checkBuffers(io);
    for (int i = 0; i < slots.length; i++) {
      if (!autoresetPending[i]) {
        String problem = actionSpace.check(io.actions(), i * io.actionBytes());
        if (problem != null) {
          throw new IllegalArgumentException("action " + problem + " in env " + i);
        }
      }
    }
    for (int i = 0; i < slots.length && resampleOnReset && sampler.sequential(); i++) {
      if (autoresetPending[i]) {
        drawContext(i);
      }
    }
    this.io = io;
    try {
      pool.run(slots.length, stepRange);
    } finally {
      this.io = null;
    }
  }

  private void stepRange(int from, int to) {
    StepBuffers b = io;
    for (int i = from; i < to; i++) {
      if (autoresetPending[i]) { // the episode ended last step: next-step autoreset
        if (resampleOnReset && !sampler.sequential()) {
          drawContext(i);
        }
        resetSlot(i, b);
      } else {
        slots[i].stepChecked(b, i);
        if (slots[i].needsReset()) {
          autoresetPending[i] = true;
        }
      }
    }
  }

  private void drawContext(int i) {
    Context c = sampler.sample(i, resetCount[i], contextRandom[i]);
    if (!c.equals(slots[i].env().context())) {
      slots[i].env().setContext(c);
    }
  }

  private void resetSlot(int i, StepBuffers out) {
    slots[i].reset(out, i);
    resetCount[i]++;
    autoresetPending[i] = false;
  }

  private void checkBuffers(StepBuffers b) {
    if (b.numEnvs() != slots.length || b.observationBytes() != observationSpace.byteSize()
        || b.actionBytes() != actionSpace.byteSize()) {
      throw new IllegalArgumentException("buffers are for " + b.numEnvs() + " envs of " + b.observationBytes()
          + "/" + b.actionBytes() + " observation/action bytes; this vector env has " + slots.length + " envs of "
          + observationSpace.byteSize() + "/" + actionSpace.byteSize());
    }
  }

  @Override
  public void close() {
    if (ownsPool) {
      pool.close();
    }
  }

  /** Options of a vector env; unset ones take the registered defaults. */
  public static final class Builder {
    private final EnvSpec spec;
    private int numEnvs = 1;
    private ContextSampler sampler;
    private boolean resampleOnReset;
    private List<String> visibleContext = List.of();
    private Integer maxEpisodeSteps;
    private int threads = Runtime.getRuntime().availableProcessors();
    private StepPool pool;

    private Builder(EnvSpec spec) {
      this.spec = spec;
    }

    public Builder numEnvs(int numEnvs) {
      if (numEnvs < 1) {
        throw new IllegalArgumentException("num_envs must be >= 1, got " + numEnvs);
      }
      this.numEnvs = numEnvs;
      return this;
    }

    /** Every env in this one context. */
    public Builder context(Context context) {
      this.sampler = ContextSampler.fixed(context);
      return this;
    }

    public Builder contextSampler(ContextSampler sampler) {
      this.sampler = sampler;
      return this;
    }

    /** Draw a new context at every reset, not only at seeded ones. */
    public Builder resampleOnReset(boolean resample) {
      this.resampleOnReset = resample;
      return this;
    }

    /** Context features appended to the observation (empty: hidden, the default). */
    public Builder visibleContext(List<String> features) {
      this.visibleContext = List.copyOf(features);
      return this;
    }

    /** Overrides the registered time limit (0 = none). */
    public Builder maxEpisodeSteps(int steps) {
      if (steps < 0) {
        throw new IllegalArgumentException("max_episode_steps must be >= 0 (0 = no limit), got " + steps);
      }
      this.maxEpisodeSteps = steps;
      return this;
    }

    /** Threads of a pool of this env's own (default: one per core). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Steps on a shared pool instead of one of its own (the env will not close it). */
    public Builder pool(StepPool pool) {
      this.pool = pool;
      return this;
    }

    public VectorEnv build() {
      return new VectorEnv(this);
    }
  }
}
