package dev.zeroshot.mbtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.zeroshot.agents.PpoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch selection (Q picks per round, kriging believer): {@link MbtlSelector.Config#batch()}. */
class BatchSelectionTest {

  private static final Path EXAMPLES = Path.of("..", "docs", "examples", "mbtl");

  private static MbtlSelector selector(String mode, int q) {
    return new MbtlSelector(Strategies.selectorConfig(mode, Strategies.Options.defaults().withBatch(q)));
  }

  /**
   * Q = 1 is the sequential selector exactly: simulate mode regenerates the committed steep-40
   * report (every MBTL mode's picks and model columns, and the summary) byte for byte.
   */
  @Test
  void batchOfOneRegeneratesTheCommittedSimulateReport(@TempDir Path tmp) throws Exception {
    Path committed = EXAMPLES.resolve("steep-40-report");
    Simulation sim = Simulation.run(TransferMatrix.readCsv(EXAMPLES.resolve("steep-40.csv")), "steep-40.csv", 10,
        Strategies.parse("all"), Strategies.Options.defaults().withBatch(1), Progress.NONE);
    sim.write(tmp);
    for (String f : List.of("mbtl.csv", "summary.csv")) {
      assertEquals(Files.readString(committed.resolve(f)), Files.readString(tmp.resolve(f)), f);
    }
    assertTrue(!Files.exists(tmp.resolve("batch.csv")), "Q = 1 writes no batch comparison");
  }

  /**
   * Q = 1 in run mode: resuming a copy of each committed run-mode example (every row saved, nothing
   * retrained) writes the same summary.csv and mbtl.csv as committed, the README's demo included.
   */
  @Test
  void batchOfOneRegeneratesTheCommittedRunReports(@TempDir Path tmp) throws Exception {
    for (String example : List.of("cartpole-length-demo", "cartpole-length-run")) {
      Path dir = tmp.resolve(example);
      Files.createDirectories(dir);
      Files.copy(EXAMPLES.resolve(example).resolve(Sweep.STATE), dir.resolve(Sweep.STATE));
      Sweep sweep = Sweep.open(dir);
      assertEquals(1, sweep.settings().batch());
      SweepResult r = sweep.run(task -> {
        throw new AssertionError("task " + task + " is saved; nothing should train");
      }, 1, null);
      SweepReport.write(r, dir);
      for (String f : List.of("summary.csv", "mbtl.csv")) {
        assertEquals(Files.readString(EXAMPLES.resolve(example).resolve(f)), Files.readString(dir.resolve(f)),
            example + "/" + f);
      }
      JsonObject saved = JsonParser.parseString(Files.readString(EXAMPLES.resolve(example).resolve(Sweep.STATE)))
          .getAsJsonObject().getAsJsonObject("settings");
      // a file saved when PPO's context was text has "" (the env's defaults), now no context at all;
      // the examples were re-run since and are saved without it
      com.google.gson.JsonElement context = saved.getAsJsonObject("ppo").remove("context");
      if (context != null) {
        assertEquals("", context.getAsString());
      }
      assertEquals(saved, sweep.settings().toJson(), example + ": Q = 1 settings write back as saved (no batch field)");
    }
  }

  @Test
  void batchPicksAreDistinctValidAndDeterministic() {
    int n = 24;
    int budget = 12;
    for (String kind : SyntheticMatrices.KINDS) {
      TransferMatrix m = SyntheticMatrices.generate(kind, n, 0.02, 5);
      for (String mode : Strategies.MBTL_MODES) {
        for (int q : new int[] {2, 3, 8}) {
          MbtlSelector.Result a = selector(mode, q).run(m, budget, Progress.NONE);
          MbtlSelector.Result b = selector(mode, q).run(m, budget, Progress.NONE);
          String what = kind + " " + mode + " Q=" + q + " " + Arrays.toString(a.picks());
          assertArrayEquals(a.picks(), b.picks(), what);
          for (int k = 0; k < budget; k++) {
            assertEquals(Double.doubleToLongBits(a.steps().get(k).acquisitionValue()),
                Double.doubleToLongBits(b.steps().get(k).acquisitionValue()), what);
            assertEquals(k, a.steps().get(k).k(), what);
            assertEquals(a.picks()[k], a.steps().get(k).pick(), what);
          }
          assertEquals(budget, a.picks().length, what);
          assertEquals(budget, Arrays.stream(a.picks()).distinct().count(), "no repeats: " + what);
          assertTrue(Arrays.stream(a.picks()).allMatch(p -> p >= 0 && p < n), what);
          // the first round has no data: the middle, then the greedy baseline's spread
          assertArrayEquals(Baselines.greedySplit(n, q), Arrays.copyOf(a.picks(), q), what);
          assertEquals(MbtlSelector.middle(n), a.picks()[0], what);
        }
      }
    }
  }

  @Test
  void aBatchOnAGridIsDistinctValidAndDeterministic() {
    GridShape shape = GridShape.parse("6x5");
    TransferMatrix m = SyntheticMatrices.generateGrid("smooth", shape, 0.02, 7);
    MbtlSelector.Result a = selector("mbtl", 4).run(m, shape, 12, Progress.NONE);
    MbtlSelector.Result b = selector("mbtl", 4).run(m, shape, 12, Progress.NONE);
    assertArrayEquals(a.picks(), b.picks());
    assertEquals(12, Arrays.stream(a.picks()).distinct().count(), Arrays.toString(a.picks()));
    assertArrayEquals(Baselines.greedyCoverage(shape, 4), Arrays.copyOf(a.picks(), 4));
    assertEquals(shape.middle(), a.picks()[0]);
  }

  /** Each round asks for its Q rows together (so run mode can train them side by side), the last the remainder. */
  @Test
  void roundsAskForTheirRowsTogether() {
    TransferMatrix m = SyntheticMatrices.generate("two-peaked", 25, 0.02, 3);
    List<int[]> asked = new ArrayList<>();
    TransferSource recording = new TransferSource() {
      @Override
      public int size() {
        return m.size();
      }

      @Override
      public double[] row(int s) {
        throw new AssertionError("a batch selector asks for whole rounds");
      }

      @Override
      public double[][] rows(int[] sources) {
        asked.add(sources.clone());
        return m.rows(sources);
      }
    };
    MbtlSelector.Result r = selector("mbtl", 4).run(recording, 10, Progress.NONE);
    assertEquals(List.of(4, 4, 2), asked.stream().map(x -> x.length).toList());
    assertArrayEquals(r.picks(), asked.stream().flatMapToInt(Arrays::stream).toArray());
    // the same picks as on the matrix itself
    assertArrayEquals(selector("mbtl", 4).run(m, 10, Progress.NONE).picks(), r.picks());
  }

  /**
   * Averaged over matrix seeds, batch picks (Q = 4) beat Q random picks per round on the smooth
   * kind by more than twice the standard error of the random mean (computed from the orderings).
   */
  @Test
  void batchBeatsRandomBatchesOnASmoothMatrixAveragedOverSeeds() {
    int n = 40;
    int budget = 16;
    int q = 4;
    double batchSum = 0;
    double randomSum = 0;
    double randomVar = 0; // of the mean over orderings, summed over seeds
    long[] seeds = {1, 2, 3, 4, 5};
    Strategies.Options o = Strategies.Options.defaults().withBatch(q);
    for (long seed : seeds) {
      TransferMatrix m = SyntheticMatrices.generate("smooth", n, 0.02, seed);
      batchSum += Strategies.run("mbtl", m, budget, o, Progress.NONE).average();
      int[][] orders = Baselines.randomOrderings(n, budget, o.randomOrderings(), seed);
      double[] averages = new double[orders.length];
      for (int r = 0; r < orders.length; r++) {
        averages[r] = Arrays.stream(m.curve(orders[r])).average().orElseThrow();
      }
      double mean = Arrays.stream(averages).average().orElseThrow();
      double ss = 0;
      for (double v : averages) {
        ss += (v - mean) * (v - mean);
      }
      randomSum += mean;
      randomVar += ss / (averages.length - 1) / averages.length;
    }
    double batch = batchSum / seeds.length;
    double random = randomSum / seeds.length;
    double margin = 2 * Math.sqrt(randomVar) / seeds.length;
    assertTrue(batch > random + margin, "batch mean V " + batch + " vs random " + random + " + margin " + margin);
  }

  /**
   * The believer's update: conditioning on the posterior mean at a point leaves the mean unchanged
   * and shrinks the std there; with fixed hyperparameters and no normalization it is the same GP as
   * one fitted on the extended data.
   */
  @Test
  void conditioningOnTheMeanKeepsTheMeanAndShrinksTheStd() {
    double[] x = {2, 7, 11};
    double[] y = {0.4, 0.9, 0.6};
    GaussianProcess.Config cfg = GaussianProcess.Config.mbtl().withNormalizeY(true).withAlpha(1e-4);
    GaussianProcess gp = GaussianProcess.fit(x, y, cfg, new java.util.Random(1));
    double mu = gp.mean(5);
    GaussianProcess c = gp.condition(5, mu);
    for (double q = 0; q <= 14; q += 0.5) {
      assertEquals(gp.mean(q), c.mean(q), 1e-9, "mean at " + q);
      assertTrue(c.std(q) <= gp.std(q) + 1e-12, "std at " + q);
    }
    assertTrue(c.std(5) < 0.5 * gp.std(5), c.std(5) + " vs " + gp.std(5));
    GaussianProcess.Config fixed = GaussianProcess.Config.mbtl().fixed(gp.constant(), gp.lengthScale());
    GaussianProcess raw = GaussianProcess.fit(x, y, fixed, new java.util.Random(1));
    GaussianProcess refit = GaussianProcess.fit(new double[] {2, 7, 11, 5}, new double[] {0.4, 0.9, 0.6, 0.3}, fixed,
        new java.util.Random(1));
    GaussianProcess conditioned = raw.condition(5, 0.3);
    for (double q = 0; q <= 14; q += 1) {
      assertEquals(refit.mean(q), conditioned.mean(q), 1e-12);
      assertEquals(refit.std(q), conditioned.std(q), 1e-12);
    }
    double[][] xs = {{0, 1}, {3, 2}, {4, 4}};
    ArdGaussianProcess ard = ArdGaussianProcess.fit(xs, y, cfg, new java.util.Random(1), null);
    double[][] queries = {{1, 1}, {2, 3}, {4, 0}};
    double[][] before = ard.predict(queries);
    ArdGaussianProcess ardc = ard.condition(queries[1], before[0][1]);
    double[][] after = ardc.predict(queries);
    for (int i = 0; i < queries.length; i++) {
      assertEquals(before[0][i], after[0][i], 1e-9);
      assertTrue(after[1][i] <= before[1][i] + 1e-12);
    }
    assertTrue(after[1][1] < 0.5 * before[1][1]);
  }

  @Test
  void batchOutOfRangeIsAnError() {
    TransferMatrix m = SyntheticMatrices.generate("smooth", 10, 0, 1);
    assertThrows(IllegalArgumentException.class, () -> selector("mbtl", 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> selector("mbtl", 6).run(m, 5, Progress.NONE));
    assertTrue(e.getMessage().contains("batch Q = 6 is more than the budget K = 5"), e.getMessage());
    IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> Simulation.run(m, "m", 5,
        List.of("greedy"), Strategies.Options.defaults().withBatch(2), Progress.NONE));
    assertTrue(s.getMessage().contains("applies to the MBTL modes"), s.getMessage());
  }

  @Test
  void simulateWritesTheBatchComparison(@TempDir Path tmp) throws Exception {
    TransferMatrix m = SyntheticMatrices.generate("steep", 30, 0.02, 7);
    Simulation sim = Simulation.run(m, "steep", 10, List.of("mbtl", "random"),
        Strategies.Options.defaults().withBatch(4), Progress.NONE);
    BatchComparison c = sim.batch();
    assertEquals(3, c.rounds());
    assertEquals(10, c.trainingsAfter(3));
    assertArrayEquals(Strategies.run("mbtl", m, 10, Strategies.Options.defaults(), Progress.NONE).values(),
        c.sequential().get(0).values());
    sim.write(tmp);
    List<String> rounds = Files.readAllLines(tmp.resolve("batch-rounds.csv"));
    assertEquals("round,trainings,mbtl,mbtl-sequential,random,random_std", rounds.get(0));
    assertEquals(4, rounds.size());
    assertTrue(rounds.get(3).startsWith("3,10,"), rounds.get(3));
    assertEquals(11, Files.readAllLines(tmp.resolve("batch.csv")).size());
    assertTrue(Files.size(tmp.resolve("batch.png")) > 0);
  }

  /**
   * Run mode with Q = 3: the sweep's MBTL picks are simulate mode's batch picks; each round's
   * tasks train side by side (with --parallel 3, up to 3 at once); the batch is saved, and a
   * resumed sweep with a stopped round replays the same picks and trains only what is missing.
   */
  @Test
  void aSweepWithBatchesTrainsEachRoundSideBySideAndResumes(@TempDir Path tmp) throws Exception {
    TransferMatrix m = SyntheticMatrices.generate("two-peaked", 16, 0.02, 7);
    PpoConfig ppo = PpoConfig.controlDiscrete();
    ppo.totalTimesteps = 512;
    SweepSettings s = new SweepSettings(new TaskGrid("CartPole-v1", "length", 0.1, 2.0, 16), 8, List.of("mbtl"),
        false, 3, 4, 99, 0, 500, null, ppo, false, 3);
    int[] expected = Strategies.run("mbtl", m, 8, s.strategyOptions(), Progress.NONE).picks();
    assertArrayEquals(Strategies.run("mbtl", m, 8, s.strategyOptions(), Progress.NONE).picks(), expected);
    java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CyclicBarrier firstRound = new java.util.concurrent.CyclicBarrier(3);
    List<Integer> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    TaskTrainer trainer = task -> {
      calls.add(task);
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        if (calls.size() <= 3) {
          firstRound.await(10, java.util.concurrent.TimeUnit.SECONDS); // the round's 3 tasks are all in flight
        }
      } catch (Exception e) {
        throw new AssertionError("the first round's tasks did not train side by side", e);
      } finally {
        running.decrementAndGet();
      }
      return new TrainedTask(task, m.row(task).clone(), m.row(task).clone(), 512, 0, 0, 0);
    };
    Path dir = tmp.resolve("sweep");
    SweepResult r = Sweep.create(s, dir).run(trainer, 3, null);
    assertArrayEquals(expected, r.strategy("mbtl").picks());
    assertEquals(3, most.get(), "trainings at once");
    assertEquals(3, Sweep.open(dir).settings().batch());
    assertTrue(Files.readString(dir.resolve(Sweep.STATE)).contains("\"batch\": 3"));
    // stopped after 4 trainings (the first round and one of the second): the resume replays
    Path stopped = tmp.resolve("stopped");
    Sweep first = Sweep.create(s, stopped);
    RuntimeException crash = assertThrows(RuntimeException.class, () -> first.run(
        task -> new TrainedTask(task, m.row(task).clone(), m.row(task).clone(), 512, 0, 0, 0), 1,
        new Sweep.Listener() {
          @Override
          public void trained(TrainedTask t, int now, int total) {
            if (total == 4) {
              throw new IllegalStateException("stop");
            }
          }
        }));
    assertEquals("stop", crash.getMessage());
    Sweep resumed = Sweep.open(stopped);
    assertEquals(4, resumed.trained().size());
    List<Integer> again = java.util.Collections.synchronizedList(new ArrayList<>());
    SweepResult rr = resumed.run(task -> {
      again.add(task);
      return new TrainedTask(task, m.row(task).clone(), m.row(task).clone(), 512, 0, 0, 0);
    }, 2, null);
    assertArrayEquals(expected, rr.strategy("mbtl").picks());
    assertEquals(java.util.Set.of(expected[4], expected[5], expected[6], expected[7]), java.util.Set.copyOf(again),
        "only the missing picks train, once each: " + again);
    assertEquals(4, again.size(), "trained: " + again);
  }
}
