package dev.zeroshot.cli;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.GymEnv;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zeroshot envs}: every registered env with its spaces and context features. */
@Command(name = "envs", mixinStandardHelpOptions = true,
    description = "List every environment (or the ones named) with its spaces, time limit and context features.")
final class EnvsCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "ENV", description = "only these env ids (default: every env)")
  List<String> ids = List.of();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    EnvRegistry registry = EnvRegistry.builtin();
    List<EnvSpec> chosen = ids.isEmpty() ? registry.specs() : ids.stream().map(registry::spec).toList();
    for (EnvSpec s : chosen) {
      GymEnv env = EnvRegistry.builtin().make(s.id());
      out.printf("%s  (%s)%n", s.id(), s.description());
      out.printf("  observation: %s%n", env.observationSpace());
      out.printf("  action:      %s%n", env.actionSpace());
      out.printf("  time limit:  %s steps%s%n", s.maxEpisodeSteps() == 0 ? "no" : s.maxEpisodeSteps(),
          s.rewardThreshold() == null ? "" : ", solved at return " + s.rewardThreshold());
      out.println("  context features:");
      for (String line : s.contextSpace().toString().split("\n")) {
        out.println("    " + line);
      }
      out.println();
    }
    out.flush();
    return 0;
  }
}
