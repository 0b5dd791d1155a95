package dev.zeroshot.cli;

import com.google.protobuf.ByteString;
import dev.zeroshot.client.RemoteVectorEnv;
import dev.zeroshot.proto.v1.DType;
import dev.zeroshot.proto.v1.EnvServiceGrpc;
import dev.zeroshot.proto.v1.MakeRequest;
import dev.zeroshot.proto.v1.ResetRequest;
import dev.zeroshot.proto.v1.SessionRequest;
import dev.zeroshot.proto.v1.SessionResponse;
import dev.zeroshot.proto.v1.StepRequest;
import dev.zeroshot.proto.v1.Tensor;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zeroshot bench-load}: the server under many clients (issue 16). For each session count,
 * a {@code zeroshot serve} process and a client process that opens that many CartPole sessions
 * and steps them (each sends its next step as its last reply arrives); then the client process
 * is killed (SIGKILL, as a crash would). Printed: steps/s, the server's resident memory before, during (the peak) and after,
 * and the server's live sessions once the kill has been noticed. Then the same with one client
 * that pipelines steps and never reads a reply: the server's memory must stay flat.
 */
@Command(name = "bench-load", mixinStandardHelpOptions = true,
    description = "Many concurrent CartPole sessions against a zeroshot serve process, then all clients killed: "
        + "steps/s, server RSS before/during/after, live sessions after; and a client that never reads.")
final class LoadBenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--sessions", split = ",", description = "concurrent sessions, one run each (default: 100,1000)")
  List<Integer> sessions = List.of(100, 1000);

  @Option(names = "--envs-per-session", description = "CartPole envs of each session (default: ${DEFAULT-VALUE})")
  int envsPerSession = 1;

  @Option(names = "--seconds", description = "measured seconds per run (default: ${DEFAULT-VALUE})")
  double seconds = 10;

  @Option(names = "--server-heap", description = "the server's -Xmx (default: ${DEFAULT-VALUE})")
  String serverHeap = "1g";

  @Option(names = "--server-jar", paramLabel = "JAR",
      description = "run the server from this zeroshot.jar (e.g. another build, to compare); default: this one")
  Path serverJar;

  @Option(names = "--no-never-reading", description = "leave out the run with a client that never reads")
  boolean noNeverReading;

  // The client process's role (this command started again by itself).
  @Option(names = "--client-of", hidden = true)
  String clientOf;

  @Option(names = "--never-read", hidden = true)
  boolean neverRead;

  @Override
  public Integer call() throws Exception {
    if (clientOf != null) {
      return neverRead ? neverReadingClient(clientOf, envsPerSession) : clients(clientOf, sessions.get(0), envsPerSession);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "bench-load: CartPole-v1 x %d per session, %.0f s per run, server -Xmx%s, %d core(s), load %s%n",
        envsPerSession, seconds, serverHeap, Runtime.getRuntime().availableProcessors(), BenchPpoCommand.load());
    out.println("sessions   steps/s   server RSS MB: before / during (peak) / after   live sessions after kill");
    out.flush();
    for (int n : sessions) {
      run(out, n, false);
    }
    if (!noNeverReading) {
      out.println("one client pipelining steps of 64 envs and never reading (server RSS MB before / peak / at the end):");
      out.flush();
      run(out, 1, true);
    }
    return 0;
  }

  /** One run: a fresh server, {@code n} sessions in a client process, the client killed. */
  private void run(PrintWriter out, int n, boolean neverReading) throws Exception {
    Server server = Server.start(serverCommand(n));
    try {
      Thread.sleep(1000);
      long before = rssMb(server.process.pid());
      List<String> client = new ArrayList<>(List.of(java(), "-Xmx2g", "-cp", classpath(), Zeroshot.class.getName(),
          "bench-load", "--client-of", "127.0.0.1:" + server.port, "--sessions", Integer.toString(n),
          "--envs-per-session", Integer.toString(neverReading ? 64 : envsPerSession)));
      if (neverReading) {
        client.add("--never-read");
      }
      Process clients = new ProcessBuilder(client).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Runtime.getRuntime().addShutdownHook(new Thread(clients::destroyForcibly));
      BufferedReader lines = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
      AtomicLong steps = new AtomicLong(-1);
      Thread reader = new Thread(() -> {
        try {
          for (String line; (line = lines.readLine()) != null; ) {
            if (line.startsWith("steps ")) {
              steps.set(Long.parseLong(line.substring(6).trim()));
            }
          }
        } catch (IOException e) {
          // the client process was killed
        }
      }, "bench-load-client-output");
      reader.setDaemon(true);
      reader.start();
      long deadline = System.nanoTime() + 120_000_000_000L;
      while (steps.get() < 0 && System.nanoTime() < deadline && clients.isAlive()) {
        Thread.sleep(50); // until every session is made and stepping ("steps" lines begin)
      }
      long s0 = steps.get();
      long t0 = System.nanoTime();
      long peak = 0;
      while (System.nanoTime() - t0 < seconds * 1e9) {
        peak = Math.max(peak, rssMb(server.process.pid()));
        Thread.sleep(250);
      }
      double rate = (steps.get() - s0) / ((System.nanoTime() - t0) / 1e9);
      long atEnd = rssMb(server.process.pid());
      clients.destroyForcibly().waitFor();
      int live = server.awaitLiveSessions(0, 30);
      Thread.sleep(2000);
      long after = rssMb(server.process.pid());
      if (neverReading) {
        out.printf(Locale.ROOT, "  %d / %d / %d MB while the client sent %,d step requests (64 envs each); the server "
            + "stepped %,d times for it; live sessions after kill: %d%n", before, peak, atEnd, steps.get() / 64,
            server.endedSteps.get() / 64, live);
      } else {
        out.printf(Locale.ROOT, "%8d %9.0f   %6d / %6d / %6d %26d%n", n, rate, before, peak, after, live);
      }
      out.flush();
    } finally {
      server.stop();
    }
  }

  private List<String> serverCommand(int n) {
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx" + serverHeap));
    if (serverJar != null) {
      cmd.addAll(List.of("-jar", serverJar.toString()));
    } else {
      cmd.addAll(List.of("-cp", classpath(), Zeroshot.class.getName()));
    }
    cmd.addAll(List.of("serve", "--port", "0", "--max-sessions", Integer.toString(n + 10),
        "--max-sessions-per-client", Integer.toString(n + 10)));
    return cmd;
  }

  /** A zeroshot serve process: its port, and its log's live-session count. */
  private static final class Server {
    final Process process;
    final int port;
    private volatile int liveSessions = -1;
    private final AtomicLong endedSteps = new AtomicLong(); // env steps of the sessions that ended, from the log

    private Server(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static Server start(List<String> command) throws Exception {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly)); // if the benchmark is stopped
      BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Pattern listening = Pattern.compile("listening on \\S+:(\\d+)");
      for (String line; (line = in.readLine()) != null; ) {
        Matcher m = listening.matcher(line);
        if (m.find()) {
          Server s = new Server(p, Integer.parseInt(m.group(1)));
          Thread t = new Thread(() -> s.follow(in), "bench-load-server-log");
          t.setDaemon(true);
          t.start();
          return s;
        }
      }
      throw new IllegalStateException("the server exited without listening: " + command);
    }

    private void follow(BufferedReader log) {
      Pattern live = Pattern.compile("session freed .* liveSessions=(\\d+)");
      Pattern ended = Pattern.compile("session ended .* steps=(\\d+)");
      try {
        for (String line; (line = log.readLine()) != null; ) {
          Matcher m = live.matcher(line);
          if (m.find()) {
            liveSessions = Integer.parseInt(m.group(1));
          }
          Matcher e = ended.matcher(line);
          if (e.find()) {
            endedSteps.addAndGet(Long.parseLong(e.group(1)));
          }
        }
      } catch (IOException e) {
        // the server stopped
      }
    }

    /** Waits up to {@code seconds} for the log to report {@code expected} live sessions; returns the last count. */
    int awaitLiveSessions(int expected, int seconds) throws InterruptedException {
      long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      while (liveSessions != expected && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      return liveSessions;
    }

    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /**
   * The client process: {@code n} sessions, each a Session stream that sends its next step as soon
   * as the last one's reply arrives (from gRPC's callbacks, so that n sessions need no n threads
   * spinning for replies), until the process is killed.
   */
  private static int clients(String target, int n, int envs) throws Exception {
    int channels = Math.max(1, n / 100); // spread the streams over several connections (and event loops)
    List<ManagedChannel> chs = new ArrayList<>();
    for (int c = 0; c < channels; c++) {
      chs.add(RemoteVectorEnv.channel(target, 64 << 20));
    }
    AtomicLong steps = new AtomicLong();
    java.util.concurrent.CountDownLatch made = new java.util.concurrent.CountDownLatch(n);
    SessionRequest step = stepRequest(envs);
    for (int i = 0; i < n; i++) {
      ClientCall<SessionRequest, SessionResponse> call = chs.get(i % channels).newCall(EnvServiceGrpc.getSessionMethod(),
          CallOptions.DEFAULT);
      call.start(new ClientCall.Listener<>() {
        @Override
        public void onMessage(SessionResponse r) {
          if (r.hasMake()) {
            call.sendMessage(SessionRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(1)).build());
          } else {
            if (r.hasReset()) {
              made.countDown();
            } else {
              steps.addAndGet(envs);
            }
            call.sendMessage(step); // CartPole autoresets: any action steps on
          }
          call.request(1);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          System.err.println("session ended: " + status);
        }
      }, new Metadata());
      call.request(1);
      call.sendMessage(SessionRequest.newBuilder().setMake(MakeRequest.newBuilder().setEnvId("CartPole-v1")
          .setNumEnvs(envs)).build());
    }
    made.await();
    report(steps);
    return 0;
  }

  private static SessionRequest stepRequest(int envs) {
    return SessionRequest.newBuilder().setStep(StepRequest.newBuilder().setActions(Tensor.newBuilder()
        .setDtype(DType.DTYPE_INT64).addShape(envs).setData(ByteString.copyFrom(new byte[8 * envs])))).build();
  }

  /** The hostile client: one session that sends steps as fast as it can and reads nothing. */
  private static int neverReadingClient(String target, int envs) throws Exception {
    ManagedChannel ch = RemoteVectorEnv.channel(target, 64 << 20);
    ClientCall<SessionRequest, SessionResponse> call = ch.newCall(EnvServiceGrpc.getSessionMethod(), CallOptions.DEFAULT);
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onClose(Status status, Metadata trailers) {
        System.err.println("session ended: " + status);
      }
    }, new Metadata()); // and never call.request(): no reply is read
    call.sendMessage(SessionRequest.newBuilder().setMake(MakeRequest.newBuilder().setEnvId("CartPole-v1")
        .setNumEnvs(envs)).build());
    call.sendMessage(SessionRequest.newBuilder().setReset(ResetRequest.newBuilder().setSeed(1)).build());
    SessionRequest step = stepRequest(envs);
    AtomicLong sent = new AtomicLong();
    while (!call.isReady()) {
      Thread.sleep(1); // until the stream is open: requests sent before would wait in this process
    }
    Thread t = new Thread(() -> {
      // as an attacker would: without waiting for the transport to be ready (what it cannot send
      // yet waits in this process), up to 200,000 requests (about 110 MB here)
      for (int i = 0; i < 200_000; i++) {
        call.sendMessage(step);
        sent.addAndGet(envs);
      }
    }, "bench-load-never-reading");
    t.setDaemon(true);
    t.start();
    report(sent); // env steps asked for: the server steps only as far as its back-pressure lets it
    return 0;
  }

  /** Prints "steps N" four times a second until the process is killed. */
  private static void report(AtomicLong steps) throws InterruptedException {
    while (true) {
      System.out.println("steps " + steps.get());
      System.out.flush();
      Thread.sleep(250);
    }
  }

  private static long rssMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException e) {
      // not Linux, or the process is gone
    }
    return -1;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String classpath() {
    return System.getProperty("java.class.path") + File.pathSeparator;
  }
}
