package dev.zeroshot.offline;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.Space;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A dataset on disk, opened for reading: its metadata and an index of its episodes (steps,
 * level seed, return, checksum, read from each episode's small metadata.json); episodes are
 * read one at a time ({@link #episode}) and never all at once. A missing or unreadable episode
 * is a {@link DatasetException} naming the file, and the other episodes stay readable.
 */
public final class Dataset {

  private static final String[] REQUIRED = {"dataset_id", "total_episodes", "total_steps", "data_format",
      "minari_version", "observation_space", "action_space"};

  /** One episode's entry in the index. */
  public record EpisodeInfo(int id, int steps, long levelSeed, double totalReturn, Long crc32c, Path file) {}

  private final Path dataDir;
  private final JsonObject metadata;
  private final ObservationFormat format;
  private final Space actionSpace;
  private final List<EpisodeInfo> episodes;
  private final List<DatasetException> problems;

  private Dataset(Path dataDir, JsonObject metadata, ObservationFormat format, Space actionSpace,
      List<EpisodeInfo> episodes, List<DatasetException> problems) {
    this.dataDir = dataDir;
    this.metadata = metadata;
    this.format = format;
    this.actionSpace = actionSpace;
    this.episodes = episodes;
    this.problems = problems;
  }

  /** Opens {@code <root>/<id>/data}. */
  public static Dataset open(Path root, DatasetId id) throws IOException {
    return open(id.dataDir(root));
  }

  /**
   * Opens the dataset whose {@code metadata.json} is in {@code dataDir} (a dataset folder, its
   * {@code data} subfolder, or the metadata file itself are all accepted).
   */
  public static Dataset open(Path dir) throws IOException {
    Path dataDir = dir;
    if (Files.isRegularFile(dir)) {
      dataDir = dir.getParent();
    } else if (!Files.exists(dir.resolve(DatasetWriter.METADATA)) && Files.exists(dir.resolve("data").resolve(DatasetWriter.METADATA))) {
      dataDir = dir.resolve("data");
    }
    Path meta = dataDir.resolve(DatasetWriter.METADATA);
    if (!Files.isRegularFile(meta)) {
      throw new DatasetException(meta, "no dataset here (metadata.json not found)");
    }
    JsonObject m;
    try {
      m = JsonParser.parseString(Files.readString(meta, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new DatasetException(meta, "is not valid JSON: " + e.getMessage(), e);
    }
    for (String k : REQUIRED) {
      if (!m.has(k)) {
        throw new DatasetException(meta, "lacks the required key '" + k + "'");
      }
    }
    if (!"arrow".equals(m.get("data_format").getAsString())) {
      throw new DatasetException(meta, "data_format is '" + m.get("data_format").getAsString()
          + "'; Zeroshot reads the arrow format");
    }
    ObservationFormat format;
    Space actionSpace;
    try {
      format = MinariSpaces.observationFormat(m.get("observation_space").getAsString());
      actionSpace = MinariSpaces.actionSpace(m.get("action_space").getAsString());
    } catch (RuntimeException e) {
      throw new DatasetException(meta, "bad space: " + e.getMessage(), e);
    }
    int total = m.get("total_episodes").getAsInt();
    List<EpisodeInfo> eps = new ArrayList<>();
    List<DatasetException> problems = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      Path em = dataDir.resolve(Integer.toString(i)).resolve(DatasetWriter.METADATA);
      Path file = dataDir.resolve(Integer.toString(i)).resolve(ArrowEpisodeFile.FILE_NAME);
      try {
        if (!Files.isRegularFile(em) || !Files.isRegularFile(file)) {
          throw new DatasetException(Files.isRegularFile(em) ? file : em, "missing (episode " + i + ")");
        }
        JsonObject o = JsonParser.parseString(Files.readString(em, StandardCharsets.UTF_8)).getAsJsonObject();
        JsonElement seed = o.get("level_seed");
        JsonElement ret = o.get("return");
        JsonElement crc = o.get("crc32c");
        eps.add(new EpisodeInfo(i, o.get("total_steps").getAsInt(), seed == null ? -1 : seed.getAsLong(),
            ret == null ? Double.NaN : ret.getAsDouble(), crc == null ? null : Long.parseLong(crc.getAsString(), 16), file));
      } catch (DatasetException e) {
        problems.add(e);
      } catch (IOException | RuntimeException e) {
        problems.add(new DatasetException(em, "unreadable episode metadata: " + e.getMessage(), e));
      }
    }
    return new Dataset(dataDir, m, format, actionSpace, List.copyOf(eps), problems);
  }

  public Path dataDir() {
    return dataDir;
  }

  public String id() {
    return metadata.get("dataset_id").getAsString();
  }

  public ObservationFormat observationFormat() {
    return format;
  }

  /** The action space: Discrete, or a float32 Box. */
  public Space actionSpace() {
    return actionSpace;
  }

  public ActionFormat actionFormat() {
    return ActionFormat.of(actionSpace);
  }

  /**
   * The number of Discrete actions; a dataset of Box actions is refused with a line naming what
   * the offline learners (and the minibatch sampler they read through) support.
   */
  public long actionCount() {
    if (!(actionSpace instanceof Discrete d)) {
      throw new IllegalArgumentException("dataset " + id() + " holds " + actionSpace + " actions; Zeroshot's offline "
          + "learners (bc, cql, bcq, iql) and their minibatch sampler read Discrete actions only");
    }
    return d.n();
  }

  /** A metadata value as a string, or null. */
  public String meta(String key) {
    JsonElement e = metadata.get(key);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  public JsonObject metadata() {
    return metadata.deepCopy();
  }

  /** The readable episodes' index entries, by id (episodes whose metadata is broken are left out). */
  public List<EpisodeInfo> episodes() {
    return episodes;
  }

  /** Problems found while opening (missing or unreadable episode metadata). */
  public List<DatasetException> problems() {
    return List.copyOf(problems);
  }

  public long totalSteps() {
    long s = 0;
    for (EpisodeInfo e : episodes) {
      s += e.steps();
    }
    return s;
  }

  /** Reads the episode {@code info}, checking its checksum first. */
  public Episode episode(EpisodeInfo info) throws DatasetException {
    checkCrc(info);
    return ArrowEpisodeFile.read(info.file(), info.id(), format, actionFormat(), info.steps(), info.levelSeed());
  }

  void checkCrc(EpisodeInfo info) throws DatasetException {
    if (info.crc32c() == null) {
      return;
    }
    long actual;
    try {
      actual = ArrowEpisodeFile.crc32c(info.file());
    } catch (IOException e) {
      throw new DatasetException(info.file(), "cannot be read: " + e, e);
    }
    if (actual != info.crc32c()) {
      throw new DatasetException(info.file(), String.format("checksum mismatch (CRC32C %08x, metadata says %08x): "
          + "the file is corrupted or truncated", actual, info.crc32c()));
    }
  }

  /** Episodes in order; a bad one is thrown when reached (the iterator can go on past it). */
  public Iterator<Episode> iterator() {
    return new Iterator<>() {
      int next;

      @Override
      public boolean hasNext() {
        return next < episodes.size();
      }

      @Override
      public Episode next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        EpisodeInfo info = episodes.get(next++);
        try {
          return episode(info);
        } catch (DatasetException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
  }

  /** Checks every episode (checksum, then a full Arrow read); returns the problems, empty if none. */
  public List<DatasetException> verify() {
    List<DatasetException> out = new ArrayList<>(problems);
    for (EpisodeInfo e : episodes) {
      try {
        episode(e);
      } catch (DatasetException ex) {
        out.add(ex);
      }
    }
    long declared = metadata.get("total_steps").getAsLong();
    if (out.isEmpty() && declared != totalSteps()) {
      out.add(new DatasetException(dataDir.resolve(DatasetWriter.METADATA), "total_steps is " + declared
          + " but the episodes hold " + totalSteps()));
    }
    return out;
  }
}
