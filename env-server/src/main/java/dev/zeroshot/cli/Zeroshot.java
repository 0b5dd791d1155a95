package dev.zeroshot.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code zeroshot} command line: one entry point, one subcommand per job. */
@Command(
    name = "zeroshot",
    mixinStandardHelpOptions = true,
    version = "zeroshot 0.1.0-SNAPSHOT",
    description = "RL environments, server and agents for zero-shot generalization research.",
    subcommands = {EnvsCommand.class, RolloutCommand.class, ProcgenStatsCommand.class, ProcgenBenchmarkCommand.class, BenchCommand.class, RecordCommand.class, PlayCommand.class, RemoteBenchCommand.class, LoadBenchCommand.class, ServeCommand.class, TraceCommand.class, MbtlCommand.class, TrainCommand.class, EvalCommand.class, BenchPpoCommand.class, CollectCommand.class, DatasetCommand.class, GapCommand.class, GridCommand.class, CurriculumCommand.class, BenchCurriculumCommand.class, DashboardCommand.class, XLandCommand.class, CommandLine.HelpCommand.class})
public final class Zeroshot {

  /** The level of DJL's own log lines (logback.xml reads it when logging starts, after the options are parsed). */
  static final String DJL_LOG_LEVEL = "zeroshot.djl.log";

  // DJL announces its engine, platform and thread counts, and warns about CUDA on a machine without
  // a GPU, on every training: our own "device ..." line says what matters, so those are quiet unless asked.
  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "also print DJL's own log lines (engine, platform, threads, CUDA probing)")
  void verbose(boolean on) {
    System.setProperty(DJL_LOG_LEVEL, on ? "INFO" : "ERROR");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Zeroshot());
    // Bad input (unknown env, bad context) is reported as one clear line, not a stack trace.
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      Throwable e = ex instanceof java.io.UncheckedIOException u ? u.getCause() : ex;
      if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
        cmd.getErr().println("error: " + e.getMessage());
        return 2;
      }
      // a missing or mistyped path the user gave (a checkpoint, a run folder)
      if (e instanceof java.io.FileNotFoundException || e instanceof java.nio.file.NoSuchFileException) {
        String what = e instanceof java.nio.file.NoSuchFileException n ? "no such file or folder: " + n.getFile()
            : e.getMessage();
        cmd.getErr().println("error: " + what);
        return 2;
      }
      throw ex;
    });
    return cli;
  }
}
