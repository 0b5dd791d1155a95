package dev.zeroshot.mbtl;

import ai.djl.Device;
import dev.zeroshot.agents.Agent;
import dev.zeroshot.agents.Checkpoint;
import dev.zeroshot.agents.Envs;
import dev.zeroshot.agents.Evaluator;
import dev.zeroshot.agents.PpoConfig;
import dev.zeroshot.agents.PpoRun;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSampler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Run mode's trainer: PPO on source task s (a run folder {@code tasks/task-SSS/} with
 * {@code config.json}, {@code metrics.csv}, {@code checkpoint.ckpt}, {@code learning_curve.png},
 * {@code train.log}), then the saved policy evaluated zero-shot on all N tasks
 * ({@code eval.csv}), normalized. Deterministic in s: PPO runs on the CPU with one torch thread
 * and the sweep's seed, and every evaluation uses the same episode seed, so a task trains to the
 * same row whenever and on whichever thread it runs. A folder left by a training that did not
 * finish is deleted and the task trained again from scratch.
 */
public final class PpoTaskTrainer implements TaskTrainer {

  private final SweepSettings settings;
  private final Path tasksDir;
  private final List<Context> contexts;
  private final EnvSpec spec;

  public PpoTaskTrainer(SweepSettings settings, Path sweepDir) {
    this.settings = settings;
    this.tasksDir = sweepDir.resolve("tasks");
    this.spec = settings.grid().spec();
    this.contexts = settings.grid().contexts();
  }

  /** Where task {@code s}'s PPO run lives. */
  public static Path taskDir(Path sweepDir, int task) {
    return sweepDir.resolve("tasks").resolve(String.format(Locale.ROOT, "task-%03d", task));
  }

  /** Where the multi-task policy's PPO run lives. */
  public static Path multiTaskDir(Path sweepDir) {
    return sweepDir.resolve("tasks").resolve("multi-task");
  }

  @Override
  public TrainedTask train(int task) throws IOException {
    Path dir = tasksDir.resolve(String.format(Locale.ROOT, "task-%03d", task));
    PpoConfig cfg = settings.ppo().copy();
    cfg.context = contexts.get(task);
    return trainAndEvaluate(task, dir, cfg, Envs::local, contexts.get(task));
  }

  /**
   * One policy on all N tasks: N x S steps, env i at its r-th episode in task (i + r) mod N
   * (round robin, CARL's default), then evaluated zero-shot on each task like the others.
   */
  @Override
  public TrainedTask trainMultiTask() throws IOException {
    PpoConfig cfg = settings.ppo().copy();
    cfg.context = null; // no one context: the env sampler gives all N
    cfg.totalTimesteps = settings.ppo().totalTimesteps * settings.n();
    return trainAndEvaluate(MULTI_TASK, tasksDir.resolve("multi-task"), cfg,
        c -> VectorEnv.builder(spec).numEnvs(c.numEnvs).contextSampler(ContextSampler.list(contexts, true))
            .resampleOnReset(true).threads(c.envThreads).build(), contexts.get(0));
  }

  private TrainedTask trainAndEvaluate(int task, Path dir, PpoConfig cfg,
                                       java.util.function.Function<PpoConfig, dev.zeroshot.env.VectorEnvApi> envs,
                                       Context probeContext) throws IOException {
    deleteTree(dir); // an unfinished training from a crashed sweep: start over
    Files.createDirectories(dir);
    cfg.device = "cpu";
    PpoRun.Options opt = new PpoRun.Options();
    opt.progressBar = false;
    opt.checkpointEvery = Integer.MAX_VALUE; // only the final checkpoint
    opt.device = "cpu";
    long t0 = System.nanoTime();
    PpoRun.Result r;
    try (PrintStream log = new PrintStream(Files.newOutputStream(dir.resolve("train.log")), true,
        StandardCharsets.UTF_8)) {
      opt.log = log;
      r = PpoRun.train(cfg, dir, envs, opt);
    }
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    long t1 = System.nanoTime();
    int n = contexts.size();
    double[] returns = new double[n];
    double[] row = new double[n];
    double span = settings.high() - settings.low();
    int numEnvs = Math.min(settings.evalEpisodes(), 8);
    StringBuilder csv = new StringBuilder("target," + settings.grid().columnName()
        + ",episodes,mean_return,std_return,normalized\n");
    Path ckpt = dir.resolve(PpoRun.CHECKPOINT);
    try (VectorEnv probe = VectorEnv.builder(spec).numEnvs(numEnvs).context(probeContext).threads(1).build();
        Agent agent = Checkpoint.loadAgent(ckpt, probe, Device.cpu())) {
      for (int t = 0; t < n; t++) {
        try (VectorEnv env = VectorEnv.builder(spec).numEnvs(numEnvs).context(contexts.get(t)).threads(1).build()) {
          Evaluator.Returns e = Evaluator.run(agent, env, settings.evalEpisodes(), settings.evalSeed(), true);
          returns[t] = e.mean();
          row[t] = (e.mean() - settings.low()) / span;
          csv.append(String.format(Locale.ROOT, "%d,%s,%d,%.6f,%.6f,%.6f%n", t, settings.grid().columnValue(t),
              e.episodes(), e.mean(), e.std(), row[t]));
        }
      }
    }
    Files.writeString(dir.resolve("eval.csv"), csv.toString(), StandardCharsets.UTF_8);
    double evalSeconds = (System.nanoTime() - t1) / 1e9;
    return new TrainedTask(task, returns, row, r.globalStep(), r.recentReturn(), trainSeconds, evalSeconds);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
