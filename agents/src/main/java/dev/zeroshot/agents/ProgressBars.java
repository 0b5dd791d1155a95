package dev.zeroshot.agents;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one look of Zeroshot's progress bars (training, collection): ASCII on stderr. On a
 * terminal the bar is redrawn in place twice a second, as wide as the terminal; off a terminal
 * (a log file, a pipe, CI) it is written as a plain line every {@link #PLAIN_INTERVAL_MS} ms,
 * {@link #PLAIN_WIDTH} columns wide and never cut, so a log holds readable lines rather than one
 * line of carriage returns trimmed to the 80 columns a terminal library assumes.
 */
public final class ProgressBars {

  /** Width of a bar line written off a terminal (the bar shrinks to make room for the text). */
  static final int PLAIN_WIDTH = 120;
  /** How often a bar writes a line off a terminal. */
  static final int PLAIN_INTERVAL_MS = 10_000;

  private ProgressBars() {}

  /** A bar named {@code task} that counts to {@code max}; the caller may add more (e.g. a speed) and builds it. */
  public static ProgressBarBuilder onStderr(String task, long max) {
    return on(System.err, stderrIsTerminal(), task, max);
  }

  /** A bar on {@code out}, drawn for a terminal or as plain lines. */
  static ProgressBarBuilder on(PrintStream out, boolean terminal, String task, long max) {
    ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
        .continuousUpdate();
    if (terminal) {
      return b.setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(out));
    }
    String[] last = {null};
    return b.setUpdateIntervalMillis(PLAIN_INTERVAL_MS).setConsumer(new DelegatingProgressBarConsumer(line -> {
      String l = line.strip();
      if (!l.equals(last[0])) { // closing redraws the last state: one line for it is enough
        out.println(l);
        last[0] = l;
      }
    }, PLAIN_WIDTH));
  }

  /**
   * Whether stderr is a terminal: on Linux, what file descriptor 2 points at; elsewhere, whether
   * the JVM has a console at all.
   */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }
}
