package dev.zeroshot.server;

import dev.zeroshot.mbtl.GridShape;
import dev.zeroshot.mbtl.ProcessTaskTrainer;
import dev.zeroshot.mbtl.Progress;
import dev.zeroshot.mbtl.SimulateSettings;
import dev.zeroshot.mbtl.Strategies;
import dev.zeroshot.mbtl.StrategyResult;
import dev.zeroshot.mbtl.TransferMatrix;
import dev.zeroshot.mbtl.SweepResult;
import dev.zeroshot.mbtl.SweepSettings;
import dev.zeroshot.mbtl.SweepSpec;
import dev.zeroshot.mbtl.TaskGrid;
import dev.zeroshot.mbtl.TrainedTask;
import dev.zeroshot.proto.v1.RunSweep;
import dev.zeroshot.proto.v1.SimulateSweep;
import dev.zeroshot.proto.v1.StartSweepRequest;
import dev.zeroshot.proto.v1.StrategyCurve;
import dev.zeroshot.proto.v1.SweepRequest;
import dev.zeroshot.proto.v1.SweepServiceGrpc;
import dev.zeroshot.proto.v1.SweepState;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code zeroshot.v1.SweepService}: MBTL simulate sweeps run in the server's background threads
 * (one at a time per core, the rest queued); run sweeps (PPO) one at a time, each training in a
 * worker process ({@link ProcessTaskTrainer}), in a folder under the server's sweeps root, within
 * the server's {@link SweepLimits}. Watched as a stream of states and cancelled at the next
 * progress step (run mode: at once, by destroying the worker). The service keeps them for the
 * server's life; their curves are in the final state. Sweep ids are random (unguessable), and
 * what a client sees names folders relative to the sweeps root, never the server's paths.
 */
public final class SweepService extends SweepServiceGrpc.SweepServiceImplBase {

  private static final Logger log = LoggerFactory.getLogger(SweepService.class);

  /** Largest matrix side accepted (N x N doubles must fit a message). */
  static final int MAX_N = 1000;

  private final Map<String, Sweep> sweeps = new ConcurrentHashMap<>();
  private final java.security.SecureRandom random = new java.security.SecureRandom();
  private final SweepLimits limits;
  private final ExecutorService workers;
  private final java.nio.file.Path root;
  /** Run sweeps train one at a time (each in one worker process, as {@code zeroshot mbtl run --parallel 1} would in-process). */
  private final ExecutorService trainers = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "mbtl-run-sweep");
    t.setDaemon(true);
    return t;
  });

  /** Simulate sweeps only (run sweeps are refused: no folder for them). */
  public SweepService() {
    this(null);
  }

  /** Also run sweeps, each in {@code root/<sweep_id>} (null: none). */
  public SweepService(java.nio.file.Path root) {
    this(root, SweepLimits.DEFAULTS);
  }

  /** Also run sweeps, each in {@code root/<sweep_id>} (null: none), no larger than {@code limits}. */
  public SweepService(java.nio.file.Path root, SweepLimits limits) {
    this(root, limits, Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
      Thread t = new Thread(r, "mbtl-sweep");
      t.setDaemon(true);
      return t;
    }));
  }

  /** The same, running simulate sweeps on {@code workers} (a test holds them back with its own). */
  SweepService(java.nio.file.Path root, SweepLimits limits, ExecutorService workers) {
    this.root = root == null ? null : root.toAbsolutePath();
    this.limits = limits;
    this.workers = workers;
  }

  /** Stops the background threads (running sweeps are interrupted at their next step). */
  public void shutdown() {
    for (Sweep s : sweeps.values()) {
      s.cancel();
    }
    workers.shutdownNow();
    trainers.shutdownNow();
  }

  private static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("cancelled", null, false, false);
    }
  }

  /**
   * One sweep's state; every change bumps the version and wakes the watchers. With tokens on, it
   * belongs to the identity that started it ({@code owner}; null without tokens).
   */
  private static final class Sweep {
    private final String owner;
    private SweepState state; // guarded by this
    private volatile boolean cancelRequested;
    private ProcessTaskTrainer trainer; // guarded by this: run mode, while training

    Sweep(SweepState first, String owner) {
      this.state = first;
      this.owner = owner;
    }

    synchronized SweepState state() {
      return state;
    }

    synchronized void update(java.util.function.UnaryOperator<SweepState.Builder> change) {
      if (isFinal(state)) {
        return;
      }
      state = change.apply(state.toBuilder()).setVersion(state.getVersion() + 1).build();
      notifyAll();
    }

    /** Blocks until the state is newer than {@code version} (or 1 s passes); returns it. */
    synchronized SweepState after(long version) throws InterruptedException {
      long end = System.nanoTime() + 1_000_000_000L;
      while (state.getVersion() <= version && !isFinal(state)) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          break;
        }
        wait(left / 1_000_000L + 1);
      }
      return state;
    }

    /** Run mode: the trainer of the sweep, so that a cancel destroys its worker (false: cancelled already). */
    synchronized boolean attach(ProcessTaskTrainer t) {
      trainer = t;
      return !cancelRequested;
    }

    void cancel() {
      ProcessTaskTrainer t;
      synchronized (this) {
        cancelRequested = true;
        t = trainer;
      }
      if (t != null) {
        t.cancel(); // the training under way ends now, not in hours
      }
    }
  }

  static boolean isFinal(SweepState s) {
    return s.getPhase() == SweepState.Phase.DONE || s.getPhase() == SweepState.Phase.CANCELLED
        || s.getPhase() == SweepState.Phase.FAILED;
  }

  @Override
  public void startSweep(StartSweepRequest request, StreamObserver<SweepState> response) {
    switch (request.getKindCase()) {
      case SIMULATE -> startSimulate(request.getSimulate(), response);
      case RUN -> startRun(request.getRun(), response);
      default -> response.onError(Status.INVALID_ARGUMENT.withDescription(
          "StartSweepRequest needs a sweep: simulate or run").asRuntimeException());
    }
  }

  /** SimulateSweep's fields, as its errors name them. */
  private static final SweepSpec.Names SIMULATE_FIELDS = f -> switch (f) {
    case BUDGET -> "SimulateSweep.steps";
    case STRATEGIES -> "SimulateSweep.strategies";
    case THETA -> "SimulateSweep.theta";
    case GRID -> "SimulateSweep.grid";
    case BATCH -> "SimulateSweep.batch";
    default -> null;
  };

  /** RunSweep's fields, as its errors name them: the single-feature fields on a line, {@code axes} on a grid. */
  private static SweepSpec.Names runFields(boolean axes) {
    return f -> switch (f) {
      case ENV -> "RunSweep.env_id";
      case FEATURE -> axes ? "RunSweep.axes.feature" : "RunSweep.feature";
      case RANGE -> axes ? "RunSweep.axes.range_from:range_to" : "RunSweep.range_from:range_to";
      case TASKS -> axes ? "RunSweep.axes.tasks" : "RunSweep.tasks";
      case BUDGET -> "RunSweep.budget";
      case STEPS_PER_TASK -> "RunSweep.steps_per_task";
      case STRATEGIES -> "RunSweep.strategies";
      case WITH_BASELINES -> "RunSweep.with_baselines";
      case EVAL_EPISODES -> "RunSweep.eval_episodes";
      case BATCH -> "RunSweep.batch";
      default -> null;
    };
  }

  /**
   * A uint64 field as Java reads it: one above Long.MAX_VALUE arrives negative, and is out of
   * range (not "below 1").
   */
  private static long unsigned(long value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " " + Long.toUnsignedString(value) + " is out of range: at most "
          + Long.MAX_VALUE);
    }
    return value;
  }

  /** A uint32 field as Java reads it: one above Integer.MAX_VALUE arrives negative, and is out of range. */
  private static int unsigned(int value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " " + Integer.toUnsignedString(value) + " is out of range: at most "
          + Integer.MAX_VALUE);
    }
    return value;
  }

  private void startSimulate(SimulateSweep spec, StreamObserver<SweepState> response) {
    SimulateSettings settings;
    try {
      // "all" when no strategy is named; on a grid, as `zeroshot mbtl simulate --grid`, "all" leaves out the
      // line-only strategies and naming one is an error
      settings = new SweepSpec.Simulate(SIMULATE_FIELDS).matrix(matrix(spec)).grid(shape(spec))
          .steps(unsigned(spec.getSteps(), "SimulateSweep.steps"))
          .strategies(spec.getStrategiesCount() == 0 ? null : String.join(",", spec.getStrategiesList()))
          .theta(spec.hasTheta() ? spec.getTheta() : null).seed(spec.getSeed())
          .batch(spec.getBatch() == 0 ? null : spec.getBatch()).settings(); // unset (0): one at a time
    } catch (IllegalArgumentException e) {
      response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    String id = newId();
    Sweep sweep = new Sweep(SweepState.newBuilder().setSweepId(id).setPhase(SweepState.Phase.RUNNING)
        .setStrategiesTotal(settings.strategies().size()).setTotal(0).setVersion(1).build(),
        TokenAuthInterceptor.IDENTITY.get());
    sweeps.put(id, sweep);
    workers.execute(() -> simulate(sweep, settings));
    response.onNext(sweep.state());
    response.onCompleted();
  }

  private void startRun(RunSweep spec, StreamObserver<SweepState> response) {
    if (root == null) {
      response.onError(Status.FAILED_PRECONDITION.withDescription("this server runs no PPO sweeps: start it with "
          + "zeroshot serve --sweeps DIR").asRuntimeException());
      return;
    }
    String id = newId();
    java.nio.file.Path dir = root.resolve(id);
    dev.zeroshot.mbtl.Sweep run;
    SweepSettings settings;
    try {
      SweepSpec.Names fields = runFields(spec.getAxesCount() > 0);
      checkLimits(spec, fields);
      settings = new SweepSpec.Run(fields).env(spec.getEnvId()).axes(axes(spec))
          .budget(unsigned(spec.getBudget(), "RunSweep.budget"))
          .stepsPerTask(unsigned(spec.getStepsPerTask(), "RunSweep.steps_per_task"))
          .strategies(spec.getStrategiesCount() == 0 ? null : spec.getStrategiesList())
          .withBaselines(spec.getWithBaselines()).seed(spec.getSeed())
          .evalEpisodes(spec.getEvalEpisodes() == 0 ? null : spec.getEvalEpisodes())
          .batch(spec.getBatch() == 0 ? null : spec.getBatch()).settings();
      if (settings.n() > limits.maxTasks()) {
        throw new IllegalArgumentException(fields.of(SweepSpec.Field.TASKS) + ": " + settings.n() + " tasks is more than "
            + "this server's limit of " + limits.maxTasks() + " (zeroshot serve --max-sweep-tasks)");
      }
      run = dev.zeroshot.mbtl.Sweep.create(settings, dir);
    } catch (IllegalArgumentException e) {
      response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (java.io.IOException | RuntimeException e) {
      log.warn("cannot create sweep folder {}", dir, e); // the path is for the server's log only
      response.onError(Status.INTERNAL.withDescription("cannot create the folder of sweep " + id + " under the "
          + "server's sweeps root (see the server's log)").asRuntimeException());
      return;
    }
    Sweep sweep = new Sweep(SweepState.newBuilder().setSweepId(id).setPhase(SweepState.Phase.RUNNING)
        .setFolder(id).setStrategiesTotal(settings.strategies().size()).setVersion(1).build(),
        TokenAuthInterceptor.IDENTITY.get());
    sweeps.put(id, sweep);
    trainers.execute(() -> train(sweep, run, root));
    response.onNext(sweep.state());
    response.onCompleted();
  }

  /** A new sweep id: 128 random bits, URL-safe (a client cannot guess another's). */
  private String newId() {
    byte[] bits = new byte[16];
    random.nextBytes(bits);
    return "sweep-" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  /**
   * Refuses a run sweep larger than the server's {@link SweepLimits} (the tasks are checked once
   * counted). Compared unsigned: 2^64 - 1 steps is above the limit, not negative.
   */
  private void checkLimits(RunSweep spec, SweepSpec.Names fields) {
    if (Long.compareUnsigned(spec.getStepsPerTask(), limits.maxStepsPerTask()) > 0) {
      throw new IllegalArgumentException(fields.of(SweepSpec.Field.STEPS_PER_TASK) + " "
          + Long.toUnsignedString(spec.getStepsPerTask()) + " is more than this server's limit of "
          + limits.maxStepsPerTask() + " (zeroshot serve --max-sweep-steps-per-task)");
    }
    if (Integer.compareUnsigned(spec.getBudget(), limits.maxBudget()) > 0) {
      throw new IllegalArgumentException(fields.of(SweepSpec.Field.BUDGET) + " "
          + Integer.toUnsignedString(spec.getBudget()) + " is more than this server's limit of " + limits.maxBudget()
          + " (zeroshot serve --max-sweep-budget)");
    }
  }

  /**
   * Trains in one worker process, which a cancel destroys: the training under way ends at once and
   * the next run sweep starts. Error messages name files relative to the sweeps root.
   */
  private static void train(Sweep sweep, dev.zeroshot.mbtl.Sweep run, java.nio.file.Path root) {
    try (ProcessTaskTrainer trainer = new ProcessTaskTrainer(run.dir(), 1)) {
      if (!sweep.attach(trainer)) {
        throw new Cancelled();
      }
      SweepResult r = run.run(trainer, 1, new dev.zeroshot.mbtl.Sweep.Listener() {
        @Override
        public void trained(TrainedTask t, int trainedNow, int trainedTotal) {
          sweep.update(b -> b.setTrained(trainedTotal).setCurrent("trained task " + t.task()));
          if (sweep.cancelRequested) {
            throw new Cancelled();
          }
        }

        @Override
        public void picked(String strategy, int k, int task, boolean alreadyTrained) {
          sweep.update(b -> b.setCurrent(strategy).setDone(k).setTotal(run.settings().budget()));
          if (sweep.cancelRequested) {
            throw new Cancelled();
          }
        }
      });
      dev.zeroshot.mbtl.SweepReport.write(r, run.dir());
      List<StrategyCurve> curves = new ArrayList<>();
      for (StrategyResult x : r.strategies()) {
        curves.add(curve(x));
      }
      sweep.update(b -> b.setPhase(SweepState.Phase.DONE).setCurrent("").setStrategiesDone(b.getStrategiesTotal())
          .setTrained(r.rows().size()).addAllStrategies(curves));
    } catch (Cancelled e) {
      sweep.update(b -> b.setPhase(SweepState.Phase.CANCELLED));
    } catch (Exception e) {
      Throwable c = e;
      while (c.getCause() != null && !(c instanceof Cancelled)) {
        c = c.getCause();
      }
      if (c instanceof Cancelled || sweep.cancelRequested) {
        sweep.update(b -> b.setPhase(SweepState.Phase.CANCELLED));
      } else {
        String msg = String.valueOf(c.getMessage()).replace(root + java.io.File.separator, "")
            .replace(root.toString(), "");
        sweep.update(b -> b.setPhase(SweepState.Phase.FAILED).setError(msg));
      }
    }
  }

  private static StrategyCurve curve(StrategyResult r) {
    StrategyCurve.Builder c = StrategyCurve.newBuilder().setName(r.name()).setKind(r.kind()).setAverage(r.average());
    for (int p : r.picks()) {
      c.addPicks(p);
    }
    for (double v : r.values()) {
      c.addValues(v);
    }
    return c.build();
  }

  /**
   * The tasks' layout: null (a line of n) without {@code grid}, else the grid of its sizes, checked
   * as {@code zeroshot mbtl simulate --grid} checks them ({@link GridShape#parse}); {@link SweepSpec}
   * checks their product against n.
   */
  static GridShape shape(SimulateSweep spec) {
    if (spec.getGridCount() == 0) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    for (int f = 0; f < spec.getGridCount(); f++) {
      long size = Integer.toUnsignedLong(spec.getGrid(f));
      if (size > MAX_N) {
        throw new IllegalArgumentException("SimulateSweep.grid size " + size + " (feature " + f + ") is more than "
            + MAX_N + " tasks; the product of the grid's sizes must equal n = " + spec.getN());
      }
      text.append(f > 0 ? "x" : "").append(size);
    }
    return GridShape.parse(text.toString());
  }

  /**
   * The run sweep's tasks: the single-feature fields (a line) or {@code axes} (a grid, as
   * {@code zeroshot mbtl run --feature a,b --range A:B,C:D --tasks AxB}), never both; {@link
   * SweepSpec} checks the env, the features and their ranges as it does for the CLI.
   */
  static List<TaskGrid.Axis> axes(RunSweep spec) {
    if (spec.getAxesCount() == 0) {
      return List.of(new TaskGrid.Axis(spec.getFeature(), spec.getRangeFrom(), spec.getRangeTo(),
          tasks(spec.getTasks(), spec.getFeature())));
    }
    if (!spec.getFeature().isEmpty() || spec.getRangeFrom() != 0 || spec.getRangeTo() != 0 || spec.getTasks() != 0) {
      throw new IllegalArgumentException("RunSweep sets both the single-feature fields (feature, range_from, range_to, "
          + "tasks) and axes; give one or the other: axes for a grid over several features, or the single-feature "
          + "fields for a line");
    }
    List<TaskGrid.Axis> axes = new ArrayList<>();
    for (RunSweep.Axis a : spec.getAxesList()) {
      axes.add(new TaskGrid.Axis(a.getFeature(), a.getRangeFrom(), a.getRangeTo(), tasks(a.getTasks(), a.getFeature())));
    }
    return axes;
  }

  /** A uint32 task count as an int (counts beyond an int are refused, not wrapped). */
  private static int tasks(int unsigned, String feature) {
    if (unsigned < 0) {
      throw new IllegalArgumentException("tasks " + Integer.toUnsignedString(unsigned) + " for " + feature
          + " is too many (at most " + Integer.MAX_VALUE + ", and at most 1,000,000 tasks in all)");
    }
    return unsigned;
  }

  private static TransferMatrix matrix(SimulateSweep spec) {
    int n = spec.getN();
    if (n < 1 || n > MAX_N) {
      throw new IllegalArgumentException("n must be in 1.." + MAX_N + ", got " + n);
    }
    if (spec.getMatrixCount() != (long) n * n) {
      throw new IllegalArgumentException("matrix has " + spec.getMatrixCount() + " values; n = " + n + " needs "
          + (long) n * n);
    }
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double v = spec.getMatrix(i * n + j);
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("matrix[" + i + "][" + j + "] is not finite: " + v);
        }
        a[i][j] = v;
      }
    }
    return TransferMatrix.of(a);
  }

  private static void simulate(Sweep sweep, SimulateSettings settings) {
    try {
      List<StrategyCurve> curves = new ArrayList<>();
      Progress progress = (what, done, total) -> {
        if (sweep.cancelRequested || Thread.currentThread().isInterrupted()) {
          throw new Cancelled();
        }
        sweep.update(b -> b.setCurrent(what).setDone(done).setTotal(total));
      };
      for (int i = 0; i < settings.strategies().size(); i++) {
        if (sweep.cancelRequested) {
          throw new Cancelled();
        }
        String name = settings.strategies().get(i);
        sweep.update(b -> b.setCurrent(name).setDone(0).setTotal(0));
        curves.add(curve(Strategies.run(name, settings.matrix(), settings.shape(), settings.steps(),
            settings.options(), progress)));
        int finished = i + 1;
        sweep.update(b -> b.setStrategiesDone(finished));
      }
      sweep.update(b -> b.setPhase(SweepState.Phase.DONE).setCurrent("").addAllStrategies(curves));
    } catch (Cancelled e) {
      sweep.update(b -> b.setPhase(SweepState.Phase.CANCELLED));
    } catch (RuntimeException e) {
      sweep.update(b -> b.setPhase(SweepState.Phase.FAILED).setError(String.valueOf(e.getMessage())));
    }
  }

  /**
   * The sweep asked for, if the caller may see it: with tokens on, only the identity that started
   * a sweep may watch, get or cancel it. Another identity gets the same NOT_FOUND as for an id
   * that does not exist (not PERMISSION_DENIED), so that it learns nothing, not even that the id
   * is in use.
   */
  private Sweep find(SweepRequest request, StreamObserver<SweepState> response) {
    Sweep s = sweeps.get(request.getSweepId());
    if (s != null && !java.util.Objects.equals(s.owner, TokenAuthInterceptor.IDENTITY.get())) {
      s = null;
    }
    if (s == null) {
      response.onError(Status.NOT_FOUND.withDescription("no sweep " + dev.zeroshot.env.Echo.quote(request.getSweepId()))
          .asRuntimeException());
    }
    return s;
  }

  @Override
  public void getSweep(SweepRequest request, StreamObserver<SweepState> response) {
    Sweep s = find(request, response);
    if (s != null) {
      response.onNext(s.state());
      response.onCompleted();
    }
  }

  @Override
  public void cancelSweep(SweepRequest request, StreamObserver<SweepState> response) {
    Sweep s = find(request, response);
    if (s != null) {
      s.cancel();
      response.onNext(s.state());
      response.onCompleted();
    }
  }

  @Override
  public void watchSweep(SweepRequest request, StreamObserver<SweepState> response) {
    Sweep s = find(request, response);
    if (s == null) {
      return;
    }
    ServerCallStreamObserver<SweepState> call = (ServerCallStreamObserver<SweepState>) response;
    // Runs on a worker-independent thread: a watcher must not hold a sweep thread.
    Thread t = new Thread(() -> {
      try {
        SweepState st = s.state();
        response.onNext(st);
        long seen = st.getVersion();
        while (!isFinal(st) && !call.isCancelled()) {
          st = s.after(seen);
          if (!call.isReady() && !isFinal(st)) {
            Thread.sleep(10); // a watcher that does not read gets the states merged, not buffered
            continue;
          }
          if (st.getVersion() > seen) {
            response.onNext(st);
            seen = st.getVersion();
          }
        }
        if (!call.isCancelled()) {
          response.onCompleted();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        response.onError(Status.CANCELLED.withDescription("server stopping").asRuntimeException());
      } catch (RuntimeException e) {
        // the client went away: nothing to tell it
      }
    }, "mbtl-sweep-watch");
    t.setDaemon(true);
    t.start();
  }
}
