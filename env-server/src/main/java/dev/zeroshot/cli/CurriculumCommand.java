package dev.zeroshot.cli;

import dev.zeroshot.agents.CurriculumChart;
import dev.zeroshot.agents.PpoRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code zeroshot curriculum show RUN}: what a curriculum run played, over training, as a picture. */
@Command(name = "curriculum", mixinStandardHelpOptions = true,
    description = "Look at a curriculum run (see 'zeroshot curriculum show --help').",
    subcommands = {CurriculumCommand.Show.class, CommandLine.HelpCommand.class})
final class CurriculumCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand, e.g. 'zeroshot curriculum show RUN'");
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Count the episodes a curriculum run played per level and per stretch of training; write "
          + "curriculum.png (a heat map) and curriculum_counts.csv into the run folder.")
  static final class Show implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "a run folder of 'zeroshot train ppo --curriculum ...'")
    Path run;

    @Option(names = "--by", paramLabel = "COORDINATE", description = "the level coordinate to bin by: a feature the "
        + "curriculum varied, or seed (default: the first feature, else seed)")
    String by;

    @Option(names = "--step-bins", description = "stretches of training (default: ${DEFAULT-VALUE})")
    int stepBins = 20;

    @Option(names = "--level-bins", description = "level bins; fewer distinct values get one row each (default: ${DEFAULT-VALUE})")
    int levelBins = 20;

    @Override
    public Integer call() throws IOException {
      CurriculumChart.Counts c = CurriculumChart.count(run.resolve(PpoRun.CURRICULUM), by, stepBins, levelBins);
      Path png = run.resolve("curriculum.png");
      Path csv = run.resolve("curriculum_counts.csv");
      CurriculumChart.writeCsv(c, csv);
      CurriculumChart.writePng(c, "levels played by " + c.coordinate() + " (" + run.getFileName() + ")", png);
      PrintWriter w = spec.commandLine().getOut();
      w.printf(Locale.ROOT, "%d episodes (%.1f%% replayed) over %d steps, by %s in %d bins%n", c.episodes(),
          c.episodes() == 0 ? 0.0 : 100.0 * c.replays() / c.episodes(), c.stepUpper()[c.stepUpper().length - 1],
          c.coordinate(), c.lower().length);
      w.printf("wrote %s and %s%n", png, csv);
      w.flush();
      return 0;
    }
  }
}
