package dev.zeroshot.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the {@code zeroshot} command line, as a user types it: the exit code and what it printed. */
final class CliRun {
  final int exit;
  final String out;
  final String err;

  private CliRun(int exit, String out, String err) {
    this.exit = exit;
    this.out = out;
    this.err = err;
  }

  int exit() {
    return exit;
  }

  String out() {
    return out;
  }

  String err() {
    return err;
  }

  /** Runs {@code zeroshot args...} in this JVM as {@link Zeroshot#main} would, capturing both streams. */
  static CliRun run(String... args) {
    CommandLine cli = Zeroshot.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }
}
