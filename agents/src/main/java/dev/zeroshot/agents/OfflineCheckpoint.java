package dev.zeroshot.agents;

import ai.djl.Device;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.env.space.Space;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An offline learner's checkpoint in one file, written like PPO's (temporary file, sync,
 * atomic rename): a magic line, the config and model spec as JSON, the agent's weights, then
 * the learner's state (step, Adam's moments, CQL's target network) and an end marker.
 */
public final class OfflineCheckpoint {

  static final String MAGIC = "zeroshot-offline-checkpoint-v1";

  private OfflineCheckpoint() {}

  public record Header(OfflineConfig config, ModelSpec model) {}

  public static void save(OfflineLearner learner, Path file) throws IOException {
    CheckpointIo.save(file, MAGIC, learner.config().toJson(), learner.modelSpec(), out -> {
      learner.writePolicy(out);
      learner.writeTrainerState(out);
    });
  }


  /** Loads a saved learner's full state (acting weights, then trainer state) into {@code learner}. */
  public static void restore(Path file, OfflineLearner learner) throws IOException {
    try (DataInputStream in = CheckpointIo.open(file)) {
      Header h = header(in, file);
      if (!h.model().equals(learner.modelSpec()) || !h.config().algo.equals(learner.config().algo)) {
        throw new IOException(file + ": checkpoint is for " + h.config().algo + " " + h.model() + ", not this learner");
      }
      learner.readPolicy(in);
      learner.readTrainerState(in);
      CheckpointIo.readEnd(in, file);
    } catch (EOFException e) {
      throw new IOException(file + ": checkpoint is truncated (" + e.getMessage() + ")", e);
    }
  }

  /** Whether {@code file} starts with this checkpoint's magic. */
  public static boolean isOffline(Path file) throws IOException {
    try (DataInputStream in = CheckpointIo.open(file)) {
      return MAGIC.equals(in.readUTF());
    } catch (EOFException | java.io.UTFDataFormatException e) {
      return false;
    }
  }

  public static Header readHeader(Path file) throws IOException {
    try (DataInputStream in = CheckpointIo.open(file)) {
      return header(in, file);
    }
  }

  /** The trained policy of any offline algorithm, to act with {@code actionSpace}'s actions. */
  public static EnvPolicy loadPolicy(Path file, Space actionSpace, Device device) throws IOException {
    Header h = readHeader(file);
    if (!SequenceLearner.isSequence(h.config().algo)) {
      return new AgentPolicy(loadAgent(file, actionSpace, device), true);
    }
    try (DataInputStream in = CheckpointIo.open(file)) {
      header(in, file);
      Torch.init(h.config().torchThreads);
      SequencePolicy p = SequenceLearner.newPolicy(h.config(), h.model(), actionSpace, device);
      try {
        p.net().params().read(in);
      } catch (IOException | RuntimeException e) {
        p.close();
        throw new IOException(file + ": checkpoint is truncated or corrupt (" + e.getMessage() + ")", e);
      }
      return p;
    }
  }

  /** The trained policy of a memoryless algorithm (BC, CQL, BCQ, IQL), to act with {@code actionSpace}'s actions. */
  public static Agent loadAgent(Path file, Space actionSpace, Device device) throws IOException {
    try (DataInputStream in = CheckpointIo.open(file)) {
      Header h = header(in, file);
      if (SequenceLearner.isSequence(h.config().algo)) {
        throw new IllegalArgumentException(file + " is a " + h.config().algo + " checkpoint: a sequence model acts "
            + "with its context window (loadPolicy), not observation by observation");
      }
      Torch.init(h.config().torchThreads);
      ActorCritic net = ActorCritic.create(h.model(), device);
      Agent agent;
      if (h.config().algo.equals("bcq")) {
        ActorCritic im = ActorCritic.create(BcqLearner.imitationSpec(h.model()), device);
        agent = new Agent(new BcqNetwork(net, im, h.config().bcqThreshold), false, actionSpace);
      } else {
        agent = new Agent(net, false, actionSpace);
      }
      try {
        if (agent.net() instanceof BcqNetwork b) {
          b.q().params().read(in);
          b.imitation().params().read(in);
        } else {
          agent.read(in);
        }
      } catch (IOException | RuntimeException e) {
        agent.close();
        throw new IOException(file + ": checkpoint is truncated or corrupt (" + e.getMessage() + ")", e);
      }
      return agent;
    }
  }


  private static Header header(DataInputStream in, Path file) throws IOException {
    return CheckpointIo.readHeader(in, file, MAGIC, "offline-learner", OfflineConfig::fromJson, Header::new);
  }
}
