package dev.zeroshot.offline;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Minari dataset id, {@code [namespace/]name-vN}, and where it lives: {@code <root>/<id>/data}
 * with the root {@code $MINARI_DATASETS_PATH} or {@code ~/.minari/datasets} (Minari's rule, so
 * {@code minari.load_dataset(id)} finds what Zeroshot writes).
 */
public record DatasetId(String namespace, String name, int version) {

  private static final Pattern ID = Pattern.compile("^(?:([A-Za-z0-9_.\\-]+(?:/[A-Za-z0-9_.\\-]+)*)/)?([A-Za-z0-9_.\\-]+?)-v(\\d+)$");

  public static DatasetId parse(String id) {
    Matcher m = ID.matcher(id == null ? "" : id);
    if (!m.matches()) {
      throw new IllegalArgumentException("dataset id '" + id + "' must look like NAMESPACE/NAME-vN (e.g. procgen/maze-expert-v0)");
    }
    return new DatasetId(m.group(1), m.group(2), Integer.parseInt(m.group(3)));
  }

  /** The id as Minari writes it in {@code dataset_id}. */
  public String id() {
    return (namespace == null ? "" : namespace + "/") + name + "-v" + version;
  }

  /** {@code <root>/<id>/data}, the folder holding metadata.json and the episodes. */
  public Path dataDir(Path root) {
    return root.resolve(id()).resolve("data");
  }

  /** Minari's default root. */
  public static Path defaultRoot() {
    String env = System.getenv("MINARI_DATASETS_PATH");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".minari", "datasets");
  }

  @Override
  public String toString() {
    return id();
  }
}
