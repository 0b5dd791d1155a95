package dev.zeroshot.offline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training run's episodes, recorded through the vector env the trainer steps (train ppo --record-dataset). */
class RecordingVectorEnvTest {

  /** Steps {@code spec}'s vector env with random actions; returns the episodes the env reported ending. */
  static int run(EnvSpec spec, int numEnvs, long seed, int steps, DatasetWriter w) {
    int ended = 0;
    try (RecordingVectorEnv env = new RecordingVectorEnv(VectorEnv.builder(spec).numEnvs(numEnvs).build(), w)) {
      StepBuffers buf = StepBuffers.allocate(env.singleObservationSpace(), env.singleActionSpace(), numEnvs);
      env.reset(seed, buf);
      SplittableRandom rng = new SplittableRandom(9);
      for (int t = 0; t < steps; t++) {
        for (int i = 0; i < numEnvs; i++) {
          env.singleActionSpace().sample(rng, buf.actions(), i * buf.actionBytes());
        }
        env.step(buf);
        for (int i = 0; i < numEnvs; i++) {
          ended += buf.episodeEnded(i) ? 1 : 0;
        }
      }
    }
    return ended;
  }

  /**
   * Every episode the envs end is written, whole: each env's first episode, replayed from its
   * seed with the stored actions in a plain env, gives back every stored observation and reward.
   */
  @Test
  void writesEveryEndedEpisodeExactlyAsTheEnvPlayedIt(@TempDir Path tmp) throws IOException {
    EnvSpec spec = EnvRegistry.builtin().spec("CartPole-v1");
    int ended;
    try (DatasetWriter w = DatasetWriter.create(tmp, CollectorTest.info("t/log-v0", spec, "ppo-training"))) {
      ended = run(spec, 3, 11, 400, w);
    }
    Dataset ds = Dataset.open(tmp);
    assertTrue(ds.verify().isEmpty(), ds.verify().toString());
    assertTrue(ended > 10, "random CartPole ends many episodes in 400 steps: " + ended);
    assertEquals(ended, ds.episodes().size());
    int ob = ds.observationFormat().bytes();
    boolean[] seen = new boolean[3];
    for (Dataset.EpisodeInfo info : ds.episodes()) {
      Episode e = ds.episode(info);
      assertTrue(e.terminations()[e.length() - 1] || e.truncations()[e.length() - 1]);
      // which env played it: the one whose seeded reset gives its first observation
      for (int i = 0; i < 3; i++) {
        GymEnv env = new GymEnv(spec.make(spec.contextSpace().defaults()), spec.maxEpisodeSteps());
        StepBuffers buf = StepBuffers.allocate(env);
        env.reset(11 + i, buf, 0);
        byte[] o = new byte[ob];
        buf.observations().get(0, o);
        if (seen[i] || !Arrays.equals(o, Arrays.copyOfRange(e.observations(), 0, ob))) {
          continue;
        }
        seen[i] = true;
        for (int t = 0; t < e.length(); t++) {
          buf.setDiscreteAction(0, e.actions()[t]);
          env.step(buf, 0);
          assertEquals(e.rewards()[t], buf.reward(0));
          buf.observations().get(0, o);
          assertArrayEquals(Arrays.copyOfRange(e.observations(), (t + 1) * ob, (t + 2) * ob), o, "step " + t);
        }
        break;
      }
    }
    assertArrayEquals(new boolean[] {true, true, true}, seen, "each env's first episode is in the dataset");
  }

  /** Box actions and time-limit truncations: Pendulum's 200-step episodes, the one still running at the end dropped. */
  @Test
  void pendulumEpisodesAreWholeAndTruncated(@TempDir Path tmp) throws IOException {
    EnvSpec spec = EnvRegistry.builtin().spec("Pendulum-v1");
    try (DatasetWriter w = DatasetWriter.create(tmp, CollectorTest.info("t/pend-v0", spec, "ppo-training"))) {
      assertEquals(2, run(spec, 1, 1, 450, w)); // steps 201 and 402 are autoresets
    }
    Dataset ds = Dataset.open(tmp);
    assertEquals(2, ds.episodes().size());
    for (Dataset.EpisodeInfo info : ds.episodes()) {
      Episode e = ds.episode(info);
      assertEquals(200, e.length());
      assertEquals(200, e.boxActions().length);
      assertTrue(e.truncations()[199]);
    }
  }
}
