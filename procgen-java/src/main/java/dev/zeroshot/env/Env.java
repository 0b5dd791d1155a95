package dev.zeroshot.env;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.space.Space;
import java.nio.ByteBuffer;

/**
 * One environment's MDP: its dynamics, reward and termination, without a time limit (that is
 * {@link GymEnv}'s job) and without allocation. Observations and actions live in caller-owned
 * little-endian buffers at the offsets given; an env reads and writes only its own slice.
 *
 * <p>An env is not thread-safe; a {@link VectorEnv} steps each env on one thread at a time.
 */
public interface Env {

  Space observationSpace();

  Space actionSpace();

  /** The context the dynamics currently follow. */
  Context context();

  /** Makes the dynamics follow {@code context} from now on (usually called just before a reset). */
  void setContext(Context context);

  /** Restarts the env's random stream (initial states, noise) from {@code seed}. */
  void seed(long seed);

  /** Starts an episode and writes the first observation at {@code obs[obsOffset]}. */
  void reset(ByteBuffer obs, int obsOffset);

  /**
   * Applies the action stored at {@code actions[actionOffset]} (already checked against the
   * action space), writes the next observation and returns the reward.
   */
  double step(ByteBuffer actions, int actionOffset, ByteBuffer obs, int obsOffset);

  /** Whether the last step reached a terminal state of the MDP. */
  boolean terminated();
}
