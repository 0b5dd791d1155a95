package dev.zeroshot.mbtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The one place sweep settings are checked: what it builds, and its errors in each caller's names. */
class SweepSpecTest {

  /** Names as a command line would give them: {@code --tasks}. */
  private static final SweepSpec.Names FLAGS = f -> "--" + f.name().toLowerCase().replace('_', '-');

  /** Names as a proto message would: {@code Msg.tasks}; no field for the return range. */
  private static final SweepSpec.Names FIELDS = f -> f == SweepSpec.Field.RETURN_RANGE ? null
      : "Msg." + f.name().toLowerCase();

  private static SweepSpec.Run line(SweepSpec.Names names) {
    return new SweepSpec.Run(names).env("CartPole-v1").axes(List.of(new TaskGrid.Axis("length", 0.1, 2.0, 5)))
        .budget(2).stepsPerTask(512);
  }

  private static String error(SweepSpec.Names names, UnaryOperator<SweepSpec.Run> change) {
    return assertThrows(IllegalArgumentException.class, () -> change.apply(line(names)).settings()).getMessage();
  }

  @Test
  void buildsWhatTheRecordsWouldWithTheDocumentedDefaults() {
    TaskGrid grid = new TaskGrid("CartPole-v1", "length", 0.1, 2.0, 5);
    SweepSettings byHand = new SweepSettings(grid, 2, List.of("mbtl"), false, 1, 10, SweepSpec.EVAL_SEED, 0, 500,
        null, SweepSettings.preset(grid.spec(), 512), false);
    assertEquals(byHand.toJson(), line(FLAGS).settings().toJson());
    // nulls keep the defaults; strategies are trimmed, lower-cased and each kept once
    SweepSettings given = line(FLAGS).strategies(List.of(" Greedy", "mbtl", "greedy", "")).seed(null)
        .evalEpisodes(null).withBaselines(null).multiTask(true).returnRange(new double[] {10, 20}).theta(0.01)
        .settings();
    assertEquals(List.of("greedy", "mbtl"), given.strategies());
    assertEquals(1, given.seed());
    assertEquals(10, given.evalEpisodes());
    assertEquals(10, given.low());
    assertEquals(20, given.high());
    assertEquals(0.01, given.theta());
    assertEquals(true, given.multiTask());
  }

  @Test
  void everyErrorNamesTheSettingAsTheCallerDoes() {
    Object[][] cases = {
        {(UnaryOperator<SweepSpec.Run>) r -> r.env(""), "env", " is required"},
        {(UnaryOperator<SweepSpec.Run>) r -> r.axes(List.of()), "feature",
            " is required: give at least one feature with its range and tasks"},
        {(UnaryOperator<SweepSpec.Run>) r -> r.axes(List.of(new TaskGrid.Axis("length", 0.1, 2.0, 5),
            new TaskGrid.Axis("length", 0.1, 2.0, 2))), "feature", " length is given twice"},
        {(UnaryOperator<SweepSpec.Run>) r -> r.axes(List.of(new TaskGrid.Axis("length", 2.0, 0.1, 5))), "range",
            " needs finite A < B in A:B, got 2.0:0.1"},
        {(UnaryOperator<SweepSpec.Run>) r -> r.axes(List.of(new TaskGrid.Axis("length", 0.1, 2.0, 1))), "tasks",
            " must be >= 2, got 1"},
        {(UnaryOperator<SweepSpec.Run>) r -> r.budget(6), "budget",
            " 6 is out of range: with 5 tasks the budget K must be in 1..5"},
        {(UnaryOperator<SweepSpec.Run>) r -> r.stepsPerTask(0), "steps_per_task", " must be >= 1, got 0"},
        {(UnaryOperator<SweepSpec.Run>) r -> r.stepsPerTask(100), "steps_per_task",
            " 100 is less than one PPO batch (4 envs x 128 steps = 512)"},
        {(UnaryOperator<SweepSpec.Run>) r -> r.strategies(List.of(" ", "")), "strategies", " is empty; use some of: "},
        {(UnaryOperator<SweepSpec.Run>) r -> r.evalEpisodes(0), "eval_episodes", " must be >= 1, got 0"},
        {(UnaryOperator<SweepSpec.Run>) r -> r.theta(-1.0), "theta", " must be finite and >= 0, got -1.0"},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      UnaryOperator<SweepSpec.Run> change = (UnaryOperator<SweepSpec.Run>) c[0];
      String field = (String) c[1];
      String flag = error(FLAGS, change);
      String proto = error(FIELDS, change);
      assertTrue(flag.startsWith("--" + field.replace('_', '-') + c[2]), flag);
      assertTrue(proto.startsWith("Msg." + field + c[2]), proto);
      assertEquals(flag.substring(flag.indexOf(' ')), proto.substring(proto.indexOf(' ')), "the same problem");
    }
    // a message may name a second setting, again in the caller's terms
    assertEquals("--strategies 'random' cannot run lazily; use some of: mbtl, mbtl-paper, mbtl-ucb, mbtl-ei, gp-mbtl, "
        + "m-mbtl, mgp-mbtl, greedy, equidistant-sweep (--with-baselines adds every other strategy, computed on the "
        + "whole matrix)",
        error(FLAGS, r -> r.strategies(List.of("random"))));
    assertEquals("Msg.strategies 'random' cannot run lazily; use some of: mbtl, mbtl-paper, mbtl-ucb, mbtl-ei, gp-mbtl, "
        + "m-mbtl, mgp-mbtl, greedy, equidistant-sweep (Msg.with_baselines adds every other strategy, computed on the whole matrix)",
        error(FIELDS, r -> r.strategies(List.of("random"))));
    // a setting the caller does not have is not offered
    assertEquals("no known return bounds for MountainCarContinuous-v0; give --return-range LOW:HIGH (known: "
        + "Acrobot-v1, CartPole-v1, MountainCar-v0, Pendulum-v1, TrafficSignal-v0)", error(FLAGS, r -> r.env("MountainCarContinuous-v0")
        .axes(List.of(new TaskGrid.Axis("power", 0.001, 0.002, 2)))));
    assertEquals("no known return bounds for MountainCarContinuous-v0 (known: Acrobot-v1, CartPole-v1, MountainCar-v0, "
        + "Pendulum-v1, TrafficSignal-v0)", error(FIELDS, r -> r.env("MountainCarContinuous-v0")
        .axes(List.of(new TaskGrid.Axis("power", 0.001, 0.002, 2)))));
    // built without a caller (e.g. read back from sweep.json), the records name their own fields
    assertEquals("budget 6 is out of range: with 5 tasks the budget K must be in 1..5",
        assertThrows(IllegalArgumentException.class, () -> SweepTest.settings(5, 6, List.of("mbtl"), false))
            .getMessage());
  }

  @Test
  void simulateChecksTheBudgetTheGridAndTheStrategies() {
    TransferMatrix m = SyntheticMatrices.generateGrid("smooth", GridShape.parse("4x5"), 0.02, 7);
    SimulateSettings s = new SweepSpec.Simulate(FLAGS).matrix(m).steps(3).settings();
    assertEquals(GridShape.line(20), s.shape());
    assertEquals(Strategies.parse("all"), s.strategies());
    assertEquals(new Strategies.Options(null, 1.0, 0, 100, 42), s.options());
    SimulateSettings grid = new SweepSpec.Simulate(FIELDS).matrix(m).grid(GridShape.parse("4x5")).steps(3)
        .strategies("all").theta(0.1).beta(2.0).seed(5L).randomOrderings(7).randomSeed(9L).settings();
    assertEquals(Strategies.parse("all", GridShape.parse("4x5")), grid.strategies());
    assertEquals(new Strategies.Options(0.1, 2.0, 5, 7, 9), grid.options());

    assertEquals("--budget 21 is out of range: the matrix has N = 20 tasks, so K must be in 1..20",
        assertThrows(IllegalArgumentException.class, () -> new SweepSpec.Simulate(FLAGS).matrix(m).steps(21)
            .settings()).getMessage());
    assertEquals("Msg.grid 4x4 has 16 tasks but the matrix is 20 x 20: the product of the grid's sizes must equal N "
        + "(or leave out Msg.grid for a line of N tasks)", assertThrows(IllegalArgumentException.class,
            () -> new SweepSpec.Simulate(FIELDS).matrix(m).grid(GridShape.parse("4x4")).steps(2).settings())
            .getMessage());
    assertEquals("Msg.strategies is empty; use 'all' or some of: " + String.join(", ", Strategies.ALL.keySet()),
        assertThrows(IllegalArgumentException.class, () -> new SweepSpec.Simulate(FIELDS).matrix(m).steps(2)
            .strategies(" ").settings()).getMessage());
    assertEquals("--beta must be finite and >= 0, got -1.0", assertThrows(IllegalArgumentException.class,
        () -> new SweepSpec.Simulate(FLAGS).matrix(m).steps(2).beta(-1.0).settings()).getMessage());
    assertEquals("Msg.random_orderings must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
        () -> new SweepSpec.Simulate(FIELDS).matrix(m).steps(2).randomOrderings(0).settings()).getMessage());
    assertNull(FIELDS.of(SweepSpec.Field.RETURN_RANGE));
  }
}
