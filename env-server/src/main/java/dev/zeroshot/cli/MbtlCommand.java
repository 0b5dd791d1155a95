package dev.zeroshot.cli;

import dev.zeroshot.mbtl.Charts;
import dev.zeroshot.mbtl.ExecutorTaskTrainer;
import dev.zeroshot.mbtl.GridShape;
import dev.zeroshot.mbtl.Progress;
import dev.zeroshot.mbtl.SimulateSettings;
import dev.zeroshot.mbtl.Simulation;
import dev.zeroshot.mbtl.Strategies;
import dev.zeroshot.mbtl.StrategyResult;
import dev.zeroshot.mbtl.Sweep;
import dev.zeroshot.mbtl.SweepReport;
import dev.zeroshot.mbtl.SweepResult;
import dev.zeroshot.mbtl.SweepSettings;
import dev.zeroshot.mbtl.SweepSpec;
import dev.zeroshot.mbtl.TaskGrid;
import dev.zeroshot.mbtl.TaskTrainer;
import dev.zeroshot.mbtl.TrainedTask;
import dev.zeroshot.mbtl.SyntheticMatrices;
import dev.zeroshot.mbtl.TransferMatrix;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot mbtl}: Model-Based Transfer Learning. {@code simulate} runs the selection
 * strategies on a known transfer matrix; {@code run} trains a PPO policy on each pick and fills
 * the matrix as it goes; {@code synth} writes a synthetic matrix.
 */
@Command(name = "mbtl", mixinStandardHelpOptions = true,
    description = "Model-Based Transfer Learning: which tasks to train on so that the best of K policies covers all tasks.",
    subcommands = {MbtlCommand.Simulate.class, MbtlCommand.Run.class, MbtlCommand.Synth.class,
        MbtlCommand.Bench.class, MbtlCommand.Compare.class, MbtlTrainTaskCommand.class})
final class MbtlCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: simulate, run, synth or bench");
  }

  @Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Run MBTL and the baselines on a known N x N transfer matrix (CSV, no header, row = source, "
          + "column = target, normalized) and write picks, V_k curves, report.json and PNG charts.",
          "Strategies: all, mbtl, mbtl-paper, mbtl-ucb, mbtl-ei, gp-mbtl, m-mbtl, mgp-mbtl, sequential-oracle, greedy, "
              + "equidistant, equidistant-sweep, random, independent, oracle (docs/mbtl.md says what each is)."})
  static final class Simulate implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--matrix", required = true, description = "transfer matrix CSV")
    Path matrix;

    @Option(names = "--steps", required = true, description = "budget K: tasks to train (1..N)")
    int steps;

    @Option(names = "--theta", description = "fix the gap slope (normalized performance per index step) as the paper "
        + "does; without it the mbtl modes fit it per side from observed transfers and mbtl-paper uses 0.005")
    Double theta;

    @Option(names = "--strategies", description = "'all' or a comma-separated list (default: ${DEFAULT-VALUE})")
    String strategies = "all";

    @Option(names = "--out", required = true, description = "output folder (created if needed)")
    Path out;

    @Option(names = "--beta", description = "beta of mbtl-ucb (fixed-beta UCB) (default: ${DEFAULT-VALUE})")
    double beta = 1.0;

    @Option(names = "--seed", description = "seed of the GP optimizer's random restarts (mbtl-paper; the other MBTL "
        + "modes draw none) (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--random-orderings", description = "orderings of the random baseline (default: ${DEFAULT-VALUE})")
    int randomOrderings = 100;

    @Option(names = "--random-seed", description = "seed of the random orderings (default: ${DEFAULT-VALUE})")
    long randomSeed = 42;

    @Option(names = "--normalize", paramLabel = "LOW:HIGH", description = "normalize raw values first, "
        + "(v - LOW) / (HIGH - LOW), e.g. 0:500 for CartPole (the authors' bounds are in docs/mbtl.md)")
    String normalize;

    @Option(names = "--grid", paramLabel = "AxB", description = "the tasks are the points of an A x B grid over two "
        + "features, row-major (task i = (i / B, i %% B)); N must be A * B. Distances, GP length scales and gap "
        + "slopes are per feature; greedy becomes greedy coverage; equidistant is line-only")
    String grid;

    /** The settings as this command's options name them. */
    private static final SweepSpec.Names OPTIONS = f -> switch (f) {
      case BUDGET -> "--steps";
      case STRATEGIES -> "--strategies";
      case THETA -> "--theta";
      case BETA -> "--beta";
      case RANDOM_ORDERINGS -> "--random-orderings";
      case GRID -> "--grid";
      case BATCH -> "--batch";
      default -> null;
    };

    @Option(names = "--batch", paramLabel = "Q", description = "the MBTL modes pick Q tasks per round (for Q "
        + "trainings at a time; kriging believer), 1..K; also writes batch.csv, batch-rounds.csv and batch.png: V per "
        + "round against Q = 1 and random picks (default: ${DEFAULT-VALUE})")
    int batch = 1;

    @Override
    public Integer call() throws IOException {
      GridShape shape = grid == null ? null : GridShape.parse(grid);
      if (Files.exists(out) && !Files.isDirectory(out)) {
        throw new IllegalArgumentException("--out " + out + " exists and is not a folder");
      }
      TransferMatrix m = TransferMatrix.readCsv(matrix);
      if (normalize != null) {
        m = normalized(m, normalize);
      }
      SimulateSettings s = new SweepSpec.Simulate(OPTIONS).matrix(m).grid(shape).steps(steps).strategies(strategies)
          .theta(theta).beta(beta).seed(seed).randomOrderings(randomOrderings).randomSeed(randomSeed).batch(batch).settings();
      PrintWriter o = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      o.printf("mbtl simulate: %s, N = %d, K = %d, gap slope %s, strategies: %s%n", matrix, m.size(), steps,
          theta == null ? "fitted (mbtl-paper: 0.005)" : "fixed at " + theta, String.join(", ", s.strategies()));
      o.flush();
      Simulation sim = Simulation.run(m, matrix.getFileName().toString(), s.shape(), steps, s.strategies(),
          s.options(), progress(err));
      List<Path> files;
      try {
        files = sim.write(out);
      } catch (IOException e) {
        throw new IllegalStateException("cannot write the report to " + out + ": " + e.getMessage());
      }
      int[] ks = budgetColumns(steps);
      StringBuilder head = new StringBuilder(String.format("%-18s", "strategy"));
      for (int c : ks) {
        head.append(String.format(" %9s", "V_" + c));
      }
      o.printf("%s %9s %9s  %s%n", head, "mean V", "agg", "first picks");
      for (StrategyResult r : sim.results()) {
        double[] v = r.values();
        StringBuilder cols = new StringBuilder(String.format("%-18s", r.name()));
        for (int c : ks) {
          cols.append(String.format(java.util.Locale.ROOT, " %9.4f", v[c - 1]));
        }
        StringBuilder picks = new StringBuilder();
        for (int i = 0; i < Math.min(8, r.picks().length); i++) {
          picks.append(i > 0 ? " " : "").append(r.picks()[i]);
        }
        if (r.picks().length > 8) {
          picks.append(" ...");
        }
        o.printf("%s %9.4f %9.4f  %s%n", cols, r.average(), sim.aggregated().get(r.name()),
            r.sets() != null ? "(a separate set per budget)" : picks);
      }
      o.println("agg: SD-MBTL's aggregated metric at K, (V_K - random) / (myopic oracle - random)");
      if (sim.batch() != null) {
        o.print(sim.batch().table());
      }
      o.printf("wrote %d files to %s: %s%n", files.size(), out,
          String.join(", ", files.stream().map(p -> p.getFileName().toString()).toList()));
      o.flush();
      return 0;
    }

    private static TransferMatrix normalized(TransferMatrix m, String spec) {
      String[] parts = spec.split(":");
      double lo;
      double hi;
      try {
        if (parts.length != 2) {
          throw new NumberFormatException();
        }
        lo = Double.parseDouble(parts[0].trim());
        hi = Double.parseDouble(parts[1].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--normalize must be LOW:HIGH with two numbers, got '" + spec + "'");
      }
      if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
        throw new IllegalArgumentException("--normalize needs LOW < HIGH, got '" + spec + "'");
      }
      double[][] a = m.toArray();
      for (double[] row : a) {
        for (int j = 0; j < row.length; j++) {
          row[j] = (row[j] - lo) / (hi - lo);
        }
      }
      return TransferMatrix.of(a);
    }

    /** One updating line per strategy on stderr: "random: 37/100". */
    private static Progress progress(PrintWriter err) {
      return new Progress() {
        private long last;

        @Override
        public void update(String what, int done, int total) {
          long now = System.nanoTime();
          if (done == total || now - last > 200_000_000L) {
            last = now;
            err.printf("\r  %s: %d/%d%s", what, done, total, done == total ? "\n" : "");
            err.flush();
          }
        }
      };
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Train PPO on each task a strategy picks (task i = the env with --feature at the i-th of --tasks "
          + "evenly spaced values in --range), evaluate it zero-shot on every task, continue until --budget; write "
          + "V_k, the samples spent, the matrix as filled, report.json and PNG charts to --out.",
          "The sweep's state (sweep.json) is saved after every training: --resume DIR continues a stopped sweep "
              + "without redoing finished trainings.",
          "With no sweep options it runs the demo: CartPole-v1, pole length 0.1..2.0 in 20 tasks, K = 5, every task "
              + "trained too (independent training, sample-efficiency ratio), 196,608 steps per task, 2 workers, "
              + "into runs/mbtl-demo (or --out); run again, it resumes that demo, and it never overwrites another "
              + "sweep."})
  static final class Run implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--env", description = "environment id, e.g. CartPole-v1")
    String envId;

    @Option(names = "--feature", description = "the context feature the tasks vary, e.g. length; two or more "
        + "comma-separated (length,masscart) for a grid over them")
    String feature;

    @Option(names = "--range", paramLabel = "A:B", description = "the feature's first and last task value; one A:B "
        + "per feature, comma-separated, on a grid (0.1:2.0,0.5:2.0)")
    String range;

    @Option(names = "--tasks", paramLabel = "N", description = "N, the number of tasks; on a grid the tasks per "
        + "feature, AxB (5x4: N = 20, row-major)")
    String tasks;

    @Option(names = "--budget", description = "K, the trainings each strategy may spend (1..N)")
    Integer budget;

    @Option(names = "--steps-per-task", description = "PPO environment steps per training (S)")
    Long stepsPerTask;

    @Option(names = "--out", description = "sweep folder to create")
    Path out;

    @Option(names = "--strategy", description = "comma-separated: mbtl (default), mbtl-paper, mbtl-ucb, mbtl-ei, "
        + "gp-mbtl, m-mbtl, mgp-mbtl, greedy, equidistant-sweep")
    String strategy;

    @Option(names = "--with-baselines", description = "also train every task: independent training, the oracles, "
        + "random and equidistant orderings, and the sample-efficiency ratio")
    Boolean withBaselines;

    @Option(names = "--multi-task", description = "also train one policy on all N tasks (round robin, N x S steps) "
        + "and compare with it")
    Boolean multiTask;

    @Option(names = "--parallel", description = "trainings at a time, each in its own worker JVM (default: 1; "
        + "the demo: 2 where 2 cores are available; --executor slurm: Slurm jobs in flight, default all); the "
        + "results do not depend on it")
    Integer parallel;

    @Option(names = "--resume", paramLabel = "DIR", description = "continue the sweep in DIR as it was configured")
    Path resume;

    /** --executor local|slurm and the Slurm job's options (with slurm, --parallel caps the jobs in flight). */
    @picocli.CommandLine.Mixin
    ExecutorOptions executors = new ExecutorOptions();

    @Option(names = "--seed", description = "PPO's seed (the same for every task) and the GP's (default: 1)")
    Long seed;

    @Option(names = "--eval-episodes", description = "zero-shot evaluation episodes per target task (default: 10)")
    Integer evalEpisodes;

    @Option(names = "--return-range", paramLabel = "LOW:HIGH", description = "returns normalized to 0 and 1 "
        + "(default: the MBTL authors' bounds, e.g. CartPole-v1 0:500)")
    String returnRange;

    @Option(names = "--theta", description = "fix the gap slope as the paper does (default: fitted; mbtl-paper 0.005)")
    Double theta;

    @Option(names = "--batch", paramLabel = "Q", description = "the MBTL strategies pick Q tasks per round (kriging "
        + "believer) and train them side by side, 1..K; use with --parallel >= Q (default: 1, one pick at a time)")
    Integer batch;

    /** Where the demo (no sweep options) writes unless {@code --out} says otherwise. */
    static final Path DEMO_OUT = Path.of("runs", "mbtl-demo");

    /** The sweep's settings as this command's options name them (in its errors). */
    private static final SweepSpec.Names OPTIONS = f -> switch (f) {
      case ENV -> "--env";
      case FEATURE -> "--feature";
      case RANGE -> "--range";
      case TASKS -> "--tasks";
      case BUDGET -> "--budget";
      case STEPS_PER_TASK -> "--steps-per-task";
      case STRATEGIES -> "--strategy";
      case WITH_BASELINES -> "--with-baselines";
      case EVAL_EPISODES -> "--eval-episodes";
      case RETURN_RANGE -> "--return-range";
      case THETA -> "--theta";
      case BATCH -> "--batch";
      default -> null;
    };

    /**
     * Options that say how to run rather than which sweep: the demo and {@code --resume} take them
     * (and every option of {@link ExecutorOptions}: where the trainings run).
     */
    private static final Set<String> HOW_TO_RUN = Set.of("--parallel", "--resume");

    /**
     * The demo that {@code zeroshot mbtl run} with no sweep options runs: CartPole-v1, pole length
     * 0.1..2.0 m (the feature's bounds are 0.05..5, default 0.5) in N = 20 tasks, K = 5, every
     * task trained too (independent training and the sample-efficiency ratio), 196,608 PPO steps
     * per task (about 3 minutes with 2 workers on 2 cores).
     */
    static SweepSettings demoSettings() {
      return new SweepSpec.Run(OPTIONS).env("CartPole-v1").axes(List.of(new TaskGrid.Axis("length", 0.1, 2.0, 20)))
          .budget(5).stepsPerTask(196_608).withBaselines(true).settings();
    }

    /** The sweep the options ask for (every option is checked by {@link SweepSpec}). */
    private SweepSettings settings() {
      List<String> missing = Stream.of("--env", "--feature", "--range", "--tasks", "--budget", "--steps-per-task",
          "--out").filter(name -> !spec.commandLine().getParseResult().hasMatchedOption(name)).toList();
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("missing " + String.join(", ", missing) + " (or --resume DIR)");
      }
      return new SweepSpec.Run(OPTIONS).env(envId).axes(axes(feature, range, tasks)).budget(budget)
          .stepsPerTask(stepsPerTask).strategies(strategy == null ? null : List.of(strategy.split(",")))
          .withBaselines(withBaselines).multiTask(multiTask).seed(seed).evalEpisodes(evalEpisodes)
          .returnRange(returnRange == null ? null : pair(returnRange, "--return-range", "LOW:HIGH")).theta(theta)
          .batch(batch).settings();
    }

    /** The options given that choose the sweep (all but {@link #HOW_TO_RUN}), as their long names. */
    private List<String> sweepOptionsGiven() {
      List<String> where = spec.mixins().get("executors").options().stream().map(OptionSpec::longestName).toList();
      return spec.commandLine().getParseResult().matchedOptions().stream().map(OptionSpec::longestName)
          .filter(name -> !HOW_TO_RUN.contains(name) && !where.contains(name)).toList();
    }

    /** The demo's sweep in {@code dir}: a new one, or the same demo resumed; never another sweep. */
    private static Sweep demo(Path dir, PrintWriter o) throws IOException {
      SweepSettings s = demoSettings();
      if (Files.exists(dir.resolve(Sweep.STATE))) {
        Sweep old = Sweep.open(dir);
        if (!old.settings().toJson().equals(s.toJson())) {
          throw new IllegalArgumentException(dir + " holds a different sweep (" + old.settings().describe()
              + "); the demo does not overwrite it: continue it with --resume " + dir + ", or give the demo "
              + "another --out (or remove " + dir + ")");
        }
        o.printf("mbtl run (demo): resuming %s (%d training(s) saved): %s%n", dir, old.trained().size(),
            s.describe());
        return old;
      }
      Sweep created = Sweep.create(s, dir);
      o.printf("mbtl run (demo, no options given): %s -> %s%n", s.describe(), dir);
      return created;
    }

    /** The sweep in {@code --resume DIR}, which takes no option that would change it. */
    private Sweep resumed(List<String> given, PrintWriter o) throws IOException {
      if (!given.isEmpty()) {
        throw new IllegalArgumentException("--resume DIR continues the sweep as it was configured; drop "
            + String.join(", ", given));
      }
      Sweep sweep = Sweep.open(resume);
      o.printf("mbtl run: resuming %s (%d training(s) saved): %s%n", resume, sweep.trained().size(),
          sweep.settings().describe());
      return sweep;
    }

    @Override
    public Integer call() throws IOException {
      List<String> given = sweepOptionsGiven();
      boolean isDemo = resume == null && given.stream().allMatch("--out"::equals);
      int workers = parallel != null ? parallel
          : isDemo ? Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())) : 1;
      if (workers < 1) {
        throw new IllegalArgumentException("--parallel must be >= 1, got " + workers);
      }
      PrintWriter o = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      boolean slurm = executors.slurm();
      if (slurm) {
        dev.zeroshot.mbtl.exec.SlurmExecutor.checkInstalled(java.util.Map.of()); // before anything is written
      }
      Sweep sweep;
      if (isDemo) {
        sweep = demo(out != null ? out : DEMO_OUT, o);
      } else if (resume != null) {
        sweep = resumed(given, o);
      } else {
        sweep = Sweep.create(settings(), out);
        o.printf("mbtl run: %s -> %s%n", sweep.settings().describe(), out);
      }
      o.flush();
      SweepSettings s = sweep.settings();
      SweepResult r;
      List<ExecutorTaskTrainer.Timing> timings = List.of();
      if (slurm) { // each training a Slurm job; by default all that can be in flight are
        try (ExecutorTaskTrainer t = new ExecutorTaskTrainer(sweep, executors.slurmExecutor("zeroshot-mbtl-"
            + sweep.dir().toAbsolutePath().getFileName(), sweep.dir().resolve("slurm"), notes(err)), notes(err))) {
          r = sweep.run(t, parallel != null ? workers : s.n() + 1, listener(err, s));
          timings = t.timings();
        }
      } else if (!sweep.jobs().isEmpty()) {
        throw new IllegalArgumentException(sweep.dir() + " has " + sweep.jobs().size() + " training job(s) in flight "
            + "on Slurm (" + sweep.jobs().values().iterator().next().id() + ", ...); resume it with --executor slurm");
      } else {
        r = sweep.run(workers, listener(err, s));
      }
      List<Path> files = SweepReport.write(r, sweep.dir());
      int k = s.budget();
      int[] ks = budgetColumns(k);
      StringBuilder head = new StringBuilder(String.format("%-18s", "strategy"));
      for (int c : ks) {
        head.append(String.format(" %8s", "V_" + c));
      }
      o.printf("%s %8s %12s  %s%n", head, "mean V", "samples@K", "picks");
      for (StrategyResult x : r.strategies()) {
        double[] v = x.values();
        StringBuilder cols = new StringBuilder(String.format("%-18s", x.name()));
        for (int c : ks) {
          cols.append(String.format(java.util.Locale.ROOT, " %8.4f", v[c - 1]));
        }
        StringBuilder picks = new StringBuilder();
        for (int i = 0; i < Math.min(10, x.picks().length); i++) {
          picks.append(i > 0 ? " " : "").append(x.picks()[i]);
        }
        o.printf(java.util.Locale.ROOT, "%s %8.4f %,12.0f  %s%n", cols, x.average(), r.samples(x.name())[k - 1],
            x.sets() != null ? "(a set per budget)" : x.picks().length == 0 ? "" : picks);
      }
      o.printf(java.util.Locale.ROOT, "trained %d of %d tasks%s (%d training(s) in this run), %,d training samples "
          + "in all%n", r.rows().size(), s.n(), r.multiTask() != null ? " and the multi-task policy" : "", r.trainedNow(),
          r.samplesSpent());
      if (r.fullMatrix() != null) {
        StringBuilder agg = new StringBuilder("aggregated metric at K (random 0, myopic oracle 1):");
        r.aggregated().forEach((name, v) -> agg.append(String.format(java.util.Locale.ROOT, " %s %.3f", name, v)));
        o.println(agg);
        o.printf(java.util.Locale.ROOT, "independent training: V = %.4f for %,d samples (all %d tasks); oracle "
            + "transfer %.4f%n", r.independentValue(), r.independentSamples(), s.n(), r.fullMatrix().oracleTransfer());
        for (SweepResult.Efficiency e : r.efficiency()) {
          if (e.matchK() == null) {
            o.printf(java.util.Locale.ROOT, "  %-18s does not reach it within K = %d (V_K = %.4f = %.0f%% of it, "
                + "with %,.0f samples)%n", e.strategy(), k, e.valueAtK(), 100 * e.valueAtK() / r.independentValue(),
                e.samplesAtK());
          } else {
            o.printf(java.util.Locale.ROOT, "  %-18s reaches it at k = %d with %,.0f samples: %.2fx the sample "
                + "efficiency%n", e.strategy(), e.matchK(), e.samplesToMatch(), e.ratio());
          }
        }
      } else {
        o.println("(no sample-efficiency ratio: it needs independent training of every task, --with-baselines)");
      }
      if (r.multiTask() != null) {
        o.printf(java.util.Locale.ROOT, "multi-task training: V = %.4f for %,d samples (one policy on all %d tasks)%n",
            r.strategy(SweepResult.MULTI_TASK).values()[0], r.multiTask().samples(), s.n());
        for (SweepResult.Efficiency e : r.multiTaskEfficiency()) {
          if (e.matchK() == null) {
            o.printf(java.util.Locale.ROOT, "  %-18s does not reach it within K = %d (V_K = %.4f)%n", e.strategy(), k,
                e.valueAtK());
          } else {
            o.printf(java.util.Locale.ROOT, "  %-18s reaches it at k = %d with %,.0f samples: %.2fx the sample "
                + "efficiency%n", e.strategy(), e.matchK(), e.samplesToMatch(), e.ratio());
          }
        }
      }
      if (!timings.isEmpty()) {
        o.println(slurmOverhead(timings));
      }
      o.printf("wrote %d files to %s%n", files.size(), sweep.dir());
      o.flush();
      return 0;
    }

    /** One line: the jobs' nodes and the mean time Slurm added per training. */
    static String slurmOverhead(List<ExecutorTaskTrainer.Timing> ts) {
      java.util.DoubleSummaryStatistics queued = ts.stream().mapToDouble(ExecutorTaskTrainer.Timing::queuedSeconds)
          .summaryStatistics();
      java.util.DoubleSummaryStatistics over = ts.stream().mapToDouble(ExecutorTaskTrainer.Timing::overheadSeconds)
          .summaryStatistics();
      return String.format(java.util.Locale.ROOT, "slurm: %d job(s) on %s; per job: submit to start %.1f s (mean), "
          + "submit to result less the training and evaluation inside the job %.1f s (mean; max %.1f s)", ts.size(),
          String.join(", ", new java.util.TreeSet<>(ts.stream().map(ExecutorTaskTrainer.Timing::nodes).toList())),
          queued.getAverage(), over.getAverage(), over.getMax());
    }

    private static java.util.function.Consumer<String> notes(PrintWriter err) {
      return line -> {
        synchronized (err) {
          err.println("  " + line);
          err.flush();
        }
      };
    }

    /**
     * The tasks' axes from {@code --feature}, {@code --range} and {@code --tasks}: one feature (N
     * tasks) or, with comma-separated features, one {@code A:B} per feature and {@code --tasks AxB}.
     */
    static List<TaskGrid.Axis> axes(String feature, String range, String tasks) {
      String[] features = feature.split(",", -1);
      String[] ranges = range.split(",", -1);
      String[] sizes = tasks.toLowerCase(java.util.Locale.ROOT).split("x", -1);
      if (ranges.length != features.length || sizes.length != features.length) {
        throw new IllegalArgumentException("--feature names " + features.length + " feature(s) but --range gives "
            + ranges.length + " range(s) and --tasks " + sizes.length + " size(s); give one of each per feature, e.g. "
            + "--feature length,masscart --range 0.1:2.0,0.5:2.0 --tasks 5x4");
      }
      List<TaskGrid.Axis> axes = new java.util.ArrayList<>();
      for (int f = 0; f < features.length; f++) {
        double[] ab = pair(ranges[f], "--range", "A:B");
        int n;
        try {
          n = Integer.parseInt(sizes[f].strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--tasks must be an integer N, or AxB with one integer per feature, got '"
              + tasks + "'");
        }
        axes.add(new TaskGrid.Axis(features[f].strip(), ab[0], ab[1], n));
      }
      return axes;
    }

    private static double[] pair(String text, String option, String form) {
      String[] p = text.split(":");
      try {
        if (p.length != 2) {
          throw new NumberFormatException();
        }
        return new double[] {Double.parseDouble(p[0].strip()), Double.parseDouble(p[1].strip())};
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " must be " + form + " with two numbers, got '" + text + "'");
      }
    }

    /** Progress lines on stderr: each pick, and each finished training with its row. */
    private static Sweep.Listener listener(PrintWriter err, SweepSettings s) {
      return new Sweep.Listener() {
        @Override
        public synchronized void picked(String strategy, int k, int task, boolean alreadyTrained) {
          err.printf(java.util.Locale.ROOT, "  %s: k = %d/%d picks task %d (%s)%s%n", strategy, k, s.budget(), task,
              s.grid().label(task), alreadyTrained ? ", trained already" : "");
          err.flush();
        }

        @Override
        public synchronized void trained(TrainedTask t, int trainedNow, int trainedTotal) {
          double mean = 0;
          for (double v : t.row()) {
            mean += v / t.row().length;
          }
          if (t.task() == TaskTrainer.MULTI_TASK) {
            err.printf(java.util.Locale.ROOT, "[multi-task] one policy on all %d tasks: %,d steps in %.1f s, training "
                + "return %.1f; zero-shot mean over tasks %.3f (eval %.1f s)%n", s.n(), t.samples(), t.trainSeconds(),
                t.trainReturn(), mean, t.evalSeconds());
            err.flush();
            return;
          }
          err.printf(java.util.Locale.ROOT, "[%d of %d tasks trained] task %d (%s): %,d steps in %.1f s, training "
              + "return %.1f; zero-shot: own task %.3f, mean over tasks %.3f (eval %.1f s)%n", trainedTotal, s.n(), t.task(),
              s.grid().label(t.task()), t.samples(), t.trainSeconds(), t.trainReturn(), t.row()[t.task()],
              mean, t.evalSeconds());
          err.flush();
        }
      };
    }
  }

  /**
   * The budgets a result table shows: the first, the middle and the last, each once (for K = 2
   * the middle is the first, which printed a second {@code V_1} column).
   */
  static int[] budgetColumns(int k) {
    return java.util.stream.IntStream.of(1, (k + 1) / 2, k).distinct().toArray();
  }

  @Command(name = "synth", mixinStandardHelpOptions = true,
      description = "Write a synthetic N x N transfer matrix with a known structure (CSV, no header).")
  static final class Synth implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--kind", required = true, description = "smooth, two-peaked, asymmetric, cliff or steep")
    String kind;

    @Option(names = "--tasks", description = "N (default: ${DEFAULT-VALUE})")
    int tasks = 50;

    @Option(names = "--grid", paramLabel = "AxB", description = "instead of --tasks: a matrix whose tasks are the "
        + "points of an A x B grid over two features, row-major (kinds: smooth, two-peaked)")
    String grid;

    @Option(names = "--noise", description = "Gaussian noise std (default: ${DEFAULT-VALUE})")
    double noise = 0.02;

    @Option(names = "--seed", description = "noise seed (default: ${DEFAULT-VALUE})")
    long seed = 7;

    @Option(names = "--out", required = true, description = "CSV file to write")
    Path out;

    @Override
    public Integer call() throws IOException {
      TransferMatrix m = grid == null ? SyntheticMatrices.generate(kind, tasks, noise, seed)
          : SyntheticMatrices.generateGrid(kind, GridShape.parse(grid), noise, seed);
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
        m.writeCsv(w, 4);
      }
      spec.commandLine().getOut().printf("wrote %s: %d x %d synthetic '%s' matrix%s (noise %.3f, seed %d)%n", out,
          m.size(), m.size(), kind, grid == null ? "" : " on the grid " + GridShape.parse(grid), noise, seed);
      return 0;
    }
  }
  @Command(name = "bench", mixinStandardHelpOptions = true,
      description = "Time MBTL selection on a synthetic N x N matrix (K steps), per mode, after a warm-up run; "
          + "ratios are against the paper mode measured in the same run. Not a test: numbers depend on the machine's load.")
  static final class Bench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--tasks", description = "N (default: ${DEFAULT-VALUE})")
    int tasks = 100;

    @Option(names = "--steps", description = "K (default: ${DEFAULT-VALUE})")
    int steps = 100;

    @Option(names = "--kind", description = "synthetic matrix kind (default: ${DEFAULT-VALUE})")
    String kind = "smooth";

    @Option(names = "--rounds", description = "timed rounds per mode; the median is reported (default: ${DEFAULT-VALUE})")
    int rounds = 3;

    @Option(names = "--grid", paramLabel = "AxBxC", description = "instead of --tasks: the tasks are the points of "
        + "this grid (e.g. 10x10x10 for N = 1,000 over three features; kind smooth or two-peaked)")
    String grid;

    @Option(names = "--modes", split = ",", description = "the selectors to time; the first is the baseline "
        + "(default: ${DEFAULT-VALUE})")
    List<String> modes = List.of("mbtl-paper", "mbtl", "mbtl-ei");

    @Override
    public Integer call() {
      GridShape shape = grid == null ? GridShape.line(tasks) : GridShape.parse(grid);
      int n = shape.size();
      if (n < 1 || steps < 1 || steps > n || rounds < 1) {
        throw new IllegalArgumentException("need 1 <= --steps <= N (--tasks or the --grid's size) and --rounds >= 1");
      }
      modes.forEach(Strategies::parse); // an unknown mode fails before any work
      TransferMatrix m = grid == null ? SyntheticMatrices.generate(kind, tasks, 0.02, 7)
          : SyntheticMatrices.generateGrid(kind, shape, 0.02, 7);
      PrintWriter o = spec.commandLine().getOut();
      o.printf("mbtl bench: '%s' matrix, N = %d%s, K = %d, %d core(s), median of %d round(s) after a warm-up%n", kind,
          n, grid == null ? "" : " (grid " + shape + ")", steps, Runtime.getRuntime().availableProcessors(), rounds);
      o.flush();
      Strategies.Options opts = Strategies.Options.defaults();
      double paper = Double.NaN;
      for (String mode : modes) {
        Strategies.run(mode, m, shape, Math.min(steps, 30), opts, Progress.NONE); // warm-up (JIT)
        double[] t = new double[rounds];
        long evaluations = 0;
        for (int r = 0; r < rounds; r++) {
          long t0 = System.nanoTime();
          StrategyResult res = Strategies.run(mode, m, shape, steps, opts, Progress.NONE);
          t[r] = (System.nanoTime() - t0) / 1e9;
          evaluations = res.steps() == null ? 0 // the same every round
              : res.steps().stream().mapToLong(st -> st.gpEvaluations()).sum();
        }
        java.util.Arrays.sort(t);
        double med = t[rounds / 2];
        if (mode.equals(modes.get(0))) {
          paper = med;
        }
        o.printf("%-12s %8.3f s total  %8.2f ms/step  %5.2fx %s%s  %,d GP likelihood evaluations%n",
            mode, med, 1000 * med / steps, med / paper, modes.get(0).equals("mbtl-paper") ? "the paper mode"
                : modes.get(0), mode.equals(modes.get(0)) ? " (baseline)" : "", evaluations);
        o.flush();
      }
      return 0;
    }
  }

  @Command(name = "compare", mixinStandardHelpOptions = true,
      description = {"Run strategies on synthetic transfer-matrix families over grids of several dimensions and seeds, "
          + "and print SD-MBTL's aggregated metric (random order 0, myopic oracle 1) per family and strategy.",
          "Writes compare.csv (one row per grid, kind, seed and strategy) and compare.png (the mean metric per "
              + "family and strategy) into --out."})
  static final class Compare implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--grids", split = ",", description = "task grids, one per dimension count (default: "
        + "${DEFAULT-VALUE})")
    List<String> grids = List.of("50", "8x8x8", "3x3x3x3x3");

    @Option(names = "--kinds", split = ",", description = "synthetic families (default: all: ${DEFAULT-VALUE})")
    List<String> kinds = List.of(SyntheticMatrices.GRID_KINDS);

    @Option(names = "--strategies", description = "comma-separated (default: ${DEFAULT-VALUE})")
    String strategies = "mbtl,mbtl-paper,gp-mbtl,m-mbtl,mgp-mbtl,greedy,random";

    @Option(names = "--budget", description = "K (default: ${DEFAULT-VALUE})")
    int budget = 15;

    @Option(names = "--seeds", description = "matrix noise seeds 1..S, each also the strategies' seed "
        + "(default: ${DEFAULT-VALUE})")
    int seeds = 5;

    @Option(names = "--noise", description = "Gaussian noise std of the matrices (default: ${DEFAULT-VALUE})")
    double noise = 0.02;

    @Option(names = "--out", required = true, description = "output folder (created if needed)")
    Path out;

    @Override
    public Integer call() throws IOException {
      if (seeds < 1) {
        throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
      }
      List<String> names = Strategies.parse(strategies);
      List<GridShape> shapes = grids.stream().map(GridShape::parse).toList();
      for (String k : kinds) {
        SyntheticMatrices.generateGrid(k, GridShape.line(2), 0, 0); // an unknown kind fails before any work
      }
      Files.createDirectories(out);
      PrintWriter o = spec.commandLine().getOut();
      o.printf("mbtl compare: %d grid(s) x %d famil%s x %d seed(s), K = %d; aggregated metric at K, mean (std over "
          + "seeds)%n", shapes.size(), kinds.size(), kinds.size() == 1 ? "y" : "ies", seeds, budget);
      StringBuilder header = new StringBuilder(String.format("%-12s %-13s", "grid", "family"));
      names.forEach(n -> header.append(String.format(" %15s", n)));
      o.println(header);
      o.flush();
      List<String> rowsLabels = new java.util.ArrayList<>();
      List<double[]> means = new java.util.ArrayList<>();
      List<double[]> sds = new java.util.ArrayList<>();
      try (Writer csv = Files.newBufferedWriter(out.resolve("compare.csv"), StandardCharsets.UTF_8)) {
        csv.write("grid,kind,seed,strategy,V_K,aggregated\n");
        for (GridShape shape : shapes) {
          for (String kind : kinds) {
            double[][] agg = new double[names.size()][seeds];
            for (int seed = 1; seed <= seeds; seed++) {
              TransferMatrix m = SyntheticMatrices.generateGrid(kind, shape, noise, seed);
              Strategies.Options opts = new Strategies.Options(null, 1.0, seed, 100, seed);
              Simulation sim = Simulation.run(m, kind, shape, Math.min(budget, m.size()), names, opts, Progress.NONE);
              for (int i = 0; i < names.size(); i++) {
                StrategyResult r = sim.result(names.get(i));
                agg[i][seed - 1] = sim.aggregated().get(names.get(i));
                csv.write(String.format(java.util.Locale.ROOT, "%s,%s,%d,%s,%.6f,%.6f%n", shape, kind, seed,
                    names.get(i), r.values()[r.values().length - 1], agg[i][seed - 1]));
              }
            }
            StringBuilder line = new StringBuilder(String.format("%-12s %-13s", shape, kind));
            double[] mean = new double[names.size()];
            double[] spread = new double[names.size()];
            for (int i = 0; i < names.size(); i++) {
              double m = java.util.Arrays.stream(agg[i]).average().orElse(Double.NaN);
              double sd = Math.sqrt(java.util.Arrays.stream(agg[i]).map(x -> (x - m) * (x - m)).average()
                  .orElse(Double.NaN));
              mean[i] = m;
              spread[i] = sd;
              line.append(String.format(java.util.Locale.ROOT, " %7.3f (%5.3f)", m, sd));
            }
            rowsLabels.add(shape + " " + kind);
            means.add(mean);
            sds.add(spread);
            o.println(line);
            o.flush();
          }
        }
      }
      StringBuilder all = new StringBuilder(String.format("%-26s", "mean over families"));
      for (int i = 0; i < names.size(); i++) {
        int col = i;
        all.append(String.format(java.util.Locale.ROOT, " %15.3f", means.stream().mapToDouble(r -> r[col])
            .filter(Double::isFinite).average().orElse(Double.NaN)));
      }
      o.println(all);
      Charts.groupedBars("Aggregated metric at K = " + budget + " (random 0, myopic oracle 1), mean over " + seeds
          + " seed(s)", rowsLabels, names, means.toArray(new double[0][]), seeds > 1 ? sds.toArray(new double[0][]) : null,
          "aggregated metric", out.resolve("compare.png"));
      o.printf("wrote %s and %s%n", out.resolve("compare.csv"), out.resolve("compare.png"));
      return 0;
    }
  }
}
