package dev.zeroshot.agents;

import ai.djl.Device;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.env.VectorEnvApi;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A PPO checkpoint in one file: a magic line, the config and the model spec as JSON, the agent
 * (weights and observation statistics), then the trainer's state (counters, Adam's moments,
 * reward statistics). Written to a temporary file, synced, then renamed over the old one, so
 * a crash leaves either the old checkpoint or the new one, never half of one.
 */
public final class Checkpoint {

  static final String MAGIC = "zeroshot-ppo-checkpoint-v1";

  private Checkpoint() {}

  /** What the header holds. */
  public record Header(PpoConfig config, ModelSpec model) {}

  /** Atomically writes {@code ppo}'s full state to {@code file}. */
  public static void save(PpoTrainer ppo, Path file) throws IOException {
    CheckpointIo.save(file, MAGIC, ppo.config().toJson(), ppo.agent().net().spec(), out -> {
      ppo.agent().write(out);
      ppo.writeTrainerState(out);
    });
  }


  public static Header readHeader(Path file) throws IOException {
    try (DataInputStream in = CheckpointIo.open(file)) {
      return header(in, file);
    }
  }

  /** Loads the agent only (for evaluation) to act in {@code env}. */
  public static Agent loadAgent(Path file, VectorEnvApi env, Device device) throws IOException {
    try (DataInputStream in = CheckpointIo.open(file)) {
      Header h = header(in, file);
      Torch.init(h.config().torchThreads);
      ActorCritic net = ActorCritic.create(h.model(), device);
      Agent agent = new Agent(net, h.config().normObs, env.singleActionSpace());
      try {
        checkEnv(h, env, file);
        agent.read(in);
      } catch (IOException | RuntimeException e) {
        agent.close();
        throw e;
      }
      return agent;
    }
  }

  /** A trainer in the exact state saved (its envs restart from a seeded reset); recurrent for a recurrent network. */
  public static PpoTrainer resume(Path file, VectorEnvApi env, Device device) throws IOException {
    try (DataInputStream in = CheckpointIo.open(file)) {
      Header h = header(in, file);
      checkEnv(h, env, file);
      PpoTrainer ppo = PpoTrainer.create(h.config(), env, h.model(), device);
      try {
        ppo.agent().read(in);
        ppo.readTrainerState(in);
        CheckpointIo.readEnd(in, file);
      } catch (IOException | RuntimeException e) {
        ppo.close();
        throw e;
      }
      return ppo;
    }
  }

  private static void checkEnv(Header h, VectorEnvApi env, Path file) throws IOException {
    ModelSpec expected = Agent.modelFor(env.singleObservationSpace(), env.singleActionSpace(), h.model().kind(),
        h.model().hidden(), h.model().seed());
    if (!expected.equals(h.model())) {
      throw new IOException(file + ": checkpoint's network (" + h.model() + ") does not fit this env's spaces ("
          + expected + ")");
    }
  }


  private static Header header(DataInputStream in, Path file) throws IOException {
    return CheckpointIo.readHeader(in, file, MAGIC, "PPO", PpoConfig::fromJson, Header::new);
  }
}
