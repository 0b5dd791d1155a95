package dev.zeroshot.cli;

import ai.djl.ndarray.NDManager;
import dev.zeroshot.agents.Agent;
import dev.zeroshot.agents.AgentPolicy;
import dev.zeroshot.agents.EnvPolicy;
import dev.zeroshot.agents.RecurrentAgentPolicy;
import dev.zeroshot.agents.Checkpoint;
import dev.zeroshot.agents.OfflineCheckpoint;
import dev.zeroshot.agents.Torch;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.context.LevelRange;
import dev.zeroshot.offline.CollectionPolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** A trained checkpoint (PPO or offline) as a policy: loading, and acting for collection. */
final class CheckpointPolicy {

  /** A loaded policy and whether it acts greedily by default (CQL, BCQ, IQL) or samples (PPO, BC, DT, BCT). */
  record Loaded(EnvPolicy policy, boolean greedy, String trainedOn, String kind, LevelRange levels) {

    /** The memoryless agent (every kind but the sequence models, which act with a context window). */
    Agent agent() {
      if (policy instanceof AgentPolicy a) {
        return a.agent();
      }
      if (policy instanceof RecurrentAgentPolicy) {
        throw new IllegalArgumentException("a recurrent (gru) " + kind + " checkpoint carries a state per env from "
            + "step to step; it can be evaluated (eval, gap) but not used here");
      }
      throw new IllegalArgumentException("a " + kind + " checkpoint acts with a context window of past steps; it can be "
          + "evaluated (eval, gap) but not used here");
    }
  }

  private CheckpointPolicy() {}

  static Path file(Path p) {
    return Files.isDirectory(p) ? p.resolve("checkpoint.ckpt") : p;
  }

  static Loaded load(Path checkpoint, EnvSpec spec, String device) throws IOException {
    Path f = file(checkpoint);
    Torch.init(1);
    var dev = Torch.device(device, System.err);
    if (OfflineCheckpoint.isOffline(f)) {
      OfflineCheckpoint.Header h = OfflineCheckpoint.readHeader(f);
      GymEnv probe = EnvRegistry.builtin().make(spec.id());
      EnvPolicy policy = OfflineCheckpoint.loadPolicy(f, probe.actionSpace(), dev);
      boolean samples = java.util.Set.of("bc", "dt", "bct").contains(h.config().algo);
      return new Loaded(policy, !samples, h.config().envId, h.config().algo, h.config().evalLevels);
    }
    Checkpoint.Header h = Checkpoint.readHeader(f);
    try (VectorEnv probe = VectorEnv.builder(spec).numEnvs(1).threads(1).build()) {
      return new Loaded(EnvPolicy.of(Checkpoint.loadAgent(f, probe, dev), true), false, h.config().envId, "ppo", null);
    }
  }

  /** Acts with the agent's network for every env of a collection batch. */
  static CollectionPolicy collection(Loaded p, String name) {
    p.agent(); // a sequence model or a recurrent policy is refused before collection starts
    return new CollectionPolicy() {
      private ByteBuffer prepared;
      private float[] out;
      private float[] actions;
      private final NDManager root = NDManager.newBaseManager(p.agent().device());

      @Override
      public String name() {
        return name;
      }

      @Override
      public void act(GymEnv[] envs, StepBuffers buf, SplittableRandom rng) {
        int n = buf.numEnvs();
        if (prepared == null) {
          prepared = p.agent().newObservationBuffer(n);
          out = new float[n * (p.agent().policyOutputs() + 1)];
          actions = new float[n * p.agent().actionWidth()];
        }
        p.agent().prepare(buf, prepared, 0, false);
        p.agent().evaluate(root, prepared, n, out);
        for (int i = 0; i < n; i++) {
          p.agent().act(out, i, rng, p.greedy(), buf, actions);
        }
      }
    };
  }
}
