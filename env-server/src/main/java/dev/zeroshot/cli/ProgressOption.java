package dev.zeroshot.cli;

import picocli.CommandLine.Option;

/** {@code --no-progress}, shared by the commands that draw a progress bar on stderr. */
final class ProgressOption {

  @Option(names = "--no-progress", description = "no progress bar")
  boolean off;

  /** Whether to draw the bar. */
  boolean on() {
    return !off;
  }
}
