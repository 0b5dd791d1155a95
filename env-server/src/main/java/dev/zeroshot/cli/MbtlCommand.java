package dev.zeroshot.cli;

import dev.zeroshot.mbtl.Progress;
import dev.zeroshot.mbtl.Simulation;
import dev.zeroshot.mbtl.Strategies;
import dev.zeroshot.mbtl.StrategyResult;
import dev.zeroshot.mbtl.SyntheticMatrices;
import dev.zeroshot.mbtl.TransferMatrix;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot mbtl}: Model-Based Transfer Learning. {@code simulate} runs the selection
 * strategies on a known transfer matrix; {@code synth} writes a synthetic matrix. ({@code run},
 * which trains a policy per pick, needs the PPO trainer and does not exist yet.)
 */
@Command(name = "mbtl", mixinStandardHelpOptions = true,
    description = "Model-Based Transfer Learning: which tasks to train on so that the best of K policies covers all tasks.",
    subcommands = {MbtlCommand.Simulate.class, MbtlCommand.Synth.class, MbtlCommand.Bench.class})
final class MbtlCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing subcommand: simulate, synth or bench");
  }

  @Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Run MBTL and the baselines on a known N x N transfer matrix (CSV, no header, row = source, "
          + "column = target, normalized) and write picks, V_k curves, report.json and PNG charts.",
          "Strategies: all, mbtl, mbtl-paper, mbtl-ucb, mbtl-ei, sequential-oracle, greedy, equidistant, "
              + "equidistant-sweep, random, independent, oracle (docs/mbtl.md says what each is)."})
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

    @Option(names = "--seed", description = "seed of the GP optimizer's restarts (default: ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--random-orderings", description = "orderings of the random baseline (default: ${DEFAULT-VALUE})")
    int randomOrderings = 100;

    @Option(names = "--random-seed", description = "seed of the random orderings (default: ${DEFAULT-VALUE})")
    long randomSeed = 42;

    @Option(names = "--normalize", paramLabel = "LOW:HIGH", description = "normalize raw values first, "
        + "(v - LOW) / (HIGH - LOW), e.g. 0:500 for CartPole (the authors' bounds are in docs/mbtl.md)")
    String normalize;

    @Override
    public Integer call() throws IOException {
      List<String> names = Strategies.parse(strategies);
      Strategies.Options options = new Strategies.Options(theta, beta, seed, randomOrderings, randomSeed);
      if (Files.exists(out) && !Files.isDirectory(out)) {
        throw new IllegalArgumentException("--out " + out + " exists and is not a folder");
      }
      TransferMatrix m = TransferMatrix.readCsv(matrix);
      if (normalize != null) {
        m = normalized(m, normalize);
      }
      if (steps < 1 || steps > m.size()) {
        throw new IllegalArgumentException("--steps " + steps + " is out of range: the matrix has N = " + m.size()
            + " tasks, so K must be in 1.." + m.size());
      }
      PrintWriter o = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      o.printf("mbtl simulate: %s, N = %d, K = %d, gap slope %s, strategies: %s%n", matrix, m.size(), steps,
          theta == null ? "fitted (mbtl-paper: 0.005)" : "fixed at " + theta, String.join(", ", names));
      o.flush();
      Simulation sim = Simulation.run(m, matrix.getFileName().toString(), steps, names, options, progress(err));
      List<Path> files;
      try {
        files = sim.write(out);
      } catch (IOException e) {
        throw new IllegalStateException("cannot write the report to " + out + ": " + e.getMessage());
      }
      o.printf("%-18s %9s %9s %9s %9s  %s%n", "strategy", "V_1", "V_" + ((steps + 1) / 2), "V_" + steps, "mean V",
          "first picks");
      for (StrategyResult r : sim.results()) {
        double[] v = r.values();
        StringBuilder picks = new StringBuilder();
        for (int i = 0; i < Math.min(8, r.picks().length); i++) {
          picks.append(i > 0 ? " " : "").append(r.picks()[i]);
        }
        if (r.picks().length > 8) {
          picks.append(" ...");
        }
        o.printf("%-18s %9.4f %9.4f %9.4f %9.4f  %s%n", r.name(), v[0], v[(steps + 1) / 2 - 1], v[steps - 1],
            r.average(), r.sets() != null ? "(a separate set per budget)" : picks);
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

  @Command(name = "synth", mixinStandardHelpOptions = true,
      description = "Write a synthetic N x N transfer matrix with a known structure (CSV, no header).")
  static final class Synth implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--kind", required = true, description = "smooth, two-peaked, asymmetric, cliff or steep")
    String kind;

    @Option(names = "--tasks", description = "N (default: ${DEFAULT-VALUE})")
    int tasks = 50;

    @Option(names = "--noise", description = "Gaussian noise std (default: ${DEFAULT-VALUE})")
    double noise = 0.02;

    @Option(names = "--seed", description = "noise seed (default: ${DEFAULT-VALUE})")
    long seed = 7;

    @Option(names = "--out", required = true, description = "CSV file to write")
    Path out;

    @Override
    public Integer call() throws IOException {
      TransferMatrix m = SyntheticMatrices.generate(kind, tasks, noise, seed);
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
        m.writeCsv(w, 4);
      }
      spec.commandLine().getOut().printf("wrote %s: %d x %d synthetic '%s' matrix (noise %.3f, seed %d)%n", out,
          m.size(), m.size(), kind, noise, seed);
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

    @Override
    public Integer call() {
      if (tasks < 1 || steps < 1 || steps > tasks || rounds < 1) {
        throw new IllegalArgumentException("need 1 <= --steps <= --tasks and --rounds >= 1");
      }
      TransferMatrix m = SyntheticMatrices.generate(kind, tasks, 0.02, 7);
      PrintWriter o = spec.commandLine().getOut();
      o.printf("mbtl bench: '%s' matrix, N = %d, K = %d, %d core(s), median of %d round(s) after a warm-up%n", kind,
          tasks, steps, Runtime.getRuntime().availableProcessors(), rounds);
      o.flush();
      Strategies.Options opts = Strategies.Options.defaults();
      double paper = Double.NaN;
      for (String mode : List.of("mbtl-paper", "mbtl", "mbtl-ei")) {
        Strategies.run(mode, m, Math.min(steps, 30), opts, Progress.NONE); // warm-up (JIT)
        double[] t = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          long t0 = System.nanoTime();
          Strategies.run(mode, m, steps, opts, Progress.NONE);
          t[r] = (System.nanoTime() - t0) / 1e9;
        }
        java.util.Arrays.sort(t);
        double med = t[rounds / 2];
        if (mode.equals("mbtl-paper")) {
          paper = med;
        }
        o.printf("%-12s %8.3f s total  %8.2f ms/step  %5.2fx the paper mode%s%n", mode, med, 1000 * med / steps,
            med / paper, mode.equals("mbtl-paper") ? " (baseline)" : "");
        o.flush();
      }
      return 0;
    }
  }
}
