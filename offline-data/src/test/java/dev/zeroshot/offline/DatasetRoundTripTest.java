package dev.zeroshot.offline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.zeroshot.env.procgen.ProcgenGame;
import dev.zeroshot.env.space.Discrete;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetRoundTripTest {

  static final int OBS = 3 * 64 * 64;

  /** A random episode of {@code t} steps with recognisable frames (row k's bytes encode k). */
  static Episode randomEpisode(SplittableRandom rng, int t, long seed) {
    byte[] obs = new byte[(t + 1) * OBS];
    rng.nextBytes(obs);
    long[] a = new long[t];
    double[] r = new double[t];
    boolean[] te = new boolean[t];
    boolean[] tr = new boolean[t];
    for (int i = 0; i < t; i++) {
      a[i] = rng.nextInt(15);
      r[i] = rng.nextInt(3) == 0 ? rng.nextDouble() * 10 : 0;
    }
    if (t > 0) {
      te[t - 1] = rng.nextBoolean();
      tr[t - 1] = !te[t - 1];
    }
    return new Episode(0, OBS, obs, a, r, te, tr, seed);
  }

  static DatasetInfo info(String id) {
    return new DatasetInfo(DatasetId.parse(id), ProcgenGame.OBSERVATION, new Discrete(15), "test", "round trip",
        5.0, 10.0, Map.of("zeroshot_env_id", "procgen/maze-easy-v0"));
  }

  static List<Episode> write(Path dir, int n, long seed) throws IOException {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Episode> eps = new ArrayList<>();
    try (DatasetWriter w = DatasetWriter.create(dir, info("test/rt-v0"))) {
      for (int i = 0; i < n; i++) {
        Episode e = randomEpisode(rng, 1 + rng.nextInt(40), i * 7L);
        int id = w.append(e);
        eps.add(new Episode(id, OBS, e.observations(), e.actions(), e.rewards(), e.terminations(), e.truncations(),
            e.levelSeed()));
      }
    }
    return eps;
  }

  @Test
  void whatIsWrittenIsReadBackIdentical(@TempDir Path tmp) throws IOException {
    Path dir = DatasetId.parse("test/rt-v0").dataDir(tmp);
    List<Episode> eps = write(dir, 12, 1);
    Dataset ds = Dataset.open(tmp, DatasetId.parse("test/rt-v0"));
    assertEquals(12, ds.episodes().size());
    assertEquals(eps.stream().mapToLong(Episode::length).sum(), ds.totalSteps());
    for (int i = 0; i < eps.size(); i++) {
      assertEquals(eps.get(i), ds.episode(ds.episodes().get(i)), "episode " + i);
    }
    assertTrue(ds.verify().isEmpty(), () -> ds.verify().toString());
    // Minari's layout and required keys
    JsonObject m = JsonParser.parseString(Files.readString(dir.resolve("metadata.json"))).getAsJsonObject();
    for (String k : List.of("dataset_id", "total_episodes", "total_steps", "data_format", "minari_version",
        "observation_space", "action_space", "ref_min_score", "ref_max_score")) {
      assertTrue(m.has(k), k);
    }
    assertEquals("test/rt-v0", m.get("dataset_id").getAsString());
    assertEquals(12, m.get("total_episodes").getAsInt());
    assertEquals("arrow", m.get("data_format").getAsString());
    JsonObject space = JsonParser.parseString(m.get("observation_space").getAsString()).getAsJsonObject();
    assertEquals("uint8", space.get("dtype").getAsString());
    assertEquals(3, space.getAsJsonArray("low").size());
    assertEquals(64, space.getAsJsonArray("high").get(2).getAsJsonArray().size());
    assertTrue(Files.isRegularFile(dir.resolve("11/part-0.arrow")));
    assertTrue(Files.isRegularFile(dir.resolve("11/metadata.json")));
  }

  @Test
  void sampledTransitionsAreTheEpisodesRows(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("d");
    List<Episode> eps = write(dir, 9, 2);
    Dataset ds = Dataset.open(dir);
    TransitionSampler s = new TransitionSampler(ds, 3, true, System.err);
    TransitionBatch b = new TransitionBatch(64, OBS);
    SplittableRandom rng = new SplittableRandom(5);
    Set<Integer> seen = new HashSet<>();
    byte[] row = new byte[OBS];
    for (int k = 0; k < 20; k++) {
      s.sample(64, rng, b);
      for (int r = 0; r < b.size; r++) {
        Episode e = eps.get(b.episode[r]);
        int t = b.step[r];
        seen.add(b.episode[r]);
        assertEquals(e.actions()[t], b.actions[r]);
        assertEquals((float) e.rewards()[t], b.rewards[r]);
        assertEquals(e.terminations()[t], b.terminated[r]);
        b.observations.get(r * OBS, row);
        assertArrayEquals(java.util.Arrays.copyOfRange(e.observations(), t * OBS, (t + 1) * OBS), row);
        b.nextObservations.get(r * OBS, row);
        assertArrayEquals(java.util.Arrays.copyOfRange(e.observations(), (t + 1) * OBS, (t + 2) * OBS), row);
      }
    }
    assertEquals(9, seen.size());
    assertTrue(s.mapCount() > 3, "an LRU of 3 files must remap");
  }

  @Test
  void truncatedOrCorruptedFilesAreReportedAndTheOthersStayReadable(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("d");
    List<Episode> eps = write(dir, 6, 3);
    Path truncated = dir.resolve("2/part-0.arrow");
    try (RandomAccessFile f = new RandomAccessFile(truncated.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    Path flipped = dir.resolve("4/part-0.arrow");
    byte[] bytes = Files.readAllBytes(flipped);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(flipped, bytes);
    Dataset ds = Dataset.open(dir);
    DatasetException e2 = assertThrows(DatasetException.class, () -> ds.episode(ds.episodes().get(2)));
    assertEquals(truncated, e2.file());
    assertTrue(e2.getMessage().contains("2/part-0.arrow"), e2.getMessage());
    DatasetException e4 = assertThrows(DatasetException.class, () -> ds.episode(ds.episodes().get(4)));
    assertTrue(e4.getMessage().contains("checksum"), e4.getMessage());
    for (int i : new int[] {0, 1, 3, 5}) {
      assertEquals(eps.get(i), ds.episode(ds.episodes().get(i)));
    }
    assertEquals(2, ds.verify().size());
    // the structure check alone (no checksum) also catches the truncated file
    DatasetException structural = assertThrows(DatasetException.class,
        () -> ArrowEpisodeFile.Layout.map(truncated, ds.observationFormat(), eps.get(2).length()));
    assertEquals(truncated, structural.file());
    // the sampler skips both and keeps sampling the rest
    TransitionSampler s = new TransitionSampler(ds, 8, true, null);
    TransitionBatch b = new TransitionBatch(256, OBS);
    SplittableRandom rng = new SplittableRandom(1);
    for (int k = 0; k < 10; k++) {
      s.sample(256, rng, b);
      for (int r = 0; r < b.size; r++) {
        assertFalse(b.episode[r] == 2 || b.episode[r] == 4);
      }
    }
    assertEquals(2, s.problems().size());
  }

  @Test
  void anInterruptedWriteLeavesAValidDatasetOfTheFinishedEpisodes(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("d");
    SplittableRandom rng = new SplittableRandom(4);
    DatasetWriter w = DatasetWriter.create(dir, info("test/crash-v0"));
    List<Episode> eps = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Episode e = randomEpisode(rng, 10 + i, i);
      w.append(e);
      eps.add(new Episode(i, OBS, e.observations(), e.actions(), e.rewards(), e.terminations(), e.truncations(), i));
    }
    // a crash in the middle of episode 4: its hidden folder holds half a file; close() never runs
    Files.createDirectories(dir.resolve(".tmp-4"));
    Files.write(dir.resolve(".tmp-4/part-0.arrow"), new byte[1000]);
    Dataset ds = Dataset.open(dir);
    assertEquals(4, ds.episodes().size());
    assertTrue(ds.verify().isEmpty(), () -> ds.verify().toString());
    for (int i = 0; i < 4; i++) {
      assertEquals(eps.get(i), ds.episode(ds.episodes().get(i)));
    }
    // reopening to append cleans the leftover and continues the numbering
    try (DatasetWriter again = DatasetWriter.open(dir)) {
      assertEquals(4, again.episodes());
      assertEquals(4, again.append(randomEpisode(rng, 5, 9)));
    }
    assertFalse(Files.exists(dir.resolve(".tmp-4")));
    assertEquals(5, Dataset.open(dir).episodes().size());
  }

  @Test
  void badIdsAndExistingDatasetsAreRefused(@TempDir Path tmp) throws IOException {
    assertThrows(IllegalArgumentException.class, () -> DatasetId.parse("no-version"));
    assertEquals("procgen/maze-expert-v0", DatasetId.parse("procgen/maze-expert-v0").id());
    assertEquals(3, DatasetId.parse("a/b/c-v3").version());
    Path dir = tmp.resolve("d");
    write(dir, 1, 1);
    assertThrows(IllegalArgumentException.class, () -> DatasetWriter.create(dir, info("test/rt-v0")));
    DatasetException e = assertThrows(DatasetException.class, () -> Dataset.open(tmp.resolve("nothing")));
    assertTrue(e.getMessage().contains("metadata.json"));
  }
}
