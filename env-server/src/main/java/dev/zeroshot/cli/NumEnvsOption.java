package dev.zeroshot.cli;

import picocli.CommandLine.Option;

/**
 * {@code --num-envs N}, the envs stepped together, shared by the commands that step a vector env
 * of their own; each command makes it with its own default, which picocli keeps and shows.
 */
final class NumEnvsOption {

  @Option(names = "--num-envs", paramLabel = "<numEnvs>", description = "envs stepped together (default: ${DEFAULT-VALUE})")
  int value;

  NumEnvsOption(int defaultValue) {
    value = defaultValue;
  }
}
