package dev.zeroshot.cli;

import dev.zeroshot.agents.Agent;
import dev.zeroshot.agents.Envs;
import dev.zeroshot.agents.HalvedVectorEnv;
import dev.zeroshot.agents.Ppo;
import dev.zeroshot.agents.PpoConfig;
import dev.zeroshot.agents.PpoTiming;
import dev.zeroshot.agents.Torch;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.VectorEnvApi;
import dev.zeroshot.env.context.Context;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot bench-ppo}: PPO training throughput with CleanRL's {@code ppo.py} settings
 * (env included), per seed: steps/s, and the first step and second at which the mean return
 * of the last 20 episodes reaches the env's solved threshold (475 for CartPole-v1); the
 * process's resident memory over the run (flat = no native leak) and the machine's load.
 */
@Command(name = "bench-ppo", mixinStandardHelpOptions = true,
    description = "Time PPO training (CleanRL ppo.py settings): steps/s and steps/seconds to the solved return, per seed.")
final class BenchPpoCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--env", description = "environment id (default: ${DEFAULT-VALUE})")
  String envId = "CartPole-v1";

  @Option(names = "--steps", description = "env steps per seed (default: ${DEFAULT-VALUE})")
  long steps = 500_000;

  @Option(names = "--seeds", split = ",", description = "seeds (default: 1,2,3)")
  long[] seeds = {1, 2, 3};

  @Option(names = "--threads", description = "torch intra-op threads (default: ${DEFAULT-VALUE})")
  int threads = 1;

  @Option(names = "--num-envs", description = "envs (default: the preset's)")
  Integer numEnvs;

  @Option(names = "--num-steps", description = "steps per env per rollout (default: the preset's)")
  Integer numSteps;

  @Option(names = "--preset", description = "control-discrete or procgen (default: ${DEFAULT-VALUE})")
  String preset = "control-discrete";

  @Mixin
  ContextOption context;

  @Option(names = "--hidden", split = ",", description = "network widths (default: the preset's)")
  int[] hidden;

  @Option(names = "--target", description = "return to time (default: the env's solved threshold)")
  Double target;

  @Mixin
  DeviceOption device = new DeviceOption("cpu");

  @Option(names = "--env-threads", description = "threads stepping the envs (default: the preset's: 1 for "
      + "control, one per core for procgen)")
  Integer envThreads;

  @Option(names = "--overlap", description = "the overlapped rollout: the policy acts on one half of the envs while "
      + "the other half steps (exactly on-policy)")
  boolean overlap;

  @Option(names = "--compare-overlap", description = "run every seed twice in this process, sequential then "
      + "overlapped, and print the overlap's gain as a ratio")
  boolean compareOverlap;

  @Option(names = "--policy-lag", paramLabel = "0|1", description = "1: learn on batch N on a second thread while "
      + "collecting batch N+1 with the weights from before that update (default: ${DEFAULT-VALUE})")
  int policyLag = 0;

  @Option(names = "--compare-policy-lag", description = "run every seed twice in this process, with policy lag 0 "
      + "then 1, and print the lag's gain as a ratio")
  boolean comparePolicyLag;

  @Option(names = "--policy-cost-us", paramLabel = "US", description = "make every forward pass of the rollout take US "
      + "microseconds longer per env (the thread parked, as if a device computed): a policy as costly as the envs "
      + "shows what overlapping gains (default: ${DEFAULT-VALUE})")
  double policyCostUs = 0;

  @Option(names = "--breakdown-csv", paramLabel = "FILE", description = "also write where the time went, per seed "
      + "and phase, as CSV")
  Path breakdownCsv;

  private int envThreadsUsed;

  @Override
  public Integer call() throws IOException {
    PrintWriter w = spec.commandLine().getOut();
    Context ctx = context.resolve(Envs.spec(envId)); // a bad context is refused before anything starts
    Torch.init(threads);
    ai.djl.Device dev = Torch.device(device.name, System.err);
    double tgt = target != null ? target : solved(envId);
    w.printf(Locale.ROOT, "bench-ppo %s on %s: %d steps x %d seed(s), torch threads %d, %d core(s); load before: %s%n",
        envId, dev, steps, seeds.length, Torch.threads(), Runtime.getRuntime().availableProcessors(), load());
    w.printf("%6s %10s %10s %12s %12s %14s %12s %16s%n", "seed", "steps/s", "seconds", "steps/cpu-s", "final ret",
        "steps to tgt", "s to tgt", "RSS MB mid/end");
    w.flush();
    List<Double> rates = new ArrayList<>();
    StringBuilder csv = new StringBuilder(PpoTiming.CSV_HEADER).append('\n');
    List<String> tables = new ArrayList<>();
    List<String> ratios = new ArrayList<>();
    if (policyCostUs < 0 || !Double.isFinite(policyCostUs)) {
      throw new IllegalArgumentException("--policy-cost-us must be >= 0 microseconds per env step, got " + policyCostUs);
    }
    if (overlap && compareOverlap) {
      throw new IllegalArgumentException("--compare-overlap runs both modes; drop --overlap");
    }
    if (comparePolicyLag && (compareOverlap || policyLag != 0)) {
      throw new IllegalArgumentException(compareOverlap ? "compare one thing at a time: --compare-overlap or "
          + "--compare-policy-lag" : "--compare-policy-lag runs lag 0 and 1; drop --policy-lag");
    }
    List<Double> cpuRates = new ArrayList<>();
    for (long seed : seeds) {
      PpoConfig c = preset.equals("procgen") ? PpoConfig.procgen() : PpoConfig.controlDiscrete();
      c.envId = envId;
      c.context = ctx;
      c.totalTimesteps = steps;
      c.seed = seed;
      c.torchThreads = threads;
      if (numEnvs != null) {
        c.numEnvs = numEnvs;
      }
      if (numSteps != null) {
        c.numSteps = numSteps;
      }
      if (hidden != null) {
        c.hidden = hidden;
      }
      if (envThreads != null) {
        c.envThreads = envThreads;
      }
      if (!preset.equals("procgen") && !preset.equals("control-discrete")) {
        throw new IllegalArgumentException("--preset must be control-discrete or procgen, got " + preset);
      }
      c.policyLag = policyLag;
      c.validate();
      boolean comparing = compareOverlap || comparePolicyLag;
      boolean[] modes = comparing ? new boolean[] {false, true} : new boolean[] {false}; // true: the compared mode
      double[] rolloutRate = new double[2];
      double[] totalRate = new double[2];
      double[] finalReturn = new double[2];
      for (int mi = 0; mi < modes.length; mi++) {
        c.overlap = compareOverlap ? modes[mi] : overlap;
        c.policyLag = comparePolicyLag ? (modes[mi] ? 1 : 0) : policyLag;
        String label = seed + (c.overlap ? "+ov" : "") + (c.policyLag > 0 ? "+lag" : "");
        Ppo.Metrics m = benchOne(c, dev, tgt, label, w);
        if (!modes[mi] || !comparing) { // the median line stays the baseline runs' when comparing
          rates.add(m.stepsPerSecond);
          cpuRates.add(m.globalStep / lastCpu);
        }
        csv.append(lastTiming.csvRows("seed " + label));
        StringWriter table = new StringWriter();
        lastTiming.printTable(new PrintWriter(table, true));
        tables.add("seed " + label + (c.overlap ? " (overlapped rollout)" : "") + ":\n" + table);
        if (c.policyLag > 0) {
          StringWriter learner = new StringWriter();
          lastLearnerTiming.printTable(new PrintWriter(learner, true));
          tables.add("seed " + label + ", the learner thread (beside the rollout; its own wall time):\n" + learner);
          csv.append(lastLearnerTiming.csvRows("seed " + label + " learner"));
        }
        rolloutRate[mi] = m.globalStep / lastRolloutSeconds;
        totalRate[mi] = m.stepsPerSecond;
        finalReturn[mi] = m.recentReturn;
      }
      if (comparePolicyLag) {
        ratios.add(String.format(Locale.ROOT, "seed %d: lag 1/lag 0 whole iteration steps/s %.0f/%.0f = %.2fx; "
            + "final return %.2f vs %.2f", seed, totalRate[1], totalRate[0], totalRate[1] / totalRate[0],
            finalReturn[1], finalReturn[0]));
      }
      if (compareOverlap) {
        ratios.add(String.format(Locale.ROOT, "seed %d: overlapped/sequential rollout steps/s %.0f/%.0f = %.2fx, "
            + "whole iteration %.0f/%.0f = %.2fx; final return %.2f vs %.2f", seed, rolloutRate[1], rolloutRate[0],
            rolloutRate[1] / rolloutRate[0], totalRate[1], totalRate[0], totalRate[1] / totalRate[0], finalReturn[1],
            finalReturn[0]));
      }
    }
    if (!ratios.isEmpty() && comparePolicyLag) {
      w.println("policy lag's gain, both modes in this process:");
      ratios.forEach(w::println);
    } else if (!ratios.isEmpty()) {
      w.printf(Locale.ROOT, "overlap's gain, both modes in this process (simulated policy cost %.1f us per env step):%n",
          policyCostUs);
      ratios.forEach(w::println);
    }
    w.printf("where the time went (training thread's wall time; env threads %d, torch threads %d):%n", envThreadsUsed,
        Torch.threads());
    tables.forEach(w::print);
    if (breakdownCsv != null) {
      Files.writeString(breakdownCsv, csv);
      w.println("breakdown written to " + breakdownCsv);
    }
    rates.sort(null);
    cpuRates.sort(null);
    w.printf(Locale.ROOT, "median %.0f steps/s wall-clock, %.0f steps per CPU-second of the training thread "
        + "(CleanRL ppo.py on this kind of machine: ~8,000-8,500 steps/s); load after: %s%n",
        rates.get(rates.size() / 2), cpuRates.get(cpuRates.size() / 2), load());
    w.flush();
    return 0;
  }

  private PpoTiming lastTiming;
  private PpoTiming lastLearnerTiming;
  private double lastCpu;
  private double lastRolloutSeconds;

  /** Trains one config, prints its row, and leaves its timing, CPU and rollout seconds in the last* fields. */
  private Ppo.Metrics benchOne(PpoConfig c, ai.djl.Device dev, double tgt, String label, PrintWriter w) {
    long[] atTarget = {-1};
    double[] secAtTarget = {Double.NaN};
    double[] rssMid = {Double.NaN};
    double[] cpu = {0};
    double[] rollout = {0};
    Ppo.Metrics[] last = {null};
    try (VectorEnvApi env = Envs.forTraining(c);
        Ppo ppo = new Ppo(c, env, Agent.modelFor(env.singleObservationSpace(), env.singleActionSpace(), c.model,
            c.hidden, c.seed), dev)) {
      ppo.simulateInferenceCost(Math.round(policyCostUs * 1000));
      int half = ppo.numUpdates() / 2;
      ppo.train(m -> {
        last[0] = m;
        cpu[0] += m.rolloutCpuSeconds + m.learnCpuSeconds;
        rollout[0] += m.rolloutSeconds;
        if (atTarget[0] < 0 && m.recentReturn >= tgt) {
          atTarget[0] = m.globalStep;
          secAtTarget[0] = m.seconds;
        }
        if (m.update == half) {
          rssMid[0] = rssMb();
        }
      }, () -> false);
      lastTiming = ppo.timing();
      lastLearnerTiming = ppo.learnerTiming();
      envThreadsUsed = env instanceof VectorEnv v ? v.threads() : ((HalvedVectorEnv) env).threads();
    }
    Ppo.Metrics m = last[0];
    lastCpu = cpu[0];
    lastRolloutSeconds = rollout[0];
    w.printf(Locale.ROOT, "%6s %10.0f %10.1f %12.0f %12.1f %14s %12s %9.0f/%.0f%n", label, m.stepsPerSecond, m.seconds,
        m.globalStep / cpu[0], m.recentReturn, atTarget[0] < 0 ? "not reached" : String.valueOf(atTarget[0]),
        atTarget[0] < 0 ? "-" : String.format(Locale.ROOT, "%.1f", secAtTarget[0]), rssMid[0], rssMb());
    w.flush();
    return m;
  }

  private static double solved(String id) {
    Double t = Envs.spec(id).rewardThreshold();
    return t == null ? Double.POSITIVE_INFINITY : t;
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  static double rssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Double.parseDouble(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return Double.NaN;
  }
}
