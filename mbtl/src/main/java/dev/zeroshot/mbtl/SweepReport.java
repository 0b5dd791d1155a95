package dev.zeroshot.mbtl;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.zeroshot.agents.TensorBoardEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Run mode's report files (layout in {@code docs/mbtl.md}): {@code matrix.csv} and
 * {@code returns.csv} (the matrix as filled, normalized and raw; untrained rows empty),
 * {@code trained.csv}, one {@code <strategy>.csv} per strategy, {@code summary.csv},
 * {@code report.json}, {@code curves.png} and {@code matrix.png}. Each is written to a temporary
 * name and renamed. Beside them a TensorBoard event file holds V_k per strategy (tag
 * {@code V_k/<strategy>}, step k), the numbers of the strategy files.
 */
public final class SweepReport {

  public static final String FORMAT = "zeroshot-mbtl-run/1";

  private SweepReport() {}

  /** Writes every file into {@code dir}; returns the paths written. */
  public static List<Path> write(SweepResult r, Path dir) throws IOException {
    Files.createDirectories(dir);
    SweepSettings s = r.settings();
    int n = s.n();
    List<Path> out = new ArrayList<>();
    double[][] m = r.partialMatrix();
    out.add(write(dir.resolve("matrix.csv"), matrixCsv(m)));
    double[][] raw = new double[n][n];
    for (int i = 0; i < n; i++) {
      TrainedTask t = r.rows().get(i);
      for (int j = 0; j < n; j++) {
        raw[i][j] = t == null ? Double.NaN : t.returns()[j];
      }
    }
    out.add(write(dir.resolve("returns.csv"), matrixCsv(raw)));
    StringBuilder tr = new StringBuilder("task," + s.grid().columnName()
        + ",samples,train_return,diagonal,row_mean,train_seconds,eval_seconds\n");
    for (TrainedTask t : r.rows().values()) {
      double mean = 0;
      for (double v : t.row()) {
        mean += v / n;
      }
      tr.append(String.format(Locale.ROOT, "%d,%s,%d,%s,%s,%s,%s,%s%n", t.task(), s.grid().columnValue(t.task()),
          t.samples(), num(t.trainReturn()), num(t.row()[t.task()]), num(mean), num(t.trainSeconds()),
          num(t.evalSeconds())));
    }
    out.add(write(dir.resolve("trained.csv"), tr.toString()));
    try (TensorBoardEvents events = TensorBoardEvents.replace(dir)) { // V_k per strategy, as in its CSV
      for (StrategyResult x : r.strategies()) {
        String csv = strategyCsv(r, x);
        out.add(write(dir.resolve(x.name() + ".csv"), csv));
        events.csv(csv, "k", column -> column.equals("V") ? "V_k/" + x.name() : null);
      }
      out.add(events.file());
    }
    out.add(write(dir.resolve("summary.csv"), summaryCsv(r)));
    out.add(write(dir.resolve("report.json"),
        new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(toJson(r))));
    Path curves = dir.resolve("curves.png");
    Charts.curves(r.strategies(), s.budget(), String.format(Locale.ROOT, "MBTL run: %s, %s (N = %d)",
        s.grid().envId(), s.grid().more().isEmpty() ? s.grid().feature() + " " + s.grid().from() + ".." + s.grid().to()
            : s.grid().describe(), n), String.format(Locale.ROOT,
        "k (tasks trained, %,d PPO steps each)", s.stepsPerTask()), curves);
    out.add(curves);
    Path heat = dir.resolve("matrix.png");
    Charts.heatmap(m, String.format(Locale.ROOT, "Transfer matrix, %d of %d rows trained", r.rows().size(), n),
        s.grid().labels(), heat);
    out.add(heat);
    return out;
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "";
  }

  private static String matrixCsv(double[][] m) {
    StringBuilder b = new StringBuilder();
    for (double[] row : m) {
      for (int j = 0; j < row.length; j++) {
        b.append(j > 0 ? "," : "").append(num(row[j]));
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String strategyCsv(SweepResult r, StrategyResult x) {
    SweepSettings s = r.settings();
    boolean perBudget = x.sets() != null;
    boolean model = x.steps() != null;
    boolean random = x.std() != null;
    double[] samples = r.samples(x.name());
    StringBuilder b = new StringBuilder("k," + (perBudget ? "set" : "pick") + "," + s.grid().columnName() + ",V,samples"
        + (random ? ",std" : "") + (model ? ",acquisition,gp_constant,gp_length_scale,gap_left,gap_right,gap_fitted" : "")
        + "\n");
    for (int k = 0; k < x.values().length; k++) {
      b.append(k + 1).append(',');
      if (perBudget) {
        int[] set = x.sets().get(k);
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < set.length; i++) {
          b.append(i > 0 ? ";" : "").append(set[i]);
          v.append(i > 0 ? ";" : "").append(s.grid().columnValue(set[i]));
        }
        b.append(',').append(v);
      } else if (x.picks().length > k) {
        b.append(x.picks()[k]).append(',').append(s.grid().columnValue(x.picks()[k]));
      } else {
        b.append(',');
      }
      b.append(',').append(num(x.values()[k])).append(',').append(String.format(Locale.ROOT, "%.0f", samples[k]));
      if (random) {
        b.append(',').append(num(x.std()[k]));
      }
      if (model) {
        MbtlSelector.Step st = x.steps().get(k);
        b.append(',').append(num(st.acquisitionValue())).append(',').append(num(st.gpConstant())).append(',')
            .append(num(st.gpLengthScale())).append(',').append(num(st.gapLeft())).append(',')
            .append(num(st.gapRight())).append(',').append(k == 0 ? "" : Boolean.toString(st.gapFitted()));
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String summaryCsv(SweepResult r) {
    int budget = r.settings().budget();
    StringBuilder b = new StringBuilder("strategy");
    for (int k = 1; k <= budget; k++) {
      b.append(",V").append(k);
    }
    b.append(",average\n");
    for (StrategyResult x : r.strategies()) {
      b.append(x.name());
      for (double v : x.values()) {
        b.append(',').append(num(v));
      }
      b.append(',').append(num(x.average())).append('\n');
    }
    return b.toString();
  }

  private static JsonArray ints(int[] a) {
    JsonArray o = new JsonArray();
    for (int v : a) {
      o.add(v);
    }
    return o;
  }

  /** The whole report (shape in docs/mbtl.md). */
  public static JsonObject toJson(SweepResult r) {
    SweepSettings s = r.settings();
    JsonObject root = new JsonObject();
    root.addProperty("format", FORMAT);
    root.add("settings", s.toJson());
    double[] values = new double[s.n()];
    for (int i = 0; i < values.length; i++) {
      values[i] = s.grid().value(i);
    }
    root.add("taskValues", Sweep.array(values)); // the first feature's value per task
    if (!s.grid().more().isEmpty()) { // a grid: every feature's value per task, and the sizes
      JsonArray per = new JsonArray();
      List<dev.zeroshot.env.context.Context> contexts = s.grid().contexts();
      for (TaskGrid.Axis a : s.grid().axes()) {
        double[] v = new double[s.n()];
        for (int i = 0; i < v.length; i++) {
          v[i] = contexts.get(i).get(a.feature());
        }
        per.add(Sweep.array(v));
      }
      root.add("taskValuesPerFeature", per);
      JsonArray sizes = new JsonArray();
      for (int size : s.grid().shape().sizes()) {
        sizes.add(size);
      }
      root.add("grid", sizes);
    }
    JsonArray trained = new JsonArray();
    r.rows().keySet().forEach(trained::add);
    root.add("trained", trained);
    root.addProperty("samplesSpent", r.samplesSpent());
    root.addProperty("trainedThisRun", r.trainedNow());
    JsonObject ind = new JsonObject();
    ind.add("value", Sweep.json(r.independentValue()));
    ind.add("samples", r.independentSamples() < 0 ? JsonNull.INSTANCE : new JsonPrimitive(r.independentSamples()));
    ind.add("oracleTransfer", r.fullMatrix() == null ? JsonNull.INSTANCE : Sweep.json(r.fullMatrix().oracleTransfer()));
    root.add("independent", ind);
    JsonObject mt = new JsonObject();
    TrainedTask multi = r.multiTask();
    mt.add("value", multi == null ? JsonNull.INSTANCE : Sweep.json(r.strategy(SweepResult.MULTI_TASK).values()[0]));
    mt.add("samples", multi == null ? JsonNull.INSTANCE : new JsonPrimitive(multi.samples()));
    mt.add("row", multi == null ? JsonNull.INSTANCE : Sweep.array(multi.row()));
    root.add("multiTask", mt);
    JsonArray arr = new JsonArray();
    java.util.Map<String, Double> aggregated = r.aggregated();
    for (StrategyResult x : r.strategies()) {
      JsonObject o = new JsonObject();
      o.addProperty("name", x.name());
      o.addProperty("description", x.description());
      o.addProperty("kind", x.kind());
      o.addProperty("trained", s.strategies().contains(x.name()) ? "lazily"
          : x.name().equals(SweepResult.MULTI_TASK) ? "one policy on all tasks" : "simulated on the full matrix");
      o.add("picks", ints(x.picks()));
      o.add("values", Sweep.array(x.values()));
      o.add("samples", Sweep.array(r.samples(x.name())));
      o.add("average", Sweep.json(x.average()));
      if (aggregated.containsKey(x.name())) { // (V_K - random) / (myopic oracle - random), on the whole matrix
        o.add("aggregated", Sweep.json(aggregated.get(x.name())));
      }
      if (x.std() != null) {
        o.add("std", Sweep.array(x.std()));
      }
      if (x.sets() != null) {
        JsonArray sets = new JsonArray();
        x.sets().forEach(z -> sets.add(ints(z)));
        o.add("sets", sets);
      }
      if (x.steps() != null) {
        boolean grid = !s.grid().more().isEmpty();
        JsonArray steps = new JsonArray();
        for (MbtlSelector.Step st : x.steps()) {
          JsonObject j = new JsonObject();
          j.addProperty("k", st.k() + 1);
          j.addProperty("pick", st.pick());
          j.add("target", Sweep.json(st.target()));
          if (st.k() > 0) {
            j.add("acquisition", Sweep.json(st.acquisitionValue()));
            j.add("kappa", Sweep.json(st.kappa()));
            JsonObject gp = new JsonObject();
            gp.add("constant", Sweep.json(st.gpConstant()));
            gp.add("lengthScale", Sweep.json(st.gpLengthScale()));
            gp.add("logMarginalLikelihood", Sweep.json(st.gpLogMarginalLikelihood()));
            if (grid && st.gpLengthScales() != null) {
              gp.add("lengthScales", Sweep.array(st.gpLengthScales())); // one per feature
            }
            j.add("gp", gp);
            JsonObject gap = new JsonObject();
            gap.add("left", Sweep.json(st.gapLeft()));
            gap.add("right", Sweep.json(st.gapRight()));
            gap.addProperty("fitted", st.gapFitted());
            if (grid && st.gapLefts() != null) {
              gap.add("lefts", Sweep.array(st.gapLefts())); // one slope per feature, toward lower indices
              gap.add("rights", Sweep.array(st.gapRights()));
            }
            j.add("gap", gap);
          }
          steps.add(j);
        }
        o.add("model", steps);
      }
      arr.add(o);
    }
    root.add("strategies", arr);
    root.add("efficiency", efficiencyJson(r.efficiency()));
    root.add("multiTaskEfficiency", efficiencyJson(r.multiTaskEfficiency()));
    return root;
  }

  private static JsonArray efficiencyJson(List<SweepResult.Efficiency> list) {
    JsonArray eff = new JsonArray();
    for (SweepResult.Efficiency e : list) {
      JsonObject o = new JsonObject();
      o.addProperty("strategy", e.strategy());
      o.add("matchK", e.matchK() == null ? JsonNull.INSTANCE : new JsonPrimitive(e.matchK()));
      o.add("samplesToMatch", e.samplesToMatch() == null ? JsonNull.INSTANCE : new JsonPrimitive(e.samplesToMatch()));
      o.add("ratio", e.ratio() == null ? JsonNull.INSTANCE : Sweep.json(e.ratio()));
      o.add("valueAtK", Sweep.json(e.valueAtK()));
      o.add("samplesAtK", Sweep.json(e.samplesAtK()));
      eff.add(o);
    }
    return eff;
  }

  private static Path write(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }
}
