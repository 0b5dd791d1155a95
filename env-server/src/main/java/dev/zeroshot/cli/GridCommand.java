package dev.zeroshot.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.zeroshot.agents.Envs;
import dev.zeroshot.env.context.LevelRange;
import dev.zeroshot.mbtl.exec.Executor;
import dev.zeroshot.mbtl.exec.JobState;
import dev.zeroshot.mbtl.exec.LocalExecutor;
import dev.zeroshot.mbtl.exec.SlurmExecutor;
import dev.zeroshot.mbtl.exec.SlurmOptions;
import dev.zeroshot.mbtl.exec.TrainingJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot grid}: PPO trainings over the product of env ids, seeds and option values, run
 * on an executor (child processes here, or Slurm jobs), resumable, their final returns (and with
 * {@code --gap}, their train/test returns from {@code zeroshot gap}, run in the same job) collected
 * into {@code results.csv} and a table. State: {@code grid.json} (rewritten atomically), with
 * each training's job id while it is in flight, so {@code --resume} re-attaches to Slurm jobs.
 * A Slurm job that Slurm restarts (node failure, preemption) resumes its run from the last
 * checkpoint ({@link TrainingJob.Resume}).
 */
@Command(name = "grid", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Train PPO on every combination of --env, --seed and --vary values (each a 'zeroshot train ppo' "
        + "run in OUT/runs/NAME) on the executor, then write OUT/results.csv and print a table.",
        "--resume OUT continues: finished runs are kept, failed ones trained again, Slurm jobs in flight re-attached."})
final class GridCommand implements Callable<Integer> {

  static final String STATE = "grid.json";
  static final String FORMAT = "zeroshot-grid/1";

  @Spec
  CommandSpec spec;

  @Option(names = "--env", split = ",", description = "environment ids, comma-separated")
  List<String> envs;

  @Option(names = "--seed", split = ",", description = "seeds, comma-separated (default: 1)")
  List<Long> seeds;

  @Option(names = "--steps", description = "env steps per training (train ppo --steps)")
  Long steps;

  @Option(names = "--vary", paramLabel = "OPTION=V1,V2", description = "a 'train ppo' option and its values, e.g. "
      + "--vary lr=0.001,0.0003 (repeatable: the product of all)")
  List<String> vary = new ArrayList<>();

  @Option(names = "--out", description = "grid folder to create")
  Path out;

  @Option(names = "--resume", paramLabel = "DIR", description = "continue the grid in DIR")
  Path resume;

  @Option(names = "--parallel", description = "trainings at a time (default: 1 locally; Slurm: all)")
  Integer parallel;

  @Option(names = "--gap", description = "after each training, evaluate its run with 'zeroshot gap' in the same job: "
      + "results get train_return, test_return and gap (envs with levels: Procgen)")
  boolean gap;

  @Option(names = "--gap-train-levels", paramLabel = "A:B|A:|N", converter = Converters.Levels.class,
      description = "with --gap: the training levels to evaluate on (default: 0:200, as 'zeroshot gap')")
  LevelRange gapTrainLevels;

  @Option(names = "--gap-test-levels", paramLabel = "A:B|A:|N", converter = Converters.Levels.class,
      description = "with --gap: the unseen levels (default: 250:, as 'zeroshot gap')")
  LevelRange gapTestLevels;

  @Option(names = "--gap-episodes", description = "with --gap: episodes per split (default: 100, as 'zeroshot gap')")
  Integer gapEpisodes;

  @Mixin
  ExecutorOptions executors = new ExecutorOptions();

  /** One training: its name (folder under runs/), its train ppo arguments, and where it stands. */
  private static final class Run {
    final String name;
    final List<String> args;
    final Map<String, String> labels;
    String state = "pending"; // pending, submitted, done, failed
    String job;
    String log;
    String why;
    double finalReturn = Double.NaN;
    double trainReturn = Double.NaN; // from gap.csv, with --gap
    double testReturn = Double.NaN;
    long stepsDone;
    double seconds;

    Run(String name, List<String> args, Map<String, String> labels) {
      this.name = name;
      this.args = args;
      this.labels = labels;
    }
  }

  /** The evaluation {@code --gap} asks for: {@code zeroshot gap}'s options. */
  private record Gap(LevelRange trainLevels, LevelRange testLevels, int episodes) {}

  /** train ppo options that say how to run, not what: a resumed run (--resume) needs them again. */
  private static final List<String> HOW_TO_RUN = List.of("--checkpoint-every", "--device", "--server", "--sessions");

  static final String GAP_CSV = "gap.csv";

  private Path dir;
  private List<Run> runs;
  private List<String> varied;
  private Gap gapEval; // null: no --gap

  @Override
  public Integer call() throws IOException {
    boolean slurm = executors.slurm();
    if (slurm) {
      SlurmExecutor.checkInstalled(Map.of());
    }
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (resume != null) {
      if (envs != null || seeds != null || steps != null || !vary.isEmpty() || out != null || gap
          || gapTrainLevels != null || gapTestLevels != null || gapEpisodes != null) {
        throw new IllegalArgumentException("--resume DIR continues the grid as it was configured; drop --env, --seed, "
            + "--steps, --vary, --gap* and --out");
      }
      open(resume);
    } else {
      create();
    }
    int parallelism = parallel != null ? parallel : slurm ? runs.size() : 1;
    if (parallelism < 1) {
      throw new IllegalArgumentException("--parallel must be >= 1, got " + parallelism);
    }
    o.printf("grid: %d training(s) in %s (%d done), executor %s%n", runs.size(), dir,
        runs.stream().filter(r -> r.state.equals("done")).count(), slurm ? "slurm" : "local");
    o.flush();
    String launcher = SlurmOptions.defaultLauncher(Zeroshot.class.getName());
    try (Executor x = slurm ? executors.slurmExecutor("zeroshot-grid-" + dir.toAbsolutePath().getFileName(),
        dir.resolve("slurm"), line -> err.println("  " + line))
        : new LocalExecutor(launcher, dir.resolve("logs"), parallelism)) {
      runAll(x, slurm, parallelism, err);
    } catch (dev.zeroshot.mbtl.exec.ExecutorException e) {
      throw new dev.zeroshot.mbtl.exec.ExecutorException(e.getMessage() + "; the grid is saved in " + dir.resolve(STATE)
          + ": run again with --resume " + dir + (slurm ? " --executor slurm to re-attach to its jobs" : ""));
    }
    writeResults();
    printTable(o);
    long failed = runs.stream().filter(r -> !r.state.equals("done")).count();
    if (failed > 0) {
      throw new IllegalStateException(failed + " of " + runs.size() + " training(s) failed (logs in " + dir.resolve(
          "results.csv") + "); run again with --resume " + dir + " to train them again");
    }
    return 0;
  }

  private void create() throws IOException {
    if (envs == null || steps == null || out == null) {
      throw new IllegalArgumentException("zeroshot grid needs --env, --steps and --out (or --resume DIR)");
    }
    if (steps < 1) {
      throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
    }
    if (Files.exists(out.resolve(STATE))) {
      throw new IllegalArgumentException(out + " already holds a grid; use --resume " + out + " or another --out");
    }
    gapEval = gapSettings();
    List<Long> ss = seeds == null ? List.of(1L) : seeds;
    Map<String, List<String>> axes = new LinkedHashMap<>();
    for (String v : vary) {
      int eq = v.indexOf('=');
      String key = eq < 0 ? "" : v.substring(0, eq).replaceFirst("^--", "");
      if (eq < 0 || !key.matches("[a-z][a-z-]*") || v.substring(eq + 1).isBlank()) {
        throw new IllegalArgumentException("--vary must be OPTION=V1,V2 with a 'train ppo' option, e.g. lr=0.001,0.0003;"
            + " got '" + v + "'");
      }
      if (List.of("env", "seed", "steps", "out", "resume").contains(key)) {
        throw new IllegalArgumentException("--vary " + key + ": the grid sets --" + key + " itself");
      }
      axes.put(key, List.of(v.substring(eq + 1).split(",")));
    }
    dir = out;
    varied = new ArrayList<>(axes.keySet());
    runs = new ArrayList<>();
    for (String env : envs) {
      for (long seed : ss) {
        addRuns(env, seed, axes, new ArrayList<>(axes.keySet()), 0, new LinkedHashMap<>());
      }
    }
    Files.createDirectories(dir);
    save();
  }

  /** --gap's settings, or null; refuses envs without levels before anything is submitted. */
  private Gap gapSettings() {
    if (!gap) {
      if (gapTrainLevels != null || gapTestLevels != null || gapEpisodes != null) {
        throw new IllegalArgumentException("--gap-train-levels, --gap-test-levels and --gap-episodes need --gap");
      }
      return null;
    }
    for (String env : envs) {
      List<String> features = Envs.spec(env).contextSpace().names();
      if (!features.contains("start_level") || !features.contains("num_levels")) {
        throw new IllegalArgumentException("--gap evaluates on training and unseen levels, and " + env + " has no "
            + "levels (no start_level/num_levels context features); use --gap with Procgen envs only");
      }
    }
    int episodes = gapEpisodes == null ? 100 : gapEpisodes;
    if (episodes < 1) {
      throw new IllegalArgumentException("--gap-episodes must be >= 1, got " + episodes);
    }
    return new Gap(gapTrainLevels == null ? new LevelRange(0, 200) : gapTrainLevels,
        gapTestLevels == null ? LevelRange.parse("250:") : gapTestLevels, episodes);
  }

  private void addRuns(String env, long seed, Map<String, List<String>> axes, List<String> keys, int i,
                       Map<String, String> chosen) {
    if (i == keys.size()) {
      StringBuilder name = new StringBuilder(env + "-seed" + seed);
      List<String> args = new ArrayList<>(List.of("train", "ppo", "--env", env, "--seed", Long.toString(seed),
          "--steps", Long.toString(steps), "--no-progress"));
      chosen.forEach((k, v) -> {
        name.append('-').append(k).append(v);
        args.add("--" + k);
        args.add(v);
      });
      String folder = name.toString().replaceAll("[^A-Za-z0-9._-]", "_");
      args.add("--out");
      args.add(dir.toAbsolutePath().resolve("runs").resolve(folder).toString());
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("env", env);
      labels.put("seed", Long.toString(seed));
      labels.putAll(chosen);
      runs.add(new Run(folder, args, labels));
      return;
    }
    for (String v : axes.get(keys.get(i))) {
      Map<String, String> next = new LinkedHashMap<>(chosen);
      next.put(keys.get(i), v.strip());
      addRuns(env, seed, axes, keys, i + 1, next);
    }
  }

  /** Submits what is not done or in flight, waits for every job, saving each change. */
  private void runAll(Executor x, boolean slurm, int parallelism, PrintWriter err) throws IOException {
    List<Run> todo = new ArrayList<>();
    Map<String, Run> inFlight = new LinkedHashMap<>();
    for (Run r : runs) {
      if (r.state.equals("submitted") && slurm) {
        inFlight.put(r.job, r);
        err.printf("  %s: re-attached to slurm job %s%n", r.name, r.job);
      } else if (!r.state.equals("done")) {
        todo.add(r);
      }
    }
    while (!todo.isEmpty() || !inFlight.isEmpty()) {
      int room = slurm ? parallelism - inFlight.size() : todo.size(); // the local executor queues by itself
      if (room > 0 && !todo.isEmpty()) {
        List<Run> batch = new ArrayList<>(todo.subList(0, Math.min(room, todo.size())));
        todo.removeAll(batch);
        for (Run r : batch) {
          deleteTree(runFolder(r)); // an earlier, failed try: train ppo refuses a folder holding a run
        }
        List<String> ids = x.submit(batch.stream().map(this::job).toList());
        for (int i = 0; i < batch.size(); i++) {
          Run r = batch.get(i);
          r.state = "submitted";
          r.job = ids.get(i);
          r.log = x.log(r.job).toString();
          r.why = null;
          inFlight.put(r.job, r);
        }
        save();
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
      for (Map.Entry<String, JobState> e : x.poll(new ArrayList<>(inFlight.keySet())).entrySet()) {
        JobState s = e.getValue();
        if (!s.ended()) {
          continue;
        }
        Run r = inFlight.remove(e.getKey());
        boolean metrics = s.succeeded() && readMetrics(r);
        if (metrics && (gapEval == null || readGap(r))) {
          r.state = "done";
          err.printf(Locale.ROOT, "  %s: return %.2f after %,d steps%s (%s job %s%s)%n", r.name, r.finalReturn,
              r.stepsDone, gapEval == null ? "" : String.format(Locale.ROOT, ", train %.2f test %.2f", r.trainReturn,
                  r.testReturn), x.name(), r.job, s.nodes().isEmpty() ? "" : " on " + s.nodes());
        } else {
          r.state = "failed";
          r.why = x.name() + " job " + r.job + " ended " + s.describe() + (!s.succeeded() ? "" : !metrics
              ? " without a PPO update in " + runFolder(r).resolve("metrics.csv")
              : " without " + runFolder(r).resolve(GAP_CSV)) + "; log: " + r.log;
          err.printf("  %s: failed: %s%n", r.name, r.why);
        }
        save();
        err.flush();
      }
    }
  }

  /**
   * Run r's job: its train ppo command, then (--gap) zeroshot gap on the run; restarted by Slurm,
   * it resumes the run from its checkpoint (train ppo --resume) instead of training from scratch.
   */
  private TrainingJob job(Run r) {
    Path folder = runFolder(r);
    List<String> resume = new ArrayList<>(List.of("train", "ppo", "--resume", folder.toString(), "--no-progress"));
    for (int i = 0; i + 1 < r.args.size(); i++) {
      if (HOW_TO_RUN.contains(r.args.get(i))) {
        resume.addAll(r.args.subList(i, i + 2));
      }
    }
    List<String> then = null;
    if (gapEval != null) {
      then = new ArrayList<>(List.of("gap", "--checkpoint", folder.toString(), "--out",
          folder.resolve(GAP_CSV).toString(), "--train-levels", gapEval.trainLevels().toString(), "--test-levels",
          gapEval.testLevels().toString(), "--episodes", Integer.toString(gapEval.episodes())));
      if (r.labels.containsKey("context")) { // evaluated in the context it was trained in
        then.addAll(List.of("--context", r.labels.get("context")));
      }
    }
    return new TrainingJob(r.name, r.args, then,
        new TrainingJob.Resume(folder.resolve("checkpoint.ckpt"), folder, resume));
  }

  private static void deleteTree(Path d) throws IOException {
    if (Files.exists(d)) {
      try (java.util.stream.Stream<Path> s = Files.walk(d)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private Path runFolder(Run r) {
    return dir.toAbsolutePath().resolve("runs").resolve(r.name);
  }

  /** The last row of the run's metrics.csv: steps, seconds and the recent return. */
  private boolean readMetrics(Run r) throws IOException {
    Path m = runFolder(r).resolve("metrics.csv");
    if (!Files.isRegularFile(m)) {
      return false;
    }
    List<String> lines = Files.readAllLines(m, StandardCharsets.UTF_8);
    if (lines.size() < 2) {
      return false;
    }
    List<String> head = List.of(lines.get(0).split(","));
    String[] last = lines.get(lines.size() - 1).split(",");
    r.stepsDone = Long.parseLong(last[head.indexOf("global_step")]);
    r.seconds = Double.parseDouble(last[head.indexOf("seconds")]);
    r.finalReturn = Double.parseDouble(last[head.indexOf("recent_return")]);
    return true;
  }

  /** The mean returns on the training and the unseen levels from the run's gap.csv. */
  private boolean readGap(Run r) throws IOException {
    Path g = runFolder(r).resolve(GAP_CSV);
    if (!Files.isRegularFile(g)) {
      return false;
    }
    List<String> lines = Files.readAllLines(g, StandardCharsets.UTF_8);
    int mean = List.of(lines.get(0).split(",")).indexOf("mean_return");
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      if (f[0].equals("train")) {
        r.trainReturn = Double.parseDouble(f[mean]);
      } else if (f[0].equals("test")) {
        r.testReturn = Double.parseDouble(f[mean]);
      }
    }
    return !Double.isNaN(r.trainReturn) && !Double.isNaN(r.testReturn);
  }

  private static String csvNumber(double x) {
    return Double.isNaN(x) ? "" : String.format(Locale.ROOT, "%.4f", x);
  }

  private void writeResults() throws IOException {
    StringBuilder csv = new StringBuilder("env,seed");
    varied.forEach(k -> csv.append(',').append(k));
    csv.append(gapEval == null ? ",steps,final_return,seconds,state,log\n"
        : ",steps,final_return,train_return,test_return,gap,seconds,state,log\n");
    for (Run r : runs) {
      csv.append(String.join(",", r.labels.values()));
      csv.append(String.format(Locale.ROOT, ",%d,%s", r.stepsDone, csvNumber(r.finalReturn)));
      if (gapEval != null) {
        csv.append(',').append(csvNumber(r.trainReturn)).append(',').append(csvNumber(r.testReturn)).append(',')
            .append(csvNumber(r.trainReturn - r.testReturn));
      }
      csv.append(String.format(Locale.ROOT, ",%s,%s,%s%n",
          r.state.equals("done") ? String.format(Locale.ROOT, "%.1f", r.seconds) : "", r.state,
          r.log == null ? "" : r.log));
    }
    Files.writeString(dir.resolve("results.csv"), csv.toString(), StandardCharsets.UTF_8);
  }

  private void printTable(PrintWriter o) {
    String gapHead = gapEval == null ? "" : String.format("%10s %10s %10s ", "train", "test", "gap");
    o.printf("%-40s %12s %s%10s  %s%n", "training", "final return", gapHead, "steps", "state");
    for (Run r : runs) {
      String gaps = gapEval == null ? "" : String.format("%10s %10s %10s ", cell(r.trainReturn), cell(r.testReturn),
          cell(r.trainReturn - r.testReturn));
      o.printf(Locale.ROOT, "%-40s %12s %s%,10d  %s%n", r.name, cell(r.finalReturn), gaps, r.stepsDone,
          r.state.equals("failed") ? "failed: " + r.why : r.state);
    }
    o.printf("wrote %s%n", dir.resolve("results.csv"));
    o.flush();
  }

  private static String cell(double x) {
    return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%.2f", x);
  }

  private void save() throws IOException {
    JsonObject root = new JsonObject();
    root.addProperty("format", FORMAT);
    JsonArray v = new JsonArray();
    varied.forEach(v::add);
    root.add("varied", v);
    if (gapEval != null) {
      JsonObject g = new JsonObject();
      g.addProperty("trainLevels", gapEval.trainLevels().toString());
      g.addProperty("testLevels", gapEval.testLevels().toString());
      g.addProperty("episodes", gapEval.episodes());
      root.add("gap", g);
    }
    JsonArray arr = new JsonArray();
    for (Run r : runs) {
      JsonObject j = new JsonObject();
      j.addProperty("name", r.name);
      JsonArray args = new JsonArray();
      r.args.forEach(args::add);
      j.add("args", args);
      JsonObject labels = new JsonObject();
      r.labels.forEach(labels::addProperty);
      j.add("labels", labels);
      j.addProperty("state", r.state);
      j.addProperty("job", r.job);
      j.addProperty("log", r.log);
      j.addProperty("why", r.why);
      if (r.state.equals("done")) {
        j.addProperty("finalReturn", r.finalReturn);
        j.addProperty("steps", r.stepsDone);
        j.addProperty("seconds", r.seconds);
        if (gapEval != null) {
          j.addProperty("trainReturn", r.trainReturn);
          j.addProperty("testReturn", r.testReturn);
        }
      }
      arr.add(j);
    }
    root.add("runs", arr);
    Path tmp = dir.resolve(STATE + ".tmp");
    Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().create().toJson(root), StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(STATE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void open(Path d) throws IOException {
    Path f = d.resolve(STATE);
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException("--resume " + d + ": no " + STATE + " there (not a grid folder)");
    }
    JsonObject root = JsonParser.parseString(Files.readString(f, StandardCharsets.UTF_8)).getAsJsonObject();
    if (!FORMAT.equals(root.get("format").getAsString())) {
      throw new IllegalArgumentException(f + " is not a " + FORMAT + " file");
    }
    dir = d;
    varied = new ArrayList<>();
    root.getAsJsonArray("varied").forEach(e -> varied.add(e.getAsString()));
    if (root.has("gap")) {
      JsonObject g = root.getAsJsonObject("gap");
      gapEval = new Gap(LevelRange.parse(g.get("trainLevels").getAsString()),
          LevelRange.parse(g.get("testLevels").getAsString()), g.get("episodes").getAsInt());
    }
    runs = new ArrayList<>();
    for (JsonElement e : root.getAsJsonArray("runs")) {
      JsonObject j = e.getAsJsonObject();
      List<String> args = new ArrayList<>();
      j.getAsJsonArray("args").forEach(a -> args.add(a.getAsString()));
      Map<String, String> labels = new LinkedHashMap<>();
      j.getAsJsonObject("labels").entrySet().forEach(x -> labels.put(x.getKey(), x.getValue().getAsString()));
      Run r = new Run(j.get("name").getAsString(), args, labels);
      r.state = j.get("state").getAsString();
      r.job = j.has("job") && !j.get("job").isJsonNull() ? j.get("job").getAsString() : null;
      r.log = j.has("log") && !j.get("log").isJsonNull() ? j.get("log").getAsString() : null;
      r.why = j.has("why") && !j.get("why").isJsonNull() ? j.get("why").getAsString() : null;
      if (r.state.equals("done")) {
        r.finalReturn = j.get("finalReturn").getAsDouble();
        r.stepsDone = j.get("steps").getAsLong();
        r.seconds = j.get("seconds").getAsDouble();
        if (gapEval != null) {
          r.trainReturn = j.get("trainReturn").getAsDouble();
          r.testReturn = j.get("testReturn").getAsDouble();
        }
      }
      runs.add(r);
    }
  }
}
