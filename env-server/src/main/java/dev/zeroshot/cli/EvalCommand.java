package dev.zeroshot.cli;

import dev.zeroshot.agents.EnvPolicy;
import dev.zeroshot.agents.OfflineCheckpoint;
import dev.zeroshot.agents.Checkpoint;
import dev.zeroshot.agents.Envs;
import dev.zeroshot.agents.Evaluator;
import dev.zeroshot.agents.Torch;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextOverrides;
import dev.zeroshot.env.context.ContextSampler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * {@code zeroshot eval}: a checkpoint's mean return in each of a list of contexts (zero-shot
 * transfer), printed and written as CSV: the building block of transfer matrices.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate a checkpoint (PPO or offline) in each context of a list or grid; print and write per-context mean return.")
final class EvalCommand implements Callable<Integer> {

  /** Known return ranges for the normalized score (min, max); Procgen easy and hard mode's come from ProcgenScores. */
  private static final Map<String, double[]> RANGES = Map.of(
      "CartPole-v1", new double[] {0, 500},
      "Acrobot-v1", new double[] {-500, 0},
      "MountainCar-v0", new double[] {-200, 0});

  @Spec
  CommandSpec spec;

  @Option(names = "--checkpoint", required = true, description = "a checkpoint.ckpt (or the run folder holding one)")
  Path checkpoint;

  @Option(names = "--env", description = "environment id (default: the one the checkpoint was trained on)")
  String envId;

  @Mixin
  ContextOption context;

  @Mixin
  LevelsOption levels;

  @Option(names = "--contexts", paramLabel = "FILE|feature=from:to:n",
      description = "a file with one context per line (k=v,... or JSON), or a grid feature=from:to:n, each on top of --context "
          + "(default: the --context only)")
  String contexts;

  @Option(names = "--episodes", description = "episodes per context (default: ${DEFAULT-VALUE})")
  int episodes = 20;

  @Option(names = "--num-envs", description = "envs stepped together (default: min(episodes, 16))")
  Integer numEnvs;

  @Option(names = "--seed", description = "seed of the envs and of the action sampling (default: ${DEFAULT-VALUE})")
  long seed = 1_000_000;

  @Option(names = "--greedy", description = "take the most likely action instead of sampling")
  boolean greedy;

  @Option(names = "--return-range", paramLabel = "MIN:MAX", converter = Converters.Intervals.class,
      description = "min and max return for the normalized score")
  Converters.Interval returnRange;

  @Option(names = "--solved-return", paramLabel = "R", description = "the return at which an episode counts as solved "
      + "(default: the env's solved return, e.g. CartPole-v1 475, or Procgen's R_max)")
  Double solvedReturn;

  @Mixin
  DeviceOption device = new DeviceOption("cpu");

  @Option(names = "--out", description = "CSV to write (default: eval.csv beside the checkpoint)")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (episodes < 1) {
      throw new IllegalArgumentException("--episodes must be >= 1, got " + episodes);
    }
    Path ckpt = Files.isDirectory(checkpoint) ? checkpoint.resolve("checkpoint.ckpt") : checkpoint;
    boolean offline = OfflineCheckpoint.isOffline(ckpt);
    String trainedOn;
    Object trainedContext;
    if (offline) {
      OfflineCheckpoint.Header h = OfflineCheckpoint.readHeader(ckpt);
      trainedOn = h.config().envId;
      trainedContext = h.config().context == null || h.config().context.isEmpty() ? "default" : h.config().context;
    } else {
      Checkpoint.Header h = Checkpoint.readHeader(ckpt);
      trainedOn = h.config().envId;
      trainedContext = h.config().context == null || h.config().context.changes().isEmpty() ? "default"
          : h.config().context.changes();
    }
    String id = envId != null ? envId : trainedOn;
    EnvSpec envSpec = Envs.spec(id);
    Context base = context.resolve(envSpec, levels.range);
    List<Context> list = contextList(base);
    double[] range = range(id);
    int n = numEnvs != null ? numEnvs : Math.min(episodes, 16);
    Torch.init(1);
    var dev = Torch.device(device.name, System.err);
    PrintWriter w = spec.commandLine().getOut();
    w.printf("evaluating %s (trained on %s, context %s) on %s: %d context(s) x %d episodes, %s actions%n", ckpt,
        trainedOn, trainedContext, id, list.size(), episodes,
        greedy ? "greedy" : "sampled");
    double solved = solvedReturn != null ? solvedReturn : Envs.successReturn(id);
    // the features that differ between the contexts are the table's first columns; the rest is one note
    List<ContextFeature> varying = varying(list);
    String fixed = fixedPart(list.get(0), varying);
    if (!fixed.isEmpty()) {
      w.printf("%s: %s%n", varying.isEmpty() ? "context" : "fixed context", fixed);
    }
    int[] widths = new int[varying.size()];
    StringBuilder head = new StringBuilder();
    StringBuilder csv = new StringBuilder();
    for (int k = 0; k < varying.size(); k++) {
      ContextFeature f = varying.get(k);
      widths[k] = f.name().length();
      for (Context c : list) {
        widths[k] = Math.max(widths[k], f.format(c.get(f.name())).length());
      }
      head.append(String.format("%-" + widths[k] + "s  ", f.name()));
      csv.append(f.name()).append(',');
    }
    if (!varying.isEmpty()) {
      w.println(head.toString().stripTrailing());
    }
    csv.append("episodes,mean_return,std_return,min_return,max_return,normalized_mean,cvar10_return,solved_share,"
        + "fixed_context\n");
    double[] means = new double[list.size()];
    int done = 0;
    try (VectorEnv probe = VectorEnv.builder(envSpec).numEnvs(n).context(list.get(0)).threads(1).build();
        EnvPolicy policy = offline ? OfflineCheckpoint.loadPolicy(ckpt, probe.singleActionSpace(), dev)
            : EnvPolicy.of(Checkpoint.loadAgent(ckpt, probe, dev), true)) {
      for (Context c : list) {
        try (VectorEnv env = VectorEnv.builder(envSpec).numEnvs(n).context(c).threads(1).build()) {
          Evaluator.Returns r = Evaluator.run(policy, env, episodes, seed, greedy);
          double norm = range == null ? Double.NaN : (r.mean() - range[0]) / (range[1] - range[0]);
          StringBuilder cols = new StringBuilder();
          for (int k = 0; k < varying.size(); k++) {
            String v = varying.get(k).format(c.get(varying.get(k).name()));
            cols.append(String.format("%-" + widths[k] + "s  ", v));
            csv.append(v).append(',');
          }
          w.printf(Locale.ROOT, "%smean %9.3f  std %8.3f  normalized %s  worst-10%% %9.3f  solved %s%n", cols, r.mean(),
              r.std(), range == null ? "n/a" : String.format(Locale.ROOT, "%.4f", norm), r.cvar10(),
              share(r.solvedShare(solved)));
          csv.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%s,%.6f,%s,\"%s\"%n", r.episodes(), r.mean(),
              r.std(), r.min(), r.max(), range == null ? "" : String.format(Locale.ROOT, "%.6f", norm), r.cvar10(),
              Double.isNaN(solved) ? "" : String.format(Locale.ROOT, "%.6f", r.solvedShare(solved)), fixed));
          means[done++] = r.mean();
        }
      }
    }
    if (list.size() > 1) {
      double sum = 0;
      for (double m : means) {
        sum += m;
      }
      w.printf(Locale.ROOT, "over %d contexts: mean %.3f, worst-10%% mean (CVaR) %.3f, solved %s (contexts whose mean "
          + "return reaches %s)%n", list.size(), sum / list.size(), Evaluator.cvar(means, 0.1),
          share(Evaluator.solvedShare(means, solved)), Double.isNaN(solved) ? "n/a: no solved return, see --solved-return"
          : String.format(Locale.ROOT, "%.6g", solved));
    }
    Path file = out != null ? out : ckpt.toAbsolutePath().resolveSibling("eval.csv");
    Files.writeString(file, csv.toString(), StandardCharsets.UTF_8);
    w.printf("wrote %s%n", file);
    w.flush();
    return 0;
  }

  /** The features whose value is not the same in every context of {@code list}, in feature order. */
  static List<ContextFeature> varying(List<Context> list) {
    List<ContextFeature> out = new ArrayList<>();
    List<ContextFeature> features = list.get(0).space().features();
    for (int i = 0; i < features.size(); i++) {
      for (Context c : list) {
        if (Double.compare(c.get(i), list.get(0).get(i)) != 0) {
          out.add(features.get(i));
          break;
        }
      }
    }
    return out;
  }

  /** {@code k=v,...} of the features of {@code c} not in {@code varying}. */
  static String fixedPart(Context c, List<ContextFeature> varying) {
    StringBuilder sb = new StringBuilder();
    for (ContextFeature f : c.space().features()) {
      if (!varying.contains(f)) {
        sb.append(sb.length() == 0 ? "" : ",").append(f.name()).append('=').append(f.format(c.get(f.name())));
      }
    }
    return sb.toString();
  }

  static String share(double s) {
    return Double.isNaN(s) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * s);
  }

  private List<Context> contextList(Context base) throws IOException {
    if (contexts == null) {
      return List.of(base);
    }
    Path file = Path.of(contexts);
    if (Files.isRegularFile(file)) {
      List<Context> list = new ArrayList<>();
      int lineNo = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        lineNo++;
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        try {
          list.add(t.startsWith("{") ? Context.fromJson(base.space(), t) : base.with(changes(base, t)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + " line " + lineNo + ": " + e.getMessage());
        }
      }
      if (list.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no contexts");
      }
      return list;
    }
    // feature=from:to:n
    String[] kv = contexts.split("=", 2);
    String[] g = kv.length == 2 ? kv[1].split(":") : new String[0];
    if (g.length != 3) {
      throw new IllegalArgumentException("--contexts must be a file or a grid feature=from:to:n, got '" + contexts + "'");
    }
    try {
      return ContextSampler.grid(base, kv[0].strip(), Double.parseDouble(g[0]), Double.parseDouble(g[1]),
          Integer.parseInt(g[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--contexts grid needs numbers: feature=from:to:n, got '" + contexts + "'");
    }
  }

  /** Only the features a {@code k=v,...} line names (the rest stay as in the base context). */
  private static Map<String, Double> changes(Context base, String line) {
    ContextOverrides changes = ContextOverrides.parse(line);
    changes.resolve(base.space()); // validates names and values
    return changes.toMap();
  }

  private double[] range(String id) {
    if (returnRange == null) {
      double[] procgen = dev.zeroshot.offline.ProcgenScores.range(id); // Procgen easy or hard mode's (R_min, R_max)
      return procgen != null ? procgen : RANGES.get(id);
    }
    return returnRange.toArray();
  }
}
