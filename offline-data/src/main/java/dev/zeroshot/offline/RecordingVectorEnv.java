package dev.zeroshot.offline;

import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnvApi;
import dev.zeroshot.env.curriculum.CurriculumLink;
import dev.zeroshot.env.space.Space;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A vector env that writes every episode its envs finish to a dataset the moment it ends:
 * gen_dgrl's "suboptimal" data, the whole log of a training run. It steps {@code env} unchanged
 * (the trainer sees the same observations, rewards and flags) and records with the
 * {@link Collector}'s per-env recorders and {@link DatasetWriter}'s crash-safe write path, so an
 * interrupted run leaves the finished episodes readable.
 *
 * <p>With next-step autoreset (the {@link VectorEnvApi} contract) an ended episode's last
 * observation is in the buffers after its last step, and the next step (whose action the env
 * ignores) brings the reset observation, which starts the env's next episode. Episodes still
 * running at a reset or at the end are not written: only whole episodes are.
 */
public final class RecordingVectorEnv implements VectorEnvApi, CurriculumLink.Provider {

  private final VectorEnvApi env;
  private final DatasetWriter writer;
  private final Collector.Recorder[] rec;
  private final boolean[] startsNext; // env i's episode ended last step: this step's observation starts the next
  private final int obsBytes;
  private boolean started;

  public RecordingVectorEnv(VectorEnvApi env, DatasetWriter writer) {
    this.env = env;
    this.writer = writer;
    this.obsBytes = env.singleObservationSpace().byteSize();
    if (obsBytes != writer.format().bytes()) {
      throw new IllegalArgumentException("the dataset stores " + writer.format() + " observations; the run's env gives "
          + obsBytes + " bytes");
    }
    ActionFormat actionFormat = ActionFormat.of(env.singleActionSpace());
    if (!actionFormat.equals(writer.actionFormat())) {
      throw new IllegalArgumentException("the dataset stores " + writer.actionFormat() + " actions; the run's env takes "
          + actionFormat);
    }
    this.rec = new Collector.Recorder[env.numEnvs()];
    for (int i = 0; i < rec.length; i++) {
      rec[i] = new Collector.Recorder(obsBytes, actionFormat);
    }
    this.startsNext = new boolean[rec.length];
  }

  @Override
  public int numEnvs() {
    return env.numEnvs();
  }

  @Override
  public Space singleObservationSpace() {
    return env.singleObservationSpace();
  }

  @Override
  public Space singleActionSpace() {
    return env.singleActionSpace();
  }

  @Override
  public int maxEpisodeSteps() {
    return env.maxEpisodeSteps();
  }

  /** The wrapped env's curriculum, so a curriculum run trains the same when recorded. */
  @Override
  public CurriculumLink curriculumLink() {
    return CurriculumLink.of(env);
  }

  @Override
  public void reset(long seed, StepBuffers out) {
    env.reset(seed, out);
    startAll(out);
  }

  @Override
  public void reset(StepBuffers out) {
    env.reset(out);
    startAll(out);
  }

  private void startAll(StepBuffers out) {
    for (int i = 0; i < rec.length; i++) {
      rec[i].start(out.observations(), i * obsBytes, -1);
      startsNext[i] = false;
    }
    started = true;
  }

  @Override
  public void step(StepBuffers io) {
    if (!started) {
      throw new IllegalStateException("step before reset");
    }
    for (int i = 0; i < rec.length; i++) {
      if (!startsNext[i]) {
        rec[i].action(io.actions(), i * io.actionBytes()); // as the policy chose it, before the env sees it
      }
    }
    env.step(io);
    for (int i = 0; i < rec.length; i++) {
      if (startsNext[i]) {
        rec[i].start(io.observations(), i * obsBytes, -1);
        startsNext[i] = false;
        continue;
      }
      rec[i].step(io.reward(i), io.terminated(i), io.truncated(i), io.observations(), i * obsBytes);
      if (io.episodeEnded(i)) {
        try {
          writer.append(rec[i].finish());
        } catch (IOException e) {
          throw new UncheckedIOException("could not write a finished episode to " + writer.dataDir(), e);
        }
        startsNext[i] = true;
      }
    }
  }

  /** Closes the env; the writer is its owner's to close. */
  @Override
  public void close() {
    env.close();
  }
}
