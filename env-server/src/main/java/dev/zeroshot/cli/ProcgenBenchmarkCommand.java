package dev.zeroshot.cli;

import dev.zeroshot.agents.Checkpoint;
import dev.zeroshot.agents.Envs;
import dev.zeroshot.agents.Evaluator;
import dev.zeroshot.agents.OfflineRun;
import dev.zeroshot.agents.PpoConfig;
import dev.zeroshot.agents.PpoRun;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.context.LevelRange;
import dev.zeroshot.env.procgen.DistributionMode;
import dev.zeroshot.env.procgen.ProcgenIds;
import dev.zeroshot.env.procgen.ProcgenSuite;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot procgen-benchmark}: the Procgen generalization benchmark. Per game, trains PPO
 * with the Procgen paper's settings (or takes a given checkpoint) on the training levels, then
 * evaluates it on those levels and on unseen ones, and prints the per-game and mean normalized
 * return (train, test, gap) as papers report it, with a CSV and a bar chart.
 */
@Command(name = "procgen-benchmark", mixinStandardHelpOptions = true,
    description = "Train PPO per Procgen game (or evaluate given checkpoints) and print the normalized return on "
        + "training and unseen levels per game and their mean; writes benchmark.csv and benchmark.png to --out.")
final class ProcgenBenchmarkCommand implements Callable<Integer> {

  static final String CSV = "benchmark.csv";
  static final String CHART = "benchmark.png";

  @Spec
  CommandSpec spec;

  @Option(names = "--out", required = true, description = "folder for the per-game run folders, " + CSV + " and " + CHART)
  Path out;

  @Option(names = "--games", split = ",", description = "games to run (default: every Procgen game)")
  List<String> games;

  @Option(names = "--mode", description = "easy or hard: the ids, the paper's budget and levels, and the R_min/R_max "
      + "used (default: ${DEFAULT-VALUE})")
  String mode = "easy";

  @Option(names = "--checkpoints", paramLabel = "DIR", description = "evaluate DIR/GAME (a PPO run folder per game) "
      + "instead of training")
  Path checkpoints;

  @Option(names = "--train-levels", paramLabel = "A:B|A:|N", converter = Converters.Levels.class,
      description = "training levels (default: the paper's, 0:200 easy, 0:500 hard)")
  LevelRange trainLevels;

  @Option(names = "--test-levels", paramLabel = "A:B|A:|N", converter = Converters.Levels.class,
      description = "unseen levels (default: every level after the training levels)")
  LevelRange testLevels;

  @Option(names = "--steps", description = "env steps of training per game (default: the paper's, 25M easy, 200M hard)")
  Long steps;

  @Option(names = "--num-envs", description = "envs stepped together in training (default: the paper's 64)")
  Integer numEnvs;

  @Option(names = "--num-steps", description = "steps per env per rollout (default: the paper's 256)")
  Integer numSteps;

  @Option(names = "--minibatches", description = "minibatches per epoch (default: the paper's 8)")
  Integer minibatches;

  @Option(names = "--threads", description = "torch intra-op threads (default: 1)")
  Integer threads;

  @Option(names = "--seed", description = "seed of training: envs, weights, sampling (default: ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(names = "--episodes", description = "evaluation episodes per game and split (default: ${DEFAULT-VALUE})")
  int episodes = 100;

  @Option(names = "--eval-seed", description = "seed of the evaluation envs and action sampling, test split +1 "
      + "(default: ${DEFAULT-VALUE}, as 'zeroshot gap')")
  long evalSeed = 2_000_000;

  @Mixin
  DeviceOption device = new DeviceOption("auto");

  @Mixin
  ProgressOption progress;

  @Override
  public Integer call() throws IOException {
    DistributionMode m = DistributionMode.parse(mode);
    if (m != DistributionMode.EASY && m != DistributionMode.HARD) {
      throw new IllegalArgumentException("--mode must be easy or hard (the modes the Procgen paper normalizes), got " + mode);
    }
    if (episodes < 1) {
      throw new IllegalArgumentException("--episodes must be >= 1, got " + episodes);
    }
    LevelRange train = trainLevels != null ? trainLevels : new LevelRange(0, m == DistributionMode.EASY ? 200 : 500);
    LevelRange test = testLevels != null ? testLevels : LevelRange.parse(train.end() + ":");
    List<String> chosen = games();
    for (String g : chosen) { // refuse a bad folder before any game trains
      Path dir = out.resolve(g);
      if (checkpoints == null && Files.exists(dir.resolve(PpoRun.CHECKPOINT))) {
        throw new IllegalArgumentException(dir + " already holds a run; evaluate it with --checkpoints " + out
            + " or choose another --out");
      }
      if (checkpoints != null && !Files.isRegularFile(checkpoints.resolve(g).resolve(PpoRun.CHECKPOINT))) {
        throw new IllegalArgumentException("--checkpoints " + checkpoints + ": no " + g + "/" + PpoRun.CHECKPOINT
            + " (a PPO run folder per game)");
      }
    }
    Files.createDirectories(out);
    PrintWriter w = spec.commandLine().getOut();
    w.printf("procgen-benchmark: %d game(s), %s mode, %s; train levels %s, test levels %s, %d episodes per split%n",
        chosen.size(), m.id(), checkpoints == null ? "training PPO per game" : "checkpoints from " + checkpoints,
        train, test, episodes);
    w.flush();
    ProcgenBenchmarkTable table = new ProcgenBenchmarkTable(train.toString(), test.toString());
    for (String g : chosen) {
      String id = ProcgenSuite.id(g, m);
      EnvSpec envSpec = EnvRegistry.builtin().spec(id);
      Path run = checkpoints == null ? train(id, envSpec, train, out.resolve(g), w) : checkpoints.resolve(g);
      ProcgenBenchmarkTable.Row row = evaluate(g, id, envSpec, run, train, test);
      table.add(row);
      w.printf(Locale.ROOT, "%s: train return %.3f, test return %.3f%n", id, row.train().mean(), row.test().mean());
      w.flush();
    }
    table.print(w);
    table.writeCsv(out.resolve(CSV));
    boolean chart = table.writeChartOrWarn(out.resolve(CHART),
        "Procgen " + m.id() + ": normalized return on training and unseen levels", System.err);
    w.printf("wrote %s%s%n", out.resolve(CSV), chart ? " and " + out.resolve(CHART) : "");
    w.flush();
    return 0;
  }

  /** --games, checked against the registered games, or every game. */
  private List<String> games() {
    List<String> known = ProcgenIds.games(EnvRegistry.builtin());
    if (games == null) {
      return known;
    }
    List<String> chosen = new ArrayList<>();
    for (String g : games) {
      String name = g.strip();
      if (!known.contains(name)) {
        throw new IllegalArgumentException("--games: unknown game '" + name + "'; games: " + String.join(", ", known));
      }
      if (!chosen.contains(name)) {
        chosen.add(name);
      }
    }
    return chosen;
  }

  /** PPO with the Procgen paper's settings (PpoConfig.procgen) and the given changes, on the training levels. */
  private Path train(String id, EnvSpec envSpec, LevelRange train, Path dir, PrintWriter w) throws IOException {
    PpoConfig cfg = PpoConfig.procgen();
    cfg.envId = id;
    cfg.context = train.apply(envSpec.contextSpace().defaults());
    cfg.seed = seed;
    cfg.device = device.name;
    cfg.totalTimesteps = steps != null ? steps : ProcgenIds.mode(id) == DistributionMode.EASY ? 25_000_000L : 200_000_000L;
    if (numEnvs != null) {
      cfg.numEnvs = numEnvs;
    }
    if (numSteps != null) {
      cfg.numSteps = numSteps;
    }
    if (minibatches != null) {
      cfg.numMinibatches = minibatches;
    }
    if (threads != null) {
      cfg.torchThreads = threads;
    }
    PpoRun.Options opt = new PpoRun.Options();
    opt.progressBar = progress.on();
    opt.device = device.name;
    PpoRun.Result r = PpoRun.train(cfg, dir, Envs::local, opt);
    w.printf(Locale.ROOT, "%s: trained %d steps in %.1f s (%.0f steps/s), run folder %s%n", id, r.globalStep(),
        r.seconds(), r.stepsPerSecond(), dir);
    return dir;
  }

  /** The run's checkpoint on both splits, sampling its actions as 'zeroshot gap' does for PPO. */
  private ProcgenBenchmarkTable.Row evaluate(String game, String id, EnvSpec envSpec, Path run, LevelRange train,
      LevelRange test) throws IOException {
    Path f = CheckpointPolicy.file(run);
    String trainedOn = Checkpoint.readHeader(f).config().envId;
    if (!id.equals(trainedOn)) {
      throw new IllegalArgumentException(f + " was trained on " + trainedOn + ", not " + id);
    }
    CheckpointPolicy.Loaded p = CheckpointPolicy.load(run, envSpec, device.name);
    try {
      Evaluator.Returns tr = OfflineRun.evaluate(p.policy(), envSpec, train.apply(envSpec.contextSpace().defaults()),
          episodes, evalSeed, false);
      Evaluator.Returns te = OfflineRun.evaluate(p.policy(), envSpec, test.apply(envSpec.contextSpace().defaults()),
          episodes, evalSeed + 1, false);
      return new ProcgenBenchmarkTable.Row(game, id, tr, te);
    } finally {
      p.policy().close();
    }
  }
}
