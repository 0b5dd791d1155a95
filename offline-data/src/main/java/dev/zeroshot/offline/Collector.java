package dev.zeroshot.offline;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.LevelInfo;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.context.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Rolls a policy in {@code numEnvs} envs of one id and context and appends each episode to a
 * dataset the moment it ends, until the dataset holds at least {@code transitions} steps
 * (episodes still running then are dropped: only whole episodes are written).
 *
 * <p>Each env is a plain {@link GymEnv} reset by the collector itself, so every stored
 * episode starts with its reset observation and ends with the observation its last step
 * reached (not the next episode's first, the trap of auto-resetting vector envs that
 * gen_dgrl works around with {@code zero_out_last_obs}).
 */
public final class Collector {

  /** A finished collection. */
  public record Result(int episodes, long steps, double meanReturn, double minReturn, double maxReturn,
      double seconds) {}

  /** Progress: steps written so far, episodes, mean return so far. */
  public interface Progress {
    void update(long steps, int episodes, double meanReturn);
  }

  private final EnvSpec spec;
  private final Context context;
  private final int numEnvs;
  private final long seed;

  public Collector(String envId, Context context, int numEnvs, long seed) {
    if (numEnvs < 1) {
      throw new IllegalArgumentException("--num-envs must be >= 1, got " + numEnvs);
    }
    this.spec = EnvRegistry.builtin().spec(envId);
    this.context = context == null ? spec.contextSpace().defaults() : context;
    this.numEnvs = numEnvs;
    this.seed = seed;
  }

  public EnvSpec spec() {
    return spec;
  }

  public Context context() {
    return context;
  }

  /** Collects into {@code writer}; {@code stop} may end it early (the finished episodes stay). */
  public Result collect(CollectionPolicy policy, long transitions, DatasetWriter writer, Progress progress,
      BooleanSupplier stop) throws IOException {
    if (transitions < 1) {
      throw new IllegalArgumentException("--transitions must be >= 1, got " + transitions);
    }
    long t0 = System.nanoTime();
    GymEnv[] envs = new GymEnv[numEnvs];
    for (int i = 0; i < numEnvs; i++) {
      envs[i] = new GymEnv(spec.make(context), spec.maxEpisodeSteps());
    }
    StepBuffers buf = StepBuffers.allocate(envs[0].observationSpace(), envs[0].actionSpace(), numEnvs);
    int obsBytes = buf.observationBytes();
    if (obsBytes != writer.format().bytes()) {
      throw new IllegalArgumentException("the dataset stores " + writer.format() + " observations; " + spec.id()
          + " gives " + obsBytes + " bytes");
    }
    ActionFormat actionFormat = ActionFormat.of(envs[0].actionSpace());
    if (!actionFormat.equals(writer.actionFormat())) {
      throw new IllegalArgumentException("the dataset stores " + writer.actionFormat() + " actions; " + spec.id()
          + " takes " + actionFormat);
    }
    Recorder[] rec = new Recorder[numEnvs];
    for (int i = 0; i < numEnvs; i++) {
      envs[i].reset(seed + i, buf, i);
      rec[i] = new Recorder(obsBytes, actionFormat);
      rec[i].start(buf.observations(), i * obsBytes, levelSeed(envs[i]));
    }
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    long stepsAtStart = writer.steps();
    int episodesAtStart = writer.episodes();
    while (writer.steps() - stepsAtStart < transitions && !stop.getAsBoolean()) {
      policy.act(envs, buf, rng);
      for (int i = 0; i < numEnvs; i++) {
        rec[i].action(buf.actions(), i * buf.actionBytes()); // as the policy chose it, before the env sees it
        envs[i].step(buf, i);
        rec[i].step(buf.reward(i), buf.terminated(i), buf.truncated(i), buf.observations(), i * obsBytes);
        if (buf.episodeEnded(i)) {
          Episode e = rec[i].finish();
          if (writer.steps() - stepsAtStart < transitions) {
            writer.append(e);
            double r = e.totalReturn();
            sum += r;
            min = Math.min(min, r);
            max = Math.max(max, r);
            if (progress != null) {
              int n = writer.episodes() - episodesAtStart;
              progress.update(writer.steps() - stepsAtStart, n, sum / n);
            }
          }
          envs[i].reset(buf, i);
          rec[i].start(buf.observations(), i * obsBytes, levelSeed(envs[i]));
        }
      }
    }
    int n = writer.episodes() - episodesAtStart;
    return new Result(n, writer.steps() - stepsAtStart, n == 0 ? Double.NaN : sum / n, min, max,
        (System.nanoTime() - t0) / 1e9);
  }

  private static long levelSeed(GymEnv env) {
    return env.env() instanceof LevelInfo li ? li.levelSeed() : -1;
  }

  /** One env's episode in progress, in growable arrays. */
  static final class Recorder {
    private final int obsBytes;
    private final int boxElements; // 0: Discrete actions
    private byte[] obs = new byte[0];
    private long[] actions;
    private float[] boxActions;
    private double[] rewards = new double[64];
    private boolean[] term = new boolean[64];
    private boolean[] trunc = new boolean[64];
    private int t;
    private long levelSeed;

    Recorder(int obsBytes, ActionFormat actionFormat) {
      this.obsBytes = obsBytes;
      this.obs = new byte[64 * obsBytes];
      this.boxElements = actionFormat.isDiscrete() ? 0 : actionFormat.elements();
      if (boxElements == 0) {
        actions = new long[64];
      } else {
        boxActions = new float[64 * boxElements];
      }
    }

    void start(ByteBuffer o, int off, long levelSeed) {
      t = 0;
      this.levelSeed = levelSeed;
      o.get(off, obs, 0, obsBytes);
    }

    /** Records step t's action from {@code a} at {@code off}: one int64, or the Box's float32 values. */
    void action(ByteBuffer a, int off) {
      if (t + 2 > rewards.length) {
        int cap = rewards.length * 2;
        rewards = Arrays.copyOf(rewards, cap);
        term = Arrays.copyOf(term, cap);
        trunc = Arrays.copyOf(trunc, cap);
        if (boxElements == 0) {
          actions = Arrays.copyOf(actions, cap);
        } else {
          boxActions = Arrays.copyOf(boxActions, cap * boxElements);
        }
      }
      if (boxElements == 0) {
        actions[t] = a.getLong(off);
      } else {
        for (int k = 0; k < boxElements; k++) {
          boxActions[t * boxElements + k] = a.getFloat(off + 4 * k);
        }
      }
    }

    /** Records step t's outcome (its action recorded before) and the observation it reached. */
    void step(double r, boolean te, boolean tr, ByteBuffer o, int off) {
      if ((long) (t + 2) * obsBytes > obs.length) {
        obs = Arrays.copyOf(obs, Math.max(obs.length * 2, (t + 2) * obsBytes));
      }
      rewards[t] = r;
      term[t] = te;
      trunc[t] = tr;
      t++;
      o.get(off, obs, t * obsBytes, obsBytes);
    }

    Episode finish() {
      byte[] o = Arrays.copyOf(obs, (t + 1) * obsBytes);
      double[] r = Arrays.copyOf(rewards, t);
      boolean[] te = Arrays.copyOf(term, t);
      boolean[] tr = Arrays.copyOf(trunc, t);
      return boxElements == 0 ? new Episode(0, obsBytes, o, Arrays.copyOf(actions, t), r, te, tr, levelSeed)
          : Episode.ofBoxActions(0, obsBytes, o, Arrays.copyOf(boxActions, t * boxElements), r, te, tr, levelSeed);
    }
  }
}
