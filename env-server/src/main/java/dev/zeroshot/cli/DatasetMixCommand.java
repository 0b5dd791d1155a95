package dev.zeroshot.cli;

import dev.zeroshot.offline.DatasetId;
import dev.zeroshot.offline.DatasetMixer;
import java.io.IOException;
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
 * {@code zeroshot dataset mix}: gen_dgrl's "mixed" data, a new dataset whose episodes come
 * from two or more datasets of one env in given shares ({@link DatasetMixer}); the parents are
 * only read.
 */
@Command(name = "mix", mixinStandardHelpOptions = true,
    description = {"Write a new dataset mixing the episodes of datasets of one env by episode share: gen_dgrl's "
        + "\"mixed\" data is an expert's episodes and those of a policy of about 75%% of its return, e.g.",
        "  zeroshot dataset mix ns/mixed-v0 --part ns/expert-v0=0.5 --part ns/medium-v0=0.5"})
final class DatasetMixCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NEW_ID", description = "the new dataset's id (NAMESPACE/NAME-vN, under --root)")
  String newId;

  @Option(names = "--part", required = true, paramLabel = "ID|DIR=SHARE",
      description = "a parent dataset and its share of the episodes, in (0, 1]; two or more, the shares summing to 1")
  List<String> parts;

  @Option(names = "--episodes", description = "episodes in the mixture (default: the most the parents fill at these "
      + "shares without repeating an episode)")
  Integer episodes;

  @Option(names = "--seed", description = "seed of which episodes each parent gives (default: ${DEFAULT-VALUE})")
  long seed = 1;

  @Mixin
  DatasetsRootOption root;

  @Override
  public Integer call() throws IOException {
    DatasetId id = DatasetId.parse(newId);
    List<DatasetMixer.Part> ps = new ArrayList<>();
    for (String p : parts) {
      int eq = p.lastIndexOf('=');
      double share;
      try {
        share = eq < 0 ? Double.NaN : Double.parseDouble(p.substring(eq + 1));
      } catch (NumberFormatException e) {
        share = Double.NaN;
      }
      if (Double.isNaN(share)) {
        throw new IllegalArgumentException("--part must be ID=SHARE (e.g. ns/expert-v0=0.5), got '" + p + "'");
      }
      ps.add(new DatasetMixer.Part(root.open(p.substring(0, eq)), share));
    }
    DatasetMixer.Result r = DatasetMixer.mix(ps, episodes, seed, id, id.dataDir(root.dir()));
    PrintWriter w = spec.commandLine().getOut();
    List<String> taken = new ArrayList<>();
    for (int i = 0; i < ps.size(); i++) {
      taken.add(String.format(Locale.ROOT, "%d from %s", r.taken()[i], ps.get(i).dataset().id()));
    }
    w.printf(Locale.ROOT, "%s: %d episodes (%s), %,d transitions, seed %d%n", id.id(), r.episodes(),
        String.join(", ", taken), r.steps(), seed);
    w.flush();
    return 0;
  }
}
