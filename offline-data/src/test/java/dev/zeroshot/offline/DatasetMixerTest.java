package dev.zeroshot.offline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gen_dgrl's "mixed" data: exact episode shares, which episodes, determinism, parents untouched, bad input. */
class DatasetMixerTest {

  /**
   * A dataset of {@code n} one-to-four-step episodes whose observations' first float is
   * {@code tag * 1000 + episode}, so a mixture's episode names its parent and index.
   */
  static Dataset parent(Path root, String id, int n, int tag, String env, String policy) throws IOException {
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put(DatasetInfo.ENV_ID, env);
    extra.put(DatasetInfo.LEVELS, "0:200");
    extra.put(DatasetInfo.POLICY, policy);
    extra.put("zeroshot_epsilon", "0.0");
    DatasetInfo info = new DatasetInfo(DatasetId.parse(id), Box.uniform(-1e9, 1e9, new int[] {1}, DType.FLOAT32),
        new Discrete(3), policy, "mixing", 0.0, 10.0, extra);
    try (DatasetWriter w = DatasetWriter.create(DatasetId.parse(id).dataDir(root), info)) {
      for (int e = 0; e < n; e++) {
        int t = 1 + e % 4;
        ByteBuffer obs = ByteBuffer.allocate((t + 1) * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i <= t; i++) {
          obs.putFloat(tag * 1000 + e);
        }
        double[] r = new double[t];
        r[t - 1] = tag;
        boolean[] te = new boolean[t];
        te[t - 1] = true;
        w.append(new Episode(0, 4, obs.array(), new long[t], r, te, new boolean[t], e));
      }
    }
    return Dataset.open(root, DatasetId.parse(id));
  }

  /** Each episode of {@code d} as tag * 1000 + parent episode index. */
  static List<Integer> sources(Dataset d) throws IOException {
    List<Integer> out = new ArrayList<>();
    for (Dataset.EpisodeInfo e : d.episodes()) {
      out.add((int) ByteBuffer.wrap(d.episode(e).observations()).order(ByteOrder.LITTLE_ENDIAN).getFloat(0));
    }
    return out;
  }

  @Test
  void countsSumToTheTotalAndFollowTheShares() {
    assertArrayEquals(new int[] {5, 5}, DatasetMixer.counts(new double[] {0.5, 0.5}, 10));
    assertArrayEquals(new int[] {6, 5}, DatasetMixer.counts(new double[] {0.5, 0.5}, 11)); // tie to the earlier part
    assertArrayEquals(new int[] {3, 7}, DatasetMixer.counts(new double[] {0.25, 0.75}, 10)); // 2.5 and 7.5: tie, earlier
    assertArrayEquals(new int[] {4, 3, 3}, DatasetMixer.counts(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, 10));
    assertArrayEquals(new int[] {1, 9}, DatasetMixer.counts(new double[] {0.1, 0.9}, 10));
  }

  @Test
  void mixesExactSharesOfDistinctEpisodesDeterministicallyAndLeavesParentsUntouched(@TempDir Path root)
      throws Exception {
    Dataset expert = parent(root, "t/expert-v0", 30, 1, "CartPole-v1", "planner(cartpole)");
    Dataset medium = parent(root, "t/medium-v0", 12, 2, "CartPole-v1", "checkpoint(m.ckpt)");
    Map<String, String> before = DatasetPrunerTest.hashes(root.resolve("t"));
    List<DatasetMixer.Part> parts = List.of(new DatasetMixer.Part(expert, 0.5), new DatasetMixer.Part(medium, 0.5));
    // medium's 12 episodes bound a half-and-half mixture to 24
    assertEquals(24, DatasetMixer.largestTotal(parts));
    DatasetMixer.Result r = DatasetMixer.mix(parts, null, 7, DatasetId.parse("m/mixed-v0"),
        DatasetId.parse("m/mixed-v0").dataDir(root));
    assertArrayEquals(new int[] {12, 12}, r.taken());
    Dataset mixed = Dataset.open(root, DatasetId.parse("m/mixed-v0"));
    assertTrue(mixed.verify().isEmpty());
    List<Integer> src = sources(mixed);
    assertEquals(24, src.size());
    assertEquals(12, src.stream().filter(s -> s / 1000 == 1).count());
    assertEquals(12, src.stream().filter(s -> s / 1000 == 2).distinct().count()); // all of medium, once each
    assertEquals(src.size(), src.stream().distinct().count());
    // each mixed episode is its parent's, step for step
    for (int i = 0; i < src.size(); i++) {
      Dataset p = src.get(i) / 1000 == 1 ? expert : medium;
      Episode want = p.episode(p.episodes().get(src.get(i) % 1000));
      Episode got = mixed.episode(mixed.episodes().get(i));
      assertArrayEquals(want.observations(), got.observations());
      assertArrayEquals(want.rewards(), got.rewards());
      assertEquals(want.levelSeed(), got.levelSeed());
    }
    assertEquals("t/expert-v0,t/medium-v0", mixed.meta("zeroshot_parent"));
    assertEquals("t/expert-v0=0.5 (12 episodes), t/medium-v0=0.5 (12 episodes)", mixed.meta(DatasetMixer.MIXTURE));
    assertEquals("7", mixed.meta("zeroshot_mix_seed"));
    assertEquals("mixture(planner(cartpole)=0.5, checkpoint(m.ckpt)=0.5)", mixed.meta(DatasetInfo.POLICY));
    assertEquals("CartPole-v1", mixed.meta(DatasetInfo.ENV_ID));
    assertEquals("0:200", mixed.meta(DatasetInfo.LEVELS));
    assertNull(mixed.meta("zeroshot_epsilon")); // a parent's own provenance is not the mixture's
    assertEquals(24, mixed.metadata().get("total_episodes").getAsInt());
    assertEquals(before, DatasetPrunerTest.hashes(root.resolve("t")));

    // same seed, same mixture; another seed, another choice of expert episodes
    DatasetMixer.mix(parts, 10, 7, DatasetId.parse("m/a-v0"), DatasetId.parse("m/a-v0").dataDir(root));
    DatasetMixer.mix(parts, 10, 7, DatasetId.parse("m/b-v0"), DatasetId.parse("m/b-v0").dataDir(root));
    DatasetMixer.mix(parts, 10, 8, DatasetId.parse("m/c-v0"), DatasetId.parse("m/c-v0").dataDir(root));
    Map<String, String> a = DatasetPrunerTest.hashes(DatasetId.parse("m/a-v0").dataDir(root));
    Map<String, String> b = DatasetPrunerTest.hashes(DatasetId.parse("m/b-v0").dataDir(root));
    a.remove("metadata.json");
    b.remove("metadata.json");
    assertEquals(a, b);
    List<Integer> sa = sources(Dataset.open(root, DatasetId.parse("m/a-v0")));
    assertEquals(sa, sources(Dataset.open(root, DatasetId.parse("m/b-v0"))));
    assertFalse(sa.equals(sources(Dataset.open(root, DatasetId.parse("m/c-v0")))));
    assertEquals(5, sa.stream().filter(s -> s / 1000 == 1).count());
  }

  @Test
  void unevenSharesAreExact(@TempDir Path root) throws Exception {
    Dataset expert = parent(root, "t/expert-v0", 40, 1, "CartPole-v1", "planner");
    Dataset medium = parent(root, "t/medium-v0", 40, 2, "CartPole-v1", "ckpt");
    DatasetMixer.Result r = DatasetMixer.mix(List.of(new DatasetMixer.Part(expert, 0.25), new DatasetMixer.Part(medium, 0.75)),
        null, 1, DatasetId.parse("m/q-v0"), DatasetId.parse("m/q-v0").dataDir(root));
    assertArrayEquals(new int[] {13, 40}, r.taken()); // 53 is the most: 0.75 * 54 = 40.5 > 40; 13.25 and 39.75 round to 13 and 40
    List<Integer> src = sources(Dataset.open(root, DatasetId.parse("m/q-v0")));
    assertEquals(13, src.stream().filter(s -> s / 1000 == 1).count());
    assertEquals(40, src.stream().filter(s -> s / 1000 == 2).count());
  }

  @Test
  void badInputIsOneLineAndWritesNothing(@TempDir Path root) throws Exception {
    Dataset expert = parent(root, "t/expert-v0", 10, 1, "CartPole-v1", "planner");
    Dataset medium = parent(root, "t/medium-v0", 10, 2, "CartPole-v1", "ckpt");
    Dataset other = parent(root, "t/other-v0", 10, 3, "Acrobot-v1", "ckpt");
    DatasetId id = DatasetId.parse("m/x-v0");
    Path dir = id.dataDir(root);
    IllegalArgumentException sum = assertThrows(IllegalArgumentException.class, () -> DatasetMixer.mix(
        List.of(new DatasetMixer.Part(expert, 0.5), new DatasetMixer.Part(medium, 0.6)), null, 1, id, dir));
    assertTrue(sum.getMessage().contains("must sum to 1"), sum.getMessage());
    IllegalArgumentException env = assertThrows(IllegalArgumentException.class, () -> DatasetMixer.mix(
        List.of(new DatasetMixer.Part(expert, 0.5), new DatasetMixer.Part(other, 0.5)), null, 1, id, dir));
    assertTrue(env.getMessage().contains("zeroshot_env_id differ (CartPole-v1 vs Acrobot-v1)"), env.getMessage());
    IllegalArgumentException many = assertThrows(IllegalArgumentException.class, () -> DatasetMixer.mix(
        List.of(new DatasetMixer.Part(expert, 0.5), new DatasetMixer.Part(medium, 0.5)), 21, 1, id, dir));
    assertTrue(many.getMessage().contains("--episodes must be in [1, 20]"), many.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new DatasetMixer.Part(expert, 0));
    assertThrows(IllegalArgumentException.class, () -> DatasetMixer.mix(List.of(new DatasetMixer.Part(expert, 1)), null, 1,
        id, dir));
    assertFalse(Files.exists(root.resolve("m")), "nothing written");
    IllegalArgumentException exists = assertThrows(IllegalArgumentException.class, () -> DatasetMixer.mix(
        List.of(new DatasetMixer.Part(expert, 0.5), new DatasetMixer.Part(medium, 0.5)), null, 1,
        DatasetId.parse("t/medium-v0"), DatasetId.parse("t/medium-v0").dataDir(root)));
    assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
    assertEquals(10, Dataset.open(root, DatasetId.parse("t/medium-v0")).episodes().size());
  }
}
