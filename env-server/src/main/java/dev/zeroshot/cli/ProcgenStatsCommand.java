package dev.zeroshot.cli;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.context.LevelRange;
import dev.zeroshot.env.procgen.ProcgenIds;
import dev.zeroshot.env.procgen.RandomPolicyStats;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot procgen-stats [IDS...]}: a uniformly random policy's mean episode length,
 * mean return and share of completed levels per Procgen id (issue 14's table; Procgen C++'s
 * figures for the same protocol are in docs/procgen.md).
 */
@Command(name = "procgen-stats", mixinStandardHelpOptions = true,
    description = "Run a uniformly random policy on Procgen ids and print the mean episode length, mean return and "
        + "share of episodes that complete the level.")
final class ProcgenStatsCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "ID|GAME", arity = "0..*",
      description = "Procgen ids (procgen/maze-easy-v0) or games (maze: every mode of it); default: every Procgen id")
  List<String> names = List.of();

  @Option(names = "--episodes", description = "episodes per id (default: ${DEFAULT-VALUE})")
  int episodes = 400;

  @Option(names = "--levels", paramLabel = "A:B|A:|N", converter = Converters.Levels.class,
      description = "levels the episodes draw from (default: ${DEFAULT-VALUE}, levels 0-999)")
  LevelRange levels = new LevelRange(0, 1000);

  @Option(names = "--seed", description = "seed of the level draws and of the random policy (default: ${DEFAULT-VALUE})")
  long seed = 0;

  @Mixin
  ContextOption context;

  @Override
  public Integer call() {
    if (episodes < 1) {
      throw new IllegalArgumentException("--episodes must be >= 1, got " + episodes);
    }
    List<String> ids = ids();
    PrintWriter out = spec.commandLine().getOut();
    out.printf("procgen-stats: uniformly random policy, %d episodes per id on levels %s, seed %d%n", episodes, levels,
        seed);
    out.printf("%-30s %9s %12s %12s %10s%n", "env", "episodes", "mean length", "mean return", "completed");
    out.flush();
    for (String id : ids) {
      EnvSpec envSpec = EnvRegistry.builtin().spec(id);
      RandomPolicyStats.Result r = RandomPolicyStats.run(envSpec, context.resolve(envSpec, levels), episodes, seed);
      out.printf(Locale.ROOT, "%-30s %9d %12.1f %12.3f %9.1f%%%n", id, r.episodes(), r.meanLength(), r.meanReturn(),
          100 * r.completedShare());
      out.flush();
    }
    return 0;
  }

  /** The ids the arguments name, in their order: each an id, or a game standing for all its ids. */
  private List<String> ids() {
    List<String> all = ProcgenIds.pixelIds(EnvRegistry.builtin());
    if (names.isEmpty()) {
      return all;
    }
    List<String> ids = new ArrayList<>();
    for (String n : names) {
      if (all.contains(n) || isSymbolicId(n)) {
        ids.add(n); // a symbolic twin plays the same levels and rules, seen as a grid
        continue;
      }
      List<String> ofGame = all.stream().filter(id -> ProcgenIds.game(id).equals(n)).toList();
      if (ofGame.isEmpty()) {
        throw new IllegalArgumentException("'" + n + "' is neither a Procgen id (pixel or symbolic) nor a game; games: "
            + String.join(", ", ProcgenIds.games(EnvRegistry.builtin())) + " (ids: see 'zeroshot envs')");
      }
      ids.addAll(ofGame);
    }
    return ids;
  }

  private static boolean isSymbolicId(String n) {
    return n.startsWith("procgen/") && n.contains("-symbolic")
        && EnvRegistry.builtin().specs().stream().anyMatch(spec -> spec.id().equals(n));
  }
}
