package dev.zeroshot.agents;

import com.google.gson.Gson;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.env.context.ContextOverrides;
import dev.zeroshot.env.context.LevelRange;
import java.util.Arrays;
import java.util.List;

/**
 * An offline learner's settings. Defaults are gen_dgrl's final configs for Procgen (lr 5e-4,
 * batch 256, gamma 0.99, CQL alpha 4.0, target network hard-copied every 1000 steps); the
 * number of gradient steps replaces their epoch count (an epoch of 1M transitions at batch
 * 256 is ~3,900 steps).
 */
public final class OfflineConfig {

  private static final Gson GSON = ConfigGson.GSON;

  /** {@code bc}, {@code cql}, {@code bcq}, {@code iql}, {@code dt} or {@code bct} ({@link OfflineLearner#ALGOS}). */
  public String algo = "bc";
  /** The dataset folder (its {@code data} folder or the one above it). */
  public String dataset;
  /** The env the policy is evaluated in (default: the dataset's {@code zeroshot_env_id}). */
  public String envId;
  /** The levels evaluated during training (default: the dataset's). */
  public LevelRange evalLevels;
  /**
   * Context features evaluation changes from the env's defaults (default: the dataset's); kept
   * as overrides, not a Context, because the env may be known only once the dataset is open.
   */
  public ContextOverrides context = ContextOverrides.NONE;
  /** {@code mlp} or {@code impala}; null picks by observation type. */
  public String model;
  /** MLP widths or IMPALA channels then the fc width; null: 64,64 for MLP, 16,32,32,256 for IMPALA. */
  public int[] hidden;
  public long seed = 1;
  public long steps = 10_000;
  public int batchSize = 256;
  public double learningRate = 5e-4;
  public double adamEps = 1e-8;
  public double maxGradNorm = 1e9;
  public double gamma = 0.99;
  public double cqlAlpha = 4.0;
  /** Discrete BCQ: actions whose imitation probability is below this fraction of the best one's are masked. */
  public double bcqThreshold = 0.5;
  /** IQL: the expectile of the value loss (gen_dgrl's final 0.8). */
  public double iqlExpectile = 0.8;
  /** IQL: the advantage temperature beta of the actor's weights exp(beta A), capped at 100 (gen_dgrl's 3.0). */
  public double iqlTemperature = 3.0;
  public int targetUpdateEvery = 1000;
  /** DT and BCT: steps per training window and per evaluation context (gen_dgrl: 10; BCT's grid also 30). */
  public int contextLength = 10;
  /** DT and BCT: the GPT's blocks, attention heads and embedding width (gen_dgrl: 6, 8, 128). */
  public int transformerLayers = 6;
  public int transformerHeads = 8;
  public int embeddingWidth = 128;
  /** DT: the evaluation return-to-go as a multiple of the dataset's best episode return (gen_dgrl's dt_eval_ret 5). */
  public double returnMultiplier = 5;
  /** DT: the evaluation return-to-go, set when training starts (returnMultiplier x the dataset's best return; BCT 0). */
  public double targetReturn;
  /** DT and BCT: the largest timestep with its own embedding, set when training starts (the longest episode's last step). */
  public int maxTimestep = -1;
  /** Gradient steps between metrics rows. */
  public int logEvery = 100;
  /** Gradient steps between evaluations in the env (0: only at the end). */
  public int evalEvery = 1000;
  public int evalEpisodes = 10;
  public int checkpointEvery = 1000;
  /** Episode files kept memory-mapped by the sampler. */
  public int maxMapped = 16384;
  public int torchThreads = 1;
  public String device = "auto";

  public OfflineConfig validate() {
    if (!OfflineLearner.ALGOS.contains(algo)) {
      List<String> all = OfflineLearner.ALGOS;
      throw new IllegalArgumentException("algo must be " + String.join(", ", all.subList(0, all.size() - 1)) + " or "
          + all.get(all.size() - 1) + ", got '" + algo + "'");
    }
    if (contextLength < 1 || transformerLayers < 1 || transformerHeads < 1 || embeddingWidth < 1
        || embeddingWidth % transformerHeads != 0 || !Double.isFinite(returnMultiplier)) {
      throw new IllegalArgumentException("need --context, --layers, --heads and --embedding >= 1, the embedding a "
          + "multiple of the heads, and a finite --return-multiplier; got " + contextLength + ", " + transformerLayers
          + ", " + transformerHeads + ", " + embeddingWidth + ", " + returnMultiplier);
    }
    if (!(iqlExpectile > 0 && iqlExpectile < 1) || !(iqlTemperature >= 0)) {
      throw new IllegalArgumentException("need IQL expectile in (0, 1) and temperature >= 0");
    }
    if (dataset == null || dataset.isBlank()) {
      throw new IllegalArgumentException("--dataset is required");
    }
    if (steps < 1 || batchSize < 1 || logEvery < 1 || evalEpisodes < 1 || checkpointEvery < 1 || targetUpdateEvery < 1) {
      throw new IllegalArgumentException("--steps, --batch-size, --log-every, --eval-episodes, --checkpoint-every and "
          + "--target-update-every must be >= 1");
    }
    if (!(learningRate > 0) || !(gamma >= 0 && gamma <= 1) || !(cqlAlpha >= 0) || !(bcqThreshold > 0 && bcqThreshold <= 1) || evalEvery < 0) {
      throw new IllegalArgumentException("need learning rate > 0, gamma in [0, 1], cql alpha >= 0, bcq threshold in (0, 1], eval-every >= 0");
    }
    return this;
  }

  /** The hidden widths to use for a model kind. */
  public int[] hiddenFor(String kind) {
    if (hidden != null) {
      return hidden.clone();
    }
    return ModelSpec.isImpala(kind) ? new int[] {16, 32, 32, 256} : new int[] {64, 64};
  }

  public String toJson() {
    return GSON.toJson(this);
  }

  public static OfflineConfig fromJson(String json) {
    return GSON.fromJson(json, OfflineConfig.class);
  }

  @Override
  public String toString() {
    return algo + " on " + dataset + " (" + steps + " steps, batch " + batchSize + ", lr " + learningRate
        + (hidden == null ? "" : ", hidden " + Arrays.toString(hidden)) + ")";
  }
}
