package dev.zeroshot.mbtl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A finished sweep: the rows trained, each strategy's picks and V_k (mean over all N targets of
 * the best trained row, from the real rows), the training samples each spent, and, with the
 * whole matrix ({@code --with-baselines}), every simulate-mode strategy on it and the sample
 * efficiency against independent training.
 */
public final class SweepResult {

  /**
   * Sample efficiency of one strategy against independent training (every task trained on
   * itself: V = the diagonal mean, at the cost of all N trainings).
   *
   * @param matchK the first k with V_k >= V_independent, or null if not within K
   * @param samplesToMatch the training samples the strategy spent up to matchK, or null
   * @param ratio samplesIndependent / samplesToMatch, or null
   * @param valueAtK V_K
   * @param samplesAtK the samples spent for V_K
   */
  public record Efficiency(String strategy, Integer matchK, Double samplesToMatch, Double ratio, double valueAtK,
                           double samplesAtK) {}

  private final SweepSettings settings;
  private final TreeMap<Integer, TrainedTask> rows;
  private final List<StrategyResult> strategies;
  private final Map<String, double[]> samples;
  private final TransferMatrix full;
  private final TrainedTask multiTask;
  private final int trainedNow;

  private SweepResult(SweepSettings settings, TreeMap<Integer, TrainedTask> rows, List<StrategyResult> strategies,
                      Map<String, double[]> samples, TransferMatrix full, TrainedTask multiTask, int trainedNow) {
    this.settings = settings;
    this.rows = rows;
    this.strategies = strategies;
    this.samples = samples;
    this.full = full;
    this.multiTask = multiTask;
    this.trainedNow = trainedNow;
  }

  static SweepResult of(SweepSettings settings, Map<Integer, TrainedTask> trained, TrainedTask multiTask,
                        Map<String, Sweep.Lazy> lazy, int trainedNow) {
    TreeMap<Integer, TrainedTask> rows = new TreeMap<>(trained);
    int n = settings.n();
    int budget = settings.budget();
    List<StrategyResult> out = new ArrayList<>();
    Map<String, double[]> samples = new LinkedHashMap<>();
    for (Sweep.Lazy z : lazy.values()) {
      double[] v = curve(rows, z.picks(), n);
      out.add(new StrategyResult(z.name(), Strategies.ALL.get(z.name()), "sequential", z.picks(), v, null, null,
          z.steps(), null));
      samples.put(z.name(), cumulative(rows, z.picks()));
    }
    TransferMatrix full = null;
    if (rows.size() == n) {
      double[][] a = new double[n][];
      for (int s = 0; s < n; s++) {
        a[s] = rows.get(s).row();
      }
      full = TransferMatrix.of(a);
    }
    if (full != null && settings.withBaselines()) {
      long all = 0;
      for (TrainedTask t : rows.values()) {
        all += t.samples();
      }
      GridShape shape = settings.grid().shape();
      for (String name : Strategies.ALL.keySet()) {
        if (lazy.containsKey(name) || (shape.dims() > 1 && Strategies.LINE_ONLY.contains(name))) {
          continue;
        }
        StrategyResult r = Strategies.run(name, full, shape, budget, settings.strategyOptions(), Progress.NONE);
        out.add(r);
        double[] s = new double[budget];
        switch (r.kind()) {
          case "sequential" -> s = cumulative(rows, r.picks());
          case "per-budget" -> {
            for (int k = 0; k < budget; k++) {
              for (int t : Arrays.stream(r.sets().get(k)).distinct().toArray()) {
                s[k] += rows.get(t).samples();
              }
            }
          }
          case "mean" -> {
            for (int[] order : r.orderings()) {
              double[] c = cumulative(rows, order);
              for (int k = 0; k < budget; k++) {
                s[k] += c[k] / r.orderings().length;
              }
            }
          }
          default -> Arrays.fill(s, all); // independent, oracle: every task trained
        }
        samples.put(name, s);
      }
    }
    if (multiTask != null) {
      double v = 0;
      for (double x : multiTask.row()) {
        v += x / n;
      }
      double[] values = new double[budget];
      Arrays.fill(values, v);
      out.add(new StrategyResult(MULTI_TASK, "one policy trained on all N tasks (round robin, N x S steps), "
          + "evaluated zero-shot on each", "constant", new int[0], values, null, null, null, null));
      double[] s = new double[budget];
      Arrays.fill(s, multiTask.samples());
      samples.put(MULTI_TASK, s);
    }
    return new SweepResult(settings, rows, Collections.unmodifiableList(out), samples, full, multiTask, trainedNow);
  }

  /** The multi-task baseline's name in the report. */
  public static final String MULTI_TASK = "multi-task";

  /** V_k = mean over targets of the best of the first k picks' rows. */
  static double[] curve(Map<Integer, TrainedTask> rows, int[] picks, int n) {
    double[] best = new double[n];
    Arrays.fill(best, Double.NEGATIVE_INFINITY);
    double[] v = new double[picks.length];
    for (int k = 0; k < picks.length; k++) {
      double[] row = rows.get(picks[k]).row();
      double sum = 0;
      for (int t = 0; t < n; t++) {
        best[t] = Math.max(best[t], row[t]);
        sum += best[t];
      }
      v[k] = sum / n;
    }
    return v;
  }

  private static double[] cumulative(Map<Integer, TrainedTask> rows, int[] picks) {
    double[] s = new double[picks.length];
    double sum = 0;
    for (int k = 0; k < picks.length; k++) {
      sum += rows.get(picks[k]).samples();
      s[k] = sum;
    }
    return s;
  }

  public SweepSettings settings() {
    return settings;
  }

  /** The trained rows by task. */
  public Map<Integer, TrainedTask> rows() {
    return Collections.unmodifiableMap(rows);
  }

  /** The lazily trained strategies first (in the order asked), then, with baselines, the rest. */
  public List<StrategyResult> strategies() {
    return strategies;
  }

  public StrategyResult strategy(String name) {
    return strategies.stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no result for " + name));
  }

  /** Training samples a strategy spent for V_1..V_K (random: the mean over its orderings). */
  public double[] samples(String name) {
    return samples.get(name).clone();
  }

  /** The whole matrix, when every task was trained; else null. */
  public TransferMatrix fullMatrix() {
    return full;
  }

  /**
   * SD-MBTL's aggregated metric of each strategy at K ({@link AggregatedMetric}), computed on the
   * whole matrix; empty until every task is trained.
   */
  public java.util.Map<String, Double> aggregated() {
    if (full == null) {
      return java.util.Map.of();
    }
    return AggregatedMetric.compute(strategies, full, settings.grid().shape(), settings.budget(),
        settings.strategyOptions());
  }

  /** The matrix as filled: untrained rows are NaN. */
  public double[][] partialMatrix() {
    int n = settings.n();
    double[][] a = new double[n][n];
    for (int s = 0; s < n; s++) {
      TrainedTask t = rows.get(s);
      if (t == null) {
        Arrays.fill(a[s], Double.NaN);
      } else {
        a[s] = t.row().clone();
      }
    }
    return a;
  }

  /** Samples spent by every training of the sweep (resumed ones and the multi-task policy included). */
  public long samplesSpent() {
    return taskSamples() + (multiTask == null ? 0 : multiTask.samples());
  }

  /** Samples spent training single tasks. */
  public long taskSamples() {
    long s = 0;
    for (TrainedTask t : rows.values()) {
      s += t.samples();
    }
    return s;
  }

  /** Trainings this process ran (the rest were read from the state of an earlier one). */
  public int trainedNow() {
    return trainedNow;
  }

  /** V of independent training (the diagonal mean), or NaN without the whole matrix. */
  public double independentValue() {
    return full == null ? Double.NaN : full.diagonalMean();
  }

  /** Samples of independent training (all N tasks), or -1 without the whole matrix. */
  public long independentSamples() {
    return full == null ? -1 : taskSamples();
  }

  /** The multi-task policy's row, or null if none was trained. */
  public TrainedTask multiTask() {
    return multiTask;
  }

  /** The sample efficiency of every strategy that picks tasks; empty without the whole matrix. */
  public List<Efficiency> efficiency() {
    if (full == null) {
      return new ArrayList<>();
    }
    return efficiency(independentValue(), independentSamples());
  }

  /** The sample efficiency against the multi-task policy; empty without one. */
  public List<Efficiency> multiTaskEfficiency() {
    if (multiTask == null) {
      return new ArrayList<>();
    }
    return efficiency(strategy(MULTI_TASK).values()[0], multiTask.samples());
  }

  /** Against a reference that reaches V = {@code vi} with {@code si} samples. */
  private List<Efficiency> efficiency(double vi, double si) {
    List<Efficiency> out = new ArrayList<>();
    int budget = settings.budget();
    for (StrategyResult r : strategies) {
      if (r.kind().equals("constant")) {
        continue;
      }
      double[] s = samples.get(r.name());
      Integer k = null;
      for (int i = 0; i < budget; i++) {
        if (r.values()[i] >= vi - 1e-12) {
          k = i + 1;
          break;
        }
      }
      out.add(new Efficiency(r.name(), k, k == null ? null : s[k - 1], k == null ? null : si / s[k - 1],
          r.values()[budget - 1], s[budget - 1]));
    }
    return out;
  }
}
