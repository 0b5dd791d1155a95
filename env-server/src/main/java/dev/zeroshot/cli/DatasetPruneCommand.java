package dev.zeroshot.cli;

import dev.zeroshot.offline.Dataset;
import dev.zeroshot.offline.DatasetId;
import dev.zeroshot.offline.DatasetPruner;
import dev.zeroshot.offline.DatasetScores;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code zeroshot dataset prune}: writes a new dataset holding the share of a dataset's
 * transitions or episodes a rule keeps ({@link DatasetPruner}); the parent is only read. The
 * el2n and grand rules read the scores {@code zeroshot dataset score} wrote; return, length and
 * random need none.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = "Write a new dataset keeping a share of this one's transitions or episodes, by score or at random.")
final class DatasetPruneCommand extends DatasetCommand.Base implements Callable<Integer> {

  @Parameters(index = "1", paramLabel = "NEW_ID", description = "the new dataset's id (NAMESPACE/NAME-vN, under --root)")
  String newId;

  @Option(names = "--keep", required = true, description = "the share kept, in (0, 1]")
  double keep;

  @Option(names = "--by", required = true, description = "el2n, grand, random, return or length")
  String by;

  @Option(names = "--unit", description = "transition or episode (default: ${DEFAULT-VALUE})")
  String unit = "transition";

  @Option(names = "--keep-lowest", description = "keep the lowest scores instead of the highest")
  boolean lowest;

  @Option(names = "--seed", description = "the random rule's seed (default: ${DEFAULT-VALUE})")
  long seed = 1;

  @Override
  public Integer call() throws IOException {
    DatasetPruner.Unit u = switch (unit) {
      case "transition" -> DatasetPruner.Unit.TRANSITION;
      case "episode" -> DatasetPruner.Unit.EPISODE;
      default -> throw new IllegalArgumentException("--unit must be transition or episode, got '" + unit + "'");
    };
    DatasetPruner.Rule rule = new DatasetPruner.Rule(keep, by, u, lowest, seed);
    DatasetId id = DatasetId.parse(newId);
    Dataset parent = open();
    double[] scores = switch (by) {
      case "random" -> null;
      case "return", "length" -> DatasetScores.ofEpisodes(parent, by).transitions();
      default -> DatasetScores.read(parent, by).transitions();
    };
    DatasetPruner.Result r = DatasetPruner.prune(parent, scores, rule, id, id.dataDir(root.dir()));
    PrintWriter w = spec.commandLine().getOut();
    w.printf(Locale.ROOT, "%s: %s of %s: kept %,d of %,d %ss; %d episodes, %,d transitions%n", id.id(), rule.describe(),
        parent.id(), r.kept(), r.items(), unit, r.episodes(), r.steps());
    w.flush();
    return 0;
  }
}
