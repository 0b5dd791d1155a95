package dev.zeroshot.mbtl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The named strategies that {@code zeroshot mbtl simulate} runs on a transfer matrix. */
public final class Strategies {

  /**
   * Settings shared by the strategies.
   *
   * @param theta the fixed gap slope, or null to fit it (the {@code mbtl*} modes; {@code mbtl-paper}
   *     then uses the paper's 0.005)
   * @param beta beta for {@code mbtl-ucb}
   * @param seed seeds the GP optimizer's random restarts (mbtl-paper's 9; Zeroshot's modes draw none)
   * @param randomOrderings how many random orderings
   * @param randomSeed seeds the random orderings
   * @param batch Q, the tasks the {@code mbtl*} modes pick per round (1: sequential; see {@link MbtlSelector})
   */
  public record Options(Double theta, double beta, long seed, int randomOrderings, long randomSeed, int batch) {

    /** Sequential selection (Q = 1). */
    public Options(Double theta, double beta, long seed, int randomOrderings, long randomSeed) {
      this(theta, beta, seed, randomOrderings, randomSeed, 1);
    }

    public Options {
      if (batch < 1) {
        throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
      }
      if (theta != null && (!(theta >= 0) || theta.isInfinite())) {
        throw new SweepSpec.Invalid(x -> x.of(SweepSpec.Field.THETA) + " must be finite and >= 0, got " + theta);
      }
      if (!(beta >= 0) || Double.isInfinite(beta)) {
        throw new SweepSpec.Invalid(x -> x.of(SweepSpec.Field.BETA) + " must be finite and >= 0, got " + beta);
      }
      if (randomOrderings < 1) {
        throw new SweepSpec.Invalid(x -> x.of(SweepSpec.Field.RANDOM_ORDERINGS) + " must be >= 1, got "
            + randomOrderings);
      }
    }

    public static Options defaults() {
      return new Options(null, 1.0, 0, 100, 42);
    }

    /** These options with the {@code mbtl*} modes picking {@code q} tasks per round. */
    public Options withBatch(int q) {
      return new Options(theta, beta, seed, randomOrderings, randomSeed, q);
    }
  }

  /** Name -> description, in report order. */
  public static final Map<String, String> ALL;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("mbtl", "MBTL, Zeroshot default: GP-UCB with beta = ln(k+1); gap slope fitted per side from observed "
        + "transfers, or --theta if given");
    m.put("mbtl-paper", "MBTL as the authors' code: GP-UCB with beta = ln(k+1), fixed gap slope theta "
        + "(--theta, default 0.005)");
    m.put("mbtl-ucb", "MBTL with a fixed beta (--beta, default 1); gap as mbtl");
    m.put("mbtl-ei", "MBTL with true expected improvement of V; gap as mbtl");
    m.put("gp-mbtl", "SD-MBTL's GP-MBTL: GP-UCB with kappa = sqrt(ln(k+1)), asymmetric gap slopes fitted by "
        + "least squares");
    m.put("m-mbtl", "SD-MBTL's M-MBTL: model-free sequential k-medians in L1, for the mountain structure");
    m.put("mgp-mbtl", "SD-MBTL's M/GP-MBTL: M-MBTL while the observed rows look like a mountain, else GP-MBTL");
    m.put("sequential-oracle", "greedy on the true matrix: add the source that raises V most (the myopic oracle)");
    m.put("greedy", "model-free greedy gap splitting from the middle (authors' pseudogreedy)");
    m.put("equidistant", "K evenly spaced tasks, computed separately for each budget k = 1..K");
    m.put("equidistant-sweep", "the authors' equidistant call with budget N: a descending sweep N-1, N-2, ...");
    m.put("random", "random orderings (seeded): mean and std of V_k");
    m.put("independent", "every task trained on itself: mean of the diagonal (costs N trainings)");
    m.put("oracle", "oracle transfer: every target served by its best source among all N");
    ALL = java.util.Collections.unmodifiableMap(m);
  }

  private Strategies() {}

  /** Parses {@code all} or a comma-separated list of names; unknown names are an error listing the known ones. */
  public static List<String> parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new SweepSpec.Invalid(x -> x.of(SweepSpec.Field.STRATEGIES) + " is empty; use 'all' or some of: "
          + String.join(", ", ALL.keySet()));
    }
    List<String> out = new ArrayList<>();
    for (String raw : spec.split(",")) {
      String s = raw.trim().toLowerCase(java.util.Locale.ROOT);
      if (s.equals("all")) {
        for (String k : ALL.keySet()) {
          if (!out.contains(k)) {
            out.add(k);
          }
        }
      } else if (ALL.containsKey(s)) {
        if (!out.contains(s)) {
          out.add(s);
        }
      } else {
        throw new IllegalArgumentException("unknown strategy '" + raw.trim() + "'; known: all, "
            + String.join(", ", ALL.keySet()));
      }
    }
    return out;
  }

  /** The MBTL modes (model-based selectors; the ones {@code --batch} applies to). */
  public static final List<String> MBTL_MODES = List.of("mbtl", "mbtl-paper", "mbtl-ucb", "mbtl-ei");

  /** The default mode's c_2 in beta_k = c_2 ln(k+1): more exploration than the paper's 1. */
  public static final double DEFAULT_C2 = 4.0;

  /** The default modes' shortest GP length scale: a tenth of the tasks along a feature. */
  public static final double LENGTH_FLOOR = 0.1;

  /** The default modes' GP noise, on standardized targets. */
  public static final double DEFAULT_ALPHA = 1e-4;

  /** Strategies defined only on a line of tasks (one feature). */
  public static final java.util.Set<String> LINE_ONLY = java.util.Set.of("equidistant", "equidistant-sweep");

  /**
   * {@link #parse} for tasks laid out as {@code shape}: on a grid over several features {@code all}
   * leaves out the {@link #LINE_ONLY} strategies, and naming one is an error.
   */
  public static List<String> parse(String spec, GridShape shape) {
    List<String> names = parse(spec);
    if (shape.dims() == 1) {
      return names;
    }
    boolean all = false;
    for (String raw : spec.split(",")) {
      all |= raw.trim().equalsIgnoreCase("all");
    }
    List<String> out = new ArrayList<>();
    for (String s : names) {
      if (!LINE_ONLY.contains(s)) {
        out.add(s);
      } else if (!all) {
        throw new IllegalArgumentException("strategy '" + s + "' is defined on a line of tasks only, not on the grid "
            + shape + "; on a grid use some of: " + String.join(", ", ALL.keySet().stream()
            .filter(x -> !LINE_ONLY.contains(x)).toList()));
      }
    }
    return out;
  }

  /** The selector config a named MBTL mode uses. */
  public static MbtlSelector.Config selectorConfig(String name, Options o) {
    boolean fit = o.theta() == null;
    double theta = fit ? MbtlSelector.PAPER_THETA : o.theta();
    // Zeroshot's modes: the GP fits the trained tasks' own values, standardized (prior mean = their
    // mean, not 0), with a small noise (1% of their spread). Three optimizer runs per step, no
    // random restarts: from (c, l) = (1, 1), from the longest length scale, and warm-started from
    // the previous step's optimum; stop radius 1e-4: about 3.5x fewer likelihood evaluations than
    // the paper mode's 10 runs (docs/mbtl.md, Performance), the same mean V on the synthetic kinds.
    GaussianProcess.Config gp = GaussianProcess.Config.mbtl().withNormalizeY(true).withAlpha(DEFAULT_ALPHA)
        .withPreferLongerScale(true).withWarmStart(true).withRestarts(0).withTolerance(1e-4);
    MbtlSelector.Config c = switch (name) {
      case "mbtl" -> new MbtlSelector.Config(Acquisition.UCB_LOG, DEFAULT_C2, fit, theta, gp, true, LENGTH_FLOOR,
          o.seed());
      case "mbtl-paper" -> MbtlSelector.Config.paper(theta, o.seed());
      case "mbtl-ucb" -> new MbtlSelector.Config(Acquisition.UCB_FIXED, o.beta(), fit, theta, gp, true,
          LENGTH_FLOOR, o.seed());
      case "mbtl-ei" -> new MbtlSelector.Config(Acquisition.EI, 1.0, fit, theta, gp, true, LENGTH_FLOOR, o.seed());
      default -> throw new IllegalArgumentException("not an MBTL mode: " + name);
    };
    return c.withBatch(o.batch());
  }

  /** Runs one named strategy for budget K on {@code m}, its tasks on a line. */
  public static StrategyResult run(String name, TransferMatrix m, int budget, Options o, Progress progress) {
    return run(name, m, GridShape.line(m.size()), budget, o, progress);
  }

  /**
   * Runs one named strategy for budget K on {@code m}, whose tasks are laid out as {@code shape}
   * (row-major; see {@link GridShape}). On a grid over several features {@code greedy} is {@link
   * Baselines#greedyCoverage} and the {@link #LINE_ONLY} strategies are refused.
   */
  public static StrategyResult run(String name, TransferMatrix m, GridShape shape, int budget, Options o,
                                   Progress progress) {
    int n = m.size();
    if (shape.size() != n) {
      throw new IllegalArgumentException("grid " + shape + " has " + shape.size() + " tasks but the matrix is " + n
          + " x " + n);
    }
    boolean line = shape.dims() == 1;
    if (!line && LINE_ONLY.contains(name)) {
      parse(name, shape); // throws the line-only error
    }
    Baselines.checkBudget(n, budget);
    String desc = ALL.get(name);
    if (desc == null) {
      parse(name); // throws the unknown-strategy error
    }
    switch (name) {
      case "mbtl", "mbtl-paper", "mbtl-ucb", "mbtl-ei": {
        MbtlSelector.Result r = new MbtlSelector(selectorConfig(name, o)).run(m, shape, budget,
            (w, d, t) -> progress.update(name, d, t));
        return new StrategyResult(name, desc, "sequential", r.picks(), m.curve(r.picks()), null, null, r.steps(), null);
      }
      case "gp-mbtl", "m-mbtl", "mgp-mbtl": {
        StructureDetection.Mode mode = switch (name) {
          case "gp-mbtl" -> StructureDetection.Mode.GP;
          case "m-mbtl" -> StructureDetection.Mode.MOUNTAIN;
          default -> StructureDetection.Mode.SWITCH;
        };
        int[] p = new StructureDetection(mode, o.seed()).run(m, shape, budget, progress).picks();
        return new StrategyResult(name, desc, "sequential", p, m.curve(p), null, null, null, null);
      }
      case "sequential-oracle": {
        int[] p = Baselines.sequentialOracle(m, budget, progress);
        return new StrategyResult(name, desc, "sequential", p, m.curve(p), null, null, null, null);
      }
      case "greedy": {
        int[] p = line ? Baselines.greedySplit(n, budget) : Baselines.greedyCoverage(shape, budget);
        return new StrategyResult(name, desc, "sequential", p, m.curve(p), null, null, null, null);
      }
      case "equidistant-sweep": {
        int[] p = Arrays.copyOf(Baselines.equidistant(n, n), budget);
        return new StrategyResult(name, desc, "sequential", p, m.curve(p), null, null, null, null);
      }
      case "equidistant": {
        double[] v = new double[budget];
        List<int[]> sets = new ArrayList<>();
        for (int k = 1; k <= budget; k++) {
          int[] set = Baselines.equidistant(n, k);
          sets.add(set);
          v[k - 1] = m.value(set);
        }
        return new StrategyResult(name, desc, "per-budget", sets.get(budget - 1), v, null, sets, null, null);
      }
      case "random": {
        int[][] orders = Baselines.randomOrderings(n, budget, o.randomOrderings(), o.randomSeed());
        double[] sum = new double[budget];
        double[][] curves = new double[orders.length][];
        for (int r = 0; r < orders.length; r++) {
          curves[r] = m.curve(orders[r]);
          for (int k = 0; k < budget; k++) {
            sum[k] += curves[r][k];
          }
          progress.update(name, r + 1, orders.length);
        }
        double[] mean = new double[budget];
        double[] std = new double[budget];
        for (int k = 0; k < budget; k++) {
          mean[k] = sum[k] / orders.length;
          double ss = 0;
          for (double[] c : curves) {
            ss += (c[k] - mean[k]) * (c[k] - mean[k]);
          }
          std[k] = Math.sqrt(ss / orders.length); // numpy's np.std: population std (ddof = 0)
        }
        return new StrategyResult(name, desc, "mean", new int[0], mean, std, null, null, orders);
      }
      case "independent": {
        double[] v = new double[budget];
        Arrays.fill(v, m.diagonalMean());
        return new StrategyResult(name, desc, "constant", new int[0], v, null, null, null, null);
      }
      case "oracle": {
        double[] v = new double[budget];
        Arrays.fill(v, m.oracleTransfer());
        return new StrategyResult(name, desc, "constant", new int[0], v, null, null, null, null);
      }
      default:
        throw new IllegalArgumentException("unknown strategy '" + name + "'");
    }
  }
}
