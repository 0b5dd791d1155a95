package dev.zeroshot.agents;

import ai.djl.Device;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.env.VectorEnvApi;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * What a run folder ({@link PpoRun}) and a checkpoint ({@link Checkpoint}) need of a PPO trainer:
 * {@link Ppo} for feed-forward policies, {@link RecurrentPpo} for recurrent ones.
 */
public interface PpoTrainer extends AutoCloseable {

  /** The trainer for {@code modelSpec}: {@link RecurrentPpo} when the network is recurrent, else {@link Ppo}. */
  static PpoTrainer create(PpoConfig cfg, VectorEnvApi env, ModelSpec modelSpec, Device device) {
    return modelSpec.recurrent() ? new RecurrentPpo(cfg, env, modelSpec, device) : new Ppo(cfg, env, modelSpec, device);
  }

  Agent agent();

  PpoConfig config();

  long globalStep();

  int updates();

  int numUpdates();

  /** Runs updates until the config's total steps (whole batches) or {@code stop}. */
  void train(Ppo.Listener listener, BooleanSupplier stop);

  /** Tells {@code listener} of every episode reported to the curriculum (only trainers that take curricula). */
  void onEpisode(Ppo.EpisodeListener listener);

  void writeTrainerState(DataOutputStream out) throws IOException;

  void readTrainerState(DataInputStream in) throws IOException;

  @Override
  void close();
}
