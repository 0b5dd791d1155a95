package dev.zeroshot.cli;

import static dev.zeroshot.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.offline.Dataset;
import dev.zeroshot.offline.DatasetInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gen_dgrl's datasets as a user makes them (issue 18): suboptimal (a PPO run's log), expert/medium, mixed. */
class DatasetMixturesCommandTest {

  static CliRun train(Path out, String root, String record) {
    return run("train", "ppo", "--env", "CartPole-v1", "--steps", "2048", "--seed", "4", "--out", out.toString(),
        "--no-progress", "--device", "cpu", "--record-dataset", record, "--root", root);
  }

  static void oneLine(CliRun r, String expected) {
    assertEquals(2, r.exit, r.out + r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);
    assertTrue(r.err.contains(expected), r.err);
  }

  @Test
  void recordDatasetWritesExactlyTheEpisodesTheRunFinished(@TempDir Path tmp) throws Exception {
    String root = tmp.resolve("datasets").toString();
    CliRun r = train(tmp.resolve("run1"), root, "test/log1-v0");
    assertEquals(0, r.exit, r.err);
    Dataset log = Dataset.open(tmp.resolve("datasets/test/log1-v0/data"));
    assertTrue(log.verify().isEmpty());
    assertEquals(0, run("dataset", "verify", "test/log1-v0", "--root", root).exit);
    List<Dataset.EpisodeInfo> eps = log.episodes();
    assertTrue(r.out.contains("recorded " + eps.size() + " episodes"), r.out);
    // every update's row: its cumulative episode count, and its recent return the mean of the last 20 recorded
    List<String> rows = Files.readAllLines(tmp.resolve("run1/metrics.csv"));
    List<String> header = List.of(rows.get(0).split(","));
    int episodesCol = header.indexOf("episodes");
    int returnCol = header.indexOf("recent_return");
    for (String row : rows.subList(1, rows.size())) {
      String[] f = row.split(",");
      int n = Integer.parseInt(f[episodesCol]);
      double sum = 0;
      for (int i = Math.max(0, n - 20); i < n; i++) {
        sum += eps.get(i).totalReturn();
      }
      assertEquals(f[returnCol], String.format(Locale.ROOT, "%.4f", sum / Math.min(n, 20)), row);
    }
    String[] last = rows.get(rows.size() - 1).split(",");
    assertEquals(Integer.parseInt(last[episodesCol]), eps.size());
    assertTrue(log.totalSteps() <= 2048);
    assertEquals(tmp.resolve("run1").toAbsolutePath().normalize().toString(), log.meta(DatasetRecording.SOURCE_RUN));
    assertEquals("4", log.meta(DatasetInfo.SEED));
    assertEquals("CartPole-v1", log.meta(DatasetInfo.ENV_ID));
    assertEquals("ppo-training(mlp)", log.meta(DatasetInfo.POLICY));

    // same seed, same episodes, byte for byte
    assertEquals(0, train(tmp.resolve("run2"), root, "test/log2-v0").exit);
    Map<String, String> a = DataDietCommandsTest.hashes(tmp.resolve("datasets/test/log1-v0/data"));
    Map<String, String> b = DataDietCommandsTest.hashes(tmp.resolve("datasets/test/log2-v0/data"));
    a.remove("metadata.json");
    b.remove("metadata.json");
    assertEquals(a, b);

    // an existing id, and a resumed run: one line, before anything is written
    oneLine(train(tmp.resolve("run3"), root, "test/log1-v0"), "dataset test/log1-v0 already exists");
    assertFalse(Files.exists(tmp.resolve("run3")));
    oneLine(run("train", "ppo", "--resume", tmp.resolve("run1").toString(), "--record-dataset", "test/log3-v0", "--root",
        root, "--no-progress"), "does not work with --resume");
    assertFalse(Files.exists(tmp.resolve("datasets/test/log3-v0")));

    // "medium" from that run's checkpoint: the metadata names the file and its hash
    Path ckpt = tmp.resolve("run1/checkpoint.ckpt");
    r = run("collect", "--env", "CartPole-v1", "--policy", tmp.resolve("run1").toString(), "--epsilon", "0.1",
        "--transitions", "300", "--dataset", "test/medium-v0", "--root", root, "--no-progress", "--num-envs", "2");
    assertEquals(0, r.exit, r.err);
    Dataset medium = Dataset.open(tmp.resolve("datasets/test/medium-v0/data"));
    assertEquals(ckpt.toAbsolutePath().normalize().toString(), medium.meta(DatasetInfo.CHECKPOINT));
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(ckpt))),
        medium.meta(DatasetInfo.CHECKPOINT_SHA256));
    assertEquals("0.1", medium.meta(DatasetInfo.EPSILON));
    assertEquals("1", medium.meta(DatasetInfo.SEED));
  }

  /** The help that says which gen_dgrl dataset is which renders whole (a bare '%' in it would not). */
  @Test
  void helpSaysWhichDatasetIsWhich() {
    for (String[] cmd : new String[][] {{"collect", "--help"}, {"dataset", "mix", "--help"}, {"train", "ppo", "--help"}}) {
      CliRun r = run(cmd);
      assertEquals(0, r.exit, r.err);
      assertFalse(r.err.contains("Could not format"), r.err);
    }
    String collect = run("collect", "--help").out.replaceAll("\\s+", " "); // the help wraps at 80 columns
    assertTrue(collect.contains("about 75% of expert return") && collect.contains("'zeroshot dataset mix'")
        && collect.contains("'zeroshot train ppo --record-dataset'"), collect);
  }

  @Test
  void mixJoinsExpertAndMediumByEpisodeShare(@TempDir Path tmp) throws Exception {
    String root = tmp.resolve("datasets").toString();
    for (String[] d : new String[][] {{"test/expert-v0", "0"}, {"test/medium-v0", "0.5"}}) {
      CliRun r = run("collect", "--env", "CartPole-v1", "--policy", "planner", "--epsilon", d[1], "--transitions", "2000",
          "--dataset", d[0], "--root", root, "--no-progress", "--num-envs", "2");
      assertEquals(0, r.exit, r.err);
    }
    assertEquals(0, run("collect", "--env", "Acrobot-v1", "--policy", "random", "--transitions", "600", "--dataset",
        "test/acrobot-v0", "--root", root, "--no-progress", "--num-envs", "2").exit);
    Path parents = tmp.resolve("datasets/test");
    Map<String, String> before = DataDietCommandsTest.hashes(parents);
    int expert = Dataset.open(parents.resolve("expert-v0/data")).episodes().size();
    int medium = Dataset.open(parents.resolve("medium-v0/data")).episodes().size();
    int total = Math.min(expert, medium) * 2; // half and half: the smaller parent bounds it
    CliRun r = run("dataset", "mix", "mix/mixed-v0", "--part", "test/expert-v0=0.5", "--part", "test/medium-v0=0.5",
        "--root", root);
    assertEquals(0, r.exit, r.err);
    int half = total / 2;
    assertTrue(r.out.startsWith("mix/mixed-v0: " + total + " episodes (" + half + " from test/expert-v0, " + half
        + " from test/medium-v0)"), r.out);
    Dataset mixed = Dataset.open(tmp.resolve("datasets/mix/mixed-v0/data"));
    assertEquals(total, mixed.episodes().size());
    assertEquals(0, run("dataset", "verify", "mix/mixed-v0", "--root", root).exit);
    assertEquals("test/expert-v0=0.5 (" + half + " episodes), test/medium-v0=0.5 (" + half + " episodes)",
        mixed.meta("zeroshot_mixture"));
    assertEquals(before, DataDietCommandsTest.hashes(parents), "mixing changed a parent");

    oneLine(run("dataset", "mix", "mix/b-v0", "--part", "test/nope-v0=0.5", "--part", "test/medium-v0=0.5", "--root",
        root), "nope-v0");
    oneLine(run("dataset", "mix", "mix/b-v0", "--part", "test/expert-v0=0.5", "--part", "test/medium-v0=0.4", "--root",
        root), "must sum to 1");
    oneLine(run("dataset", "mix", "mix/b-v0", "--part", "test/expert-v0=0.5", "--part", "test/acrobot-v0=0.5", "--root",
        root), "zeroshot_env_id differ (CartPole-v1 vs Acrobot-v1)");
    oneLine(run("dataset", "mix", "mix/b-v0", "--part", "test/expert-v0", "--part", "test/medium-v0=0.5", "--root",
        root), "--part must be ID=SHARE");
    oneLine(run("dataset", "mix", "mix/mixed-v0", "--part", "test/expert-v0=0.5", "--part", "test/medium-v0=0.5",
        "--root", root), "dataset mix/mixed-v0 already exists");
    assertFalse(Files.exists(tmp.resolve("datasets/mix/b-v0")));
    assertEquals(before, DataDietCommandsTest.hashes(parents));
  }
}
