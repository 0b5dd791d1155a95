package dev.zeroshot.cli;

import dev.zeroshot.agents.Envs;
import dev.zeroshot.agents.PpoConfig;
import dev.zeroshot.env.VectorEnvApi;
import dev.zeroshot.offline.DatasetId;
import dev.zeroshot.offline.DatasetInfo;
import dev.zeroshot.offline.DatasetWriter;
import dev.zeroshot.offline.ProcgenScores;
import dev.zeroshot.offline.RecordingVectorEnv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code train ppo --record-dataset}: the run's envs wrapped in a {@link RecordingVectorEnv}
 * writing a new dataset whose metadata names the run, its env, context, levels and seed.
 */
final class DatasetRecording implements AutoCloseable {

  /** metadata.json key: the run folder whose training wrote the episodes. */
  static final String SOURCE_RUN = "zeroshot_source_run";

  private final DatasetId id;
  private final Path dataDir;
  private final Path run;
  private final String levels;
  private final Function<PpoConfig, VectorEnvApi> envs;
  private DatasetWriter writer;

  /** Refuses an id that exists already, before the run starts. */
  DatasetRecording(DatasetId id, Path root, Path run, String levels, Function<PpoConfig, VectorEnvApi> envs) {
    this.id = id;
    this.dataDir = id.dataDir(root);
    this.run = run;
    this.levels = levels;
    this.envs = envs;
    if (Files.exists(dataDir.resolve(DatasetWriter.METADATA))) {
      throw new IllegalArgumentException("dataset " + id.id() + " already exists at " + dataDir
          + "; --record-dataset writes a new id");
    }
  }

  /** The run's envs, recording into a new dataset created now. */
  VectorEnvApi open(PpoConfig cfg) {
    VectorEnvApi env = envs.apply(cfg);
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put(DatasetInfo.ENV_ID, cfg.envId);
    if (levels != null) {
      extra.put(DatasetInfo.LEVELS, levels);
    }
    extra.put(DatasetInfo.CONTEXT, Envs.context(cfg).toString());
    String policy = "ppo-training(" + cfg.model + ")";
    extra.put(DatasetInfo.POLICY, policy);
    extra.put(DatasetInfo.SEED, Long.toString(cfg.seed));
    extra.put(SOURCE_RUN, run.toAbsolutePath().normalize().toString());
    if (cfg.curriculum != null) {
      extra.put("zeroshot_curriculum", cfg.curriculum);
    }
    double[] ref = ProcgenScores.range(cfg.envId);
    String description = String.format(Locale.ROOT, "every episode of the PPO run %s (%s, %d steps, seed %d) as it "
        + "trained, recorded by zeroshot train ppo --record-dataset", run, cfg.envId, cfg.totalTimesteps, cfg.seed);
    DatasetInfo info = new DatasetInfo(id, env.singleObservationSpace(), env.singleActionSpace(), policy, description,
        ref == null ? null : ref[0], ref == null ? null : ref[1], extra);
    try {
      writer = DatasetWriter.create(dataDir, info);
      return new RecordingVectorEnv(env, writer);
    } catch (IOException e) {
      env.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      env.close();
      throw e;
    }
  }

  int episodes() {
    return writer == null ? 0 : writer.episodes();
  }

  long steps() {
    return writer == null ? 0 : writer.steps();
  }

  Path dataDir() {
    return dataDir;
  }

  /** Writes the final totals; the episodes are on disk already, each as it ended. */
  @Override
  public void close() throws IOException {
    if (writer != null) {
      writer.close();
    }
  }
}
