package dev.zeroshot.mbtl;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run mode: a sweep that trains a policy on each task a strategy picks ({@link TaskTrainer}),
 * fills the transfer matrix one row per trained source, and continues until the budget K.
 *
 * <p>State: {@code sweep.json} in the sweep's folder holds the settings and every finished
 * training's row; it is rewritten atomically (temporary file, then rename) after every
 * training. {@link #open} plus {@link #run} continues a crashed sweep: the strategies are
 * deterministic given the rows they see, so they replay the same picks, read the saved rows
 * and train only what was not finished.
 *
 * <p>Parallelism: the strategies run side by side, each asking for rows; trainings run on a
 * pool of {@code parallel} threads, each task at most once (a second strategy asking for a
 * task in training waits for it). A strategy whose picks do not depend on rows (greedy,
 * equidistant sweep) and {@code --with-baselines} (every task) ask for all their rows at once,
 * so those train in parallel; MBTL's picks are sequential by nature, unless the settings' {@code
 * batch} Q > 1: then each round's Q picks are requested at once and train side by side. Results do
 * not depend on {@code parallel}: each row depends only on its task.
 */
public final class Sweep {

  public static final String STATE = "sweep.json";
  public static final String FORMAT = "zeroshot-mbtl-sweep/1";

  /** Progress of a sweep; called from several threads, one call at a time per method. */
  public interface Listener {
    /**
     * A training finished and its row is saved; {@code trainedNow} counts this process's
     * trainings, {@code trainedTotal} the sweep's. Throwing aborts the sweep as a crash would.
     */
    default void trained(TrainedTask task, int trainedNow, int trainedTotal) { }

    /** Strategy {@code strategy} asked for the row of its {@code k}-th pick (1-based). */
    default void picked(String strategy, int k, int task, boolean alreadyTrained) { }
  }

  private final SweepSettings settings;
  private final Path dir;
  private final TreeMap<Integer, TrainedTask> done = new TreeMap<>(); // guarded by this
  private TrainedTask multiTask; // guarded by this
  private final TreeMap<Integer, Job> jobs = new TreeMap<>(); // trainings in flight outside this process, by task
  private final TreeMap<Integer, String> failures = new TreeMap<>(); // why a task's last training failed

  /**
   * A training running outside this process (a Slurm job), saved so that a restarted controller
   * re-attaches to it instead of submitting it again.
   *
   * @param id the executor's job id
   * @param log where its output goes
   */
  public record Job(String id, String log) {}

  private Sweep(SweepSettings settings, Path dir) {
    this.settings = settings;
    this.dir = dir;
  }

  /** A new sweep in {@code dir} (created; must not hold a sweep already). Writes its state file. */
  public static Sweep create(SweepSettings settings, Path dir) throws IOException {
    if (Files.exists(dir.resolve(STATE))) {
      throw new IllegalArgumentException(dir + " already holds a sweep; use --resume " + dir + " or another --out");
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--out " + dir + " exists and is not a folder");
    }
    Files.createDirectories(dir);
    Sweep s = new Sweep(settings, dir);
    synchronized (s) {
      s.save();
    }
    return s;
  }

  /** The sweep saved in {@code dir}, with its finished trainings. */
  public static Sweep open(Path dir) throws IOException {
    Path file = dir.resolve(STATE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--resume " + dir + ": no " + STATE + " there (not a sweep folder)");
    }
    JsonObject root;
    try {
      root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage());
    }
    if (!root.has("format") || !FORMAT.equals(root.get("format").getAsString())) {
      throw new IllegalArgumentException(file + " is not a " + FORMAT + " file");
    }
    Sweep s = new Sweep(SweepSettings.fromJson(root.getAsJsonObject("settings")), dir);
    int n = s.settings.n();
    for (JsonElement e : root.getAsJsonArray("trained")) {
      TrainedTask t = taskFromJson(e.getAsJsonObject());
      if (t.task() < 0 || t.task() >= n || t.row().length != n || t.returns().length != n) {
        throw new IllegalArgumentException(file + ": trained task " + t.task() + " does not fit N = " + n);
      }
      s.done.put(t.task(), t);
    }
    JsonElement mt = root.get("multiTask");
    if (mt != null && !mt.isJsonNull()) {
      s.multiTask = taskFromJson(mt.getAsJsonObject());
    }
    if (root.has("jobs")) {
      root.getAsJsonObject("jobs").entrySet().forEach(e -> s.jobs.put(Integer.parseInt(e.getKey()),
          new Job(e.getValue().getAsJsonObject().get("id").getAsString(),
              e.getValue().getAsJsonObject().get("log").getAsString())));
    }
    if (root.has("failed")) {
      root.getAsJsonObject("failed").entrySet().forEach(e -> s.failures.put(Integer.parseInt(e.getKey()),
          e.getValue().getAsString()));
    }
    return s;
  }

  public SweepSettings settings() {
    return settings;
  }

  public Path dir() {
    return dir;
  }

  /** The multi-task policy's row, once trained; else null. */
  public synchronized TrainedTask multiTask() {
    return multiTask;
  }

  /** The job training {@code task} (the multi-task policy: {@link TaskTrainer#MULTI_TASK}), if one is saved. */
  public synchronized Job job(int task) {
    return jobs.get(task);
  }

  /** The jobs in flight, by task. */
  public synchronized Map<Integer, Job> jobs() {
    return new TreeMap<>(jobs);
  }

  /** Why the last training of each task that has not been trained since failed. */
  public synchronized Map<Integer, String> failures() {
    return new TreeMap<>(failures);
  }

  /** Saves the jobs just submitted, by task. */
  public synchronized void submitted(Map<Integer, Job> batch) throws IOException {
    jobs.putAll(batch);
    save();
  }

  /** Saves that {@code task}'s job ended without a row, and why; a resumed sweep trains it again. */
  public synchronized void failed(int task, String why) throws IOException {
    jobs.remove(task);
    failures.put(task, why);
    save();
  }

  /** The finished trainings, by task. */
  public synchronized Map<Integer, TrainedTask> trained() {
    return new TreeMap<>(done);
  }

  /**
   * Runs (or continues) the sweep with PPO: in this process when {@code parallel} is 1, else in up
   * to {@code parallel} child JVMs ({@link ProcessTaskTrainer}: DJL lets only one thread per
   * process collect gradients). Both give the same rows.
   */
  public SweepResult run(int parallel, Listener listener) throws IOException {
    if (parallel == 1) {
      return run(new PpoTaskTrainer(settings, dir), 1, listener);
    }
    try (ProcessTaskTrainer trainer = new ProcessTaskTrainer(dir, parallel)) {
      return run(trainer, parallel, listener);
    }
  }

  /** Runs (or continues) the sweep with {@code trainer}; returns when every strategy reached K. */
  public SweepResult run(TaskTrainer trainer, int parallel, Listener listener) throws IOException {
    if (parallel < 1) {
      throw new IllegalArgumentException("--parallel must be >= 1, got " + parallel);
    }
    Listener l = listener == null ? new Listener() { } : listener;
    int n = settings.n();
    int budget = settings.budget();
    ExecutorService pool = Executors.newFixedThreadPool(parallel, daemons("mbtl-train"));
    ExecutorService drivers = Executors.newCachedThreadPool(daemons("mbtl-strategy"));
    Map<Integer, CompletableFuture<TrainedTask>> futures = new HashMap<>();
    boolean[] aborted = {false};
    int[] trainedNow = {0};
    synchronized (this) {
      done.forEach((t, r) -> futures.put(t, CompletableFuture.completedFuture(r)));
    }
    java.util.function.IntFunction<CompletableFuture<TrainedTask>> request = task -> {
      synchronized (futures) {
        return futures.computeIfAbsent(task, t -> CompletableFuture.supplyAsync(() -> {
          synchronized (this) {
            checkNotAborted(aborted);
          }
          TrainedTask r;
          try {
            r = trainer.train(t);
          } catch (IOException e) {
            throw new UncheckedIOException("training task " + t + ": " + e.getMessage(), e);
          }
          if (r.task() != t || r.row().length != n || r.returns().length != n) {
            throw new IllegalStateException("trainer returned a row for task " + r.task() + " of length "
                + r.row().length + " when asked for task " + t + " of N = " + n);
          }
          synchronized (this) {
            checkNotAborted(aborted);
            done.put(t, r);
            saveTrained(t, r, aborted, trainedNow, l);
          }
          return r;
        }, pool).whenComplete((r, e) -> {
          if (e != null) {
            synchronized (this) {
              aborted[0] = true;
            }
            trainer.stop();
          }
        }));
      }
    };
    List<CompletableFuture<?>> all = new ArrayList<>();
    Map<String, CompletableFuture<Lazy>> lazy = new java.util.LinkedHashMap<>();
    for (String name : settings.strategies()) {
      CompletableFuture<Lazy> f = CompletableFuture.supplyAsync(() -> runLazy(name, request, l), drivers);
      lazy.put(name, f);
      all.add(f);
    }
    if (settings.withBaselines()) {
      for (int t = 0; t < n; t++) {
        all.add(request.apply(t));
      }
    }
    boolean needMulti;
    synchronized (this) {
      needMulti = settings.multiTask() && multiTask == null;
    }
    if (needMulti) {
      all.add(CompletableFuture.runAsync(() -> {
        synchronized (this) {
          checkNotAborted(aborted);
        }
        TrainedTask r;
        try {
          r = trainer.trainMultiTask();
        } catch (IOException e) {
          throw new UncheckedIOException("training the multi-task policy: " + e.getMessage(), e);
        }
        if (r.row().length != n) {
          throw new IllegalStateException("the multi-task row has length " + r.row().length + ", expected " + n);
        }
        synchronized (this) {
          checkNotAborted(aborted);
          multiTask = r;
          saveTrained(TaskTrainer.MULTI_TASK, r, aborted, trainedNow, l);
        }
      }, pool).whenComplete((r, e) -> {
        if (e != null) {
          synchronized (this) {
            aborted[0] = true;
          }
          trainer.stop();
        }
      }));
    }
    Throwable failure = null;
    try {
      CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).join();
    } catch (CompletionException | CancellationException e) {
      synchronized (this) {
        aborted[0] = true;
      }
      trainer.stop();
      failure = rootCause(e, all);
    } finally {
      drivers.shutdown();
      pool.shutdown();
      try {
        drivers.awaitTermination(1, TimeUnit.DAYS);
        pool.awaitTermination(1, TimeUnit.DAYS); // trainings in flight finish, unsaved, before we return
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failure != null) {
      if (failure instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (failure instanceof RuntimeException r) {
        throw r;
      }
      if (failure instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(failure);
    }
    Map<String, Lazy> outcomes = new java.util.LinkedHashMap<>();
    lazy.forEach((k, v) -> outcomes.put(k, v.join()));
    return SweepResult.of(settings, trained(), multiTask(), outcomes, trainedNow[0]);
  }

  /** The first failure that is not just the cancellation it caused. */
  private static Throwable rootCause(Throwable e, List<CompletableFuture<?>> all) {
    Throwable first = unwrap(e);
    if (!(first instanceof CancellationException)) {
      return first;
    }
    for (CompletableFuture<?> f : all) {
      if (f.isCompletedExceptionally()) {
        try {
          f.join();
        } catch (CompletionException | CancellationException x) {
          Throwable c = unwrap(x);
          if (!(c instanceof CancellationException)) {
            return c;
          }
        }
      }
    }
    return first;
  }

  private static Throwable unwrap(Throwable e) {
    while ((e instanceof CompletionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** A lazily trained strategy's outcome: its picks and, for MBTL modes, the model at each step. */
  record Lazy(String name, int[] picks, List<MbtlSelector.Step> steps) {}

  private Lazy runLazy(String name, java.util.function.IntFunction<CompletableFuture<TrainedTask>> request,
                       Listener l) {
    int n = settings.n();
    int budget = settings.budget();
    AtomicInteger k = new AtomicInteger();
    TransferSource source = new TransferSource() {
      @Override
      public int size() {
        return n;
      }

      @Override
      public double[] row(int s) {
        return rows(new int[] {s})[0];
      }

      /** A round of picks (batch selection): all requested first, so they train side by side. */
      @Override
      public double[][] rows(int[] tasks) {
        List<CompletableFuture<TrainedTask>> pending = new ArrayList<>();
        for (int s : tasks) {
          boolean cached;
          synchronized (Sweep.this) {
            cached = done.containsKey(s);
          }
          l.picked(name, k.incrementAndGet(), s, cached);
          pending.add(request.apply(s));
        }
        double[][] out = new double[tasks.length][];
        for (int i = 0; i < out.length; i++) {
          out[i] = pending.get(i).join().row();
        }
        return out;
      }
    };
    switch (name) {
      case "mbtl", "mbtl-paper", "mbtl-ucb", "mbtl-ei": {
        MbtlSelector.Result r = new MbtlSelector(Strategies.selectorConfig(name, settings.strategyOptions()))
            .run(source, settings.grid().shape(), budget, Progress.NONE);
        return new Lazy(name, r.picks(), r.steps());
      }
      case "gp-mbtl", "m-mbtl", "mgp-mbtl": {
        StructureDetection.Mode mode = name.equals("gp-mbtl") ? StructureDetection.Mode.GP
            : name.equals("m-mbtl") ? StructureDetection.Mode.MOUNTAIN : StructureDetection.Mode.SWITCH;
        StructureDetection.Result r = new StructureDetection(mode, settings.seed())
            .run(source, settings.grid().shape(), budget, Progress.NONE);
        return new Lazy(name, r.picks(), null);
      }
      case "greedy", "equidistant-sweep": {
        GridShape shape = settings.grid().shape();
        int[] picks = name.equals("equidistant-sweep") ? java.util.Arrays.copyOf(Baselines.equidistant(n, n), budget)
            : shape.dims() == 1 ? Baselines.greedySplit(n, budget) : Baselines.greedyCoverage(shape, budget);
        for (int p : picks) {
          request.apply(p); // the picks do not depend on rows: train them side by side
        }
        for (int p : picks) {
          source.row(p);
        }
        return new Lazy(name, picks, null);
      }
      default:
        throw new IllegalArgumentException("not a lazy strategy: " + name);
    }
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger i = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + i.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Writes the state file atomically; callers hold the lock. */
  /** Throws (under the lock) once a failure has stopped the sweep, so no training starts or saves after it. */
  private static void checkNotAborted(boolean[] aborted) {
    if (aborted[0]) {
      throw new CancellationException("sweep aborted");
    }
  }

  /**
   * Under the lock, with the row already stored: the job for {@code key} (a task or
   * {@link TaskTrainer#MULTI_TASK}) is over, which is saved, counted and told to the listener;
   * a listener that throws aborts the sweep as a crash right after the save would.
   */
  private void saveTrained(int key, TrainedTask r, boolean[] aborted, int[] trainedNow, Listener l) {
    jobs.remove(key);
    failures.remove(key);
    try {
      save();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save " + dir.resolve(STATE) + ": " + e.getMessage(), e);
    }
    trainedNow[0]++;
    try {
      l.trained(r, trainedNow[0], done.size());
    } catch (RuntimeException e) {
      aborted[0] = true; // nothing later is saved
      throw e;
    }
  }

  private void save() throws IOException {
    JsonObject root = new JsonObject();
    root.addProperty("format", FORMAT);
    root.add("settings", settings.toJson());
    JsonArray arr = new JsonArray();
    for (TrainedTask t : done.values()) {
      arr.add(taskToJson(t, settings));
    }
    root.add("trained", arr);
    root.add("multiTask", multiTask == null ? JsonNull.INSTANCE : taskToJson(multiTask, settings));
    if (!jobs.isEmpty()) { // only sweeps on an executor such as Slurm have jobs or failures to keep
      JsonObject js = new JsonObject();
      jobs.forEach((t, j) -> {
        JsonObject o = new JsonObject();
        o.addProperty("id", j.id());
        o.addProperty("log", j.log());
        js.add(Integer.toString(t), o);
      });
      root.add("jobs", js);
    }
    if (!failures.isEmpty()) {
      JsonObject fs = new JsonObject();
      failures.forEach((t, why) -> fs.addProperty(Integer.toString(t), why));
      root.add("failed", fs);
    }
    Path file = dir.resolve(STATE);
    Path tmp = dir.resolve(STATE + ".tmp");
    Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(root),
        StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** One trained task as saved (numbers written so that they read back exactly). */
  static JsonObject taskToJson(TrainedTask t, SweepSettings settings) {
    JsonObject o = new JsonObject();
    o.addProperty("task", t.task());
    if (t.task() >= 0) {
      o.addProperty("value", settings.grid().value(t.task()));
    }
    o.addProperty("samples", t.samples());
    o.add("trainReturn", json(t.trainReturn()));
    o.add("trainSeconds", json(t.trainSeconds()));
    o.add("evalSeconds", json(t.evalSeconds()));
    o.add("returns", array(t.returns()));
    o.add("row", array(t.row()));
    return o;
  }

  static TrainedTask taskFromJson(JsonObject o) {
    return new TrainedTask(o.get("task").getAsInt(), doubles(o.getAsJsonArray("returns")),
        doubles(o.getAsJsonArray("row")), o.get("samples").getAsLong(), num(o.get("trainReturn")),
        num(o.get("trainSeconds")), num(o.get("evalSeconds")));
  }

  static JsonElement json(double v) {
    return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
  }

  private static double num(JsonElement e) {
    return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
  }

  static JsonArray array(double[] a) {
    JsonArray out = new JsonArray();
    for (double v : a) {
      out.add(json(v));
    }
    return out;
  }

  private static double[] doubles(JsonArray a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = num(a.get(i));
      if (Double.isNaN(out[i])) {
        throw new IllegalArgumentException(STATE + ": a saved row holds a non-number");
      }
    }
    return out;
  }
}
