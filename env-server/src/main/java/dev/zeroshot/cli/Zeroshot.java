package dev.zeroshot.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code zeroshot} command line: one entry point, one subcommand per job. */
@Command(
    name = "zeroshot",
    mixinStandardHelpOptions = true,
    version = "zeroshot 0.1.0-SNAPSHOT",
    description = "RL environments, server and agents for zero-shot generalization research.",
    subcommands = {EnvsCommand.class, RolloutCommand.class, BenchCommand.class, RecordCommand.class, PlayCommand.class, RemoteBenchCommand.class, ServeCommand.class, TraceCommand.class, MbtlCommand.class, TrainCommand.class, EvalCommand.class, BenchPpoCommand.class, CollectCommand.class, DatasetCommand.class, GapCommand.class, GridCommand.class, DashboardCommand.class, CommandLine.HelpCommand.class})
public final class Zeroshot {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Zeroshot());
    // Bad input (unknown env, bad context) is reported as one clear line, not a stack trace.
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof IllegalArgumentException || ex instanceof IllegalStateException) {
        cmd.getErr().println("error: " + ex.getMessage());
        return 2;
      }
      throw ex;
    });
    return cli;
  }
}
