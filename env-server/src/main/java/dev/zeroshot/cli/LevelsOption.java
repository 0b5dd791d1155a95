package dev.zeroshot.cli;

import dev.zeroshot.env.context.LevelRange;
import picocli.CommandLine.Option;

/** {@code --levels A:B|A:|N}, shared by the commands that pick Procgen levels. */
final class LevelsOption {

  @Option(names = "--levels", paramLabel = "A:B|A:|N", converter = Converters.Levels.class,
      description = "Procgen levels: A:B is levels A to B-1 (start_level=A, num_levels=B-A), e.g. 0:200; A: every "
          + "level from A on; N levels 0 to N-1 (default: the env's)")
  LevelRange range;
}
