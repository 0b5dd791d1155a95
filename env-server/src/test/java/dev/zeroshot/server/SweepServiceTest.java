package dev.zeroshot.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.mbtl.GridShape;
import dev.zeroshot.mbtl.Simulation;
import dev.zeroshot.mbtl.Strategies;
import dev.zeroshot.mbtl.StrategyResult;
import dev.zeroshot.mbtl.SyntheticMatrices;
import dev.zeroshot.mbtl.TaskGrid;
import dev.zeroshot.mbtl.TrainedTask;
import dev.zeroshot.mbtl.TransferMatrix;
import dev.zeroshot.proto.v1.RunSweep;
import dev.zeroshot.proto.v1.SimulateSweep;
import dev.zeroshot.proto.v1.StartSweepRequest;
import dev.zeroshot.proto.v1.StrategyCurve;
import dev.zeroshot.proto.v1.SweepRequest;
import dev.zeroshot.proto.v1.SweepServiceGrpc;
import dev.zeroshot.proto.v1.SweepState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SweepService over a real loopback server: start, watch, get, cancel, and bad input. */
class SweepServiceTest {

  private static SimulateSweep.Builder simulate(TransferMatrix m, int steps) {
    SimulateSweep.Builder b = SimulateSweep.newBuilder().setN(m.size()).setSteps(steps);
    for (int i = 0; i < m.size(); i++) {
      for (double v : m.row(i)) {
        b.addMatrix(v);
      }
    }
    return b;
  }

  @Test
  void aWatchedSimulateSweepEndsWithTheSameCurvesAsSimulateMode() throws Exception {
    TransferMatrix m = SyntheticMatrices.generate("steep", 16, 0.02, 7);
    // The sweep's worker is held until the watch has its first state: a 16-task sweep can end before
    // a watch connects on a loaded machine, and then no progress is there to see.
    java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor();
    java.util.concurrent.CountDownLatch watching = new java.util.concurrent.CountDownLatch(1);
    worker.execute(() -> {
      try {
        watching.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    io.grpc.Server server = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
        .forAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
        .addService(new SweepService(null, SweepLimits.DEFAULTS, worker)).build().start();
    try {
      ManagedChannel ch = RemoteVectorEnv.channel("127.0.0.1:" + server.getPort(), 64 << 20);
      try {
        var stub = SweepServiceGrpc.newBlockingStub(ch);
        SweepState started = stub.startSweep(StartSweepRequest.newBuilder().setSimulate(
            simulate(m, 6).addStrategies("mbtl").addStrategies("greedy").addStrategies("random").setSeed(3)).build());
        assertEquals(SweepState.Phase.RUNNING, started.getPhase());
        assertEquals(3, started.getStrategiesTotal());
        List<SweepState> seen = new ArrayList<>();
        Iterator<SweepState> it = stub.watchSweep(SweepRequest.newBuilder().setSweepId(started.getSweepId()).build());
        seen.add(it.next());
        watching.countDown();
        it.forEachRemaining(seen::add);
        SweepState last = seen.get(seen.size() - 1);
        assertEquals(SweepState.Phase.DONE, last.getPhase(), last.toString());
        for (int i = 1; i < seen.size(); i++) {
          assertTrue(seen.get(i).getVersion() > seen.get(i - 1).getVersion(), "versions increase");
        }
        assertTrue(seen.stream().anyMatch(s -> s.getPhase() == SweepState.Phase.RUNNING), "progress before the end");
        assertEquals(3, last.getStrategiesDone());
        List<String> names = List.of("mbtl", "greedy", "random");
        Strategies.Options o = new Strategies.Options(null, 1.0, 3, 100, 42);
        for (int i = 0; i < names.size(); i++) {
          StrategyCurve c = last.getStrategies(i);
          StrategyResult expected = Strategies.run(names.get(i), m, 6, o, dev.zeroshot.mbtl.Progress.NONE);
          assertEquals(names.get(i), c.getName());
          assertArrayEquals(expected.values(), c.getValuesList().stream().mapToDouble(Double::doubleValue).toArray(),
              0.0, c.getName());
          assertArrayEquals(expected.picks(), c.getPicksList().stream().mapToInt(Integer::intValue).toArray(),
              c.getName());
          assertEquals(expected.average(), c.getAverage(), 0.0);
        }
        SweepState got = stub.getSweep(SweepRequest.newBuilder().setSweepId(started.getSweepId()).build());
        assertEquals(last, got);
        // cancelling a finished sweep leaves it as it was
        assertEquals(last, stub.cancelSweep(SweepRequest.newBuilder().setSweepId(started.getSweepId()).build()));
      } finally {
        ch.shutdownNow();
      }
    } finally {
      server.shutdownNow();
      worker.shutdownNow();
    }
  }

  @Test
  void aCancelledSweepEndsCancelledAndBadInputIsRefused() throws Exception {
    TransferMatrix big = SyntheticMatrices.generate("smooth", 100, 0.02, 7);
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1).start()) {
      ManagedChannel ch = RemoteVectorEnv.channel("127.0.0.1:" + server.port(), 64 << 20);
      try {
        var stub = SweepServiceGrpc.newBlockingStub(ch);
        // K = N = 100 on every MBTL mode takes seconds: cancel it after its first progress step
        SweepState started = stub.startSweep(StartSweepRequest.newBuilder().setSimulate(simulate(big, 100)
            .addStrategies("mbtl-paper").addStrategies("mbtl").addStrategies("mbtl-ei")).build());
        SweepRequest id = SweepRequest.newBuilder().setSweepId(started.getSweepId()).build();
        Iterator<SweepState> it = stub.watchSweep(id);
        SweepState s = it.next();
        while (s.getDone() == 0 && it.hasNext()) {
          s = it.next();
        }
        stub.cancelSweep(id);
        SweepState last = s;
        while (it.hasNext()) {
          last = it.next();
        }
        assertEquals(SweepState.Phase.CANCELLED, last.getPhase(), last.toString());
        assertTrue(last.getStrategiesCount() == 0 && last.getStrategiesDone() < 3, last.toString());
        assertEquals(SweepState.Phase.CANCELLED, stub.getSweep(id).getPhase());

        String[][] bad = {{"3", "8", "2"}, {"4", "16", "5"}, {"0", "0", "1"}};
        String[] why = {"needs 9", "SimulateSweep.steps 5 is out of range: the matrix has N = 4 tasks, so K must be in "
            + "1..4", "n must be in"};
        for (int i = 0; i < bad.length; i++) {
          SimulateSweep.Builder b = SimulateSweep.newBuilder().setN(Integer.parseInt(bad[i][0]))
              .setSteps(Integer.parseInt(bad[i][2]));
          for (int j = 0; j < Integer.parseInt(bad[i][1]); j++) {
            b.addMatrix(0.5);
          }
          StartSweepRequest req = StartSweepRequest.newBuilder().setSimulate(b).build();
          StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.startSweep(req));
          assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
          assertTrue(e.getStatus().getDescription().contains(why[i]), e.getStatus().getDescription());
        }
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> stub.startSweep(
            StartSweepRequest.newBuilder().setSimulate(simulate(SyntheticMatrices.generate("smooth", 4, 0, 1), 2)
                .addStrategies("magic")).build()));
        assertTrue(unknown.getStatus().getDescription().contains("unknown strategy 'magic'"));
        assertThrows(StatusRuntimeException.class, () -> stub.startSweep(StartSweepRequest.getDefaultInstance()));
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
            () -> stub.getSweep(SweepRequest.newBuilder().setSweepId("sweep-999").build()));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
        missing = assertThrows(StatusRuntimeException.class,
            () -> stub.getSweep(SweepRequest.newBuilder().setSweepId("s".repeat(10_000)).build()));
        assertEquals("no sweep '" + "s".repeat(64) + "...' (10000 characters)", missing.getStatus().getDescription());
      } finally {
        ch.shutdownNow();
      }
    }
  }

  @Test
  void aBatchSimulateSweepPicksAsSimulateModeWithThatBatch() throws Exception {
    TransferMatrix m = SyntheticMatrices.generate("two-peaked", 20, 0.02, 7);
    Strategies.Options o = new Strategies.Options(null, 1.0, 5, 100, 42, 3);
    // what `zeroshot mbtl simulate --strategies mbtl,greedy --seed 5 --batch 3` computes
    Simulation expected = Simulation.run(m, "m", 7, List.of("mbtl", "greedy"), o, dev.zeroshot.mbtl.Progress.NONE);
    int[] sequential = Strategies.run("mbtl", m, 7, o.withBatch(1), dev.zeroshot.mbtl.Progress.NONE).picks();
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1).start()) {
      ManagedChannel ch = RemoteVectorEnv.channel("127.0.0.1:" + server.port(), 64 << 20);
      try {
        var stub = SweepServiceGrpc.newBlockingStub(ch);
        SweepState last = runToEnd(stub, StartSweepRequest.newBuilder().setSimulate(
            simulate(m, 7).addStrategies("mbtl").addStrategies("greedy").setSeed(5).setBatch(3)).build());
        assertEquals(SweepState.Phase.DONE, last.getPhase(), last.toString());
        for (int i = 0; i < 2; i++) {
          StrategyResult r = expected.results().get(i);
          StrategyCurve c = last.getStrategies(i);
          assertArrayEquals(r.picks(), c.getPicksList().stream().mapToInt(Integer::intValue).toArray(), r.name());
          assertArrayEquals(r.values(), c.getValuesList().stream().mapToDouble(Double::doubleValue).toArray(), 0.0);
        }
        assertTrue(!java.util.Arrays.equals(sequential, last.getStrategies(0).getPicksList().stream()
            .mapToInt(Integer::intValue).toArray()), "batch 3 picks as batch 1");
        assertRefused(stub, StartSweepRequest.newBuilder().setSimulate(simulate(m, 7).setBatch(8)).build(),
            "batch 8 is out of range");
      } finally {
        ch.shutdownNow();
      }
    }
  }

  private static SweepState runToEnd(SweepServiceGrpc.SweepServiceBlockingStub stub, StartSweepRequest request) {
    SweepState last = stub.startSweep(request);
    Iterator<SweepState> it = stub.watchSweep(SweepRequest.newBuilder().setSweepId(last.getSweepId()).build());
    while (it.hasNext()) {
      last = it.next();
    }
    return last;
  }

  private static void assertRefused(SweepServiceGrpc.SweepServiceBlockingStub stub, StartSweepRequest request,
                                    String why) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.startSweep(request));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(e.getStatus().getDescription().contains(why), "expected '" + why + "' in: "
        + e.getStatus().getDescription());
  }

  @Test
  void aGridSimulateSweepEndsWithTheCurvesOfSimulateModeOnThatGrid() throws Exception {
    GridShape shape = GridShape.parse("4x5");
    TransferMatrix m = SyntheticMatrices.generateGrid("two-peaked", shape, 0.02, 7);
    int k = 6;
    Strategies.Options o = new Strategies.Options(null, 1.0, 5, 100, 42);
    // what `zeroshot mbtl simulate --grid 4x5 --strategies all --seed 5` computes (Simulation, as the CLI calls it)
    List<String> all = Strategies.parse("all", shape);
    Simulation expected = Simulation.run(m, "grid", shape, k, all, o, dev.zeroshot.mbtl.Progress.NONE);
    Simulation line = Simulation.run(m, "line", GridShape.line(20), k, List.of("mbtl", "greedy"), o,
        dev.zeroshot.mbtl.Progress.NONE);
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1).start()) {
      ManagedChannel ch = RemoteVectorEnv.channel("127.0.0.1:" + server.port(), 64 << 20);
      try {
        var stub = SweepServiceGrpc.newBlockingStub(ch);
        SweepState last = runToEnd(stub, StartSweepRequest.newBuilder().setSimulate(
            simulate(m, k).addGrid(4).addGrid(5).setSeed(5)).build());
        assertEquals(SweepState.Phase.DONE, last.getPhase(), last.toString());
        // "all" on a grid: every strategy but the line-only ones, in the CLI's order
        assertEquals(all, last.getStrategiesList().stream().map(StrategyCurve::getName).toList());
        assertTrue(all.stream().noneMatch(Strategies.LINE_ONLY::contains));
        for (int i = 0; i < all.size(); i++) {
          StrategyCurve c = last.getStrategies(i);
          StrategyResult r = expected.results().get(i);
          assertEquals(r.name(), c.getName());
          assertEquals(r.kind(), c.getKind(), c.getName());
          assertArrayEquals(r.values(), c.getValuesList().stream().mapToDouble(Double::doubleValue).toArray(), 0.0,
              c.getName());
          assertArrayEquals(r.picks(), c.getPicksList().stream().mapToInt(Integer::intValue).toArray(), c.getName());
          assertEquals(r.average(), c.getAverage(), 0.0, c.getName());
        }
        // the grid changed what was picked: the same matrix read as a line of 20 gives other picks
        for (String name : List.of("mbtl", "greedy")) {
          StrategyCurve c = last.getStrategies(all.indexOf(name));
          assertEquals(shape.middle(), c.getPicks(0), name + " starts at the grid's middle");
          assertTrue(!java.util.Arrays.equals(line.result(name).picks(),
              c.getPicksList().stream().mapToInt(Integer::intValue).toArray()), name + " picks as on a line");
        }
        assertArrayEquals(dev.zeroshot.mbtl.Baselines.greedyCoverage(shape, k),
            last.getStrategies(all.indexOf("greedy")).getPicksList().stream().mapToInt(Integer::intValue).toArray());

        // a one-size grid is a line: the same curves as no grid
        SweepState asLine = runToEnd(stub, StartSweepRequest.newBuilder().setSimulate(
            simulate(m, k).addGrid(20).addStrategies("greedy").setSeed(5)).build());
        assertEquals(SweepState.Phase.DONE, asLine.getPhase(), asLine.toString());
        assertArrayEquals(line.result("greedy").picks(),
            asLine.getStrategies(0).getPicksList().stream().mapToInt(Integer::intValue).toArray());

        // bad grids and line-only strategies on a grid: refused, naming what is wrong and what is allowed
        assertRefused(stub, StartSweepRequest.newBuilder().setSimulate(simulate(m, k).addGrid(4).addGrid(4)).build(),
            "SimulateSweep.grid 4x4 has 16 tasks but the matrix is 20 x 20: the product of the grid's sizes must "
                + "equal N (or leave out SimulateSweep.grid for a line of N tasks)");
        assertRefused(stub, StartSweepRequest.newBuilder().setSimulate(simulate(m, k).addGrid(20).addGrid(0)).build(),
            "every size must be >= 2");
        assertRefused(stub, StartSweepRequest.newBuilder().setSimulate(simulate(m, k).addGrid(0)).build(),
            "every size must be >= 1");
        assertRefused(stub, StartSweepRequest.newBuilder().setSimulate(simulate(m, k).addGrid(-1).addGrid(2)).build(),
            "grid size 4294967295 (feature 0) is more than 1000 tasks");
        for (String lineOnly : List.of("equidistant", "equidistant-sweep")) {
          assertRefused(stub, StartSweepRequest.newBuilder().setSimulate(simulate(m, k).addGrid(4).addGrid(5)
              .addStrategies("mbtl").addStrategies(lineOnly)).build(),
              "strategy '" + lineOnly + "' is defined on a line of tasks only, not on the grid 4x5; on a grid use "
                  + "some of: mbtl, mbtl-paper");
        }
        assertRefused(stub, StartSweepRequest.newBuilder().setSimulate(simulate(m, 21).addGrid(4).addGrid(5)).build(),
            "SimulateSweep.steps 21 is out of range: the matrix has N = 20 tasks, so K must be in 1..20");
        // the server is still up and serving
        assertEquals(SweepState.Phase.DONE, stub.getSweep(SweepRequest.newBuilder().setSweepId(last.getSweepId())
            .build()).getPhase());
      } finally {
        ch.shutdownNow();
      }
    }
  }

  @Test
  void aGridRunSweepTrainsOnTheGridsContexts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root)
      throws Exception {
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1, null, root)
        .start()) {
      ManagedChannel ch = RemoteVectorEnv.channel("127.0.0.1:" + server.port(), 64 << 20);
      try {
        var stub = SweepServiceGrpc.newBlockingStub(ch);
        // as `zeroshot mbtl run --env CartPole-v1 --feature length,masscart --range 0.2:1.0,0.5:2.0 --tasks 2x2`
        RunSweep.Builder spec = RunSweep.newBuilder().setEnvId("CartPole-v1")
            .addAxes(RunSweep.Axis.newBuilder().setFeature("length").setRangeFrom(0.2).setRangeTo(1.0).setTasks(2))
            .addAxes(RunSweep.Axis.newBuilder().setFeature("masscart").setRangeFrom(0.5).setRangeTo(2.0).setTasks(2))
            .setBudget(2).setStepsPerTask(512).setEvalEpisodes(1).setSeed(1).addStrategies("mbtl")
            .addStrategies("greedy");
        SweepState started = stub.startSweep(StartSweepRequest.newBuilder().setRun(spec).build());
        SweepState last = started;
        Iterator<SweepState> it = stub.watchSweep(SweepRequest.newBuilder().setSweepId(started.getSweepId()).build());
        while (it.hasNext()) {
          last = it.next();
        }
        assertEquals(SweepState.Phase.DONE, last.getPhase(), last.toString());
        dev.zeroshot.mbtl.Sweep saved = dev.zeroshot.mbtl.Sweep.open(root.resolve(started.getSweepId()));
        // the sweep's tasks are the CLI's grid: the same TaskGrid as `--feature length,masscart ... --tasks 2x2`
        TaskGrid cli = TaskGrid.of("CartPole-v1", List.of(new TaskGrid.Axis("length", 0.2, 1.0, 2),
            new TaskGrid.Axis("masscart", 0.5, 2.0, 2)));
        assertEquals(cli, saved.settings().grid());
        assertEquals(GridShape.parse("2x2"), saved.settings().grid().shape());
        assertEquals(cli.contexts(), saved.settings().grid().contexts());
        assertEquals(saved.trained().size(), last.getTrained());
        int n = 4;
        for (StrategyCurve c : last.getStrategiesList()) {
          assertEquals(2, c.getPicksCount(), c.getName());
          for (int k = 1; k <= 2; k++) { // V_k recomputed from the rows the sweep saved
            double v = 0;
            for (int t = 0; t < n; t++) {
              double best = Double.NEGATIVE_INFINITY;
              for (int j = 0; j < k; j++) {
                TrainedTask row = saved.trained().get(c.getPicks(j));
                assertEquals(n, row.row().length);
                best = Math.max(best, row.row()[t]);
              }
              v += best / n;
            }
            assertEquals(v, c.getValues(k - 1), 1e-12, c.getName() + " V_" + k);
          }
        }
        assertEquals(List.of("mbtl", "greedy"), last.getStrategiesList().stream().map(StrategyCurve::getName).toList());
        // on the grid: mbtl starts at the grid's middle (a line of 4 would start at 1), greedy is greedy coverage
        assertEquals(GridShape.parse("2x2").middle(), last.getStrategies(0).getPicks(0));
        assertArrayEquals(dev.zeroshot.mbtl.Baselines.greedyCoverage(GridShape.parse("2x2"), 2),
            last.getStrategies(1).getPicksList().stream().mapToInt(Integer::intValue).toArray());

        // bad grids: refused before anything is trained, with the CLI's checks, naming RunSweep's fields
        RunSweep.Axis length = spec.getAxes(0);
        RunSweep.Axis masscart = spec.getAxes(1);
        Object[][] bad = {
            {spec.clone().setFeature("length"), "sets both the single-feature fields (feature, range_from, range_to, "
                + "tasks) and axes; give one or the other"},
            {spec.clone().setTasks(4), "give one or the other"},
            {spec.clone().setAxes(1, masscart.toBuilder().setFeature("polelength")), "polelength"},
            {spec.clone().setAxes(1, masscart.toBuilder().setRangeTo(20)), "masscart"},
            {spec.clone().setAxes(1, masscart.toBuilder().setTasks(1)),
                "RunSweep.axes.tasks must be >= 2 along every feature, got 1 for masscart"},
            {spec.clone().setAxes(1, masscart.toBuilder().setTasks(0)),
                "RunSweep.axes.tasks must be >= 2 along every feature, got 0 for masscart"},
            {spec.clone().setAxes(1, length), "RunSweep.axes.feature length is given twice"},
            {spec.clone().setAxes(1, masscart.toBuilder().setFeature("")), "RunSweep.axes.feature is required; "
                + "CartPole-v1's context features: "},
            {spec.clone().setEnvId(""), "RunSweep.env_id is required"},
            {spec.clone().addStrategies("equidistant-sweep"), "RunSweep.strategies 'equidistant-sweep' is defined on a "
                + "line of tasks only, not on the grid 2x2; on a grid use mbtl, mbtl-paper, mbtl-ucb, mbtl-ei, gp-mbtl, m-mbtl, mgp-mbtl or greedy"},
            {spec.clone().addStrategies("random"), "RunSweep.strategies 'random' cannot run lazily; use some of: mbtl, "
                + "mbtl-paper, mbtl-ucb, mbtl-ei, gp-mbtl, m-mbtl, mgp-mbtl, greedy, equidistant-sweep (RunSweep.with_baselines adds every other "
                + "strategy"},
            {spec.clone().setBudget(5), "RunSweep.budget 5 is out of range: with 4 tasks the budget K must be in 1..4"},
            {spec.clone().setStepsPerTask(0), "RunSweep.steps_per_task must be >= 1, got 0"},
            {spec.clone().setStepsPerTask(100), "RunSweep.steps_per_task 100 is less than one PPO batch"},
            // uint64 2^64-1 (Java reads -1): too large, not "must be >= 1" (the server's limit is met first)
            {spec.clone().setStepsPerTask(-1), "RunSweep.steps_per_task 18446744073709551615 is more than this "
                + "server's limit"},
            {spec.clone().setBudget(-1), "RunSweep.budget 4294967295 is more than this server's limit"},
            {spec.clone().setAxes(1, masscart.toBuilder().setTasks(-1)), "tasks 4294967295 for masscart is too many"},
        };
        for (Object[] row : bad) {
          assertRefused(stub, StartSweepRequest.newBuilder().setRun((RunSweep.Builder) row[0]).build(),
              (String) row[1]);
        }
        // the range error names the fields and the feature's allowed range, as the CLI's names --range and it
        StatusRuntimeException range = assertThrows(StatusRuntimeException.class, () -> stub.startSweep(
            StartSweepRequest.newBuilder().setRun(spec.clone().setAxes(1, masscart.toBuilder().setRangeTo(20)))
                .build()));
        String problem = dev.zeroshot.agents.Envs.spec("CartPole-v1").contextSpace().feature("masscart").check(20.0);
        assertEquals("RunSweep.axes.range_from:range_to 0.5:20.0: " + problem, range.getStatus().getDescription());
        assertTrue(problem.contains("[0.1, 10.0]"), problem);
        // only the sweep above left a folder
        try (var folders = java.nio.file.Files.list(root)) {
          assertEquals(1, folders.count());
        }
      } finally {
        ch.shutdownNow();
      }
    }
  }

  @Test
  void aRunSweepTrainsInTheServerAndCanBeCancelled(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root)
      throws Exception {
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1, null, root)
        .start()) {
      ManagedChannel ch = RemoteVectorEnv.channel("127.0.0.1:" + server.port(), 64 << 20);
      try {
        var stub = SweepServiceGrpc.newBlockingStub(ch);
        dev.zeroshot.proto.v1.RunSweep.Builder spec = dev.zeroshot.proto.v1.RunSweep.newBuilder()
            .setEnvId("CartPole-v1").setFeature("length").setRangeFrom(0.2).setRangeTo(1.0).setTasks(3).setBudget(2)
            .setStepsPerTask(512).setEvalEpisodes(1).setSeed(1).addStrategies("mbtl").addStrategies("greedy");
        SweepState started = stub.startSweep(StartSweepRequest.newBuilder().setRun(spec).build());
        SweepRequest id = SweepRequest.newBuilder().setSweepId(started.getSweepId()).build();
        SweepState last = started;
        Iterator<SweepState> it = stub.watchSweep(id);
        while (it.hasNext()) {
          last = it.next();
        }
        assertEquals(SweepState.Phase.DONE, last.getPhase(), last.toString());
        java.nio.file.Path dir = root.resolve(started.getSweepId());
        assertEquals(started.getSweepId(), last.getFolder()); // relative to the sweeps root: no server path
        // the curves are the report's: read the sweep back and recompute V_k from its saved rows
        dev.zeroshot.mbtl.Sweep saved = dev.zeroshot.mbtl.Sweep.open(dir);
        assertEquals(saved.trained().size(), last.getTrained());
        StrategyCurve mbtl = last.getStrategies(0);
        assertEquals("mbtl", mbtl.getName());
        assertEquals(2, mbtl.getPicksCount());
        for (int k = 1; k <= 2; k++) {
          double v = 0;
          for (int t = 0; t < 3; t++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
              best = Math.max(best, saved.trained().get(mbtl.getPicks(j)).row()[t]);
            }
            v += best / 3;
          }
          assertEquals(v, mbtl.getValues(k - 1), 1e-12, "V_" + k);
        }
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("report.json")));
        for (var bad : List.of(spec.clone().setFeature("polelength"), spec.clone().setBudget(4),
            spec.clone().addStrategies("random"), spec.clone().setBatch(3))) {
          StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
              () -> stub.startSweep(StartSweepRequest.newBuilder().setRun(bad).build()));
          assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        }
        // on a line the errors name the single-feature fields
        assertRefused(stub, StartSweepRequest.newBuilder().setRun(spec.clone().setTasks(1)).build(),
            "RunSweep.tasks must be >= 2, got 1");
        assertRefused(stub, StartSweepRequest.newBuilder().setRun(spec.clone().setFeature("")).build(),
            "RunSweep.feature is required; CartPole-v1's context features: ");
        assertRefused(stub, StartSweepRequest.newBuilder().setRun(spec.clone().setRangeFrom(1.0)).build(),
            "RunSweep.range_from:range_to needs finite A < B in A:B, got 1.0:1.0");

        // cancelled once its first training is reported: ends CANCELLED with fewer trainings
        SweepState second = stub.startSweep(StartSweepRequest.newBuilder().setRun(spec.setWithBaselines(true)).build());
        SweepRequest id2 = SweepRequest.newBuilder().setSweepId(second.getSweepId()).build();
        Iterator<SweepState> it2 = stub.watchSweep(id2);
        SweepState s2 = it2.next();
        boolean sent = false;
        while (it2.hasNext()) {
          s2 = it2.next();
          if (!sent && s2.getTrained() >= 1) {
            stub.cancelSweep(id2);
            sent = true;
          }
        }
        assertEquals(SweepState.Phase.CANCELLED, s2.getPhase(), s2.toString());
        assertTrue(dev.zeroshot.mbtl.Sweep.open(root.resolve(second.getSweepId())).trained().size() < 3,
            "stopped before training every task");
      } finally {
        ch.shutdownNow();
      }
    }
    try (EnvServer plain = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1).start()) {
      ManagedChannel ch = RemoteVectorEnv.channel("127.0.0.1:" + plain.port(), 64 << 20);
      try {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> SweepServiceGrpc
            .newBlockingStub(ch).startSweep(StartSweepRequest.newBuilder().setRun(
                dev.zeroshot.proto.v1.RunSweep.newBuilder().setEnvId("CartPole-v1")).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("--sweeps"), e.getStatus().getDescription());
      } finally {
        ch.shutdownNow();
      }
    }
  }
  /** Waits up to {@code seconds} for {@code what}; false if it never held. */
  private static boolean within(double seconds, java.util.function.BooleanSupplier what) throws InterruptedException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (!what.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  @Test
  void runSweepsHaveLimitsAndACancelEndsTheTrainingUnderWay(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root)
      throws Exception {
    SweepLimits limits = new SweepLimits(10_000_000L, 8, 4);
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1, null, root,
        limits).start()) {
      ManagedChannel ch = RemoteVectorEnv.channel("127.0.0.1:" + server.port(), 64 << 20);
      try {
        var stub = SweepServiceGrpc.newBlockingStub(ch);
        RunSweep.Builder spec = RunSweep.newBuilder().setEnvId("CartPole-v1").setFeature("length").setRangeFrom(0.2)
            .setRangeTo(1.0).setTasks(3).setBudget(2).setStepsPerTask(512).setEvalEpisodes(1).setSeed(1)
            .addStrategies("mbtl");
        // above the limits: refused naming the field, the limit and the server option, before anything is written
        Object[][] tooLarge = {
            {spec.clone().setStepsPerTask(1_000_000_000_000L), "RunSweep.steps_per_task 1000000000000 is more than "
                + "this server's limit of 10000000 (zeroshot serve --max-sweep-steps-per-task)"},
            {spec.clone().setStepsPerTask(-1L), "RunSweep.steps_per_task 18446744073709551615 is more than this "
                + "server's limit of 10000000"},
            {spec.clone().setTasks(9), "RunSweep.tasks: 9 tasks is more than this server's limit of 8 (zeroshot serve "
                + "--max-sweep-tasks)"},
            {spec.clone().clearFeature().setRangeFrom(0).setRangeTo(0).setTasks(0)
                .addAxes(RunSweep.Axis.newBuilder().setFeature("length").setRangeFrom(0.2).setRangeTo(1.0).setTasks(3))
                .addAxes(RunSweep.Axis.newBuilder().setFeature("masscart").setRangeFrom(0.5).setRangeTo(2.0).setTasks(3)),
                "RunSweep.axes.tasks: 9 tasks is more than this server's limit of 8"},
            {spec.clone().setTasks(8).setBudget(5), "RunSweep.budget 5 is more than this server's limit of 4 (zeroshot "
                + "serve --max-sweep-budget)"},
        };
        for (Object[] row : tooLarge) {
          assertRefused(stub, StartSweepRequest.newBuilder().setRun((RunSweep.Builder) row[0]).build(),
              (String) row[1]);
        }
        try (var folders = java.nio.file.Files.list(root)) {
          assertEquals(0, folders.count());
        }

        // the largest training allowed: hours on this machine, unless the cancel stops it
        SweepState big = stub.startSweep(StartSweepRequest.newBuilder().setRun(spec.clone()
            .setStepsPerTask(10_000_000L)).build());
        assertTrue(big.getSweepId().matches("sweep-[A-Za-z0-9_-]{22}"), big.getSweepId()); // 128 random bits
        assertEquals(big.getSweepId(), big.getFolder());
        java.nio.file.Path dir = root.resolve(big.getSweepId());
        java.nio.file.Path log = dir.resolve("tasks").resolve("worker-0.log");
        // the worker process names itself in its log once it trains
        ProcessHandle[] worker = {null};
        assertTrue(within(120, () -> {
          try {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("training task \\d+ in pid (\\d+)")
                .matcher(java.nio.file.Files.isRegularFile(log) ? java.nio.file.Files.readString(log) : "");
            worker[0] = m.find() ? ProcessHandle.of(Long.parseLong(m.group(1))).orElse(null) : null;
            return worker[0] != null;
          } catch (java.io.IOException e) {
            return false;
          }
        }), "the sweep's worker process started training");
        assertTrue(worker[0].isAlive());
        SweepRequest id = SweepRequest.newBuilder().setSweepId(big.getSweepId()).build();
        long t0 = System.nanoTime();
        stub.cancelSweep(id);
        assertTrue(within(10, () -> stub.getSweep(id).getPhase() == SweepState.Phase.CANCELLED),
            "CANCELLED within 10 s: " + stub.getSweep(id));
        // the worker is gone: nothing trains on
        assertTrue(within(10, () -> !worker[0].isAlive()), "worker process " + worker[0].pid() + " ended");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, stub.getSweep(id).getTrained());
        assertTrue(seconds < 20, "cancel took " + seconds + " s");

        // and the next run sweep is not queued behind it: it runs to the end
        SweepState next = stub.startSweep(StartSweepRequest.newBuilder().setRun(spec).build());
        SweepState last = next;
        Iterator<SweepState> it = stub.withDeadlineAfter(300, java.util.concurrent.TimeUnit.SECONDS)
            .watchSweep(SweepRequest.newBuilder().setSweepId(next.getSweepId()).build());
        while (it.hasNext()) {
          last = it.next();
        }
        assertEquals(SweepState.Phase.DONE, last.getPhase(), last.toString());
        assertTrue(!next.getSweepId().equals(big.getSweepId()));
      } finally {
        ch.shutdownNow();
      }
    }
  }

  /** Issue 16 defect 6: with tokens on, a sweep belongs to the identity that started it. */
  @Test
  void withTokensOnlyTheIdentityThatStartedASweepSeesItOthersGetNotFound(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    java.nio.file.Path tokens = dir.resolve("tokens");
    java.nio.file.Files.writeString(tokens, "secret-a alice\nsecret-b bob\n");
    TransferMatrix big = SyntheticMatrices.generate("smooth", 100, 0.02, 7);
    try (EnvServer server = new EnvServer(EnvRegistry.builtin(), "127.0.0.1", 0, ServerLimits.DEFAULTS, 1, null, null,
        new ServerSecurity(null, null, null, tokens)).start()) {
      String target = "127.0.0.1:" + server.port();
      ManagedChannel alice = RemoteVectorEnv.channel(target, 64 << 20,
          new dev.zeroshot.client.ClientSecurity(false, null, "secret-a"));
      ManagedChannel bob = RemoteVectorEnv.channel(target, 64 << 20,
          new dev.zeroshot.client.ClientSecurity(false, null, "secret-b"));
      try {
        var a = SweepServiceGrpc.newBlockingStub(alice);
        var b = SweepServiceGrpc.newBlockingStub(bob);
        // long enough (K = N = 100, three MBTL modes) to be running while bob tries it
        SweepState started = a.startSweep(StartSweepRequest.newBuilder().setSimulate(simulate(big, 100)
            .addStrategies("mbtl-paper").addStrategies("mbtl").addStrategies("mbtl-ei")).build());
        SweepRequest id = SweepRequest.newBuilder().setSweepId(started.getSweepId()).build();
        String unknown = assertThrows(StatusRuntimeException.class, () -> b.getSweep(SweepRequest.newBuilder()
            .setSweepId("sweep-AAAAAAAAAAAAAAAAAAAAAA").build())).getStatus().getDescription();
        for (java.util.function.Function<SweepRequest, Object> call : List.<java.util.function.Function<SweepRequest,
            Object>>of(b::getSweep, b::cancelSweep, r -> b.watchSweep(r).next())) {
          StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call.apply(id));
          assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
          assertEquals(unknown.replace("sweep-AAAAAAAAAAAAAAAAAAAAAA", started.getSweepId()),
              e.getStatus().getDescription(), "the same answer as for an id that does not exist");
        }
        SweepState now = a.getSweep(id);
        assertTrue(now.getPhase() == SweepState.Phase.RUNNING, "bob's cancel did not touch alice's sweep: " + now);
        assertEquals(started.getSweepId(), a.watchSweep(id).next().getSweepId());
        a.cancelSweep(id);
        Iterator<SweepState> it = a.watchSweep(id);
        SweepState last = it.next();
        while (it.hasNext()) {
          last = it.next();
        }
        assertEquals(SweepState.Phase.CANCELLED, last.getPhase());
      } finally {
        alice.shutdownNow();
        bob.shutdownNow();
      }
    }
  }
}
