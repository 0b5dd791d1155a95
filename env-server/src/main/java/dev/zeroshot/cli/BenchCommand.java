package dev.zeroshot.cli;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.procgen.DistributionMode;
import dev.zeroshot.env.procgen.ProcgenSuite;
import dev.zeroshot.env.space.Space;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot bench}: env steps per second with random actions (no policy), for one env in
 * a loop (the baseline), and for a vector env on one thread and on all cores, each measured in
 * this process and reported as a ratio to the baseline. Actions are drawn up front and copied
 * in per step, so the policy's cost is a memcpy.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure env steps/s: one env in a loop (baseline) vs a vector env on 1 thread and on all cores.")
final class BenchCommand implements Callable<Integer> {

  private static final int ACTION_BATCHES = 1024;

  @Spec
  CommandSpec spec;

  @Option(names = "--env", description = "environment id (default: ${DEFAULT-VALUE})")
  String envId = "CartPole-v1";

  @Mixin
  NumEnvsOption numEnvs = new NumEnvsOption(64);

  @Option(names = "--seconds", description = "measured seconds per round (default: ${DEFAULT-VALUE})")
  double seconds = 2;

  @Option(names = "--rounds", description = "measured rounds per case; the median is reported (default: ${DEFAULT-VALUE})")
  int rounds = 3;

  @Option(names = "--threads", description = "threads for the all-cores case (default: available cores)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--procgen", description = "instead: every Procgen id (games, modes, symbolic twins), 1 env on 1 core, beside Procgen C++'s figures")
  boolean procgen;

  @Override
  public Integer call() {
    if (numEnvs.value < 1 || seconds <= 0 || rounds < 1 || threads < 1) {
      throw new IllegalArgumentException("--num-envs, --seconds, --rounds and --threads must be positive");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (procgen) {
      return procgenTable(out);
    }
    EnvSpec envSpec = EnvRegistry.builtin().spec(envId);
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf("bench %s: random actions, %d round(s) of %.1f s each, median reported; %d core(s), %s%n",
        envId, rounds, seconds, cores, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    out.flush();

    double single = median(new SingleEnvLoop(envSpec));
    out.printf("%-34s %14.0f steps/s   1.00x (baseline)%n", "1 env, plain loop", single);
    out.flush();
    double oneThread;
    double oneThreadCpu;
    try (VectorEnvLoop loop = new VectorEnvLoop(envSpec, 1)) {
      // one pool thread steps inline on this thread, so its CPU time is the stepping's (the rate per core
      // even on a shared machine, where the wall rate also counts waits for a core)
      java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
      long cpu0 = mx.getCurrentThreadCpuTime();
      long steps0 = loop.batches;
      oneThread = median(loop);
      oneThreadCpu = (loop.batches - steps0) * numEnvs.value / ((mx.getCurrentThreadCpuTime() - cpu0) / 1e9);
    }
    out.printf("%-34s %14.0f steps/s %6.2fx  (%.0f per CPU-second of the stepping thread, warm-up included)%n",
        numEnvs.value + " envs, vector env, 1 thread", oneThread, oneThread / single, oneThreadCpu);
    out.flush();
    double all;
    try (VectorEnvLoop loop = new VectorEnvLoop(envSpec, threads)) {
      all = median(loop);
    }
    out.printf("%-34s %14.0f steps/s %6.2fx  (%.0f per thread, %.2fx the 1-thread vector env)%n",
        numEnvs.value + " envs, vector env, " + threads + " threads", all, all / single, all / threads, all / oneThread);
    out.flush();
    return 0;
  }

  /**
   * Steps/s of one env in a plain loop (rendering on) for every Procgen id, beside the C++
   * figure measured on this machine kind (reference/procgen.md), and the ratio. Rates are per
   * second of this thread's CPU time as well as of wall time: on a shared machine the wall
   * rate also counts time the thread waited for a core, the CPU rate does not.
   */
  private int procgenTable(PrintWriter out) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    out.printf("bench procgen: 1 env, plain loop, random actions, rendering on; %d round(s) of %.1f s, median; %s%n",
        rounds, seconds, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    out.printf("%-28s %12s %12s %12s %8s%n", "env", "wall st/s", "CPU st/s", "C++ st/s", "CPU/C++");
    out.flush();
    for (EnvSpec s : EnvRegistry.builtin().specs()) {
      if (!s.id().startsWith("procgen/")) {
        continue;
      }
      String name = s.id().substring("procgen/".length(), s.id().length() - "-v0".length());
      // A symbolic id (NAME[-MODE]-symbolic-v0) gets its own row but no C++ figure: Procgen draws pixels only.
      boolean symbolic = name.endsWith("-symbolic");
      if (symbolic) {
        name = name.substring(0, name.length() - "-symbolic".length());
      }
      int dash = name.indexOf('-');
      String game = dash < 0 ? name : name.substring(0, dash);
      DistributionMode mode = dash < 0 ? DistributionMode.HARD : DistributionMode.parse(name.substring(dash + 1));
      SingleEnvLoop loop = new SingleEnvLoop(s);
      loop.stepsPerSecond(); // warm-up
      double[] wall = new double[rounds];
      double[] cpu = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        long steps0 = loop.steps;
        long cpu0 = mx.getCurrentThreadCpuTime();
        wall[r] = loop.stepsPerSecond();
        cpu[r] = (loop.steps - steps0) / ((mx.getCurrentThreadCpuTime() - cpu0) / 1e9);
      }
      Arrays.sort(wall);
      Arrays.sort(cpu);
      double w = wall[rounds / 2];
      double c = cpu[rounds / 2];
      Double cpp = symbolic ? null : ProcgenSuite.cppStepsPerSecond(game, mode);
      out.printf("%-28s %12.0f %12.0f %12s %8s%n", s.id(), w, c, cpp == null ? "-" : String.format("%.0f", cpp),
          cpp == null ? "-" : String.format("%.2fx", c / cpp));
      out.flush();
    }
    return 0;
  }

  /** One benchmarked loop, built once and run for warm-up and measured rounds. */
  private interface Loop {
    /** Steps for about {@code seconds} and returns the rate. */
    double stepsPerSecond();
  }

  private double median(Loop c) {
    c.stepsPerSecond(); // warm-up round: lets the JIT compile the hot loop
    double[] r = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      r[i] = c.stepsPerSecond();
    }
    Arrays.sort(r);
    return r[rounds / 2];
  }

  /** Random actions for {@code n} envs, {@code batches} batches of them end to end (bench-remote's too). */
  static ByteBuffer randomActions(Space space, int n, int batches) {
    int bytes = space.byteSize();
    ByteBuffer table = ByteBuffer.allocateDirect(batches * n * bytes).order(ByteOrder.LITTLE_ENDIAN);
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < batches * n; i++) {
      space.sample(rng, table, i * bytes);
    }
    return table;
  }

  private final class SingleEnvLoop implements Loop {
    private final GymEnv env;
    private final StepBuffers buf;
    private final ByteBuffer table;
    private long steps;

    SingleEnvLoop(EnvSpec envSpec) {
      env = new GymEnv(envSpec.make(envSpec.contextSpace().defaults()), envSpec.maxEpisodeSteps());
      buf = StepBuffers.allocate(env);
      table = randomActions(env.actionSpace(), 1, ACTION_BATCHES);
      env.reset(0, buf, 0);
    }

    @Override
    public double stepsPerSecond() {
      int bytes = buf.actionBytes();
      long start = System.nanoTime();
      long deadline = start + (long) (seconds * 1e9);
      long first = steps;
      long now;
      do {
        for (int k = 0; k < 4096; k++) {
          buf.actions().put(0, table, (int) (steps & (ACTION_BATCHES - 1)) * bytes, bytes);
          env.step(buf, 0);
          if (buf.episodeEnded(0)) {
            env.reset(buf, 0);
          }
          steps++;
        }
        now = System.nanoTime();
      } while (now < deadline);
      return (steps - first) / ((now - start) / 1e9);
    }
  }

  private final class VectorEnvLoop implements Loop, AutoCloseable {
    private final VectorEnv env;
    private final StepBuffers buf;
    private final ByteBuffer table;
    private long batches;

    VectorEnvLoop(EnvSpec envSpec, int poolThreads) {
      env = VectorEnv.builder(envSpec).numEnvs(numEnvs.value).threads(poolThreads).build();
      buf = StepBuffers.allocate(env);
      table = randomActions(env.singleActionSpace(), numEnvs.value, ACTION_BATCHES);
      env.reset(0, buf);
    }

    @Override
    public double stepsPerSecond() {
      int batchBytes = buf.actionBytes() * numEnvs.value;
      long start = System.nanoTime();
      long deadline = start + (long) (seconds * 1e9);
      long first = batches;
      long now;
      do {
        for (int k = 0; k < 256; k++) {
          buf.actions().put(0, table, (int) (batches & (ACTION_BATCHES - 1)) * batchBytes, batchBytes);
          env.step(buf);
          batches++;
        }
        now = System.nanoTime();
      } while (now < deadline);
      return (batches - first) * numEnvs.value / ((now - start) / 1e9);
    }

    @Override
    public void close() {
      env.close();
    }
  }
}
