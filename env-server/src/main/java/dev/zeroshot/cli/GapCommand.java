package dev.zeroshot.cli;

import dev.zeroshot.agents.Evaluator;
import dev.zeroshot.agents.OfflineRun;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextOverrides;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.context.LevelRange;
import dev.zeroshot.offline.ProcgenScores;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot gap}: a checkpoint's return on its training levels and on unseen levels
 * (gen_dgrl's protocol: train 0-199, test from 250 on), raw and min-max normalized with
 * Procgen's easy- or hard-mode range, and the generalization gap (train - test).
 */
@Command(name = "gap", mixinStandardHelpOptions = true,
    description = "Evaluate a checkpoint on training and unseen levels; print raw and normalized returns and the gap.")
final class GapCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--checkpoint", required = true, description = "a checkpoint file or run folder (PPO or any offline algorithm)")
  Path checkpoint;

  @Option(names = "--env", description = "env id (default: the checkpoint's)")
  String envId;

  @Mixin
  ContextOption context;

  @Option(names = "--train-levels", paramLabel = "A:B|A:|N", converter = Converters.Levels.class,
      description = "training levels (default: ${DEFAULT-VALUE})")
  LevelRange trainLevels = new LevelRange(0, 200);

  @Option(names = "--test-levels", paramLabel = "A:B|A:|N", converter = Converters.Levels.class,
      description = "unseen levels (default: ${DEFAULT-VALUE}, every level from 250 on)")
  LevelRange testLevels = LevelRange.parse("250:");

  @Option(names = "--episodes", description = "episodes per split (default: ${DEFAULT-VALUE}, gen_dgrl's final evaluation)")
  int episodes = 100;

  @Option(names = "--seed", description = "seed of the envs and the action sampling (default: ${DEFAULT-VALUE})")
  long seed = 2_000_000;

  @Option(names = "--greedy", negatable = true, description = "take the most likely action (default: CQL, BCQ, IQL greedy; BC, DT, BCT, PPO sample)")
  Boolean greedy;

  @Option(names = "--solved-return", paramLabel = "R", description = "the return at which a level counts as solved "
      + "(default: the env's solved return, or Procgen easy mode's R_max)")
  Double solvedReturn;

  @Mixin
  DeviceOption device = new DeviceOption("cpu");

  @Option(names = "--out", description = "also write the numbers as CSV here")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (episodes < 1) {
      throw new IllegalArgumentException("--episodes must be >= 1, got " + episodes);
    }
    Path f = CheckpointPolicy.file(checkpoint);
    String id = envId;
    if (id == null) {
      id = dev.zeroshot.agents.OfflineCheckpoint.isOffline(f)
          ? dev.zeroshot.agents.OfflineCheckpoint.readHeader(f).config().envId
          : dev.zeroshot.agents.Checkpoint.readHeader(f).config().envId;
      if (id == null) {
        throw new IllegalArgumentException("the checkpoint does not name its env; pass --env");
      }
    }
    EnvSpec envSpec = EnvRegistry.builtin().spec(id);
    ContextOverrides overrides = context.overrides;
    boolean fromCheckpoint = overrides.isEmpty() && envId == null;
    if (fromCheckpoint) {
      overrides = trainedContext(f, envSpec.contextSpace()); // the levels' generator settings the policy trained under
    }
    Context train = overrides.resolve(envSpec.contextSpace(), trainLevels);
    Context test = overrides.resolve(envSpec.contextSpace(), testLevels);
    CheckpointPolicy.Loaded p = CheckpointPolicy.load(checkpoint, envSpec, device.name);
    boolean g = greedy != null ? greedy : p.greedy();
    PrintWriter w = spec.commandLine().getOut();
    try {
      w.printf("%s checkpoint %s on %s, %d episodes per split, %s actions%n", p.kind().toUpperCase(Locale.ROOT), f, id,
          episodes, g ? "greedy" : "sampled");
      if (fromCheckpoint && !overrides.isEmpty()) {
        w.printf("context %s, as the checkpoint trained (--context changes it)%n", overrides);
      }
      Evaluator.Returns tr = OfflineRun.evaluate(p.policy(), envSpec, train, episodes, seed, g);
      Evaluator.Returns te = OfflineRun.evaluate(p.policy(), envSpec, test, episodes, seed + 1, g);
      double ntr = ProcgenScores.normalize(id, tr.mean());
      double nte = ProcgenScores.normalize(id, te.mean());
      double solved = solvedReturn != null ? solvedReturn : dev.zeroshot.agents.Envs.successReturn(id);
      w.printf(Locale.ROOT, "%-8s %-12s %10s %8s %12s %10s %8s%n", "split", "levels", "return", "std", "normalized",
          "worst-10%", "solved");
      w.printf(Locale.ROOT, "%-8s %-12s %10.3f %8.3f %12s %10.3f %8s%n", "train", trainLevels, tr.mean(), tr.std(),
          fmt(ntr), tr.cvar10(), EvalCommand.share(tr.solvedShare(solved)));
      w.printf(Locale.ROOT, "%-8s %-12s %10.3f %8.3f %12s %10.3f %8s%n", "test", testLevels, te.mean(), te.std(),
          fmt(nte), te.cvar10(), EvalCommand.share(te.solvedShare(solved)));
      w.printf(Locale.ROOT, "gap (train - test): return %.3f, normalized %s%n", tr.mean() - te.mean(),
          fmt(ntr - nte));
      // XLand's measures on a line of their own, so the table above reads as it always did.
      w.printf(Locale.ROOT, "any reward (participation), return 10th / 50th percentile: train %s, %.3f / %.3f; "
          + "test %s, %.3f / %.3f%n", EvalCommand.share(tr.participation()), tr.p10(), tr.p50(),
          EvalCommand.share(te.participation()), te.p10(), te.p50());
      if (out != null) {
        Files.writeString(out, String.format(Locale.ROOT,
            "split,levels,episodes,mean_return,std_return,normalized,cvar10_return,solved_share,participation,"
                + "p10_return,p50_return%n"
                + "train,%s,%d,%.6f,%.6f,%s,%.6f,%s,%.6f,%.6f,%.6f%ntest,%s,%d,%.6f,%.6f,%s,%.6f,%s,%.6f,%.6f,%.6f%n",
            trainLevels, tr.episodes(), tr.mean(), tr.std(), fmt(ntr), tr.cvar10(), fmt(tr.solvedShare(solved)),
            tr.participation(), tr.p10(), tr.p50(),
            testLevels, te.episodes(), te.mean(), te.std(), fmt(nte), te.cvar10(), fmt(te.solvedShare(solved)),
            te.participation(), te.p10(), te.p50()),
            StandardCharsets.UTF_8);
        w.printf("wrote %s%n", out);
      }
      w.flush();
    } finally {
      p.policy().close();
    }
    return 0;
  }

  private static String fmt(double x) {
    return Double.isNaN(x) ? "n/a" : String.format(Locale.ROOT, "%.4f", x);
  }

  /**
   * The context features the checkpoint's run changed from its env's defaults, but its level
   * range (the splits set that): evaluating without them would test another generator (a
   * 9x9 maze policy on 15x15 mazes).
   */
  static ContextOverrides trainedContext(Path f, ContextSpace space) throws IOException {
    Map<String, Double> m = new LinkedHashMap<>();
    if (dev.zeroshot.agents.OfflineCheckpoint.isOffline(f)) {
      m.putAll(dev.zeroshot.agents.OfflineCheckpoint.readHeader(f).config().context.toMap());
    } else {
      Context c = dev.zeroshot.agents.Checkpoint.readHeader(f).config().context;
      if (c != null) {
        m.putAll(c.changes().toMap());
      }
    }
    m.remove("start_level");
    m.remove("num_levels");
    return space.with(m).changes();
  }
}
