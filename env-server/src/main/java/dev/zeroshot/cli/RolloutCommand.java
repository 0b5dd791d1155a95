package dev.zeroshot.cli;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.procgen.DistributionMode;
import dev.zeroshot.env.procgen.ProcgenSuite;
import java.io.PrintWriter;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zeroshot rollout ENV}: a random policy for N episodes, with returns and step rate. */
@Command(name = "rollout", mixinStandardHelpOptions = true,
    description = "Run a uniformly random policy and print each episode's return and length, and the step rate.")
final class RolloutCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ENV",
      description = "environment id, e.g. CartPole-v1 (see 'zeroshot envs'), or a Procgen game (maze, heist, ...) as record takes it")
  String envId;

  @Mixin
  ContextOption context;

  @Option(names = "--episodes", description = "episodes to run (default: ${DEFAULT-VALUE})")
  int episodes = 10;

  @Option(names = "--seed", description = "seed of the envs and of the random policy (default: ${DEFAULT-VALUE})")
  long seed = 0;

  @Mixin
  NumEnvsOption numEnvs = new NumEnvsOption(1);

  @Override
  public Integer call() {
    if (episodes < 1) {
      throw new IllegalArgumentException("--episodes must be >= 1, got " + episodes);
    }
    // a bare Procgen game name is its hard-mode id, as record and play take it
    String id = ProcgenSuite.GAMES.contains(envId) ? ProcgenSuite.id(envId, DistributionMode.HARD) : envId;
    EnvSpec envSpec = EnvRegistry.builtin().spec(id);
    Context ctx = context.resolve(envSpec);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%s, context: %s, seed %d, %d env(s), random policy%n", id, ctx, seed, numEnvs.value);
    out.printf("%8s %12s %8s%n", "episode", "return", "length");
    try (VectorEnv env = VectorEnv.builder(envSpec).numEnvs(numEnvs.value).context(ctx).build()) {
      StepBuffers buf = StepBuffers.allocate(env);
      SplittableRandom policy = new SplittableRandom(seed);
      env.reset(seed, buf);
      int done = 0;
      long steps = 0;
      double sum = 0;
      long start = System.nanoTime();
      while (done < episodes) {
        for (int i = 0; i < numEnvs.value; i++) {
          env.singleActionSpace().sample(policy, buf.actions(), i * buf.actionBytes());
        }
        env.step(buf);
        steps += numEnvs.value;
        for (int i = 0; i < numEnvs.value && done < episodes; i++) {
          if (buf.episodeEnded(i)) {
            done++;
            sum += buf.episodeReturn(i);
            out.printf("%8d %12.3f %8d%n", done, buf.episodeReturn(i), buf.episodeLength(i));
          }
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf("mean return %.3f over %d episodes; %d steps in %.3f s (%.0f steps/s)%n",
          sum / episodes, episodes, steps, seconds, steps / seconds);
    }
    out.flush();
    return 0;
  }
}
