package dev.zeroshot.mbtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.agents.PpoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep's orchestration (lazy training, parallelism, state, resume, baselines) with a trainer
 * that reads rows of a known synthetic matrix: fast, and its rows are known, so the sweep's
 * results can be checked against simulate mode on the same matrix.
 */
class SweepTest {

  @TempDir
  Path dir;

  static SweepSettings settings(int n, int budget, List<String> strategies, boolean baselines) {
    PpoConfig ppo = PpoConfig.controlDiscrete();
    ppo.totalTimesteps = 512;
    return new SweepSettings(new TaskGrid("CartPole-v1", "length", 0.1, 2.0, n), budget, strategies, baselines, 3,
        4, 99, 0, 500, null, ppo);
  }

  /** Rows of a known matrix, with the samples a real trainer would report. */
  static final class MatrixTrainer implements TaskTrainer {
    final TransferMatrix m;
    final List<Integer> calls = Collections.synchronizedList(new ArrayList<>());

    MatrixTrainer(TransferMatrix m) {
      this.m = m;
    }

    @Override
    public TrainedTask train(int task) {
      calls.add(task);
      double[] row = m.row(task).clone();
      double[] ret = new double[row.length];
      for (int i = 0; i < row.length; i++) {
        ret[i] = 500 * row[i];
      }
      return new TrainedTask(task, ret, row, 512, ret[task], 0.01, 0.01);
    }
  }

  @Test
  void aSweepOverTwoFeaturesRunsOnTheGridSavesAndResumes() throws Exception {
    // CartPole length (4 values) x masscart (3 values): 12 tasks, row-major, masscart fastest
    TaskGrid grid = new TaskGrid("CartPole-v1", "length", 0.1, 2.0, 4,
        List.of(new TaskGrid.Axis("masscart", 0.5, 2.0, 3)));
    assertEquals(12, grid.size());
    assertEquals(GridShape.parse("4x3"), grid.shape());
    assertEquals("length=0.7333,masscart=1.25", grid.label(4)); // (1, 1)
    assertEquals(2.0, grid.contexts().get(11).get("length"), 1e-12);
    assertEquals(2.0, grid.contexts().get(11).get("masscart"), 1e-12);
    assertEquals(0.5, grid.contexts().get(9).get("masscart"), 1e-12);
    PpoConfig ppo = PpoConfig.controlDiscrete();
    ppo.totalTimesteps = 512;
    SweepSettings s = new SweepSettings(grid, 4, List.of("mbtl", "greedy"), true, 3, 4, 99, 0, 500, null, ppo);
    TransferMatrix m = SyntheticMatrices.generateGrid("smooth", grid.shape(), 0.02, 7);
    SweepResult r = Sweep.create(s, dir).run(new MatrixTrainer(m), 2, null);
    // the lazy picks are simulate mode's on the same grid; the baselines skip the line-only strategies
    for (String name : List.of("mbtl", "greedy")) {
      StrategyResult sim = Strategies.run(name, m, grid.shape(), 4, s.strategyOptions(), Progress.NONE);
      assertArrayEquals(sim.picks(), r.strategy(name).picks(), name);
    }
    assertTrue(r.strategies().stream().noneMatch(x -> Strategies.LINE_ONLY.contains(x.name())));
    SweepReport.write(r, dir);
    String trained = Files.readString(dir.resolve("trained.csv"));
    assertTrue(trained.startsWith("task,length;masscart,"), trained);
    String report = Files.readString(dir.resolve("report.json"));
    assertTrue(report.contains("\"taskValuesPerFeature\"") && report.contains("\"lengthScales\"")
        && report.contains("\"lefts\""), "per-feature values and model in report.json");
    // the state reads back with the grid, and a resume trains nothing
    Sweep reopened = Sweep.open(dir);
    assertEquals(grid, reopened.settings().grid());
    MatrixTrainer again = new MatrixTrainer(m);
    reopened.run(again, 1, null);
    assertTrue(again.calls.isEmpty(), "resume retrained " + again.calls);
    // line-only strategies are refused on a grid, with what is allowed
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new SweepSettings(grid, 4,
        List.of("equidistant-sweep"), false, 3, 4, 99, 0, 500, null, ppo)).getMessage().contains("line of tasks only"));
  }

  @Test
  void lazyStrategiesTrainOnlyTheirPicksAndAgreeWithSimulate() throws Exception {
    TransferMatrix m = SyntheticMatrices.generate("steep", 12, 0.02, 7);
    MatrixTrainer trainer = new MatrixTrainer(m);
    SweepSettings s = settings(12, 4, List.of("mbtl", "greedy"), false);
    SweepResult r = Sweep.create(s, dir).run(trainer, 2, null);
    for (String name : List.of("mbtl", "greedy")) {
      StrategyResult sim = Strategies.run(name, m, 4, s.strategyOptions(), Progress.NONE);
      StrategyResult run = r.strategy(name);
      assertArrayEquals(sim.picks(), run.picks(), name + " picks");
      assertArrayEquals(sim.values(), run.values(), 1e-15, name + " V_k");
      double[] samples = r.samples(name);
      for (int k = 0; k < 4; k++) {
        assertEquals(512.0 * (k + 1), samples[k], name + " samples at k = " + (k + 1));
      }
    }
    // each task trained once, however many strategies picked it
    List<Integer> calls = new ArrayList<>(trainer.calls);
    assertEquals(calls.stream().distinct().count(), calls.size(), "a task trained twice: " + calls);
    assertEquals(r.rows().keySet().size(), calls.size());
    assertTrue(calls.size() < 12, "lazy: only picked tasks are trained, got " + calls.size());
    assertNull(r.fullMatrix());
    assertTrue(r.efficiency().isEmpty(), "no efficiency without independent training");
    // matrix.csv: the trained rows filled, the others empty
    SweepReport.write(r, dir);
    List<String> lines = Files.readAllLines(dir.resolve("matrix.csv"));
    assertEquals(12, lines.size());
    for (int t = 0; t < 12; t++) {
      assertEquals(r.rows().containsKey(t), !lines.get(t).startsWith(","), "row " + t + ": " + lines.get(t));
    }
  }

  @Test
  void withBaselinesEveryTaskTrainsAndTheEfficiencyIsAgainstIndependentTraining() throws Exception {
    TransferMatrix m = SyntheticMatrices.generate("smooth", 10, 0.02, 7);
    SweepSettings s = settings(10, 5, List.of("mbtl"), true);
    SweepResult r = Sweep.create(s, dir).run(new MatrixTrainer(m), 3, null);
    assertNotNull(r.fullMatrix());
    assertEquals(10 * 512, r.independentSamples());
    assertEquals(m.diagonalMean(), r.independentValue(), 1e-12);
    assertEquals(Strategies.ALL.size(), r.strategies().size(), "every simulate strategy is reported");
    StrategyResult mbtl = r.strategy("mbtl");
    for (SweepResult.Efficiency e : r.efficiency()) {
      StrategyResult x = r.strategy(e.strategy());
      if (e.matchK() == null) {
        for (double v : x.values()) {
          assertTrue(v < m.diagonalMean(), e.strategy());
        }
        assertNull(e.ratio());
      } else {
        assertTrue(x.values()[e.matchK() - 1] >= m.diagonalMean() - 1e-12);
        if (e.matchK() > 1) {
          assertTrue(x.values()[e.matchK() - 2] < m.diagonalMean(), "the first k that matches");
        }
        assertEquals(10 * 512 / e.samplesToMatch(), e.ratio(), 1e-12);
      }
    }
    assertEquals(mbtl.values()[4], r.efficiency().get(0).valueAtK());
    // the random baseline's samples are k trainings at every k (each training costs 512 here)
    assertArrayEquals(new double[] {512, 1024, 1536, 2048, 2560}, r.samples("random"), 1e-9);
    List<Path> files = SweepReport.write(r, dir);
    for (Path f : files) {
      assertTrue(Files.size(f) > 0, f.toString());
    }
    assertTrue(Files.exists(dir.resolve("sequential-oracle.csv")));
    String eq = Files.readString(dir.resolve("equidistant.csv"));
    assertTrue(eq.startsWith("k,set,length,V,samples"), eq);
  }

  @Test
  void taskValuesAreWrittenAsTyped() throws Exception {
    TransferMatrix m = SyntheticMatrices.generate("smooth", 20, 0.02, 7);
    SweepResult r = Sweep.create(settings(20, 5, List.of("mbtl"), true), dir).run(new MatrixTrainer(m), 2, null);
    SweepReport.write(r, dir);
    List<String> typed = new ArrayList<>(); // 0.1:2.0 over 20 tasks: 0.1, 0.2, ..., 2.0
    for (int t = 0; t < 20; t++) {
      typed.add(new java.math.BigDecimal("0.1").multiply(java.math.BigDecimal.valueOf(t + 1)).toPlainString());
    }
    String trained = Files.readString(dir.resolve("trained.csv"));
    for (int t = 0; t < 20; t++) { // in doubles task 13 was 1.4000000000000001, task 9 0.9999999999999999
      assertTrue(trained.contains("\n" + t + "," + typed.get(t) + ","), "task " + t + " as " + typed.get(t) + ": " + trained);
    }
    List<String> mbtl = Files.readAllLines(dir.resolve("mbtl.csv"));
    for (String line : mbtl.subList(1, mbtl.size())) { // k,pick,length,...
      String[] f = line.split(",");
      assertEquals(typed.get(Integer.parseInt(f[1])), f[2], line);
    }
    String report = Files.readString(dir.resolve("report.json")).replaceAll("\\s", "");
    assertTrue(report.contains("\"taskValues\":[" + String.join(",", typed) + "]"), report);
  }

  @Test
  void resultsDoNotDependOnParallelism() throws Exception {
    TransferMatrix m = SyntheticMatrices.generate("two-peaked", 14, 0.02, 3);
    SweepSettings s = settings(14, 6, List.of("mbtl", "mbtl-paper", "greedy", "equidistant-sweep"), false);
    SweepResult one = Sweep.create(s, dir.resolve("p1")).run(new MatrixTrainer(m), 1, null);
    SweepResult four = Sweep.create(s, dir.resolve("p4")).run(new MatrixTrainer(m), 4, null);
    for (StrategyResult x : one.strategies()) {
      assertArrayEquals(x.picks(), four.strategy(x.name()).picks(), x.name());
      assertArrayEquals(x.values(), four.strategy(x.name()).values(), 0, x.name());
    }
    assertEquals(Files.readString(dir.resolve("p1").resolve(Sweep.STATE)),
        Files.readString(dir.resolve("p4").resolve(Sweep.STATE)), "the same state file, byte for byte");
  }

  @Test
  void aCrashedSweepResumesWithoutRedoingFinishedTrainings() throws Exception {
    TransferMatrix m = SyntheticMatrices.generate("cliff", 12, 0.02, 5);
    SweepSettings s = settings(12, 6, List.of("mbtl", "greedy"), false);
    SweepResult whole = Sweep.create(s, dir.resolve("whole")).run(new MatrixTrainer(m), 1, null);
    int total = whole.rows().size();

    Path crash = dir.resolve("crash");
    MatrixTrainer first = new MatrixTrainer(m);
    RuntimeException boom = assertThrows(RuntimeException.class,
        () -> Sweep.create(s, crash).run(first, 1, new Sweep.Listener() {
          @Override
          public void trained(TrainedTask t, int trainedNow, int trainedTotal) {
            if (trainedNow == 3) {
              throw new IllegalStateException("simulated crash after 3 trainings");
            }
          }
        }));
    assertEquals("simulated crash after 3 trainings", boom.getMessage());
    Sweep reopened = Sweep.open(crash);
    Map<Integer, TrainedTask> saved = reopened.trained();
    assertEquals(3, saved.size(), "the three finished trainings are saved");

    MatrixTrainer second = new MatrixTrainer(m);
    SweepResult resumed = reopened.run(second, 2, null);
    for (int t : second.calls) {
      assertFalse(saved.containsKey(t), "task " + t + " was trained again");
    }
    assertEquals(total - 3, second.calls.size());
    assertEquals(total - 3, resumed.trainedNow());
    for (StrategyResult x : whole.strategies()) {
      assertArrayEquals(x.picks(), resumed.strategy(x.name()).picks(), x.name());
      assertArrayEquals(x.values(), resumed.strategy(x.name()).values(), 0, x.name());
    }
    assertEquals(Files.readString(dir.resolve("whole").resolve(Sweep.STATE)),
        Files.readString(crash.resolve(Sweep.STATE)));
  }

  @Test
  void badSettingsAreOneClearError() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(5, 6, List.of("mbtl"), false))
        .getMessage().contains("budget K must be in 1..5"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new TaskGrid("CartPole-v1", "poles", 0.1, 1, 5)).getMessage().contains("known features"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new TaskGrid("CartPole-v1", "length", 0.01, 1, 5)).getMessage().contains("outside the allowed range"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new TaskGrid("CartPole-v1", "length", 1, 0.5, 5)).getMessage().contains("A < B"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(5, 2, List.of("random"), false))
        .getMessage().contains("cannot run lazily"));
  }

  /** sweep.json files written while PPO's context was text ({@code "context": ""}) still open. */
  @Test
  void aSweepSavedWithTheContextAsTextStillOpens() throws Exception {
    // the demo's sweep.json as written then: its PPO settings with "context": "" (the file is now written without it)
    String now = Files.readString(Path.of("../docs/examples/mbtl/cartpole-length-demo").resolve(Sweep.STATE));
    String then = now.replaceFirst("\"ppo\": \\{", "\"ppo\": {\n      \"context\": \"\",");
    assertNotEquals(now, then);
    Files.writeString(dir.resolve(Sweep.STATE), then);
    assertTrue(Files.readString(dir.resolve(Sweep.STATE)).contains("\"context\": \"\""));
    SweepSettings s = Sweep.open(dir).settings();
    assertEquals("CartPole-v1", s.grid().envId());
    assertEquals(20, s.n());
    assertNull(s.ppo().context);
    assertEquals(196608, s.stepsPerTask());
    // and what it saves now reads back to the same settings
    assertEquals(s.toJson(), SweepSettings.fromJson(s.toJson()).toJson());
  }
}
