package dev.zeroshot.cli;

import dev.zeroshot.agents.Agent;
import dev.zeroshot.agents.OfflineConfig;
import dev.zeroshot.agents.OfflineLearner;
import dev.zeroshot.agents.SequenceLearner;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.agents.Torch;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.offline.Dataset;
import dev.zeroshot.offline.DatasetException;
import dev.zeroshot.offline.ObservationFormat;
import dev.zeroshot.offline.TransitionBatch;
import dev.zeroshot.offline.TransitionSampler;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zeroshot dataset info|verify|bench|score|prune|mix}: look at, check, time, score, prune and mix datasets. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
    description = "Inspect, verify, benchmark, score, prune or mix offline datasets.",
    subcommands = {DatasetCommand.Info.class, DatasetCommand.Verify.class, DatasetCommand.Bench.class,
        DatasetScoreCommand.class, DatasetPruneCommand.class, DatasetMixCommand.class, CommandLine.HelpCommand.class})
final class DatasetCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  abstract static class Base {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID|DIR", description = "a dataset id (under --root) or folder")
    String dataset;

    @Mixin
    DatasetsRootOption root;

    Dataset open() throws IOException {
      return root.open(dataset);
    }
  }

  @Command(name = "info", mixinStandardHelpOptions = true, description = "Print a dataset's metadata and return statistics.")
  static final class Info extends Base implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      Dataset ds = open();
      PrintWriter w = spec.commandLine().getOut();
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      java.util.Set<Long> levels = new java.util.HashSet<>();
      for (Dataset.EpisodeInfo e : ds.episodes()) {
        sum += e.totalReturn();
        min = Math.min(min, e.totalReturn());
        max = Math.max(max, e.totalReturn());
        if (e.levelSeed() >= 0) {
          levels.add(e.levelSeed());
        }
      }
      int n = ds.episodes().size();
      w.printf("%s at %s%n", ds.id(), ds.dataDir());
      for (String k : List.of("algorithm_name", "description", "minari_version", "data_format", "ref_min_score",
          "ref_max_score", "zeroshot_env_id", "zeroshot_levels", "dataset_size")) {
        if (ds.meta(k) != null) {
          w.printf("  %-18s %s%n", k, ds.meta(k));
        }
      }
      w.printf(Locale.ROOT, "  episodes %d, transitions %,d, observations %s, %s%n", n, ds.totalSteps(),
          ds.observationFormat(), ds.actionSpace() instanceof Discrete d ? d.n() + " actions"
              : "actions " + ds.actionSpace());
      if (n > 0) {
        w.printf(Locale.ROOT, "  return mean %.3f min %.3f max %.3f; mean length %.1f; distinct levels %d%n", sum / n,
            min, max, (double) ds.totalSteps() / n, levels.size());
      }
      for (DatasetException p : ds.problems()) {
        w.println("  problem: " + p.getMessage());
      }
      w.flush();
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check every episode file (checksum, then a full Arrow read); exit 1 naming each bad file.")
  static final class Verify extends Base implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      Dataset ds = open();
      List<DatasetException> problems = ds.verify();
      PrintWriter w = spec.commandLine().getOut();
      for (DatasetException p : problems) {
        w.println("bad: " + p.getMessage());
      }
      w.printf("%s: %d episodes checked, %d bad%n", ds.id(), ds.episodes().size() + ds.problems().size(), problems.size());
      w.flush();
      return problems.isEmpty() ? 0 : 1;
    }
  }

  @Command(name = "bench", mixinStandardHelpOptions = true,
      description = "Minibatch sampling throughput (transitions/s) against a learner's consumption measured in the same run.")
  static final class Bench extends Base implements Callable<Integer> {
    @Option(names = "--batch-size", description = "(default: ${DEFAULT-VALUE})")
    int batchSize = 256;

    @Option(names = "--seconds", description = "sampling time (default: ${DEFAULT-VALUE})")
    double seconds = 10;

    @Option(names = "--max-mapped", description = "episode files kept mapped (default: ${DEFAULT-VALUE})")
    int maxMapped = 16384;

    @Option(names = "--learner-steps", description = "BC gradient steps timed on the same data, 0 = none (default: ${DEFAULT-VALUE})")
    int learnerSteps = 20;

    @Option(names = "--sequence-model", paramLabel = "dt|bct", description = "also time this sequence model's gradient "
        + "steps (gen_dgrl's GPT, its encoder as 'train dt' picks it) at --batch-size and --context, as a ratio to BC's step")
    String sequenceModel;

    @Option(names = "--context", description = "steps per window for --sequence-model (default: ${DEFAULT-VALUE})")
    int context = 10;

    @Option(names = "--model", description = "network for the learner, mlp or impala (default: by observation type)")
    String model;

    @Option(names = "--no-verify", description = "skip the checksum of each file when first mapped")
    boolean noVerify;

    /** Times {@code --sequence-model}'s steps on the same data and prints their rate beside BC's. */
    private void timeSequenceModel(Dataset ds, TransitionSampler s, SplittableRandom rng, Discrete act,
        double bcStepsPerSecond, String bcKind, PrintWriter w) throws IOException {
      OfflineConfig cfg = new OfflineConfig();
      cfg.algo = sequenceModel;
      cfg.dataset = ds.dataDir().toString();
      cfg.batchSize = batchSize;
      cfg.contextLength = context;
      cfg.validate();
      String env = ds.meta(dev.zeroshot.offline.DatasetInfo.ENV_ID);
      ObservationFormat f = ds.observationFormat();
      dev.zeroshot.env.space.Space obs = env != null ? dev.zeroshot.env.EnvRegistry.builtin().make(env).observationSpace()
          : f.dtype() == DType.UINT8 ? Box.uniform(0, 255, f.shape(), DType.UINT8)
          : Box.uniform(-1e30, 1e30, f.shape(), DType.FLOAT32);
      ModelSpec encoder = SequenceLearner.setUp(cfg, ds, obs, act);
      try (OfflineLearner l = OfflineLearner.create(cfg, encoder, act, ai.djl.Device.cpu())) {
        l.step(s, rng); // warm-up
        long t0 = System.nanoTime();
        for (int i = 0; i < learnerSteps; i++) {
          l.step(s, rng);
        }
        double stepsPerSecond = learnerSteps / ((System.nanoTime() - t0) / 1e9);
        w.printf(Locale.ROOT, "learner: %s (%s encoder, GPT %d layers x %d heads x %d wide, context %d, %,d params, 1 torch "
                + "thread, CPU) %.3f steps/s of batch %d (%,.0f windows/s); BC (%s) %.3f steps/s: a %s step takes %.1fx "
                + "BC's%n", sequenceModel.toUpperCase(Locale.ROOT), encoder, cfg.transformerLayers, cfg.transformerHeads,
            cfg.embeddingWidth, context, l.parameterCount(), stepsPerSecond, batchSize, stepsPerSecond * batchSize, bcKind,
            bcStepsPerSecond, sequenceModel.toUpperCase(Locale.ROOT), bcStepsPerSecond / stepsPerSecond);
      }
    }

    @Override
    public Integer call() throws IOException {
      Dataset ds = open();
      PrintWriter w = spec.commandLine().getOut();
      if (sequenceModel != null && learnerSteps < 1) {
        throw new IllegalArgumentException("--sequence-model is timed against BC's step: --learner-steps must be >= 1");
      }
      long bytes = ds.totalSteps() * (long) ds.observationFormat().bytes();
      w.printf(Locale.ROOT, "%s: %d episodes, %,d transitions, %.2f GB of observations; JVM max heap %.2f GB%n", ds.id(),
          ds.episodes().size(), ds.totalSteps(), bytes / 1e9, Runtime.getRuntime().maxMemory() / 1e9);
      TransitionSampler s = new TransitionSampler(ds, maxMapped, !noVerify, System.err);
      TransitionBatch b = new TransitionBatch(batchSize, ds.observationFormat().bytes());
      SplittableRandom rng = new SplittableRandom(1);
      long t0 = System.nanoTime();
      long end = t0 + (long) (seconds * 1e9);
      long batches = 0;
      while (System.nanoTime() < end) {
        s.sample(batchSize, rng, b);
        batches++;
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      double sampleRate = batches * batchSize / secs;
      w.printf(Locale.ROOT, "sampling: %,d batches of %d in %.2f s = %,.0f transitions/s (%.1f MB/s of observations "
              + "s and s'), %d file mappings%n", batches, batchSize, secs, sampleRate,
          sampleRate * 2 * ds.observationFormat().bytes() / 1e6, s.mapCount());
      if (learnerSteps > 0) {
        ObservationFormat f = ds.observationFormat();
        Box obs = f.dtype() == DType.UINT8 ? Box.uniform(0, 255, f.shape(), DType.UINT8)
            : Box.uniform(-1e30, 1e30, f.shape(), DType.FLOAT32);
        Discrete act = new Discrete(ds.actionCount());
        OfflineConfig cfg = new OfflineConfig();
        cfg.dataset = ds.dataDir().toString();
        cfg.batchSize = batchSize;
        String kind = model != null ? model : (f.shape().length == 3 ? "impala" : "mlp");
        Torch.init(1);
        try (OfflineLearner l = OfflineLearner.create(cfg, Agent.modelFor(obs, act, kind, cfg.hiddenFor(kind), 1), act,
            ai.djl.Device.cpu())) {
          l.step(s, rng); // warm-up
          long l0 = System.nanoTime();
          double sampleSecs = 0;
          for (int i = 0; i < learnerSteps; i++) {
            sampleSecs += l.step(s, rng).sampleSeconds;
          }
          double ls = (System.nanoTime() - l0) / 1e9;
          double learnRate = learnerSteps * (double) batchSize / ls;
          w.printf(Locale.ROOT, "learner: BC (%s, 1 torch thread, CPU) consumes %,.0f transitions/s; sampling is %.1fx "
                  + "faster; %.1f%% of each step is spent drawing the minibatch%n", kind, learnRate,
              sampleRate / learnRate, 100 * sampleSecs / ls);
          if (sequenceModel != null) {
            timeSequenceModel(ds, s, rng, act, learnerSteps / ls, kind, w);
          }
        }
      }
      w.flush();
      return 0;
    }
  }
}
