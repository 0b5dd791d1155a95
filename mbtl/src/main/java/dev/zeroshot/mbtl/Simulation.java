package dev.zeroshot.mbtl;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Simulate mode: runs strategies on a known transfer matrix and writes the report (per-strategy
 * CSVs, a summary CSV, {@code report.json}, {@code curves.png}, {@code matrix.png}); the layout is
 * documented in {@code docs/mbtl.md}.
 */
public final class Simulation {

  /** JSON format tag; bump when the shape changes. */
  public static final String FORMAT = "zeroshot-mbtl-simulate/1";

  private final TransferMatrix matrix;
  private final String matrixName;
  private final int budget;
  private final Strategies.Options options;
  private final GridShape shape;
  private final List<StrategyResult> results = new ArrayList<>();
  private BatchComparison batch; // with options.batch() > 1: the MBTL modes against Q = 1 and random
  private java.util.Map<String, Double> aggregated; // SD-MBTL's metric at K: random 0, myopic oracle 1

  private Simulation(TransferMatrix matrix, String matrixName, GridShape shape, int budget,
                     Strategies.Options options) {
    this.matrix = matrix;
    this.shape = shape;
    this.matrixName = matrixName;
    this.budget = budget;
    this.options = options;
  }

  /** Runs the named strategies (validated first, so a bad name fails before any work). */
  public static Simulation run(TransferMatrix matrix, String matrixName, int budget, List<String> strategies,
                               Strategies.Options options, Progress progress) {
    return run(matrix, matrixName, GridShape.line(matrix.size()), budget, strategies, options, progress);
  }

  /** As above, the matrix's tasks being the points of {@code shape} (row-major). */
  public static Simulation run(TransferMatrix matrix, String matrixName, GridShape shape, int budget,
                               List<String> strategies, Strategies.Options options, Progress progress) {
    Baselines.checkBudget(matrix.size(), budget);
    if (shape.size() != matrix.size()) {
      throw new IllegalArgumentException("--grid " + shape + " has " + shape.size() + " tasks but the matrix is "
          + matrix.size() + " x " + matrix.size());
    }
    for (String s : strategies) {
      if (!Strategies.ALL.containsKey(s)) {
        Strategies.parse(s);
      }
    }
    checkBatch(options.batch(), budget, matrix.size(), strategies);
    Simulation sim = new Simulation(matrix, matrixName, shape, budget, options);
    for (String s : strategies) {
      sim.results.add(Strategies.run(s, matrix, shape, budget, options, progress));
    }
    if (options.batch() > 1) {
      sim.batch = BatchComparison.of(matrix, shape, budget, sim.results, options);
    }
    sim.aggregated = AggregatedMetric.compute(sim.results, matrix, shape, budget, options);
    return sim;
  }

  public List<StrategyResult> results() {
    return results;
  }

  public StrategyResult result(String name) {
    return results.stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no result for " + name));
  }

  /** SD-MBTL's aggregated metric of each strategy at K (random = 0, myopic oracle = 1; NaN if they tie). */
  public java.util.Map<String, Double> aggregated() {
    return aggregated;
  }

  /** With {@code --batch Q > 1}: the MBTL modes against their Q = 1 runs and random; else null. */
  public BatchComparison batch() {
    return batch;
  }

  public TransferMatrix matrix() {
    return matrix;
  }

  public GridShape shape() {
    return shape;
  }

  public int budget() {
    return budget;
  }

  /** Writes every output file into {@code dir} (created if needed); returns the paths written. */
  public List<Path> write(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    for (StrategyResult r : results) {
      written.add(atomicWrite(dir.resolve(r.name() + ".csv"), w -> writeStrategyCsv(r, w)));
    }
    written.add(atomicWrite(dir.resolve("summary.csv"), this::writeSummaryCsv));
    written.add(atomicWrite(dir.resolve("report.json"),
        w -> new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(toJson(), w)));
    Path curves = dir.resolve("curves.png");
    Charts.curves(results, budget, "MBTL simulate: " + matrixName + " (N = " + matrix.size()
        + (shape.dims() > 1 ? ", grid " + shape : "") + ")", curves);
    written.add(curves);
    Path heat = dir.resolve("matrix.png");
    Charts.heatmap(matrix, "Transfer matrix " + matrixName, heat);
    written.add(heat);
    if (batch != null) {
      written.addAll(batch.write(dir, "MBTL simulate: " + matrixName + ", " + batch.batch()
          + " picks per round against sequential picks and random"));
    }
    return written;
  }

  /** What a file holds, written to a buffered writer. */
  interface Body {
    void write(Writer w) throws IOException;
  }

  /** Writes {@code file} beside itself, then renames it into place: a reader sees the old file or the new one. */
  static Path atomicWrite(Path file, Body body) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      body.write(w);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
  }

  /** Per-feature values, {@code ;}-separated (grids). */
  private static String nums(double[] v) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < v.length; i++) {
      b.append(i > 0 ? ";" : "").append(num(v[i]));
    }
    return b.toString();
  }

  /** {@code k,pick,V} per step; random adds {@code std}, equidistant gives the whole set per budget. */
  void writeStrategyCsv(StrategyResult r, Writer w) throws IOException {
    boolean random = r.std() != null;
    boolean perBudget = r.sets() != null;
    boolean model = r.steps() != null;
    w.write("k," + (perBudget ? "set" : "pick") + ",V" + (random ? ",std" : "")
        + (model ? ",acquisition,gp_constant,gp_length_scale,gap_left,gap_right,gap_fitted" : "") + "\n");
    for (int k = 0; k < r.values().length; k++) {
      StringBuilder b = new StringBuilder();
      b.append(k + 1).append(',');
      if (perBudget) {
        int[] set = r.sets().get(k);
        for (int i = 0; i < set.length; i++) {
          b.append(i > 0 ? ";" : "").append(set[i]);
        }
      } else if (r.picks().length > k) {
        b.append(r.picks()[k]);
      }
      b.append(',').append(num(r.values()[k]));
      if (random) {
        b.append(',').append(num(r.std()[k]));
      }
      if (model) {
        MbtlSelector.Step s = r.steps().get(k);
        boolean grid = shape.dims() > 1 && k > 0;
        b.append(',').append(num(s.acquisitionValue())).append(',').append(num(s.gpConstant())).append(',')
            .append(grid ? nums(s.gpLengthScales()) : num(s.gpLengthScale())).append(',')
            .append(grid ? nums(s.gapLefts()) : num(s.gapLeft())).append(',')
            .append(grid ? nums(s.gapRights()) : num(s.gapRight())).append(',')
            .append(k == 0 ? "" : Boolean.toString(s.gapFitted()));
      }
      w.write(b.append('\n').toString());
    }
  }

  /** The authors' layout: one row per strategy, one column per step, then the average. */
  void writeSummaryCsv(Writer w) throws IOException {
    StringBuilder h = new StringBuilder("strategy");
    for (int k = 1; k <= budget; k++) {
      h.append(",V").append(k);
    }
    w.write(h.append(",average\n").toString());
    for (StrategyResult r : results) {
      StringBuilder b = new StringBuilder(r.name());
      for (double v : r.values()) {
        b.append(',').append(num(v));
      }
      w.write(b.append(',').append(num(r.average())).append('\n').toString());
      if (r.std() != null) {
        StringBuilder s = new StringBuilder(r.name() + "-std");
        double sum = 0;
        for (double v : r.std()) {
          s.append(',').append(num(v));
          sum += v;
        }
        w.write(s.append(',').append(num(sum / r.std().length)).append('\n').toString());
      }
    }
  }

  private static JsonElement json(double v) {
    return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
  }

  private static JsonArray ints(int[] a) {
    JsonArray out = new JsonArray();
    for (int v : a) {
      out.add(v);
    }
    return out;
  }

  private static JsonArray doubles(double[] a) {
    JsonArray out = new JsonArray();
    for (double v : a) {
      out.add(json(v));
    }
    return out;
  }

  /** The whole report as JSON (shape in docs/mbtl.md). */
  public JsonObject toJson() {
    JsonObject root = new JsonObject();
    root.addProperty("format", FORMAT);
    JsonObject m = new JsonObject();
    m.addProperty("source", matrixName);
    m.addProperty("n", matrix.size());
    m.add("diagonalMean", json(matrix.diagonalMean()));
    m.add("oracleTransfer", json(matrix.oracleTransfer()));
    if (shape.dims() > 1) {
      m.add("grid", ints(shape.sizes())); // tasks are the grid's points, row-major
    }
    root.add("matrix", m);
    root.addProperty("steps", budget);
    JsonObject opts = new JsonObject();
    opts.add("theta", options.theta() == null ? JsonNull.INSTANCE : new JsonPrimitive(options.theta()));
    opts.addProperty("gapSlope", options.theta() == null ? "fitted" : "fixed");
    opts.addProperty("paperTheta", MbtlSelector.PAPER_THETA);
    opts.addProperty("beta", options.beta());
    opts.addProperty("seed", options.seed());
    opts.addProperty("randomOrderings", options.randomOrderings());
    opts.addProperty("randomSeed", options.randomSeed());
    if (options.batch() > 1) {
      opts.addProperty("batch", options.batch()); // the MBTL modes picked Q tasks per round
    }
    root.add("options", opts);
    JsonArray arr = new JsonArray();
    for (StrategyResult r : results) {
      JsonObject o = new JsonObject();
      o.addProperty("name", r.name());
      o.addProperty("description", r.description());
      o.addProperty("kind", r.kind());
      o.add("picks", ints(r.picks()));
      o.add("values", doubles(r.values()));
      o.add("average", json(r.average()));
      o.add("aggregated", json(aggregated.get(r.name()))); // (V_K - random) / (myopic oracle - random)
      if (r.std() != null) {
        o.add("std", doubles(r.std()));
      }
      if (r.sets() != null) {
        JsonArray sets = new JsonArray();
        r.sets().forEach(s -> sets.add(ints(s)));
        o.add("sets", sets);
      }
      if (r.orderings() != null) {
        JsonArray ord = new JsonArray();
        for (int[] x : r.orderings()) {
          ord.add(ints(x));
        }
        o.add("orderings", ord);
      }
      if (r.steps() != null) {
        JsonArray steps = new JsonArray();
        for (MbtlSelector.Step s : r.steps()) {
          JsonObject st = new JsonObject();
          st.addProperty("k", s.k() + 1);
          st.addProperty("pick", s.pick());
          st.add("target", json(s.target()));
          if (s.k() > 0) {
            st.add("acquisition", json(s.acquisitionValue()));
            st.add("kappa", json(s.kappa()));
            JsonObject gp = new JsonObject();
            gp.add("constant", json(s.gpConstant()));
            gp.add("lengthScale", json(s.gpLengthScale()));
            gp.add("logMarginalLikelihood", json(s.gpLogMarginalLikelihood()));
            if (shape.dims() > 1) {
              gp.add("lengthScales", doubles(s.gpLengthScales())); // one per feature
            }
            st.add("gp", gp);
            JsonObject gap = new JsonObject();
            gap.add("left", json(s.gapLeft()));
            gap.add("right", json(s.gapRight()));
            gap.addProperty("fitted", s.gapFitted());
            if (shape.dims() > 1) {
              gap.add("lefts", doubles(s.gapLefts())); // one slope per feature, toward lower indices
              gap.add("rights", doubles(s.gapRights()));
            }
            st.add("gap", gap);
          }
          steps.add(st);
        }
        o.add("model", steps);
      }
      arr.add(o);
    }
    root.add("strategies", arr);
    return root;
  }

  /** Q, the tasks picked per round, must be in 1..K and needs an MBTL mode among the strategies. */
  static void checkBatch(int batch, int budget, int n, List<String> strategies) {
    if (batch < 1 || batch > budget) {
      throw new SweepSpec.Invalid(x -> x.of(SweepSpec.Field.BATCH) + " " + batch + " is out of range: Q, the tasks "
          + "picked per round, must be in 1..K = " + budget + " (" + x.of(SweepSpec.Field.BUDGET) + ", itself at most N = "
          + n + ")");
    }
    if (batch > 1 && strategies.stream().noneMatch(Strategies.MBTL_MODES::contains)) {
      throw new SweepSpec.Invalid(x -> x.of(SweepSpec.Field.BATCH) + " " + batch + " applies to the MBTL modes, and "
          + x.of(SweepSpec.Field.STRATEGIES) + " names none of them; add some of: "
          + String.join(", ", Strategies.MBTL_MODES));
    }
  }
}
