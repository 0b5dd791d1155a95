package dev.zeroshot.cli;

import dev.zeroshot.agents.Agent;
import dev.zeroshot.agents.Envs;
import dev.zeroshot.agents.Ppo;
import dev.zeroshot.agents.PpoConfig;
import dev.zeroshot.agents.Torch;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.curriculum.Curricula;
import dev.zeroshot.env.curriculum.Curriculum;
import dev.zeroshot.env.curriculum.Feedback;
import dev.zeroshot.env.curriculum.LevelSpace;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot bench-curriculum}: what a curriculum costs per episode (one pick and one
 * report) with a full buffer of {@code --buffer} levels, as a share of the time of an episode's
 * steps for a few episode lengths. The step time is measured in the same run: a PPO training
 * step on CartPole-v1 (CleanRL's settings: what the curriculum runs inside), and the bare env
 * step (the cheapest env: the largest share, an upper bound). Times are the measuring thread's
 * CPU time, which other processes on a shared machine inflate less than wall time (torch's own
 * threads are not counted, which makes the PPO step look cheaper and the share larger).
 */
@Command(name = "bench-curriculum", mixinStandardHelpOptions = true,
    description = "Measure a curriculum's cost per episode with a full buffer, as a share of the env's step time.")
final class BenchCurriculumCommand implements Callable<Integer> {

  private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

  @Spec
  CommandSpec spec;

  @Option(names = "--buffer", description = "levels in the buffer (default: ${DEFAULT-VALUE})")
  int buffer = 10_000;

  @Option(names = "--episodes", description = "measured episodes per curriculum (default: ${DEFAULT-VALUE})")
  int episodes = 200_000;

  /** The baseline: the cheapest env's step, so the share is the largest. */
  private static final String ENV_ID = "CartPole-v1";

  @Override
  public Integer call() {
    if (buffer < 1 || episodes < 1) {
      throw new IllegalArgumentException("--buffer and --episodes must be >= 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    EnvSpec envSpec = EnvRegistry.builtin().spec(ENV_ID);
    double envNanos = envStepNanos(envSpec);
    double ppoNanos = ppoStepNanos();
    out.printf(Locale.ROOT, "%s: %.3f CPU-us per PPO training step (4 envs x 128 steps, CleanRL settings, 1 torch thread); "
        + "%.3f CPU-us per bare env step (64 envs, 1 thread, random actions)%n", ENV_ID, ppoNanos / 1e3, envNanos / 1e3);
    out.printf(Locale.ROOT, "%-11s %8s %14s   %-40s %s%n", "curriculum", "buffer", "CPU-us/episode",
        "share of PPO step time, L = 20 / 200 / 500", "share of bare env step time, L = 20 / 200 / 500");
    Context base = envSpec.contextSpace().defaults();
    String feature = "length";
    for (String name : Curricula.NAMES) {
      String options = switch (name) {
        case "dr" -> "";
        case "sfl" -> "buffer-size=" + buffer + ",candidates=" + buffer + ",candidate-episodes=1";
        default -> "capacity=" + buffer + ",min-fill=1";
      };
      LevelSpace levels = LevelSpace.of(base, feature + "=0.1:2.0");
      Curriculum c = Curricula.create(name, options, levels, 1);
      SplittableRandom rng = new SplittableRandom(2);
      episodes(c, buffer + 1000, rng); // fill the buffer (SFL: a first round), and warm up
      long t0 = CPU.getCurrentThreadCpuTime();
      episodes(c, episodes, rng);
      double perEpisode = (CPU.getCurrentThreadCpuTime() - t0) / (double) episodes;
      out.printf(Locale.ROOT, "%-11s %8d %14.3f   %-40s %s%n", name, name.equals("dr") ? 0 : buffer, perEpisode / 1e3,
          shares(perEpisode, ppoNanos), shares(perEpisode, envNanos));
    }
    out.flush();
    return 0;
  }

  private static String shares(double perEpisode, double stepNanos) {
    return String.format(Locale.ROOT, "%.3f%% / %.4f%% / %.4f%%", 100 * perEpisode / (20 * stepNanos),
        100 * perEpisode / (200 * stepNanos), 100 * perEpisode / (500 * stepNanos));
  }

  /** Nanoseconds of wall time per env step of PPO training on CartPole-v1, after two warm-up updates. */
  private static double ppoStepNanos() {
    PpoConfig cfg = PpoConfig.controlDiscrete();
    cfg.totalTimesteps = 24 * cfg.batchSize();
    Torch.init(cfg.torchThreads);
    try (VectorEnv env = Envs.local(cfg); Ppo ppo = new Ppo(cfg, env, Agent.modelFor(env.singleObservationSpace(),
        env.singleActionSpace(), cfg.model, cfg.hidden, cfg.seed), ai.djl.Device.cpu())) {
      ppo.iterate();
      ppo.iterate();
      long t0 = CPU.getCurrentThreadCpuTime();
      long s0 = ppo.globalStep();
      ppo.train(null, () -> false);
      return (CPU.getCurrentThreadCpuTime() - t0) / (double) (ppo.globalStep() - s0);
    }
  }

  /** Picks and reports {@code n} episodes, each at once, with random scores and successes. */
  private static void episodes(Curriculum c, int n, SplittableRandom rng) {
    for (int k = 0; k < n; k++) {
      Curriculum.Pick p = c.next();
      c.update(p.levelId(), new Feedback(rng.nextDouble(), rng.nextBoolean(), rng.nextDouble() * 500, 100));
    }
  }

  /** Nanoseconds per env step of 64 envs stepped together on one thread, random actions, ~1 s measured. */
  private static double envStepNanos(EnvSpec envSpec) {
    int n = 64;
    try (VectorEnv env = VectorEnv.builder(envSpec).numEnvs(n).threads(1).build()) {
      StepBuffers buf = StepBuffers.allocate(env);
      env.reset(1, buf);
      SplittableRandom rng = new SplittableRandom(3);
      long steps = 0;
      long start = 0;
      for (int round = 0; ; round++) {
        for (int i = 0; i < n; i++) {
          buf.setDiscreteAction(i, rng.nextInt(2));
        }
        env.step(buf);
        if (round == 20_000) {
          start = CPU.getCurrentThreadCpuTime(); // warmed up
        } else if (round > 20_000) {
          steps += n;
          if ((round & 1023) == 0 && CPU.getCurrentThreadCpuTime() - start > 1_000_000_000L) {
            return (CPU.getCurrentThreadCpuTime() - start) / (double) steps;
          }
        }
      }
    }
  }
}
