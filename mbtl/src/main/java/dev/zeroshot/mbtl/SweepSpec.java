package dev.zeroshot.mbtl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a caller asks of a sweep, checked in one place and turned into the settings the sweep runs
 * with: {@link Run} gives run mode's {@link SweepSettings}, {@link Simulate} simulate mode's
 * {@link SimulateSettings}. The command line ({@code zeroshot mbtl run} / {@code simulate}) and the
 * sweep service both build through it, so they accept and refuse the same things; every error
 * names the setting in the caller's own terms ({@link Names}: a flag on the command line, a proto
 * field on the server).
 *
 * <p>The checks themselves live where the values do ({@link TaskGrid}, {@link SweepSettings},
 * {@link Strategies}) and throw {@link Invalid}, whose message is written once the caller's names
 * are known.
 */
public final class SweepSpec {

  private SweepSpec() {}

  /** The settings a caller gives that an error may have to name. */
  public enum Field {
    ENV, FEATURE, RANGE, TASKS, BUDGET, STEPS_PER_TASK, STRATEGIES, WITH_BASELINES, EVAL_EPISODES, RETURN_RANGE,
    THETA, BETA, RANDOM_ORDERINGS, GRID, BATCH
  }

  /** How a caller names the fields: {@code --budget}, {@code RunSweep.budget}; null for one it does not have. */
  @FunctionalInterface
  public interface Names {
    String of(Field field);
  }

  /**
   * The names of {@code sweep.json} and of the records' own fields: used when settings are built
   * without a caller (read back from a sweep's folder, in tests).
   */
  public static final Names SETTINGS = f -> switch (f) {
    case ENV -> "env";
    case FEATURE -> "feature";
    case RANGE -> "from:to";
    case TASKS -> "tasks";
    case BUDGET -> "budget";
    case STEPS_PER_TASK -> "stepsPerTask";
    case STRATEGIES -> "strategies";
    case WITH_BASELINES -> "withBaselines";
    case EVAL_EPISODES -> "evalEpisodes";
    case RETURN_RANGE -> "low:high";
    case THETA -> "theta";
    case BETA -> "beta";
    case RANDOM_ORDERINGS -> "randomOrderings";
    case GRID -> "grid";
    case BATCH -> "batch";
  };

  /**
   * A bad setting. The message is a function of the names, so the same check reads
   * {@code --budget 6 is out of range} on the command line and {@code RunSweep.budget 6 is out of
   * range} on the server; {@link #getMessage()} uses {@link #SETTINGS}.
   */
  public static final class Invalid extends IllegalArgumentException {
    private final transient Function<Names, String> message;

    public Invalid(Function<Names, String> message) {
      super(message.apply(SETTINGS));
      this.message = message;
    }

    /** The message in {@code names}' terms. */
    public String message(Names names) {
      return message.apply(names);
    }
  }

  /** Seed of the zero-shot evaluation episodes: the same for every sweep, source and target. */
  public static final long EVAL_SEED = 1_000_000;

  /**
   * Run mode: PPO on each task a strategy picks. Setters given null keep the default: strategies
   * {@code mbtl}, seed 1, 10 evaluation episodes, the env's known return bounds, a fitted gap
   * slope, no baselines and no multi-task policy.
   */
  public static final class Run {
    private final Names names;
    private String env;
    private List<TaskGrid.Axis> axes = List.of();
    private int budget;
    private long stepsPerTask;
    private List<String> strategies = List.of("mbtl");
    private boolean withBaselines;
    private boolean multiTask;
    private long seed = 1;
    private int evalEpisodes = 10;
    private double[] returnRange;
    private Double theta;
    private int batch = 1;

    public Run(Names names) {
      this.names = names;
    }

    public Run env(String envId) {
      this.env = envId;
      return this;
    }

    /** The tasks: one axis is a line, more are a grid (the first varies slowest). */
    public Run axes(List<TaskGrid.Axis> axes) {
      this.axes = List.copyOf(axes);
      return this;
    }

    /** K, the trainings each strategy may spend. */
    public Run budget(int k) {
      this.budget = k;
      return this;
    }

    /** S, PPO's environment steps per training. */
    public Run stepsPerTask(long s) {
      this.stepsPerTask = s;
      return this;
    }

    /** The lazily trained strategies, case and surrounding blanks ignored, each once, in order. */
    public Run strategies(List<String> given) {
      if (given != null) {
        List<String> out = new ArrayList<>();
        for (String x : given) {
          String s = x.strip().toLowerCase(Locale.ROOT);
          if (!s.isEmpty() && !out.contains(s)) {
            out.add(s);
          }
        }
        this.strategies = out;
      }
      return this;
    }

    public Run withBaselines(Boolean b) {
      this.withBaselines = Boolean.TRUE.equals(b);
      return this;
    }

    public Run multiTask(Boolean b) {
      this.multiTask = Boolean.TRUE.equals(b);
      return this;
    }

    public Run seed(Long s) {
      if (s != null) {
        this.seed = s;
      }
      return this;
    }

    public Run evalEpisodes(Integer episodes) {
      if (episodes != null) {
        this.evalEpisodes = episodes;
      }
      return this;
    }

    /** Returns normalized to 0 and 1 (null: the env's known bounds, {@link SweepSettings#BOUNDS}). */
    public Run returnRange(double[] lowHigh) {
      this.returnRange = lowHigh == null ? null : lowHigh.clone();
      return this;
    }

    public Run theta(Double fixedSlope) {
      this.theta = fixedSlope;
      return this;
    }

    /** Q, the tasks the MBTL strategies pick per round and train side by side (null: 1, one at a time). */
    public Run batch(Integer q) {
      if (q != null) {
        this.batch = q;
      }
      return this;
    }

    /** The checked settings; a bad one is an {@link IllegalArgumentException} in the caller's names. */
    public SweepSettings settings() {
      try {
        TaskGrid grid = TaskGrid.of(env, axes);
        double[] bounds = returnRange != null ? returnRange : SweepSettings.bounds(env);
        if (bounds == null) {
          throw new Invalid(n -> "no known return bounds for " + env
              + (n.of(Field.RETURN_RANGE) == null ? "" : "; give " + n.of(Field.RETURN_RANGE) + " LOW:HIGH")
              + " (known: " + String.join(", ", new TreeSet<>(SweepSettings.BOUNDS.keySet())) + ")");
        }
        if (stepsPerTask < 1) {
          throw new Invalid(n -> n.of(Field.STEPS_PER_TASK) + " must be >= 1, got " + stepsPerTask);
        }
        return new SweepSettings(grid, budget, strategies, withBaselines, seed, evalEpisodes, EVAL_SEED, bounds[0],
            bounds[1], theta, SweepSettings.preset(grid.spec(), stepsPerTask), multiTask, batch);
      } catch (Invalid e) {
        throw new IllegalArgumentException(e.message(names));
      }
    }
  }

  /**
   * Simulate mode: the strategies on a known transfer matrix. Setters given null keep the
   * default: every strategy ({@code all}), a line of N tasks, a fitted gap slope, beta 1, seed 0,
   * 100 random orderings seeded 42.
   */
  public static final class Simulate {
    private final Names names;
    private TransferMatrix matrix;
    private GridShape grid;
    private int steps;
    private String strategies = "all";
    private Double theta;
    private double beta = 1.0;
    private long seed;
    private int randomOrderings = 100;
    private long randomSeed = 42;
    private int batch = 1;

    public Simulate(Names names) {
      this.names = names;
    }

    /** The N x N matrix (normalized; row = source). */
    public Simulate matrix(TransferMatrix m) {
      this.matrix = m;
      return this;
    }

    /** The tasks' layout; null: a line of N. */
    public Simulate grid(GridShape shape) {
      this.grid = shape;
      return this;
    }

    /** K, the budget. */
    public Simulate steps(int k) {
      this.steps = k;
      return this;
    }

    /** {@code all} or a comma-separated list of names ({@link Strategies#parse}). */
    public Simulate strategies(String spec) {
      if (spec != null) {
        this.strategies = spec;
      }
      return this;
    }

    public Simulate theta(Double fixedSlope) {
      this.theta = fixedSlope;
      return this;
    }

    public Simulate beta(Double b) {
      if (b != null) {
        this.beta = b;
      }
      return this;
    }

    public Simulate seed(Long s) {
      if (s != null) {
        this.seed = s;
      }
      return this;
    }

    /** How many orderings the random baseline averages. */
    public Simulate randomOrderings(Integer orderings) {
      if (orderings != null) {
        this.randomOrderings = orderings;
      }
      return this;
    }

    /** The seed of the random orderings. */
    public Simulate randomSeed(Long s) {
      if (s != null) {
        this.randomSeed = s;
      }
      return this;
    }

    /** Q, the tasks the MBTL modes pick per round (null: 1, one at a time). */
    public Simulate batch(Integer q) {
      if (q != null) {
        this.batch = q;
      }
      return this;
    }

    /** The checked settings; a bad one is an {@link IllegalArgumentException} in the caller's names. */
    public SimulateSettings settings() {
      try {
        int n = matrix.size();
        if (steps < 1 || steps > n) {
          throw new Invalid(x -> x.of(Field.BUDGET) + " " + steps + " is out of range: the matrix has N = " + n
              + " tasks, so K must be in 1.." + n);
        }
        GridShape shape = grid == null ? GridShape.line(n) : grid;
        if (shape.size() != n) {
          throw new Invalid(x -> x.of(Field.GRID) + " " + shape + " has " + shape.size() + " tasks but the matrix is "
              + n + " x " + n + ": the product of the grid's sizes must equal N (or leave out " + x.of(Field.GRID)
              + " for a line of N tasks)");
        }
        List<String> parsed = Strategies.parse(strategies, shape);
        Simulation.checkBatch(batch, steps, n, parsed);
        return new SimulateSettings(matrix, shape, steps, parsed,
            new Strategies.Options(theta, beta, seed, randomOrderings, randomSeed, batch));
      } catch (Invalid e) {
        throw new IllegalArgumentException(e.message(names));
      }
    }
  }
}
