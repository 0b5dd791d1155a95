package dev.zeroshot.env;

import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Caller-owned memory for a batch of {@code numEnvs} environments: the actions the caller
 * writes, and the observations, rewards, flags and finished-episode statistics the envs
 * write. Env i's observation starts at byte {@code i * observationBytes()} of
 * {@link #observations()} (row-major, little-endian, e.g. float32 for control tasks); its
 * action at {@code i * actionBytes()} of {@link #actions()}.
 *
 * <p>{@link #episodeEnded(int)} is true on the step that ended env i's episode, and then
 * {@link #episodeReturn(int)} and {@link #episodeLength(int)} hold that episode's totals.
 */
public final class StepBuffers {

  /**
   * Bytes of one env's result record in {@link #results()}: reward f64 at 0, episode return f64
   * at 8, episode length i32 at 16, terminated u8 at 20, truncated u8 at 21, episode ended u8 at
   * 22 (flags 0 or 1), 9 bytes unused; little-endian. The shared-memory data plane of the env
   * server exposes exactly these records (docs/protocol.md).
   */
  public static final int RECORD_BYTES = 32;
  private static final int RECORD = RECORD_BYTES;
  private static final int REWARD = 0;
  private static final int EPISODE_RETURN = 8;
  private static final int EPISODE_LENGTH = 16;
  private static final int TERMINATED = 20;
  private static final int TRUNCATED = 21;
  private static final int EPISODE_ENDED = 22;

  private final int numEnvs;
  private final int observationBytes;
  private final int actionBytes;
  private final ByteBuffer observations;
  private final ByteBuffer actions;
  // One record per env, end to end, rather than one array per field: threads stepping
  // neighbouring ranges of envs then share at most one cache line (with an array per field,
  // 64 envs' boolean flags sit in one line that both cores keep stealing; measured 3x slower).
  private final ByteBuffer results;

  private StepBuffers(int numEnvs, int observationBytes, int actionBytes) {
    if (numEnvs < 1) {
      throw new IllegalArgumentException("numEnvs must be >= 1, got " + numEnvs);
    }
    this.numEnvs = numEnvs;
    this.observationBytes = observationBytes;
    this.actionBytes = actionBytes;
    this.observations = direct(Math.multiplyExact(numEnvs, observationBytes));
    this.actions = direct(Math.multiplyExact(numEnvs, actionBytes));
    this.results = direct(Math.multiplyExact(numEnvs, RECORD));
  }

  private StepBuffers(int numEnvs, int observationBytes, int actionBytes, ByteBuffer observations,
      ByteBuffer actions, ByteBuffer results) {
    if (numEnvs < 1) {
      throw new IllegalArgumentException("numEnvs must be >= 1, got " + numEnvs);
    }
    this.numEnvs = numEnvs;
    this.observationBytes = observationBytes;
    this.actionBytes = actionBytes;
    this.observations = window(observations, Math.multiplyExact(numEnvs, observationBytes), "observations");
    this.actions = window(actions, Math.multiplyExact(numEnvs, actionBytes), "actions");
    this.results = window(results, Math.multiplyExact(numEnvs, RECORD), "results");
  }

  private static ByteBuffer window(ByteBuffer b, int bytes, String what) {
    if (!b.isDirect() || b.capacity() < bytes) {
      throw new IllegalArgumentException(what + " buffer must be direct with at least " + bytes + " bytes, got "
          + (b.isDirect() ? "" : "a heap buffer of ") + b.capacity());
    }
    return b.slice(0, bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Buffers over memory the caller provides (e.g. a memory-mapped file shared with another
   * process): the first {@code numEnvs * observationBytes} bytes of {@code observations}, and so
   * on, read and written little-endian; {@code results} holds {@link #RECORD_BYTES}-byte records.
   * Every buffer must be direct.
   */
  public static StepBuffers wrap(int numEnvs, int observationBytes, int actionBytes, ByteBuffer observations,
      ByteBuffer actions, ByteBuffer results) {
    return new StepBuffers(numEnvs, observationBytes, actionBytes, observations, actions, results);
  }

  private static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Buffers for {@code numEnvs} envs with these spaces (direct, little-endian). */
  public static StepBuffers allocate(Space observationSpace, Space actionSpace, int numEnvs) {
    return new StepBuffers(numEnvs, observationSpace.byteSize(), actionSpace.byteSize());
  }

  /** Buffers sized for a vector env (in-process or remote). */
  public static StepBuffers allocate(VectorEnvApi env) {
    return allocate(env.singleObservationSpace(), env.singleActionSpace(), env.numEnvs());
  }

  /** Buffers for one env. */
  public static StepBuffers allocate(GymEnv env) {
    return allocate(env.observationSpace(), env.actionSpace(), 1);
  }

  public int numEnvs() {
    return numEnvs;
  }

  public int observationBytes() {
    return observationBytes;
  }

  public int actionBytes() {
    return actionBytes;
  }

  /** All observations, env i's at byte {@code i * observationBytes()}. */
  public ByteBuffer observations() {
    return observations;
  }

  /** All actions, env i's at byte {@code i * actionBytes()}. */
  public ByteBuffer actions() {
    return actions;
  }

  /** The per-env result records, env i's {@link #RECORD_BYTES} bytes at {@code i * RECORD_BYTES}. */
  public ByteBuffer results() {
    return results;
  }

  /** Copies observations and result records (not actions) from {@code src}, a buffer of the same sizes. */
  public void copyResultsFrom(StepBuffers src) {
    if (src.numEnvs != numEnvs || src.observationBytes != observationBytes) {
      throw new IllegalArgumentException("buffers of different sizes");
    }
    observations.put(0, src.observations, 0, numEnvs * observationBytes);
    results.put(0, src.results, 0, numEnvs * RECORD);
  }

  /** Env i's reward from the last step (0 after a reset). */
  public double reward(int i) {
    return results.getDouble(i * RECORD + REWARD);
  }

  /** Whether env i's last step reached a terminal state of the MDP. */
  public boolean terminated(int i) {
    return results.get(i * RECORD + TERMINATED) != 0;
  }

  /** Whether env i's last step hit the time limit. */
  public boolean truncated(int i) {
    return results.get(i * RECORD + TRUNCATED) != 0;
  }

  /** Whether env i's last step ended its episode (terminated or truncated). */
  public boolean episodeEnded(int i) {
    return results.get(i * RECORD + EPISODE_ENDED) != 0;
  }

  /** The return of the episode env i just ended; valid when {@link #episodeEnded(int)}. */
  public double episodeReturn(int i) {
    return results.getDouble(i * RECORD + EPISODE_RETURN);
  }

  /** The length of the episode env i just ended; valid when {@link #episodeEnded(int)}. */
  public int episodeLength(int i) {
    return results.getInt(i * RECORD + EPISODE_LENGTH);
  }

  /**
   * Writes env i's step result. Envs write it through {@link GymEnv}; public for vector envs
   * implemented elsewhere (the remote vector env copies the server's results in).
   */
  public void setResult(int i, double reward, boolean terminated, boolean truncated) {
    int r = i * RECORD;
    results.putDouble(r + REWARD, reward);
    results.put(r + TERMINATED, (byte) (terminated ? 1 : 0));
    results.put(r + TRUNCATED, (byte) (truncated ? 1 : 0));
    results.put(r + EPISODE_ENDED, (byte) (terminated || truncated ? 1 : 0));
  }

  /** Writes the totals of the episode env i just ended (see {@link #setResult}). */
  public void setEpisode(int i, double episodeReturn, int episodeLength) {
    results.putDouble(i * RECORD + EPISODE_RETURN, episodeReturn);
    results.putInt(i * RECORD + EPISODE_LENGTH, episodeLength);
  }

  /** Sets env i's Discrete action. */
  public void setDiscreteAction(int i, long action) {
    actions.putLong(i * actionBytes, action);
  }

  /** Sets element j of env i's float32 Box action. */
  public void setFloatAction(int i, int j, float value) {
    actions.putFloat(i * actionBytes + 4 * j, value);
  }

  /** Element j of env i's float32 observation. */
  public float floatObservation(int i, int j) {
    return observations.getFloat(i * observationBytes + 4 * j);
  }
}
