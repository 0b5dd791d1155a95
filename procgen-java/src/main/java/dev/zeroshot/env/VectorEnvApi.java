package dev.zeroshot.env;

import dev.zeroshot.env.space.Space;

/**
 * The batched environment contract an agent trains on, served in-process by {@link VectorEnv}
 * and over gRPC by the remote vector env ({@code dev.zeroshot.client.RemoteVectorEnv}): the
 * same calls on the same {@link StepBuffers} give bit-identical results for the same env id,
 * context, seed and actions. Next-step autoreset ({@link VectorEnv#AUTORESET_MODE}).
 *
 * <p>Errors: an invalid action throws {@link IllegalArgumentException} naming the env and the
 * value, and nothing is stepped; stepping before a reset throws {@link IllegalStateException}.
 */
public interface VectorEnvApi extends AutoCloseable {

  int numEnvs();

  Space singleObservationSpace();

  Space singleActionSpace();

  /** The time limit in steps (0 = none). */
  int maxEpisodeSteps();

  /** Seeds env i with {@code seed + i}, draws contexts, resets all envs. */
  void reset(long seed, StepBuffers out);

  /** Resets all envs, continuing their random streams. */
  void reset(StepBuffers out);

  /** Steps every env with its action in {@code io.actions()}. */
  void step(StepBuffers io);

  @Override
  void close();
}
