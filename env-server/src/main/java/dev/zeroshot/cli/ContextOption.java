package dev.zeroshot.cli;

import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextOverrides;
import dev.zeroshot.env.context.LevelRange;
import picocli.CommandLine.Option;

/**
 * {@code --context k=v,...}, shared by every command that makes an env: the text is parsed by
 * picocli into {@link ContextOverrides}, then {@link #resolve}d once against the env's space,
 * which refuses an unknown feature with the same message in every command.
 */
final class ContextOption {

  @Option(names = "--context", paramLabel = "k=v,...", converter = Converters.Overrides.class,
      description = "context features to change from their defaults")
  ContextOverrides overrides = ContextOverrides.NONE;

  /** The env's defaults with these changes. */
  Context resolve(EnvSpec spec) {
    return overrides.resolve(spec.contextSpace());
  }

  /** ... and then a level range (null: none); a range also given in --context is refused. */
  Context resolve(EnvSpec spec, LevelRange levels) {
    return overrides.resolve(spec.contextSpace(), levels);
  }
}
