package dev.zeroshot.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code zeroshot train ALGO ...}: one subcommand per learner. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train an agent (see 'zeroshot train ppo --help').",
    subcommands = {TrainPpoCommand.class, TrainOfflineCommand.Bc.class, TrainOfflineCommand.Cql.class, TrainOfflineCommand.Bcq.class, TrainOfflineCommand.Iql.class, TrainOfflineCommand.Dt.class, TrainOfflineCommand.Bct.class, CommandLine.HelpCommand.class})
final class TrainCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name an algorithm, e.g. 'zeroshot train ppo --env CartPole-v1'");
  }
}
