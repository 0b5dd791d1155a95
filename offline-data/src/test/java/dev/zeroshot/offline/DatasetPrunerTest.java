package dev.zeroshot.offline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data Diet pruning: the share kept, which items, determinism, and a parent left byte-identical. */
class DatasetPrunerTest {

  /** Episode lengths of the test dataset: 60 transitions in 7 episodes. */
  static final int[] LENGTHS = {5, 12, 1, 9, 20, 6, 7};

  /** A dataset of float observations [2] whose first element is the transition's global index (unique). */
  static Dataset parent(Path root) throws IOException {
    DatasetInfo info = new DatasetInfo(DatasetId.parse("t/parent-v0"), Box.uniform(-1e9, 1e9, new int[] {2}, DType.FLOAT32),
        new Discrete(3), "test", "pruning", 0.0, 10.0, Map.of(DatasetInfo.ENV_ID, "CartPole-v1"));
    SplittableRandom rng = new SplittableRandom(7);
    int index = 0;
    try (DatasetWriter w = DatasetWriter.create(DatasetId.parse("t/parent-v0").dataDir(root), info)) {
      for (int e = 0; e < LENGTHS.length; e++) {
        int t = LENGTHS[e];
        ByteBuffer obs = ByteBuffer.allocate((t + 1) * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i <= t; i++) {
          obs.putFloat(index + i).putFloat((float) rng.nextDouble());
        }
        index += t;
        long[] a = new long[t];
        double[] r = new double[t];
        boolean[] te = new boolean[t];
        for (int i = 0; i < t; i++) {
          a[i] = rng.nextInt(3);
          r[i] = e; // return e * t: episodes' returns differ
        }
        te[t - 1] = e % 2 == 0;
        boolean[] tr = new boolean[t];
        tr[t - 1] = !te[t - 1];
        w.append(new Episode(0, 8, obs.array(), a, r, te, tr, 100 + e));
      }
    }
    return Dataset.open(root, DatasetId.parse("t/parent-v0"));
  }

  /** Every file under {@code dir} with its SHA-256. */
  static Map<String, String> hashes(Path dir) throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(p).toString(),
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return m;
  }

  /** A transition as (s, a, r, s', terminated), for comparing kept transitions with the parent's. */
  record Transition(float s0, float s1, long a, double r, float n0, float n1, boolean term) {}

  static List<Transition> transitions(Dataset ds) throws IOException {
    List<Transition> out = new ArrayList<>();
    for (Dataset.EpisodeInfo info : ds.episodes()) {
      Episode ep = ds.episode(info);
      ByteBuffer b = ByteBuffer.wrap(ep.observations()).order(ByteOrder.LITTLE_ENDIAN);
      for (int t = 0; t < ep.length(); t++) {
        out.add(new Transition(b.getFloat(8 * t), b.getFloat(8 * t + 4), ep.actions()[t], ep.rewards()[t],
            b.getFloat(8 * t + 8), b.getFloat(8 * t + 12), ep.terminations()[t]));
      }
    }
    return out;
  }

  static Episode renumbered(Episode e, int id) {
    return new Episode(id, e.observationBytes(), e.observations(), e.actions(), e.rewards(), e.terminations(),
        e.truncations(), e.levelSeed());
  }

  static double[] scores(int n) {
    double[] s = new double[n];
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < n; i++) {
      s[i] = rng.nextInt(10); // ties on purpose
    }
    return s;
  }

  @Test
  void byTransitionKeepsExactlyTheShareTheHighestScoresAndTheParentsTransitions(@TempDir Path root) throws Exception {
    Dataset parent = parent(root);
    Map<String, String> before = hashes(root.resolve("t/parent-v0"));
    double[] s = scores(60);
    var rule = new DatasetPruner.Rule(0.25, "el2n", DatasetPruner.Unit.TRANSITION, false, 1);
    var r = DatasetPruner.prune(parent, s, rule, DatasetId.parse("t/child-v0"), DatasetId.parse("t/child-v0").dataDir(root));
    assertEquals(15, r.kept());
    Dataset child = Dataset.open(root, DatasetId.parse("t/child-v0"));
    assertTrue(child.verify().isEmpty(), child.verify().toString());
    assertEquals(15, child.totalSteps());
    assertEquals(r.episodes(), child.episodes().size());
    // the kept transitions are the 15 best, ties to the earlier one, and equal the parent's
    List<Transition> all = transitions(parent);
    Integer[] order = new Integer[60];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> s[a] != s[b] ? Double.compare(s[b], s[a]) : Integer.compare(a, b));
    List<Integer> best = new ArrayList<>(Arrays.asList(order).subList(0, 15));
    best.sort(null);
    List<Transition> expected = best.stream().map(all::get).toList();
    assertEquals(expected, transitions(child));
    // a run cut before its episode's end is truncated there; its level seed is the parent's
    for (Dataset.EpisodeInfo info : child.episodes()) {
      Episode ep = child.episode(info);
      assertTrue(ep.levelSeed() >= 100 && ep.levelSeed() < 107);
    }
    assertEquals("t/parent-v0", child.meta("zeroshot_parent"));
    assertEquals("keep 0.25 of the transitions by el2n (highest scores first)", child.meta("zeroshot_pruning"));
    assertEquals("CartPole-v1", child.meta(DatasetInfo.ENV_ID));
    assertEquals("10.0", child.meta("ref_max_score"));
    assertEquals(before, hashes(root.resolve("t/parent-v0")), "the parent changed");
  }

  @Test
  void cutRunsAreTruncatedAndKeepTheirNextState() {
    SplittableRandom rng = new SplittableRandom(1);
    byte[] obs = new byte[6 * 4];
    rng.nextBytes(obs);
    Episode ep = new Episode(3, 4, obs, new long[] {0, 1, 2, 0, 1}, new double[] {1, 2, 3, 4, 5},
        new boolean[] {false, false, false, false, true}, new boolean[5], 9);
    Episode mid = DatasetPruner.run(ep, 1, 3);
    assertArrayEquals(Arrays.copyOfRange(obs, 4, 16), mid.observations());
    assertArrayEquals(new long[] {1, 2}, mid.actions());
    assertArrayEquals(new boolean[] {false, true}, mid.truncations());
    assertArrayEquals(new boolean[] {false, false}, mid.terminations());
    Episode tail = DatasetPruner.run(ep, 3, 5);
    assertArrayEquals(new boolean[] {false, false}, tail.truncations());
    assertArrayEquals(new boolean[] {false, true}, tail.terminations());
  }

  @Test
  void byEpisodeKeepsWholeEpisodesByTheirMeanScore(@TempDir Path root) throws Exception {
    Dataset parent = parent(root);
    double[] ret = DatasetScores.ofEpisodes(parent, "return").transitions(); // episode e's return is e * length
    var rule = new DatasetPruner.Rule(0.5, "return", DatasetPruner.Unit.EPISODE, false, 1);
    var r = DatasetPruner.prune(parent, ret, rule, DatasetId.parse("t/top-v0"), DatasetId.parse("t/top-v0").dataDir(root));
    assertEquals(4, r.kept()); // round(0.5 * 7)
    Dataset child = Dataset.open(root, DatasetId.parse("t/top-v0"));
    // returns: 0, 12, 2, 27, 80, 30, 42: the best four are episodes 4, 6, 5, 3, kept in the parent's order
    List<Long> seeds = child.episodes().stream().map(Dataset.EpisodeInfo::levelSeed).toList();
    assertEquals(List.of(103L, 104L, 105L, 106L), seeds);
    for (int i = 0; i < 4; i++) {
      assertEquals(renumbered(parent.episode(parent.episodes().get(3 + i)), i), child.episode(child.episodes().get(i)));
    }
    var shortest = new DatasetPruner.Rule(0.3, "length", DatasetPruner.Unit.EPISODE, true, 1);
    DatasetPruner.prune(parent, DatasetScores.ofEpisodes(parent, "length").transitions(), shortest,
        DatasetId.parse("t/short-v0"), DatasetId.parse("t/short-v0").dataDir(root));
    Dataset s = Dataset.open(root, DatasetId.parse("t/short-v0"));
    assertEquals(List.of(5, 1), s.episodes().stream().map(Dataset.EpisodeInfo::steps).toList()); // round(2.1) = 2 shortest, in the parent's order
  }

  @Test
  void randomIsDeterministicUnderItsSeed(@TempDir Path root) throws Exception {
    Dataset parent = parent(root);
    Map<String, String> before = hashes(root.resolve("t/parent-v0"));
    for (String id : List.of("t/r1-v0", "t/r2-v0", "t/r3-v0")) {
      long seed = id.equals("t/r3-v0") ? 2 : 1;
      DatasetPruner.prune(parent, null, new DatasetPruner.Rule(0.5, "random", DatasetPruner.Unit.TRANSITION, false, seed),
          DatasetId.parse(id), DatasetId.parse(id).dataDir(root));
    }
    Map<String, String> r1 = hashes(root.resolve("t/r1-v0/data"));
    Map<String, String> r2 = hashes(root.resolve("t/r2-v0/data"));
    r1.remove("metadata.json"); // names its own id
    r2.remove("metadata.json");
    assertEquals(r1, r2, "same seed, same bytes");
    assertEquals(30, Dataset.open(root, DatasetId.parse("t/r1-v0")).totalSteps());
    assertEquals(30, Dataset.open(root, DatasetId.parse("t/r3-v0")).totalSteps());
    assertNotEquals(transitions(Dataset.open(root, DatasetId.parse("t/r1-v0"))),
        transitions(Dataset.open(root, DatasetId.parse("t/r3-v0"))), "another seed, another choice");
    assertEquals(before, hashes(root.resolve("t/parent-v0")));
  }

  @Test
  void keptCountIsTheRoundedShareAndBadRulesAreRefusedBeforeWriting(@TempDir Path root) throws Exception {
    assertEquals(1, DatasetPruner.keptCount(1e-9 + 0.5 / 3, 3));
    assertEquals(60, DatasetPruner.keptCount(1, 60));
    for (double keep : new double[] {0, -0.5, 1.01, Double.NaN}) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> new DatasetPruner.Rule(keep, "random", DatasetPruner.Unit.TRANSITION, false, 1));
      assertTrue(e.getMessage().startsWith("--keep must be in (0, 1]"), e.getMessage());
    }
    Dataset parent = parent(root);
    Map<String, String> before = hashes(root);
    var tiny = new DatasetPruner.Rule(0.001, "random", DatasetPruner.Unit.EPISODE, false, 1);
    var e = assertThrows(IllegalArgumentException.class,
        () -> DatasetPruner.prune(parent, null, tiny, DatasetId.parse("t/none-v0"), DatasetId.parse("t/none-v0").dataDir(root)));
    assertTrue(e.getMessage().contains("keeps none"), e.getMessage());
    var half = new DatasetPruner.Rule(0.5, "random", DatasetPruner.Unit.EPISODE, false, 1);
    e = assertThrows(IllegalArgumentException.class, () -> DatasetPruner.prune(parent, null, half,
        DatasetId.parse("t/parent-v0"), DatasetId.parse("t/parent-v0").dataDir(root)));
    assertEquals("dataset t/parent-v0 already exists; prune to a new id", e.getMessage());
    assertEquals(before, hashes(root), "nothing written");
  }

  @Test
  void scoreFilesRoundTripAndRefuseAnotherVersionOfTheDataset(@TempDir Path root) throws Exception {
    Dataset parent = parent(root);
    Map<String, String> before = hashes(root.resolve("t/parent-v0/data"));
    double[] s = scores(60);
    s[3] = 0.123456789012;
    new DatasetScores("el2n", s).write(parent, "test");
    assertEquals(before, hashes(root.resolve("t/parent-v0/data")), "the episodes are untouched");
    assertArrayEquals(s, DatasetScores.read(parent, "el2n").transitions(), 1e-9);
    List<String> episodes = Files.readAllLines(DatasetScores.episodesFile(parent, "el2n"));
    assertEquals("episode,steps,score", episodes.get(1));
    assertEquals(2 + LENGTHS.length, episodes.size());
    assertTrue(episodes.get(4).startsWith("2,1,"), episodes.get(4)); // episode 2, one step
    var e = assertThrows(IllegalArgumentException.class, () -> DatasetScores.read(parent, "grand"));
    assertTrue(e.getMessage().contains("run 'zeroshot dataset score --method grand t/parent-v0' first"), e.getMessage());
    // the dataset grows by an episode: the old scores no longer fit
    try (DatasetWriter w = DatasetWriter.open(parent.dataDir())) {
      w.append(new Episode(0, 8, new byte[16], new long[1], new double[1], new boolean[1], new boolean[1], 1));
    }
    Dataset grown = Dataset.open(parent.dataDir());
    e = assertThrows(IllegalArgumentException.class, () -> DatasetScores.read(grown, "el2n"));
    assertTrue(e.getMessage().contains("score it again"), e.getMessage());
    assertFalse(Files.exists(parent.dataDir().resolve("scores")));
  }
}
