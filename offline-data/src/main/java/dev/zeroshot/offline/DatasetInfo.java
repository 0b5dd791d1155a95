package dev.zeroshot.offline;

import dev.zeroshot.env.space.Space;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a new dataset's metadata.json says besides its counts.
 *
 * @param id the Minari id
 * @param observationSpace a Box (uint8 or float32)
 * @param actionSpace a Discrete or a float32 Box
 * @param algorithmName how the data was made (e.g. {@code planner(maze)}, {@code random})
 * @param description free text
 * @param refMinScore the return normalized to 0 (Procgen's R_min), or null
 * @param refMaxScore the return normalized to 1 (Procgen's R_max), or null
 * @param extra further keys (Zeroshot's own, prefixed {@code zeroshot_}): env id, levels, ...
 */
public record DatasetInfo(DatasetId id, Space observationSpace, Space actionSpace, String algorithmName,
    String description, Double refMinScore, Double refMaxScore, Map<String, String> extra) {

  /** metadata.json key: the Zeroshot env id the data was collected in. */
  public static final String ENV_ID = "zeroshot_env_id";
  /** metadata.json key: the level range START:END the data was collected on (Procgen). */
  public static final String LEVELS = "zeroshot_levels";
  /** metadata.json key: the env's full context, k=v,... */
  public static final String CONTEXT = "zeroshot_context";
  /** metadata.json key: the policy that collected the data. */
  public static final String POLICY = "zeroshot_policy";
  /** metadata.json key: the probability of a uniformly random action per step. */
  public static final String EPSILON = "zeroshot_epsilon";
  /** metadata.json key: the checkpoint file that collected the data. */
  public static final String CHECKPOINT = "zeroshot_checkpoint";
  /** metadata.json key: that checkpoint file's SHA-256, so a later reader can tell whether it is the same file. */
  public static final String CHECKPOINT_SHA256 = "zeroshot_checkpoint_sha256";
  /** metadata.json key: the seed of the envs and the policy's sampling. */
  public static final String SEED = "zeroshot_seed";

  public DatasetInfo {
    extra = extra == null ? Map.of() : new LinkedHashMap<>(extra);
  }
}
