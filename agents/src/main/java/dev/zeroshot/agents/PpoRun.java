package dev.zeroshot.agents;

import ai.djl.Device;
import dev.zeroshot.env.VectorEnvApi;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import me.tongfei.progressbar.ProgressBar;

/**
 * A training run in a folder: {@code config.json}, {@code metrics.csv} (one row per update),
 * {@code checkpoint.ckpt} (written atomically every few updates and at the end), and
 * {@code learning_curve.png}, and a TensorBoard event file with the same numbers as
 * {@code metrics.csv} ({@link TensorBoardEvents}). {@link #resume} continues a stopped run from
 * its checkpoint, dropping metrics rows (and their events) logged after it.
 */
public final class PpoRun {

  public static final String CONFIG = "config.json";
  public static final String METRICS = "metrics.csv";
  public static final String CHECKPOINT = "checkpoint.ckpt";
  public static final String CURVE = "learning_curve.png";
  /** With a curriculum: one row per episode reported to it (see {@link CurriculumLog}). */
  public static final String CURRICULUM = CurriculumLog.FILE;
  static final String HEADER = "update,global_step,seconds,steps_per_second,learning_rate,recent_return,episodes,"
      + "policy_loss,value_loss,entropy,approx_kl,clip_fraction,explained_variance,grad_norm";

  /** Options of a run besides the PPO config. */
  public static final class Options {
    public int checkpointEvery = 50;
    public boolean progressBar = true;
    public PrintStream log = System.err;
    public String device = "auto";
  }

  /** How a run ended. */
  public record Result(long globalStep, int updates, double recentReturn, double seconds, double stepsPerSecond,
      long firstStepAtTarget, double secondsAtTarget) {}

  private PpoRun() {}

  /** Starts a new run in {@code dir} (which must not hold a run already). */
  public static Result train(PpoConfig cfg, Path dir, Function<PpoConfig, VectorEnvApi> envs, Options opt)
      throws IOException {
    cfg.validate();
    if (Files.exists(dir.resolve(CHECKPOINT)) || Files.exists(dir.resolve(METRICS))) {
      throw new IllegalArgumentException(dir + " already holds a run; use --resume " + dir + " or another --out");
    }
    Files.createDirectories(dir);
    Torch.init(cfg.torchThreads);
    Device device = Torch.device(cfg.device, opt.log);
    try (VectorEnvApi env = envs.apply(cfg)) {
      var spec = Agent.modelFor(env.singleObservationSpace(), env.singleActionSpace(), cfg.model, cfg.hidden, cfg.seed);
      writeAtomically(dir.resolve(CONFIG), cfg.toJson() + "\n");
      Files.writeString(dir.resolve(METRICS), HEADER + "\n", StandardCharsets.UTF_8);
      try (PpoTrainer ppo = PpoTrainer.create(cfg, env, spec, device)) {
        CurriculumLog.start(dir, cfg, env);
        opt.log.printf("training PPO on %s (%s), %s, %d params, device %s, %d torch thread(s)%n", cfg.envId,
            cfg.curriculum != null ? cfg.curriculum + " curriculum over " + Envs.curriculum(cfg).space()
            : cfg.context == null || cfg.context.changes().isEmpty() ? "default context" : cfg.context.changes(), spec, ppo.agent().net().params().count(),
            device, Torch.threads());
        return run(ppo, dir, opt, new ArrayList<>());
      }
    }
  }

  /** Continues the run in {@code dir} from its checkpoint up to the config's total steps. */
  public static Result resume(Path dir, Function<PpoConfig, VectorEnvApi> envs, Options opt, Long newTotalSteps)
      throws IOException {
    Path ckpt = dir.resolve(CHECKPOINT);
    Checkpoint.Header h = Checkpoint.readHeader(ckpt);
    PpoConfig cfg = h.config();
    if (newTotalSteps != null) {
      cfg.totalTimesteps = newTotalSteps;
    }
    Torch.init(cfg.torchThreads);
    Device device = Torch.device(opt.device != null ? opt.device : cfg.device, opt.log);
    try (VectorEnvApi env = envs.apply(cfg); PpoTrainer ppo = Checkpoint.resume(ckpt, env, device)) {
      if (newTotalSteps != null) {
        ppo.config().totalTimesteps = newTotalSteps;
      }
      // Keep the metrics logged up to the checkpoint; later rows are redone.
      List<LearningCurve.Point> curve = new ArrayList<>();
      List<String> kept = new ArrayList<>();
      kept.add(HEADER);
      Path metrics = dir.resolve(METRICS);
      if (Files.exists(metrics)) {
        for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
          String[] f = line.split(",");
          if (line.startsWith("update") || f.length < 6) {
            continue;
          }
          if (Integer.parseInt(f[0]) <= ppo.updates()) {
            kept.add(line);
            curve.add(new LearningCurve.Point(Long.parseLong(f[1]), Double.parseDouble(f[5])));
          }
        }
      }
      writeAtomically(metrics, String.join("\n", kept) + "\n");
      CurriculumLog.truncate(dir, cfg, ppo.globalStep());
      opt.log.printf("resuming %s at update %d (%d steps) of %d%n", dir, ppo.updates(), ppo.globalStep(),
          ppo.numUpdates());
      return run(ppo, dir, opt, curve);
    }
  }

  private static Result run(PpoTrainer ppo, Path dir, Options opt, List<LearningCurve.Point> curve) throws IOException {
    PpoConfig cfg = ppo.config();
    double target = targetReturn(cfg.envId);
    long[] firstAtTarget = {-1};
    double[] secondsAtTarget = {Double.NaN};
    Ppo.Metrics[] last = {null};
    ProgressBar bar = opt.progressBar ? ProgressBars.onStderr("PPO", (long) ppo.numUpdates() * cfg.batchSize()).build()
        : null;
    if (bar != null) {
      bar.stepTo(ppo.globalStep());
    }
    IOException[] failure = {null};
    String[] header = HEADER.split(",");
    try (TensorBoardEvents events = TensorBoardEvents.replace(dir);
        BufferedWriter csv = Files.newBufferedWriter(dir.resolve(METRICS), StandardCharsets.UTF_8,
        StandardOpenOption.APPEND); CurriculumLog levels = CurriculumLog.append(dir, cfg)) {
      events.csv(Files.readString(dir.resolve(METRICS), StandardCharsets.UTF_8), "global_step", PpoRun::tensorBoardTag);
      if (levels != null) {
        ppo.onEpisode((step, env, level, feedback) -> {
          try {
            levels.write(step, env, level, feedback);
          } catch (IOException e) {
            failure[0] = e;
          }
        });
      }
      ppo.train(m -> {
        last[0] = m;
        if (firstAtTarget[0] < 0 && !Double.isNaN(target) && m.recentReturn >= target) {
          firstAtTarget[0] = m.globalStep;
          secondsAtTarget[0] = m.seconds;
        }
        curve.add(new LearningCurve.Point(m.globalStep, m.recentReturn));
        try {
          String row = row(m);
          csv.write(row);
          csv.newLine();
          csv.flush(); // one row per update: cheap, and `zeroshot dashboard` draws the curve as it grows
          events.row(header, row, "global_step", PpoRun::tensorBoardTag);
          if (m.update % opt.checkpointEvery == 0) {
            if (levels != null) {
              levels.flush();
            }
            Checkpoint.save(ppo, dir.resolve(CHECKPOINT));
          }
        } catch (IOException e) {
          failure[0] = e;
        }
        if (bar != null) {
          bar.stepTo(m.globalStep);
          bar.setExtraMessage(String.format(Locale.ROOT, " ret %.1f | %,.0f steps/s", m.recentReturn,
              m.stepsPerSecond));
        }
      }, () -> failure[0] != null);
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    Checkpoint.save(ppo, dir.resolve(CHECKPOINT));
    LearningCurve.writeOrWarn(dir.resolve(CURVE), "PPO on " + cfg.envId + contextForTitle(cfg) + " (seed " + cfg.seed + ")", curve,
        "environment steps", opt.log);
    Ppo.Metrics m = last[0];
    if (m == null) {
      return new Result(ppo.globalStep(), ppo.updates(), Double.NaN, 0, 0, -1, Double.NaN);
    }
    return new Result(m.globalStep, m.update, m.recentReturn, m.seconds, m.stepsPerSecond, firstAtTarget[0],
        secondsAtTarget[0]);
  }

  /** The return at which the task counts as solved, for reporting (CartPole-v1: 475). */
  static double targetReturn(String envId) {
    try {
      Double t = dev.zeroshot.env.EnvRegistry.builtin().spec(envId).rewardThreshold();
      return t == null ? Double.NaN : t;
    } catch (IllegalArgumentException e) {
      return Double.NaN;
    }
  }

  /** The TensorBoard tag of a metrics.csv column (null: not charted; global_step is the step). */
  static String tensorBoardTag(String column) {
    return switch (column) {
      case "update", "global_step", "seconds" -> null;
      case "steps_per_second", "learning_rate", "recent_return", "episodes" -> "charts/" + column;
      default -> "losses/" + column;
    };
  }

  static String row(Ppo.Metrics m) {
    return String.format(Locale.ROOT, "%d,%d,%.3f,%.1f,%.6g,%.4f,%d,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g", m.update,
        m.globalStep, m.seconds, m.stepsPerSecond, m.learningRate, m.recentReturn, m.episodesFinished, m.policyLoss,
        m.valueLoss, m.entropy, m.approxKl, m.clipFraction, m.explainedVariance, m.gradNorm);
  }

  static void writeAtomically(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** {@code , length=1.4} (the features that differ from the defaults) when the run has one context, else "". */
  static String contextForTitle(PpoConfig cfg) {
    if (cfg.context == null) {
      return "";
    }
    String changes = cfg.context.changes().toString();
    return changes.isEmpty() ? ", default context" : ", " + changes;
  }
}
