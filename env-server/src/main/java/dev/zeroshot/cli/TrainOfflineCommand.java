package dev.zeroshot.cli;

import dev.zeroshot.agents.OfflineConfig;
import dev.zeroshot.agents.OfflineRun;
import dev.zeroshot.env.context.LevelRange;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What {@code zeroshot train bc}, {@code cql}, {@code bcq}, {@code iql}, {@code dt} and {@code bct} share: dataset, network, schedule, run folder. */
abstract class TrainOfflineCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--dataset", paramLabel = "ID|DIR",
      description = "a dataset id (NAMESPACE/NAME-vN, under --root) or a dataset folder")
  String dataset;

  @Mixin
  DatasetsRootOption root;

  @Option(names = "--out", description = "run folder to create")
  Path out;

  @Option(names = "--resume", paramLabel = "DIR", description = "continue the run in DIR from its checkpoint (--steps may raise its total)")
  Path resume;

  @Option(names = "--env", description = "env to evaluate in (default: the dataset's)")
  String envId;

  @Option(names = "--eval-levels", paramLabel = "A:B|A:|N", converter = Converters.Levels.class,
      description = "levels evaluated during training (default: the dataset's)")
  LevelRange evalLevels;

  @Option(names = "--model", description = "mlp, impala, or impala/N (IMPALA on the frame average-pooled N x N first) (default: impala for images, mlp for vectors)")
  String model;

  @Option(names = "--hidden", split = ",", description = "MLP widths, or IMPALA channels then fc width (default: 64,64 / 16,32,32,256)")
  int[] hidden;

  @Option(names = "--steps", description = "gradient steps (default: 10000)")
  Long steps;

  @Option(names = "--batch-size", description = "minibatch size (default: ${DEFAULT-VALUE}, gen_dgrl's)")
  int batchSize = 256;

  @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE}, gen_dgrl's)")
  double lr = 5e-4;

  @Option(names = "--seed", description = "seed of the weights, the sampling and the evaluation (default: ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(names = "--eval-every", description = "gradient steps between evaluations, 0 = only at the end (default: ${DEFAULT-VALUE})")
  int evalEvery = 1000;

  @Option(names = "--eval-episodes", description = "episodes per evaluation (default: ${DEFAULT-VALUE})")
  int evalEpisodes = 10;

  @Option(names = "--log-every", description = "gradient steps per metrics row (default: ${DEFAULT-VALUE})")
  int logEvery = 100;

  @Option(names = "--checkpoint-every", description = "gradient steps between checkpoints (default: ${DEFAULT-VALUE})")
  int checkpointEvery = 1000;

  @Mixin
  DeviceOption device = new DeviceOption("auto");

  @Option(names = "--torch-threads", description = "torch intra-op threads (default: ${DEFAULT-VALUE})")
  int torchThreads = 1;

  @Mixin
  ProgressOption progress;

  /** The algorithm: the subcommand's name (bc, cql, bcq, iql, dt or bct). */
  final String algo() {
    return spec.name();
  }

  void configure(OfflineConfig cfg) {}

  @Override
  public Integer call() throws IOException {
    OfflineRun.Options opt = new OfflineRun.Options();
    opt.progressBar = progress.on();
    if (resume != null) {
      if (dataset != null || out != null) {
        throw new IllegalArgumentException("--resume takes the dataset and folder from the run; drop --dataset and --out");
      }
      String algoInRun = dev.zeroshot.agents.OfflineCheckpoint.readHeader(resume.resolve("checkpoint.ckpt")).config().algo;
      if (!algoInRun.equals(algo())) {
        throw new IllegalArgumentException(resume + " is a " + algoInRun + " run; resume it with 'zeroshot train " + algoInRun + "'");
      }
      report(OfflineRun.resume(resume, steps, device.name, opt), resume);
      return 0;
    }
    if (dataset == null || out == null) {
      throw new IllegalArgumentException("--dataset and --out are required (or --resume DIR)");
    }
    OfflineConfig cfg = new OfflineConfig();
    cfg.algo = algo();
    root.open(dataset); // a missing or unreadable dataset is one error line before any training starts
    cfg.dataset = root.dataDir(dataset).toString();
    cfg.envId = envId;
    cfg.evalLevels = evalLevels;
    cfg.model = model;
    cfg.hidden = hidden;
    cfg.steps = steps != null ? steps : 10_000;
    cfg.batchSize = batchSize;
    cfg.learningRate = lr;
    cfg.seed = seed;
    cfg.evalEvery = evalEvery;
    cfg.evalEpisodes = evalEpisodes;
    cfg.logEvery = logEvery;
    cfg.checkpointEvery = checkpointEvery;
    cfg.device = device.name;
    cfg.torchThreads = torchThreads;
    configure(cfg);
    report(OfflineRun.train(cfg, out, opt), out);
    return 0;
  }

  private void report(OfflineRun.Result r, Path out) {
    PrintWriter w = spec.commandLine().getOut();
    w.printf(Locale.ROOT, "%s: %d gradient steps in %.1f s (%,.0f samples/s, %.1f%% of the time drawing minibatches); "
            + "eval return %.3f%s on %s levels %s%n", algo().toUpperCase(Locale.ROOT), r.steps(), r.seconds(),
        r.samplesPerSecond(), 100 * r.sampleFraction(), r.evalReturn(),
        Double.isNaN(r.evalNormalized()) ? "" : String.format(Locale.ROOT, " (normalized %.3f)", r.evalNormalized()),
        r.envId(), r.evalLevels() == null ? "(default)" : r.evalLevels());
    w.printf("run folder %s%n", out);
    w.flush();
  }

  @Command(name = "bc", mixinStandardHelpOptions = true,
      description = "Behavioural cloning (cross-entropy on the dataset's actions) from an offline dataset; writes a run folder.")
  static final class Bc extends TrainOfflineCommand {}

  /** The learners with a Q target: its discount and how often the target network is copied. */
  abstract static class ValueLearner extends TrainOfflineCommand {
    @Option(names = "--gamma", description = "discount (default: ${DEFAULT-VALUE})")
    double gamma = 0.99;

    @Option(names = "--target-update-every", description = "gradient steps between target copies (default: ${DEFAULT-VALUE})")
    int targetUpdateEvery = 1000;

    @Override
    void configure(OfflineConfig cfg) {
      cfg.gamma = gamma;
      cfg.targetUpdateEvery = targetUpdateEvery;
    }
  }

  @Command(name = "cql", mixinStandardHelpOptions = true,
      description = "Discrete CQL (Double-DQN smooth-L1 + alpha * (logsumexp Q - Q(a))) from an offline dataset; writes a run folder.")
  static final class Cql extends ValueLearner {
    @Option(names = "--alpha", description = "CQL alpha (default: ${DEFAULT-VALUE}, gen_dgrl's)")
    double alpha = 4.0;

    @Override
    void configure(OfflineConfig cfg) {
      cfg.cqlAlpha = alpha;
      super.configure(cfg);
    }
  }

  @Command(name = "bcq", mixinStandardHelpOptions = true,
      description = "Discrete BCQ (Q-learning over the actions an imitation network supports) from an offline dataset; writes a run folder.")
  static final class Bcq extends ValueLearner {
    @Option(names = "--threshold", description = "mask actions below this fraction of the best action's probability (default: ${DEFAULT-VALUE}, gen_dgrl's)")
    double threshold = 0.5;

    @Override
    void configure(OfflineConfig cfg) {
      cfg.bcqThreshold = threshold;
      super.configure(cfg);
    }
  }

  /** DT and BCT: gen_dgrl's GPT (6 layers, 8 heads, width 128) over windows of steps; batch 512 as gen_dgrl's. */
  abstract static class SequenceModel extends TrainOfflineCommand {
    SequenceModel() {
      batchSize = 512; // gen_dgrl's final dt.json and bct.json
    }

    @Option(names = "--context", description = "steps per window, in training and evaluation (default: ${DEFAULT-VALUE}, gen_dgrl's)")
    int context = 10;

    @Option(names = "--layers", description = "transformer blocks (default: ${DEFAULT-VALUE})")
    int layers = 6;

    @Option(names = "--heads", description = "attention heads per block (default: ${DEFAULT-VALUE})")
    int heads = 8;

    @Option(names = "--embedding", description = "token embedding width, a multiple of --heads (default: ${DEFAULT-VALUE})")
    int embedding = 128;

    @Override
    void configure(OfflineConfig cfg) {
      cfg.contextLength = context;
      cfg.transformerLayers = layers;
      cfg.transformerHeads = heads;
      cfg.embeddingWidth = embedding;
    }
  }

  @Command(name = "dt", mixinStandardHelpOptions = true,
      description = "Decision Transformer (a GPT over return-to-go, state and action tokens, trained to predict each action) "
          + "from an offline dataset; writes a run folder.")
  static final class Dt extends SequenceModel {
    @Option(names = "--return-multiplier", description = "evaluation return-to-go as a multiple of the dataset's best "
        + "episode return (default: ${DEFAULT-VALUE}, gen_dgrl's)")
    double returnMultiplier = 5;

    @Override
    void configure(OfflineConfig cfg) {
      cfg.returnMultiplier = returnMultiplier;
      super.configure(cfg);
    }
  }

  @Command(name = "bct", mixinStandardHelpOptions = true,
      description = "BCT: the Decision Transformer's GPT without returns (state and action tokens), behaviour cloning over "
          + "windows of steps (gen_dgrl's context: 10 or 30); writes a run folder.")
  static final class Bct extends SequenceModel {}

  @Command(name = "iql", mixinStandardHelpOptions = true,
      description = "Discrete IQL (expectile V, twin Q on r + gamma V(s'), advantage-weighted actor) from an offline dataset; writes a run folder.")
  static final class Iql extends ValueLearner {
    Iql() {
      targetUpdateEvery = 100; // gen_dgrl's for IQL
    }

    @Option(names = "--expectile", description = "expectile of the value loss (default: ${DEFAULT-VALUE}, gen_dgrl's)")
    double expectile = 0.8;

    @Option(names = "--temperature", description = "beta of the actor's weights exp(beta A) (default: ${DEFAULT-VALUE}, gen_dgrl's)")
    double temperature = 3.0;

    @Override
    void configure(OfflineConfig cfg) {
      cfg.iqlExpectile = expectile;
      cfg.iqlTemperature = temperature;
      super.configure(cfg);
    }
  }
}
