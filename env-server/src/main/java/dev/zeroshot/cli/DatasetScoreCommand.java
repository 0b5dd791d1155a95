package dev.zeroshot.cli;

import ai.djl.Device;
import dev.zeroshot.agents.Agent;
import dev.zeroshot.agents.ExampleScores;
import dev.zeroshot.agents.OfflineCheckpoint;
import dev.zeroshot.agents.OfflineConfig;
import dev.zeroshot.agents.OfflineLearner;
import dev.zeroshot.agents.Torch;
import dev.zeroshot.agents.nn.ActorCritic;
import dev.zeroshot.agents.nn.ModelSpec;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.offline.Dataset;
import dev.zeroshot.offline.DatasetScores;
import dev.zeroshot.offline.ObservationFormat;
import dev.zeroshot.offline.TransitionSampler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code zeroshot dataset score}: Data Diet scores of every transition (and episode) of a
 * dataset, written to {@code <root>/<id>/scores/} ({@link DatasetScores}); the episodes are
 * only read. EL2N and GraNd are averaged over several BC networks: the checkpoints given, or
 * networks of {@code --seeds} seeds trained here for {@code --epochs} epochs (EL2N: a few;
 * GraNd: 0, at initialization).
 */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Score each transition and episode (Data Diet: el2n, grand; or the episode's return or length) into a file beside the dataset.")
final class DatasetScoreCommand extends DatasetCommand.Base implements Callable<Integer> {

  @Option(names = "--method", required = true, description = "el2n, grand, return or length")
  String method;

  @Option(names = "--checkpoint", paramLabel = "FILE|DIR",
      description = "a BC checkpoint or run folder to score with (repeat it to average over several); default: train --seeds networks here")
  List<Path> checkpoints = new ArrayList<>();

  @Option(names = "--seeds", description = "networks averaged over when no checkpoint is given (default: ${DEFAULT-VALUE})")
  int seeds = 3;

  @Option(names = "--seed", description = "the first network's seed (weights and minibatches) (default: ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(names = "--epochs", description = "BC epochs before scoring when no checkpoint is given (default: 2 for el2n, 0 for grand)")
  Double epochs;

  @Option(names = "--model", description = "mlp, impala or impala/N (default: impala for images, mlp for vectors)")
  String model;

  @Option(names = "--hidden", split = ",", description = "MLP widths, or IMPALA channels then fc width")
  int[] hidden;

  @Option(names = "--batch-size", description = "BC training minibatch (default: ${DEFAULT-VALUE})")
  int batchSize = 256;

  @Option(names = "--lr", description = "BC learning rate (default: ${DEFAULT-VALUE})")
  double lr = 5e-4;

  @Option(names = "--score-batch", description = "states per forward pass when scoring EL2N (default: ${DEFAULT-VALUE})")
  int scoreBatch = 256;

  @Option(names = "--torch-threads", description = "torch intra-op threads (default: ${DEFAULT-VALUE})")
  int torchThreads = 1;

  @Override
  public Integer call() throws IOException {
    if (!DatasetScores.METHODS.contains(method)) {
      throw new IllegalArgumentException("--method must be one of " + String.join(", ", DatasetScores.METHODS) + ", got '"
          + method + "'");
    }
    Dataset ds = open();
    if (!ds.problems().isEmpty()) {
      throw new IllegalArgumentException(ds.id() + " has unreadable episodes (" + ds.problems().get(0).getMessage()
          + "); run 'zeroshot dataset verify'");
    }
    PrintWriter w = spec.commandLine().getOut();
    long t0 = System.nanoTime();
    DatasetScores scores;
    String provenance;
    double scoringSeconds;
    int models = 1;
    if (method.equals("return") || method.equals("length")) {
      if (!checkpoints.isEmpty()) {
        throw new IllegalArgumentException("--method " + method + " is read from the episodes; it takes no --checkpoint");
      }
      scores = DatasetScores.ofEpisodes(ds, method);
      provenance = "each transition carries its episode's " + method;
      scoringSeconds = (System.nanoTime() - t0) / 1e9;
    } else {
      if (seeds < 1 || scoreBatch < 1 || batchSize < 1 || (epochs != null && !(epochs >= 0))) {
        throw new IllegalArgumentException("--seeds, --score-batch and --batch-size must be >= 1 and --epochs >= 0");
      }
      Torch.init(torchThreads);
      double[] sum = new double[Math.toIntExact(ds.totalSteps())];
      scoringSeconds = 0;
      List<Path> files = checkpoints.stream().map(CheckpointPolicy::file).toList();
      for (Path f : files) {
        checkSpaces(f, ds); // every checkpoint before any scoring
      }
      if (!files.isEmpty()) {
        for (Path f : files) {
          try (Agent a = OfflineCheckpoint.loadAgent(f, new Discrete(ds.actionCount()), Device.cpu())) {
            long s0 = System.nanoTime();
            add(sum, score(ds, a.net()));
            scoringSeconds += (System.nanoTime() - s0) / 1e9;
          }
        }
        provenance = "mean over " + files.size() + " checkpoint(s) " + files;
      } else {
        double e = epochs != null ? epochs : method.equals("el2n") ? 2 : 0;
        long steps = (long) Math.ceil(e * ds.totalSteps() / batchSize);
        String kind = model != null ? model : ds.observationFormat().shape().length == 3 ? "impala" : "mlp";
        for (int k = 0; k < seeds; k++) {
          try (OfflineLearner l = trainBc(ds, kind, seed + k, steps)) {
            long s0 = System.nanoTime();
            add(sum, score(ds, l.agent().net()));
            scoringSeconds += (System.nanoTime() - s0) / 1e9;
          }
        }
        int[] widths = hidden != null ? hidden : new OfflineConfig().hiddenFor(kind);
        provenance = String.format(Locale.ROOT, "mean over %d BC networks (%s %s, seeds %d-%d) after %s epochs "
            + "(%d steps of batch %d, lr %s)", seeds, kind, Arrays.toString(widths), seed, seed + seeds - 1, e, steps,
            batchSize, lr);
      }
      models = files.isEmpty() ? seeds : files.size();
      for (int i = 0; i < sum.length; i++) {
        sum[i] /= models;
      }
      scores = new DatasetScores(method, sum);
    }
    scores.write(ds, provenance);
    double total = (System.nanoTime() - t0) / 1e9;
    double[] s = scores.transitions();
    double mean = Arrays.stream(s).average().orElse(Double.NaN);
    w.printf(Locale.ROOT, "%s: %,d transitions of %d episodes scored (mean %.4f, min %.4f, max %.4f) in %.1f s; "
            + "scoring %.1f s = %,.0f transitions/s per network%n", method, s.length, ds.episodes().size(), mean,
        Arrays.stream(s).min().orElse(Double.NaN), Arrays.stream(s).max().orElse(Double.NaN), total, scoringSeconds,
        s.length * (double) models / Math.max(scoringSeconds, 1e-9));
    w.printf("wrote %s and %s%n", DatasetScores.transitionsFile(ds, method), DatasetScores.episodesFile(ds, method));
    w.flush();
    return 0;
  }

  private double[] score(Dataset ds, ActorCritic net) throws IOException {
    return method.equals("el2n") ? ExampleScores.el2n(ds, net, scoreBatch) : ExampleScores.grand(ds, net);
  }

  /** A BC learner of {@code seed} after {@code steps} gradient steps on {@code ds}. */
  private OfflineLearner trainBc(Dataset ds, String kind, long seed, long steps) throws IOException {
    OfflineConfig cfg = new OfflineConfig();
    cfg.algo = "bc";
    cfg.dataset = ds.dataDir().toString();
    cfg.model = kind;
    cfg.hidden = hidden;
    cfg.batchSize = batchSize;
    cfg.learningRate = lr;
    cfg.seed = seed;
    cfg.torchThreads = torchThreads;
    ModelSpec spec = Agent.modelFor(observationSpace(ds.observationFormat()), new Discrete(ds.actionCount()), kind,
        cfg.hiddenFor(kind), seed);
    OfflineLearner l = OfflineLearner.create(cfg, spec, new Discrete(ds.actionCount()), Device.cpu());
    try {
      TransitionSampler sampler = new TransitionSampler(ds, cfg.maxMapped, true, System.err);
      SplittableRandom rng = new SplittableRandom(seed);
      for (long i = 0; i < steps; i++) {
        l.step(sampler, rng);
      }
      return l;
    } catch (IOException | RuntimeException e) {
      l.close();
      throw e;
    }
  }

  /** A checkpoint must be BC's and read the dataset's observations and actions. */
  private static void checkSpaces(Path file, Dataset ds) throws IOException {
    OfflineCheckpoint.Header h;
    try {
      h = OfflineCheckpoint.readHeader(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("--checkpoint " + file + " is not an offline checkpoint (" + e.getMessage() + ")", e);
    }
    if (!h.config().algo.equals("bc")) {
      throw new IllegalArgumentException("--checkpoint " + file + " is a " + h.config().algo + " checkpoint; scoring needs"
          + " BC's policy (its logits are action probabilities)");
    }
    ModelSpec m = h.model();
    ObservationFormat f = ds.observationFormat();
    boolean image = f.dtype() == DType.UINT8;
    if (!Arrays.equals(m.observationShape(), f.shape()) || m.imageInput() != image || m.policyOutputs() != ds.actionCount()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "--checkpoint %s takes %s %s observations and %d "
              + "actions, but %s has %s %s observations and %d actions", file, Arrays.toString(m.observationShape()),
          m.imageInput() ? "uint8" : "float32", m.policyOutputs(), ds.id(), Arrays.toString(f.shape()),
          f.dtype().numpyName(), ds.actionCount()));
    }
  }

  private static Box observationSpace(ObservationFormat f) {
    return f.dtype() == DType.UINT8 ? Box.uniform(0, 255, f.shape(), DType.UINT8)
        : Box.uniform(-1e30, 1e30, f.shape(), DType.FLOAT32);
  }

  private static void add(double[] sum, double[] s) {
    for (int i = 0; i < sum.length; i++) {
      sum[i] += s[i];
    }
  }
}
