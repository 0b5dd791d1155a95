package dev.zeroshot.offline;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a Minari {@code arrow} dataset one episode at a time, as episodes finish.
 *
 * <p>Crash safety: an episode is written into a hidden folder {@code .tmp-<id>} (its
 * {@code part-0.arrow}, synced, and its {@code metadata.json} with the file's CRC32C), and
 * that folder is then renamed to {@code <id>} in one atomic step; only then is the dataset's
 * {@code metadata.json} rewritten (to a temporary name, then renamed) with the new totals. A
 * crash at any point leaves the finished episodes readable and at most the episode in flight
 * lost: a half-written episode is hidden (Minari's reader ignores names starting with a dot)
 * and {@link #open} deletes it and recounts the totals from the episode folders.
 */
public final class DatasetWriter implements AutoCloseable {

  public static final String METADATA = "metadata.json";
  /** The {@code minari_version} written: the first release with the arrow format, accepted by every later reader. */
  public static final String MINARI_VERSION = "0.5.0";

  private final Path dataDir;
  private final JsonObject metadata;
  private final ObservationFormat format;
  private final ActionFormat actionFormat;
  private int episodes;
  private long steps;
  private boolean closed;

  private DatasetWriter(Path dataDir, JsonObject metadata, ObservationFormat format, ActionFormat actionFormat,
      int episodes, long steps) {
    this.dataDir = dataDir;
    this.metadata = metadata;
    this.format = format;
    this.actionFormat = actionFormat;
    this.episodes = episodes;
    this.steps = steps;
  }

  /** Starts a new dataset in {@code dataDir} (which must not hold one). */
  public static DatasetWriter create(Path dataDir, DatasetInfo info) throws IOException {
    if (Files.exists(dataDir.resolve(METADATA))) {
      throw new IllegalArgumentException("a dataset already exists at " + dataDir + "; choose another id, or append to it");
    }
    ObservationFormat format = ObservationFormat.of(info.observationSpace());
    ActionFormat actionFormat = ActionFormat.of(info.actionSpace()); // refused here, before anything is written
    Files.createDirectories(dataDir);
    JsonObject m = new JsonObject();
    m.addProperty("dataset_id", info.id().id());
    m.addProperty("total_episodes", 0);
    m.addProperty("total_steps", 0);
    m.addProperty("data_format", "arrow");
    m.addProperty("minari_version", MINARI_VERSION);
    m.addProperty("observation_space", MinariSpaces.toJson(info.observationSpace()));
    m.addProperty("action_space", MinariSpaces.toJson(info.actionSpace()));
    m.addProperty("algorithm_name", info.algorithmName());
    m.addProperty("description", info.description());
    m.addProperty("code_permalink", "https://github.com/zeroshot-rl/zeroshot");
    if (info.refMinScore() != null && info.refMaxScore() != null) {
      m.addProperty("ref_min_score", info.refMinScore());
      m.addProperty("ref_max_score", info.refMaxScore());
      m.addProperty("num_episodes_average_score", 100);
    }
    for (Map.Entry<String, String> e : info.extra().entrySet()) {
      m.addProperty(e.getKey(), e.getValue());
    }
    DatasetWriter w = new DatasetWriter(dataDir, m, format, actionFormat, 0, 0);
    w.writeMetadata();
    return w;
  }

  /**
   * Starts a new dataset {@code id} in {@code dataDir} (which must not hold one) whose metadata
   * is {@code parent}'s (spaces, reference scores, env, levels, policy) with the counts reset
   * and {@code extra} added: a dataset made from another one, such as a pruned copy.
   */
  public static DatasetWriter derive(Path dataDir, DatasetId id, JsonObject parent, Map<String, String> extra)
      throws IOException {
    if (Files.exists(dataDir.resolve(METADATA))) {
      throw new IllegalArgumentException("a dataset already exists at " + dataDir + "; choose another id");
    }
    Files.createDirectories(dataDir);
    JsonObject m = parent.deepCopy();
    m.remove("dataset_size");
    m.addProperty("dataset_id", id.id());
    for (Map.Entry<String, String> e : extra.entrySet()) {
      m.addProperty(e.getKey(), e.getValue());
    }
    DatasetWriter w = new DatasetWriter(dataDir, m, MinariSpaces.observationFormat(m.get("observation_space").getAsString()),
        actionFormat(m), 0, 0);
    w.writeMetadata();
    return w;
  }

  /**
   * Reopens a dataset to append: deletes hidden half-written episodes, counts the episodes
   * whose folders are complete (contiguous ids from 0) and rewrites the totals from them.
   */
  public static DatasetWriter open(Path dataDir) throws IOException {
    Path meta = dataDir.resolve(METADATA);
    if (!Files.isRegularFile(meta)) {
      throw new DatasetException(meta, "no dataset metadata here");
    }
    JsonObject m = JsonParser.parseString(Files.readString(meta, StandardCharsets.UTF_8)).getAsJsonObject();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dataDir, ".tmp-*")) {
      for (Path p : ds) {
        deleteTree(p);
      }
    }
    ObservationFormat format = MinariSpaces.observationFormat(m.get("observation_space").getAsString());
    int n = 0;
    long steps = 0;
    while (Files.isRegularFile(dataDir.resolve(Integer.toString(n)).resolve(METADATA))) {
      JsonObject em = JsonParser.parseString(Files.readString(dataDir.resolve(n + "/" + METADATA))).getAsJsonObject();
      steps += em.get("total_steps").getAsLong();
      n++;
    }
    DatasetWriter w = new DatasetWriter(dataDir, m, format, actionFormat(m), n, steps);
    w.writeMetadata();
    return w;
  }

  private static ActionFormat actionFormat(JsonObject metadata) {
    return ActionFormat.of(MinariSpaces.actionSpace(metadata.get("action_space").getAsString()));
  }

  public Path dataDir() {
    return dataDir;
  }

  public ObservationFormat format() {
    return format;
  }

  public ActionFormat actionFormat() {
    return actionFormat;
  }

  public int episodes() {
    return episodes;
  }

  public long steps() {
    return steps;
  }

  /** Writes {@code e} as the next episode (its id is replaced by the next index); returns that index. */
  public synchronized int append(Episode e) throws IOException {
    if (closed) {
      throw new IllegalStateException("dataset writer is closed");
    }
    int id = episodes;
    Path tmp = dataDir.resolve(".tmp-" + id);
    deleteTree(tmp);
    Files.createDirectories(tmp);
    long crc = ArrowEpisodeFile.write(tmp.resolve(ArrowEpisodeFile.FILE_NAME), format, actionFormat, e);
    JsonObject em = new JsonObject();
    em.addProperty("id", id);
    em.addProperty("total_steps", e.length());
    if (e.levelSeed() >= 0) {
      em.addProperty("level_seed", e.levelSeed());
    }
    em.addProperty("return", e.totalReturn());
    em.addProperty("crc32c", String.format("%08x", crc));
    Files.writeString(tmp.resolve(METADATA), em.toString(), StandardCharsets.UTF_8);
    Path target = dataDir.resolve(Integer.toString(id));
    if (Files.exists(target)) {
      deleteTree(target); // left by a crash after the rename but before the totals: not counted, redone
    }
    move(tmp, target);
    episodes++;
    steps += e.length();
    writeMetadata();
    return id;
  }

  private void writeMetadata() throws IOException {
    metadata.addProperty("total_episodes", episodes);
    metadata.addProperty("total_steps", steps);
    Path meta = dataDir.resolve(METADATA);
    Path tmp = dataDir.resolve("." + METADATA + ".tmp");
    Files.writeString(tmp, new GsonBuilder().disableHtmlEscaping().create().toJson(metadata), StandardCharsets.UTF_8);
    move(tmp, meta);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException ex) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }

  /** Writes the final totals and size. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    long bytes;
    try (Stream<Path> s = Files.walk(dataDir)) {
      bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    metadata.addProperty("total_episodes", episodes);
    metadata.addProperty("total_steps", steps);
    Path meta = dataDir.resolve(METADATA);
    Path tmp = dataDir.resolve("." + METADATA + ".tmp");
    metadata.addProperty("dataset_size", Math.round(bytes / 1e6 * 100) / 100.0);
    Files.writeString(tmp, new GsonBuilder().disableHtmlEscaping().create().toJson(metadata), StandardCharsets.UTF_8);
    move(tmp, meta);
  }
}
