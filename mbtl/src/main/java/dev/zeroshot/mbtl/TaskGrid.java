package dev.zeroshot.mbtl;

import dev.zeroshot.agents.Envs;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSampler;
import dev.zeroshot.mbtl.SweepSpec.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Run mode's N tasks: the env's default context with one feature set to {@code n} evenly spaced
 * values from {@code from} to {@code to} inclusive ({@link ContextSampler#grid}, numpy's
 * linspace), so task i is index i and distances are index differences, as in the authors' code.
 *
 * <p>With {@code more} axes the tasks are the points of a grid over several features
 * ({@code --feature length,masscart --range 0.1:2.0,0.5:2.0 --tasks 5x4}): every combination of
 * the first feature's n values and each further axis's values, numbered row-major as {@link
 * GridShape} (the last feature varies fastest); N is the product of the sizes.
 */
public record TaskGrid(String envId, String feature, double from, double to, int n, List<Axis> more) {

  /** One further feature of a grid: {@code n} evenly spaced values from {@code from} to {@code to}. */
  public record Axis(String feature, double from, double to, int n) {}

  /** One feature (a line of tasks). */
  public TaskGrid(String envId, String feature, double from, double to, int n) {
    this(envId, feature, from, to, n, List.of());
  }

  /**
   * Checks the env, the features and the ranges; every error names the allowed values (and the
   * setting, in the caller's terms when built through {@link SweepSpec}).
   */
  public TaskGrid {
    more = List.copyOf(more == null ? List.of() : more);
    if (envId == null || envId.isBlank()) {
      throw new SweepSpec.Invalid(x -> x.of(Field.ENV) + " is required");
    }
    EnvSpec spec = Envs.spec(envId); // unknown ids: the registry's message lists the known ones
    List<Axis> all = new ArrayList<>();
    all.add(new Axis(feature, from, to, n));
    all.addAll(more);
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Axis a : all) {
      if (a.feature() == null || a.feature().isBlank()) {
        throw new SweepSpec.Invalid(x -> x.of(Field.FEATURE) + " is required; " + envId + "'s context features: "
            + spec.contextSpace().names());
      }
      ContextFeature f = spec.contextSpace().feature(a.feature()); // unknown: names the known features
      if (!seen.add(a.feature())) {
        throw new SweepSpec.Invalid(x -> x.of(Field.FEATURE) + " " + a.feature() + " is given twice");
      }
      if (!Double.isFinite(a.from()) || !Double.isFinite(a.to()) || !(a.from() < a.to())) {
        throw new SweepSpec.Invalid(x -> x.of(Field.RANGE) + " needs finite A < B in A:B, got " + a.from() + ":"
            + a.to() + (all.size() > 1 ? " for " + a.feature() : ""));
      }
      for (double end : new double[] {a.from(), a.to()}) {
        String problem = f.check(end);
        if (problem != null) {
          throw new SweepSpec.Invalid(x -> x.of(Field.RANGE) + " " + a.from() + ":" + a.to() + ": " + problem);
        }
      }
      if (a.n() < 2) {
        throw new SweepSpec.Invalid(x -> x.of(Field.TASKS) + " must be >= 2"
            + (all.size() > 1 ? " along every feature" : "") + ", got " + a.n()
            + (all.size() > 1 ? " for " + a.feature() : ""));
      }
    }
  }

  /**
   * The tasks over {@code axes}: one axis is a line, more are a grid (the first axis's values vary
   * slowest). What {@code zeroshot mbtl run --feature --range --tasks} and the sweep service's
   * {@code RunSweep.axes} both build.
   */
  public static TaskGrid of(String envId, List<Axis> axes) {
    if (axes == null || axes.isEmpty()) {
      throw new SweepSpec.Invalid(x -> x.of(Field.FEATURE)
          + " is required: give at least one feature with its range and tasks");
    }
    Axis first = axes.get(0);
    return new TaskGrid(envId, first.feature(), first.from(), first.to(), first.n(), axes.subList(1, axes.size()));
  }

  public EnvSpec spec() {
    return Envs.spec(envId);
  }

  /** Every axis, the first feature's first. */
  public List<Axis> axes() {
    List<Axis> all = new ArrayList<>();
    all.add(new Axis(feature, from, to, n));
    all.addAll(more);
    return all;
  }

  /** The layout of the tasks: a line of n, or the grid of the axes' sizes. */
  public GridShape shape() {
    List<Axis> all = axes();
    int[] sizes = new int[all.size()];
    for (int f = 0; f < sizes.length; f++) {
      sizes[f] = all.get(f).n();
    }
    return new GridShape(sizes);
  }

  /** Number of tasks N (n on a line; the product of the sizes on a grid). */
  public int size() {
    return shape().size();
  }

  /** The first feature's value at task {@code i}. */
  public double value(int i) {
    return contexts().get(i).get(feature);
  }

  /** The N contexts, task 0 first. */
  public List<Context> contexts() {
    EnvSpec spec = spec();
    Context defaults = spec.contextSpace().defaults();
    if (more.isEmpty()) {
      return ContextSampler.grid(defaults, feature, from, to, n);
    }
    List<Axis> all = axes();
    List<double[]> values = new ArrayList<>();
    for (Axis a : all) { // each axis's values exactly as a one-feature grid would have them
      List<Context> line = ContextSampler.grid(defaults, a.feature(), a.from(), a.to(), a.n());
      double[] v = new double[a.n()];
      for (int i = 0; i < v.length; i++) {
        v[i] = line.get(i).get(a.feature());
      }
      values.add(v);
    }
    GridShape shape = shape();
    List<Context> out = new ArrayList<>();
    for (int i = 0; i < shape.size(); i++) {
      int[] c = shape.coordinates(i);
      Map<String, Double> m = new LinkedHashMap<>();
      for (int f = 0; f < all.size(); f++) {
        m.put(all.get(f).feature(), values.get(f)[c[f]]);
      }
      out.add(defaults.with(m));
    }
    return out;
  }

  /** The CSV column name for a task's feature values: {@code length}, or {@code length;masscart} on a grid. */
  public String columnName() {
    StringBuilder b = new StringBuilder();
    for (Axis a : axes()) {
      b.append(b.length() > 0 ? ";" : "").append(a.feature());
    }
    return b.toString();
  }

  /** Task {@code i}'s feature values for a CSV cell, {@code ;}-separated on a grid. */
  public String columnValue(int i) {
    Context c = contexts().get(i);
    StringBuilder b = new StringBuilder();
    for (Axis a : axes()) {
      b.append(b.length() > 0 ? ";" : "").append(c.get(a.feature()));
    }
    return b.toString();
  }

  /** Task {@code i}'s values for people: {@code feature=value} with 4 significant digits, comma-joined on a grid. */
  public String label(int i) {
    return label(contexts().get(i));
  }

  /** Every task's {@link #label(int)}, task 0 first. */
  public List<String> labels() {
    List<String> out = new ArrayList<>();
    for (Context c : contexts()) {
      out.add(label(c));
    }
    return out;
  }

  private String label(Context c) {
    StringBuilder b = new StringBuilder();
    for (Axis a : axes()) {
      b.append(b.length() > 0 ? "," : "").append(a.feature()).append('=').append(new java.math.BigDecimal(
          c.get(a.feature())).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString());
    }
    return b.toString();
  }

  /** One line for logs: {@code length in [0.1, 2.0]}, or one such per feature with the grid's shape. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    for (Axis a : axes()) {
      b.append(b.length() > 0 ? " x " : "").append(String.format(Locale.ROOT, "%s in [%s, %s]", a.feature(), a.from(),
          a.to()));
    }
    return more.isEmpty() ? b.toString() : b + " (grid " + shape() + ")";
  }
}
