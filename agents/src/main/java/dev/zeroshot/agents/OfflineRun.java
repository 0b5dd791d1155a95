package dev.zeroshot.agents;

import ai.djl.Device;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextOverrides;
import dev.zeroshot.offline.Dataset;
import dev.zeroshot.offline.DatasetInfo;
import dev.zeroshot.env.context.LevelRange;
import dev.zeroshot.offline.ObservationFormat;
import dev.zeroshot.offline.ProcgenScores;
import dev.zeroshot.offline.TransitionSampler;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import me.tongfei.progressbar.ProgressBar;

/**
 * An offline training run in a folder, laid out as a PPO run: {@code config.json},
 * {@code metrics.csv} (one row per {@code logEvery} gradient steps, with the evaluation return
 * where one was run), {@code checkpoint.ckpt} (atomic, every {@code checkpointEvery} steps and
 * at the end), {@code learning_curve.png} (evaluation return against gradient steps) and a
 * TensorBoard event file with the numbers of {@code metrics.csv} ({@link TensorBoardEvents}).
 */
public final class OfflineRun {

  static final String HEADER = "step,seconds,samples_per_second,loss,accuracy_or_td,logp_or_q,grad_norm,"
      + "sample_seconds_fraction,eval_return,eval_normalized";

  /** Options besides the config. */
  public static final class Options {
    public boolean progressBar = true;
    public PrintStream log = System.err;
  }

  /** How a run ended. */
  public record Result(long steps, double evalReturn, double evalNormalized, double seconds, double samplesPerSecond,
      double sampleFraction, String envId, LevelRange evalLevels) {}

  private OfflineRun() {}

  /** The env id of a config, falling back on the dataset's metadata. */
  static String evalEnv(OfflineConfig cfg, Dataset ds) {
    String env = cfg.envId != null ? cfg.envId : ds.meta(DatasetInfo.ENV_ID);
    if (env == null) {
      throw new IllegalArgumentException("dataset " + ds.id() + " does not name its env (" + DatasetInfo.ENV_ID
          + "); pass --env");
    }
    return env;
  }

  /** The evaluation levels of a config, falling back on the dataset's metadata (null: the env's). */
  static LevelRange evalLevels(OfflineConfig cfg, Dataset ds) {
    if (cfg.evalLevels != null) {
      return cfg.evalLevels;
    }
    String levels = ds.meta(DatasetInfo.LEVELS);
    return levels == null || levels.isBlank() ? null : LevelRange.parse(levels);
  }

  /** The context evaluation runs in: the config's context, then the levels. */
  static Context evalContext(EnvSpec spec, OfflineConfig cfg) {
    Context c = cfg.context.resolve(spec.contextSpace());
    return cfg.evalLevels == null ? c : cfg.evalLevels.apply(c);
  }

  public static Result train(OfflineConfig cfg, Path dir, Options opt) throws IOException {
    cfg.validate();
    if (Files.exists(dir.resolve(PpoRun.CHECKPOINT)) || Files.exists(dir.resolve(PpoRun.METRICS))) {
      throw new IllegalArgumentException(dir + " already holds a run; choose another --out");
    }
    Dataset ds = Dataset.open(Path.of(cfg.dataset));
    for (var p : ds.problems()) {
      opt.log.println("warning: " + p.getMessage());
    }
    String envId = evalEnv(cfg, ds);
    EnvSpec spec = EnvRegistry.builtin().spec(envId);
    if (cfg.context.isEmpty() && ds.meta(DatasetInfo.CONTEXT) != null && cfg.envId == null) {
      cfg.context = ContextOverrides.parse(ds.meta(DatasetInfo.CONTEXT));
    }
    cfg.evalLevels = evalLevels(cfg, ds); // both recorded in config.json and the checkpoint
    cfg.envId = envId;
    Context evalCtx = evalContext(spec, cfg);
    GymEnv probe = EnvRegistry.builtin().make(spec.id(), evalCtx);
    ObservationFormat envFormat = ObservationFormat.of(probe.observationSpace());
    if (!envFormat.equals(ds.observationFormat())) {
      throw new IllegalArgumentException("dataset observations are " + ds.observationFormat() + " but " + spec.id()
          + " gives " + envFormat);
    }
    if (ds.actionCount() != ((dev.zeroshot.env.space.Discrete) probe.actionSpace()).n()) {
      throw new IllegalArgumentException("dataset has " + ds.actionCount() + " actions, " + spec.id() + " has "
          + probe.actionSpace());
    }
    Files.createDirectories(dir);
    Torch.init(cfg.torchThreads);
    Device device = Torch.device(cfg.device, opt.log);
    String kind = cfg.model != null ? cfg.model : (ds.observationFormat().shape().length == 3 ? "impala" : "mlp");
    ModelSpec model;
    if (SequenceLearner.isSequence(cfg.algo)) {
      // the largest timestep and DT's target return, recorded in config.json
      model = SequenceLearner.setUp(cfg, ds, probe.observationSpace(), probe.actionSpace());
    } else {
      model = Agent.modelFor(probe.observationSpace(), probe.actionSpace(), kind, cfg.hiddenFor(kind), cfg.seed);
    }
    PpoRun.writeAtomically(dir.resolve(PpoRun.CONFIG), cfg.toJson() + "\n");
    Files.writeString(dir.resolve(PpoRun.METRICS), HEADER + "\n", StandardCharsets.UTF_8);
    List<LearningCurve.Point> curve = new ArrayList<>();
    try (OfflineLearner learner = OfflineLearner.create(cfg, model, probe.actionSpace(), device)) {
      opt.log.printf("training %s on %s (%d episodes, %,d transitions), %s, %d params, device %s; evaluating on %s "
              + "levels %s%n", cfg.algo.toUpperCase(Locale.ROOT), ds.id(), ds.episodes().size(), ds.totalSteps(), model,
          learner.parameterCount(), device, spec.id(), cfg.evalLevels == null ? "(default)" : cfg.evalLevels);
      return loop(learner, ds, spec, evalCtx, dir, opt, curve, new SplittableRandom(cfg.seed));
    }
  }

  /**
   * Continues the run in {@code dir} from its checkpoint (weights, Adam's moments, target
   * networks, step) up to its config's steps or {@code newSteps}; metrics rows logged after the
   * checkpoint are dropped and redone. The minibatch stream restarts from a seed derived from
   * the step, so a resumed run is not bit-identical to an uninterrupted one.
   */
  public static Result resume(Path dir, Long newSteps, String device, Options opt) throws IOException {
    Path ckpt = dir.resolve(PpoRun.CHECKPOINT);
    OfflineCheckpoint.Header h = OfflineCheckpoint.readHeader(ckpt);
    OfflineConfig cfg = h.config();
    if (newSteps != null) {
      cfg.steps = newSteps;
    }
    if (device != null) {
      cfg.device = device;
    }
    cfg.validate();
    Dataset ds = Dataset.open(Path.of(cfg.dataset));
    EnvSpec spec = EnvRegistry.builtin().spec(cfg.envId);
    Context evalCtx = evalContext(spec, cfg);
    GymEnv probe = EnvRegistry.builtin().make(spec.id(), evalCtx);
    Torch.init(cfg.torchThreads);
    Device dev = Torch.device(cfg.device, opt.log);
    try (OfflineLearner learner = OfflineLearner.create(cfg, h.model(), probe.actionSpace(), dev)) {
      OfflineCheckpoint.restore(ckpt, learner);
      List<String> kept = new ArrayList<>();
      kept.add(HEADER);
      List<LearningCurve.Point> curve = new ArrayList<>();
      for (String line : Files.readAllLines(dir.resolve(PpoRun.METRICS), StandardCharsets.UTF_8)) {
        String[] f = line.split(",", -1);
        if (line.startsWith("step") || f.length < 10 || Long.parseLong(f[0]) > learner.steps()) {
          continue;
        }
        kept.add(line);
        if (!f[8].isEmpty()) {
          curve.add(new LearningCurve.Point(Long.parseLong(f[0]), Double.parseDouble(f[8])));
        }
      }
      PpoRun.writeAtomically(dir.resolve(PpoRun.METRICS), String.join("\n", kept) + "\n");
      PpoRun.writeAtomically(dir.resolve(PpoRun.CONFIG), cfg.toJson() + "\n");
      opt.log.printf("resuming %s at step %d of %d%n", dir, learner.steps(), cfg.steps);
      return loop(learner, ds, spec, evalCtx, dir, opt, curve, new SplittableRandom(cfg.seed ^ (learner.steps() * 0x9E3779B97F4A7C15L)));
    }
  }

  private static Result loop(OfflineLearner learner, Dataset ds, EnvSpec spec, Context evalCtx, Path dir, Options opt,
      List<LearningCurve.Point> curve, SplittableRandom rng) throws IOException {
    OfflineConfig cfg = learner.config();
    TransitionSampler sampler = new TransitionSampler(ds, cfg.maxMapped, true, opt.log);
    long startStep = learner.steps();
    {
      ProgressBar bar = opt.progressBar ? ProgressBars.onStderr(cfg.algo.toUpperCase(Locale.ROOT), cfg.steps).build()
          : null;
      long t0 = System.nanoTime();
      long tWindow = t0;
      double sampleSeconds = 0;
      double sampleSecondsTotal = 0;
      double lastEval = Double.NaN;
      double lastNorm = Double.NaN;
      double loss = 0;
      double acc = 0;
      double q = 0;
      double gn = 0;
      int inWindow = 0;
      String[] header = HEADER.split(",");
      try (TensorBoardEvents events = TensorBoardEvents.replace(dir);
          BufferedWriter csv = Files.newBufferedWriter(dir.resolve(PpoRun.METRICS), StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND)) {
        events.csv(Files.readString(dir.resolve(PpoRun.METRICS), StandardCharsets.UTF_8), "step",
            OfflineRun::tensorBoardTag);
        while (learner.steps() < cfg.steps) {
          OfflineLearner.Stats s = learner.step(sampler, rng);
          loss += s.loss;
          acc += s.accuracyOrTd;
          q += s.meanQOrLogp;
          gn += s.gradNorm;
          sampleSeconds += s.sampleSeconds;
          sampleSecondsTotal += s.sampleSeconds;
          inWindow++;
          long k = learner.steps();
          boolean evalNow = k == cfg.steps || (cfg.evalEvery > 0 && k % cfg.evalEvery == 0);
          if (k % cfg.logEvery == 0 || evalNow) {
            String ev = "";
            if (evalNow) {
              Evaluator.Returns r;
              try (EnvPolicy policy = learner.policy()) {
                r = evaluate(policy, spec, evalCtx, cfg.evalEpisodes, cfg.seed + 1_000_000, learner.greedy());
              }
              lastEval = r.mean();
              lastNorm = ProcgenScores.normalize(spec.id(), r.mean());
              curve.add(new LearningCurve.Point(k, r.mean()));
              ev = String.format(Locale.ROOT, "%.4f,%s", r.mean(), Double.isNaN(lastNorm) ? ""
                  : String.format(Locale.ROOT, "%.4f", lastNorm));
            } else {
              ev = ",";
            }
            long now = System.nanoTime();
            double windowSeconds = (now - tWindow) / 1e9;
            String row = String.format(Locale.ROOT, "%d,%.3f,%.1f,%.6g,%.6g,%.6g,%.6g,%.4f,%s", k, (now - t0) / 1e9,
                inWindow * (double) cfg.batchSize / windowSeconds, loss / inWindow, acc / inWindow, q / inWindow,
                gn / inWindow, sampleSeconds / windowSeconds, ev);
            csv.write(row);
            csv.newLine();
            events.row(header, row, "step", OfflineRun::tensorBoardTag);
            csv.flush();
            if (bar != null) {
              bar.setExtraMessage(String.format(Locale.ROOT, " loss %.3f | eval %.2f", loss / inWindow, lastEval));
            }
            loss = acc = q = gn = sampleSeconds = 0;
            inWindow = 0;
            tWindow = System.nanoTime();
          }
          if (k % cfg.checkpointEvery == 0) {
            OfflineCheckpoint.save(learner, dir.resolve(PpoRun.CHECKPOINT));
          }
          if (bar != null) {
            bar.stepTo(k);
          }
        }
      } finally {
        if (bar != null) {
          bar.close();
        }
      }
      OfflineCheckpoint.save(learner, dir.resolve(PpoRun.CHECKPOINT));
      LearningCurve.writeOrWarn(dir.resolve(PpoRun.CURVE), cfg.algo.toUpperCase(Locale.ROOT) + " on " + ds.id()
          + " (seed " + cfg.seed + "), evaluated on " + spec.id(), curve, "gradient steps", opt.log);
      double seconds = (System.nanoTime() - t0) / 1e9;
      for (var p : sampler.problems()) {
        opt.log.println("warning: skipped " + p.getMessage());
      }
      return new Result(learner.steps(), lastEval, lastNorm, seconds,
          (learner.steps() - startStep) * (double) cfg.batchSize / seconds,
          sampleSecondsTotal / seconds, spec.id(), cfg.evalLevels);
    }
  }

  /** The TensorBoard tag of a metrics.csv column (null: not charted; step is the step). */
  static String tensorBoardTag(String column) {
    return switch (column) {
      case "step", "seconds" -> null;
      case "eval_return", "eval_normalized" -> "eval/" + column;
      case "samples_per_second", "sample_seconds_fraction" -> "charts/" + column;
      default -> "losses/" + column;
    };
  }

  /** Mean return of {@code agent} over {@code episodes} episodes in {@code ctx}. */
  public static Evaluator.Returns evaluate(Agent agent, EnvSpec spec, Context ctx, int episodes, long seed,
      boolean greedy) {
    try (AgentPolicy policy = new AgentPolicy(agent, false)) {
      return evaluate(policy, spec, ctx, episodes, seed, greedy);
    }
  }

  /** Mean return of {@code policy} over {@code episodes} episodes in {@code ctx}. */
  public static Evaluator.Returns evaluate(EnvPolicy policy, EnvSpec spec, Context ctx, int episodes, long seed,
      boolean greedy) {
    int n = Math.min(episodes, 8);
    try (VectorEnv env = VectorEnv.builder(spec).numEnvs(n).context(ctx).threads(1).build()) {
      return Evaluator.run(policy, env, episodes, seed, greedy);
    }
  }
}
