package dev.zeroshot.cli;

import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.env.Env;
import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.StepBuffers;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.VectorEnvApi;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.Space;
import dev.zeroshot.server.EnvServer;
import dev.zeroshot.server.ServerLimits;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot bench-remote}: steps/s of the same vector env in-process (the baseline) and
 * over gRPC through a loopback server started in this JVM, both with tensors in the messages
 * ("bytes") and with the shared-memory data plane ("shm", the client stepping on the region's own
 * buffers, each step rung on the session's doorbell unless --no-doorbell), for CartPole at 1, 16 and 256 envs
 * per session and for 64x64x3 uint8 frames at 64 envs; and the round-trip latency (median,
 * p99) of one CartPole env. Random actions are drawn up front. A benchmark, not a test.
 *
 * <p>Two image cases: {@code bench/Frames-v0}, an env registered only here that writes a
 * 3x64x64 frame per step (a moving pattern), so the numbers measure the transport of image
 * batches rather than a game's rendering; and a real game ({@code --game}, a Procgen game).
 */
@Command(name = "bench-remote", mixinStandardHelpOptions = true,
    description = "Measure steps/s in-process vs over gRPC (loopback), and round-trip latency.")
final class RemoteBenchCommand implements Callable<Integer> {

  private static final int ACTION_BATCHES = 256;

  @Spec
  CommandSpec spec;

  @Option(names = "--seconds", description = "measured seconds per case (default: ${DEFAULT-VALUE})")
  double seconds = 2;

  @Option(names = "--server-threads", description = "the server's step threads, as serve --threads (default: the "
      + "in-process baseline's, so both sides step on as many threads)")
  Integer serverThreads;

  @Option(names = "--no-doorbell", description = "shared-memory steps as step messages on the stream rather than "
      + "through the session's doorbell socket")
  boolean noDoorbell;

  @Option(names = "--game", description = "an image env also measured at 64 envs (default: ${DEFAULT-VALUE})")
  String game = "procgen/bigfish-easy-v0";

  @Option(names = "--latency-steps", description = "round trips timed for the latency percentiles (default: ${DEFAULT-VALUE})")
  int latencySteps = 20000;

  @Option(names = "--local-threads", description = "step threads of the in-process baseline (default: one per core, "
      + "VectorEnv's default)")
  Integer localThreads;

  @Option(names = "--case", description = "measure only this case, ID:NUM_ENVS (repeatable; default: all five)")
  List<String> only = List.of();

  @Override
  public Integer call() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    int baselineThreads = localThreads == null ? cores : localThreads;
    int serverThreads = this.serverThreads == null ? baselineThreads : this.serverThreads;
    if (seconds <= 0 || latencySteps < 100 || serverThreads < 1 || baselineThreads < 1) {
      throw new IllegalArgumentException("--seconds must be > 0, --latency-steps >= 100, --server-threads and "
          + "--local-threads >= 1");
    }
    EnvRegistry registry = new EnvRegistry();
    for (EnvSpec s : EnvRegistry.builtin().specs()) {
      registry.register(s);
    }
    registry.register(Frames.SPEC);
    registry.spec(game); // an unknown --game is refused before anything runs
    PrintWriter out = spec.commandLine().getOut();
    try (EnvServer server = new EnvServer(registry, "127.0.0.1", 0, ServerLimits.DEFAULTS, serverThreads).start()) {
      String target = "127.0.0.1:" + server.port();
      out.printf("bench-remote: in-process vs gRPC on loopback (server in this JVM, %d core(s), %d server step "
          + "thread(s), in-process %d thread(s), shm steps %s, %s %s), %.1f s per case after a warm-up%n", cores,
          serverThreads, baselineThreads, noDoorbell ? "as stream messages" : "through the doorbell",
          System.getProperty("java.vm.name"), System.getProperty("java.version"), seconds);
      latencies(target, false); // warm-up: JIT-compiles the client and server paths before anything is timed
      latencies(target, true);
      out.printf("%-30s %14s %14s %7s %14s %7s   %s%n", "case", "in-process", "gRPC bytes", "/in", "gRPC shm", "/in",
          "process CPU us per batch step: in-process / bytes / shm (both ends)");
      out.flush();
      for (Object[] c : new Object[][] {{"CartPole-v1", 1}, {"CartPole-v1", 16}, {"CartPole-v1", 256},
          {Frames.ID, 64}, {game, 64}}) {
        String id = (String) c[0];
        int n = (Integer) c[1];
        if (!only.isEmpty() && !only.contains(id + ":" + n)) {
          continue;
        }
        EnvSpec envSpec = registry.spec(id);
        double[] local = rate(() -> VectorEnv.builder(envSpec).numEnvs(n).threads(baselineThreads).build(), n);
        double[] bytes = rate(() -> RemoteVectorEnv.builder(target, id).numEnvs(n).sharedMemory(false).build(), n);
        double[] shm = rate(() -> RemoteVectorEnv.builder(target, id).numEnvs(n).sharedMemory(true)
            .doorbell(!noDoorbell).build(), n);
        out.printf("%-30s %9.0f st/s %9.0f st/s %6.0f%% %9.0f st/s %6.0f%%   %.1f / %.1f / %.1f%n", id + " x " + n,
            local[0], bytes[0], 100 * bytes[0] / local[0], shm[0], 100 * shm[0] / local[0], local[1], bytes[1], shm[1]);
        out.flush();
      }
      for (boolean sharedMemory : new boolean[] {false, true}) {
        long[] rt = latencies(target, sharedMemory);
        out.printf("round trip, CartPole-v1 x 1, %s (%d steps): p50 %.1f us, p99 %.1f us, mean %.1f us%n",
            sharedMemory ? "shm" : "bytes", rt.length, rt[rt.length / 2] / 1e3, rt[(int) (rt.length * 0.99)] / 1e3,
            Arrays.stream(rt).average().orElse(0) / 1e3);
      }
      long[] floor = pingPong(latencySteps);
      out.printf("floor: one byte there and back on a Unix socket between two threads of this JVM (%d times): "
          + "p50 %.1f us, p99 %.1f us%n", floor.length, floor[floor.length / 2] / 1e3,
          floor[(int) (floor.length * 0.99)] / 1e3);
      out.flush();
    }
    return 0;
  }

  /**
   * Steps/s of the env {@code make} builds, after a warm-up of the same length, and the
   * process's CPU time per batch step in microseconds (all threads: client, server, pool).
   */
  private double[] rate(Supplier<VectorEnvApi> make, int n) {
    try (VectorEnvApi env = make.get()) {
      StepBuffers buf = buffers(env);
      ByteBuffer table = BenchCommand.randomActions(env.singleActionSpace(), n, ACTION_BATCHES);
      int batchBytes = buf.actionBytes() * n;
      env.reset(0, buf);
      run(env, buf, table, batchBytes, seconds); // warm-up
      long cpu0 = cpuNanos();
      double rate = run(env, buf, table, batchBytes, seconds);
      double batches = rate / n * seconds;
      return new double[] {rate, (cpuNanos() - cpu0) / 1e3 / Math.max(1, batches)};
    }
  }

  private static long cpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : 0;
  }

  private static double run(VectorEnvApi env, StepBuffers buf, ByteBuffer table, int batchBytes, double seconds) {
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long batches = 0;
    long now;
    do {
      for (int k = 0; k < 16; k++) {
        buf.actions().put(0, table, (int) (batches % ACTION_BATCHES) * batchBytes, batchBytes);
        env.step(buf);
        batches++;
      }
      now = System.nanoTime();
    } while (now < deadline);
    return batches * env.numEnvs() / ((now - start) / 1e9);
  }

  /** The env's own shared-memory buffers when it has them (no copies), as an agent would use them. */
  private static StepBuffers buffers(VectorEnvApi env) {
    if (env instanceof RemoteVectorEnv r && r.sharedBuffers() != null) {
      return r.sharedBuffers();
    }
    return StepBuffers.allocate(env);
  }

  private long[] latencies(String target, boolean sharedMemory) {
    try (RemoteVectorEnv env = RemoteVectorEnv.builder(target, "CartPole-v1").sharedMemory(sharedMemory)
        .doorbell(!noDoorbell).build()) {
      StepBuffers buf = buffers(env);
      ByteBuffer table = BenchCommand.randomActions(env.singleActionSpace(), 1, ACTION_BATCHES);
      env.reset(0, buf);
      run(env, buf, table, buf.actionBytes(), 1); // warm-up
      long[] t = new long[latencySteps];
      for (int s = 0; s < t.length; s++) {
        buf.actions().put(0, table, (s % ACTION_BATCHES) * buf.actionBytes(), buf.actionBytes());
        long t0 = System.nanoTime();
        env.step(buf);
        t[s] = System.nanoTime() - t0;
      }
      Arrays.sort(t);
      return t;
    }
  }

  /**
   * Round trips of one byte on a Unix socket between this thread and an echo thread, sorted:
   * the cost of two blocking hand-offs on this machine, which a doorbell step cannot go below.
   */
  private static long[] pingPong(int count) throws IOException, InterruptedException {
    Path path = Files.createTempDirectory("zeroshot-bench").resolve("ping.sock");
    try (ServerSocketChannel listener =
        ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      listener.bind(UnixDomainSocketAddress.of(path));
      Thread echo = new Thread(() -> {
        try (SocketChannel c = listener.accept()) {
          ByteBuffer b = ByteBuffer.allocateDirect(1);
          while (c.read(b.clear()) > 0) {
            c.write(b.flip());
          }
        } catch (IOException e) {
          // the bench closed its end
        }
      }, "bench-echo");
      echo.start();
      long[] t = new long[count];
      try (SocketChannel c = SocketChannel.open(
          UnixDomainSocketAddress.of(path))) {
        ByteBuffer b = ByteBuffer.allocateDirect(1);
        for (int i = -count / 4; i < count; i++) { // the first quarter warms up
          long t0 = System.nanoTime();
          c.write(b.clear().put(0, (byte) 1));
          c.read(b.clear());
          if (i >= 0) {
            t[i] = System.nanoTime() - t0;
          }
        }
      }
      echo.join();
      Arrays.sort(t);
      return t;
    } finally {
      Files.deleteIfExists(path);
      Files.deleteIfExists(path.getParent());
    }
  }

  /** A 3x64x64 uint8 frame per step: a pattern shifted by the action; episodes of 50-150 steps. */
  static final class Frames implements Env {
    static final String ID = "bench/Frames-v0";
    static final int SIZE = 3 * 64 * 64;
    static final ContextSpace CONTEXT = new ContextSpace(ID, List.of());
    static final EnvSpec SPEC = new EnvSpec(ID, "benchmark only: 64x64 RGB frames of a moving pattern",
        CONTEXT, Frames::new, 0, null);
    private static final Space OBSERVATION = Box.uniform(0, 255, new int[] {3, 64, 64}, DType.UINT8);
    private static final Space ACTION = new Discrete(4);

    private Context context;
    private SplittableRandom rng = new SplittableRandom();
    private int t;
    private int length;
    private int offset;

    Frames(Context context) {
      this.context = context;
    }

    @Override
    public Space observationSpace() {
      return OBSERVATION;
    }

    @Override
    public Space actionSpace() {
      return ACTION;
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public void setContext(Context context) {
      this.context = context;
    }

    @Override
    public void seed(long seed) {
      rng = new SplittableRandom(seed);
    }

    @Override
    public void reset(ByteBuffer obs, int off) {
      t = 0;
      length = 50 + rng.nextInt(101);
      offset = rng.nextInt(256);
      draw(obs, off);
    }

    @Override
    public double step(ByteBuffer actions, int aoff, ByteBuffer obs, int ooff) {
      offset += 1 + (int) actions.getLong(aoff);
      t++;
      draw(obs, ooff);
      return (offset & 7) == 0 ? 1 : 0;
    }

    private void draw(ByteBuffer obs, int off) {
      for (int i = 0; i < SIZE; i += 8) {
        long v = (i + offset) * 0x0101010101010101L;
        obs.putLong(off + i, v);
      }
    }

    @Override
    public boolean terminated() {
      return t >= length;
    }
  }
}
