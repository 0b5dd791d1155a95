package dev.zeroshot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.zeroshot.mbtl.exec.Command;
import dev.zeroshot.mbtl.exec.ExecutorException;
import dev.zeroshot.mbtl.exec.JobState;
import dev.zeroshot.mbtl.exec.SlurmExecutor;
import dev.zeroshot.mbtl.exec.SlurmOptions;
import dev.zeroshot.mbtl.exec.TrainingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mbtl run --executor slurm} on a real Slurm cluster whose nodes share this filesystem
 * (scripts/slurm/cluster.sh starts two, node1 and node2, on one machine). Found through
 * {@code SLURM_CONF} and a working {@code sinfo}; without them every test is skipped, saying why.
 */
class SlurmClusterTest {

  @TempDir
  Path dir;

  /** CPUs of the smallest node. */
  private static int nodeCpus;

  /** Why there is no cluster to test on, or null when there is one. */
  private static String noCluster;

  @BeforeAll
  static void findTheCluster() {
    String conf = System.getenv("SLURM_CONF");
    if (conf == null || !Files.isRegularFile(Path.of(conf))) {
      noCluster = "no Slurm cluster: SLURM_CONF is not set (start one with scripts/slurm/cluster.sh start and export "
          + "its env)";
      return;
    }
    Command sinfo;
    try {
      sinfo = Command.run(List.of("sinfo", "-h", "-N", "-o", "%N %c %T"), Map.of(), Duration.ofSeconds(5));
    } catch (java.io.IOException e) {
      noCluster = "no Slurm cluster: sinfo is not installed";
      return;
    }
    if (!sinfo.ok() || sinfo.stdout().isBlank()) {
      noCluster = "no Slurm cluster: sinfo does not answer: " + sinfo.errorLine();
      return;
    }
    TreeSet<String> nodes = new TreeSet<>();
    int cpus = Integer.MAX_VALUE;
    for (String line : sinfo.stdout().strip().split("\n")) {
      String[] f = line.strip().split("\\s+");
      nodes.add(f[0]);
      cpus = Math.min(cpus, Integer.parseInt(f[1]));
    }
    noCluster = nodes.size() >= 2 ? null : "the Slurm cluster has one node: these tests need two (" + nodes + ")";
    nodeCpus = cpus;
  }

  /** Each test is reported skipped, with the reason, when there is no cluster. */
  @BeforeEach
  void needsTheCluster() {
    Assumptions.assumeTrue(noCluster == null, noCluster);
  }

  private static CliRun run(String... args) {
    return CliRun.run(args);
  }

  private static String[] concat(String[] a, String... b) {
    return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
  }

  /** A tiny sweep: CartPole, pole length in N tasks, every task trained too (one job array). */
  private static String[] sweep(Path out, int tasks) {
    return new String[] {"mbtl", "run", "--env", "CartPole-v1", "--feature", "length", "--range", "0.2:1.6",
        "--tasks", Integer.toString(tasks), "--budget", "2", "--steps-per-task", "1024", "--eval-episodes", "2",
        "--with-baselines", "--out", out.toString()};
  }

  private static String sh(String script) throws Exception {
    Command c = Command.run(List.of("sh", "-c", script), Map.of(), Duration.ofSeconds(30));
    assertTrue(c.ok(), script + ": " + c.errorLine());
    return c.stdout();
  }

  /** Slurm's records of the jobs named {@code name}: one line per (array) job, "id node". */
  private static List<String> jobs(String name) throws Exception {
    String s = sh("squeue -h -r -t all -n '" + name + "' -o '%i %N'").strip();
    return s.isEmpty() ? List.of() : List.of(s.split("\n"));
  }

  /** The last lines of every job log of a sweep, for a failure's message. */
  private static String logs(Path sweep) throws Exception {
    StringBuilder s = new StringBuilder();
    try (Stream<Path> files = Files.list(sweep.resolve("slurm"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        s.append("== ").append(f).append('\n')
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()))).append('\n');
      }
    }
    return s.toString();
  }

  private static JsonObject state(Path sweep) throws Exception {
    return JsonParser.parseString(Files.readString(sweep.resolve("sweep.json"))).getAsJsonObject();
  }

  /** A launcher that runs {@code before} in sh (with the zeroshot arguments as "$@"), then Zeroshot as usual. */
  private Path launcher(String name, String before) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + before + "\nexec " + SlurmOptions.defaultLauncher(Zeroshot.class.getName())
        + " \"$@\"\n");
    return p;
  }

  @Test
  void aSweepThroughSlurmGivesTheSamePicksAndValuesAsLocallyUsingBothNodes() throws Exception {
    Path local = dir.resolve("local");
    Path slurm = dir.resolve("slurm-same-" + System.nanoTime());
    CliRun l = run(sweep(local, 4));
    assertEquals(0, l.exit, l.err);
    // half a node's CPUs per job: the 4 jobs of the array fill both nodes at once on an idle cluster
    String idle = sh("sinfo -h -N -o '%N %T'").strip().replace('\n', ',');
    CliRun s = run(concat(sweep(slurm, 4), "--executor", "slurm", "--slurm-cpus", Integer.toString(Math.max(1, nodeCpus / 2))));
    assertEquals(0, s.exit, s.err);
    System.out.println("mbtl run --executor slurm (4 tasks, 1,024 steps each):\n" + s.out);
    for (String f : new String[] {"summary.csv", "mbtl.csv", "matrix.csv", "returns.csv"}) {
      assertEquals(Files.readString(local.resolve(f)), Files.readString(slurm.resolve(f)), f);
    }
    List<String> records = jobs("zeroshot-mbtl-" + slurm.getFileName());
    assertEquals(4, records.size(), "one array of 4 trainings: " + records);
    TreeSet<String> nodes = new TreeSet<>();
    records.forEach(r -> nodes.add(r.split(" ")[1]));
    assertEquals(2, nodes.size(), "both nodes ran trainings: " + records + " (nodes at the start: " + idle + ")");
    assertTrue(s.out.contains("slurm: 4 job(s) on "), s.out);
    JsonObject st = state(slurm);
    assertFalse(st.has("jobs") || st.has("failed"), "nothing left in flight or failed: " + st.keySet());
  }

  @Test
  void aFailedAndACancelledJobAreMarkedWithTheirLogsAndRetriedOnResume() throws Exception {
    Path sweep = dir.resolve("slurm-fail-" + System.nanoTime());
    Path flaky = launcher("flaky.sh", """
        case "$*" in
          *"--task 1") if [ ! -e "%1$s/failed-once" ]; then touch "%1$s/failed-once"; echo "test: task 1 fails" >&2; exit 3; fi ;;
          *"--task 0") if [ ! -e "%1$s/slept-once" ]; then touch "%1$s/slept-once"; exec sleep 300; fi ;;
        esac""".formatted(dir));
    try {
      failedAndCancelled(sweep, flaky);
    } finally { // task 0's sleeper must not hold a node for the other tests if an assertion failed
      sh("scancel -n zeroshot-mbtl-" + sweep.getFileName());
    }
  }

  private void failedAndCancelled(Path sweep, Path flaky) throws Exception {
    CliRun first = run(concat(sweep(sweep, 3), "--executor", "slurm", "--slurm-launcher", "sh " + flaky));
    assertEquals(2, first.exit, first.err);
    String line = first.err.lines().filter(x -> x.startsWith("error: ")).findFirst().orElseThrow();
    assertTrue(line.startsWith("error: task 1 failed"), line + "\n" + logs(sweep));
    // the array index is the task's place in its batch, which depends on the order the requests came in
    assertTrue(line.matches("error: task 1 failed: slurm job (\\d+_\\d+) ended FAILED \\(exit 3\\) on node\\d "
        + "\\(NonZeroExitCode\\); log: .*/slurm/\\d+_\\d+\\.log; the sweep is saved: run again with --resume .*"),
        line);
    String log = line.replaceAll(".*; log: (\\S+);.*", "$1");
    assertEquals("test: task 1 fails\n", Files.readString(Path.of(log)));
    JsonObject st = state(sweep);
    assertTrue(st.getAsJsonObject("failed").get("1").getAsString().contains("FAILED (exit 3)"), st.toString());
    String sleeper = st.getAsJsonObject("jobs").getAsJsonObject("0").get("id").getAsString();

    // task 0's job still runs, saved: cancel it, and the resumed sweep re-attaches and finds it CANCELLED
    sh("scancel " + sleeper);
    CliRun second = run("mbtl", "run", "--resume", sweep.toString(), "--executor", "slurm");
    assertEquals(2, second.exit, second.err);
    assertTrue(second.err.contains("task 0: re-attached to slurm job " + sleeper), second.err);
    assertTrue(second.err.contains("error: task 0 failed: slurm job " + sleeper + " ended CANCELLED (signal 15)"),
        second.err);

    CliRun third = run("mbtl", "run", "--resume", sweep.toString(), "--executor", "slurm");
    assertEquals(0, third.exit, third.err);
    assertTrue(third.out.contains("trained 3 of 3 tasks"), third.out);
    JsonObject done = state(sweep);
    assertFalse(done.has("jobs") || done.has("failed"), done.keySet().toString());
  }

  @Test
  void aKilledControllerResumedReattachesWithoutSubmittingAgain() throws Exception {
    Path sweep = dir.resolve("slurm-kill-" + System.nanoTime());
    Path slow = launcher("slow.sh", "sleep 5");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Zeroshot.class.getName()));
    cmd.addAll(List.of(concat(sweep(sweep, 3), "--executor", "slurm", "--slurm-launcher", "sh " + slow)));
    Process controller = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("controller.log").toFile()).start();
    try {
      for (int i = 0; i < 600 && !(Files.exists(sweep.resolve("sweep.json")) && state(sweep).has("jobs")); i++) {
        Thread.sleep(100);
      }
    } finally {
      controller.destroyForcibly().waitFor();
    }
    JsonObject st = state(sweep);
    assertTrue(st.has("jobs"), "the controller saved its jobs before it was killed: "
        + Files.readString(dir.resolve("controller.log")));
    String name = "zeroshot-mbtl-" + sweep.getFileName();
    List<String> before = jobs(name);
    assertEquals(st.getAsJsonObject("jobs").size(), before.size(), before.toString());

    CliRun resumed = run("mbtl", "run", "--resume", sweep.toString(), "--executor", "slurm");
    assertEquals(0, resumed.exit, resumed.err);
    for (String task : st.getAsJsonObject("jobs").keySet()) {
      String id = st.getAsJsonObject("jobs").getAsJsonObject(task).get("id").getAsString();
      assertTrue(resumed.err.contains("task " + task + ": re-attached to slurm job " + id), resumed.err);
    }
    assertEquals(before.size(), jobs(name).size(), "no job submitted twice: " + jobs(name));
    assertTrue(resumed.out.contains("trained 3 of 3 tasks"), resumed.out);
  }

  @Test
  void aRejectedSubmissionIsOneLineWithSlurmsReasonAndNothingLost() throws Exception {
    Path sweep = dir.resolve("slurm-bad-" + System.nanoTime());
    CliRun r = run(concat(sweep(sweep, 3), "--executor", "slurm", "--slurm-partition", "nosuch"));
    assertEquals(2, r.exit, r.err);
    String line = r.err.lines().filter(x -> x.startsWith("error: ")).findFirst().orElseThrow();
    assertTrue(line.startsWith("error: Slurm rejected the job: sbatch: error: invalid partition specified: nosuch"),
        line);
    assertEquals(1, r.err.lines().filter(x -> x.startsWith("error") || x.contains("Exception")).count(), r.err);
    JsonObject st = state(sweep);
    assertFalse(st.has("jobs"), "no job saved: " + st);
    assertEquals(0, st.getAsJsonArray("trained").size());
  }

  @Test
  void aGridThroughSlurmGivesTheSameReturnsAsLocally() throws Exception {
    String[] grid = {"grid", "--env", "CartPole-v1,MountainCar-v0", "--seed", "1,2", "--steps", "1024"};
    Path local = dir.resolve("grid-local");
    Path slurm = dir.resolve("grid-slurm-" + System.nanoTime());
    CliRun l = CliRun.run(concat(grid, "--out", local.toString(), "--parallel", "2"));
    assertEquals(0, l.exit(), l.err());
    CliRun s = CliRun.run(concat(grid, "--out", slurm.toString(), "--executor", "slurm"));
    assertEquals(0, s.exit(), s.err());
    System.out.println("zeroshot grid --executor slurm:\n" + s.out());
    assertEquals(GridCommandTest.results(local), GridCommandTest.results(slurm));
    assertEquals(4, jobs("zeroshot-grid-" + slurm.getFileName()).size(), "one array of 4 trainings");
  }

  @Test
  void aRequeuedGridJobResumesItsRunFromTheLastCheckpoint() throws Exception {
    Path grid = dir.resolve("grid-requeue-" + System.nanoTime());
    Path run = grid.resolve("runs/CartPole-v1-seed1-checkpoint-every1");
    // 400 updates of 512 steps: long enough to be requeued while it trains, a checkpoint after each
    java.util.concurrent.CompletableFuture<CliRun> controller = java.util.concurrent.CompletableFuture
        .supplyAsync(() -> CliRun.run("grid", "--env", "CartPole-v1", "--steps", "204800", "--vary",
            "checkpoint-every=1", "--out", grid.toString(), "--executor", "slurm"));
    try {
      for (int i = 0; i < 1200 && !Files.exists(run.resolve("checkpoint.ckpt")) && !controller.isDone(); i++) {
        Thread.sleep(100);
      }
      assertTrue(Files.exists(run.resolve("checkpoint.ckpt")), "the training wrote a checkpoint: "
          + (controller.isDone() ? controller.get().err() : "still running"));
      String id = JsonParser.parseString(Files.readString(grid.resolve("grid.json"))).getAsJsonObject()
          .getAsJsonArray("runs").get(0).getAsJsonObject().get("job").getAsString();
      sh("scontrol requeue " + id);
      // Slurm holds a requeued job for its credential lifetime (120 s by default): let it start now
      String state = "";
      for (int i = 0; i < 300 && !state.startsWith("PENDING"); i++) {
        state = sh("squeue -h -j " + id + " -o %T").strip();
        Thread.sleep(100);
      }
      assertEquals("PENDING", state, "requeued");
      List<String> beforeRestart = Files.readAllLines(run.resolve("metrics.csv")); // the killed try's rows
      sh("scontrol update JobId=" + id + " StartTime=now");

      CliRun r = controller.get(300, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(0, r.exit(), r.err());
      assertTrue(sh("scontrol show job -o " + id).matches("(?s).*JobState=COMPLETED .*Restarts=1 .*"),
          sh("scontrol show job -o " + id));
      String log = Files.readString(grid.resolve("slurm").resolve(id + ".log"));
      assertTrue(log.contains("zeroshot: Slurm restarted this job (1): resuming from " + run.resolve("checkpoint.ckpt")),
          log);
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("resuming " + java.util.regex.Pattern.quote(
          run.toString()) + " at update (\\d+) ").matcher(log);
      assertTrue(m.find(), log);
      int resumedAt = Integer.parseInt(m.group(1));
      System.out.println("zeroshot grid, job " + id + " requeued after its first checkpoint:\n" + log.lines()
          .filter(l -> l.startsWith("zeroshot:") || l.startsWith("resuming") || l.startsWith("done")).toList()
          + "\n" + r.out());
      assertTrue(resumedAt >= 1, log);

      // the rows up to the checkpoint are the killed try's own (its timings too), then one row per update on
      List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
      assertEquals(beforeRestart.subList(0, resumedAt + 1), rows.subList(0, resumedAt + 1));
      for (int u = 1; u < rows.size(); u++) {
        assertEquals(u, Integer.parseInt(rows.get(u).split(",")[0]), "update " + u + ": " + rows.get(u));
      }
      List<String> results = GridCommandTest.results(grid);
      assertTrue(results.get(1).matches("CartPole-v1,1,1,204800,\\d+\\.\\d{4},done"), results.toString());
    } finally {
      controller.cancel(true);
      sh("scancel -n zeroshot-grid-" + grid.getFileName());
    }
  }

  @Test
  void cancelThroughTheExecutor() throws Exception {
    SlurmOptions o = new SlurmOptions(null, null, null, null, null, null, List.of(), "sleep", "zeroshot-cancel-test",
        Duration.ofSeconds(30));
    SlurmExecutor x = new SlurmExecutor(o, dir.resolve("logs"), Map.of(), note -> { });
    String id = x.submit(List.of(new TrainingJob("sleeper", List.of("300")))).get(0);
    x.cancel(id);
    JobState s = null;
    for (int i = 0; i < 100 && (s == null || !s.ended()); i++) {
      s = x.poll(List.of(id)).get(id);
      Thread.sleep(100);
    }
    assertEquals(JobState.Phase.CANCELLED, s.phase(), String.valueOf(s));
  }

  @Test
  void anUnreachableSlurmIsRetriedWithPausesThenOneLine() throws Exception {
    // the same cluster's configuration with a port nobody listens on: Slurm's own "connect failure"
    Path bad = dir.resolve("unreachable.conf");
    Files.writeString(bad, Files.readString(Path.of(System.getenv("SLURM_CONF")))
        .replaceAll("(?m)^SlurmctldPort=.*$", "SlurmctldPort=6999") + "\nMessageTimeout=1\n");
    List<String> notes = new ArrayList<>();
    SlurmOptions o = new SlurmOptions(null, null, null, null, null, null, List.of(), "zeroshot", "j",
        Duration.ofSeconds(4));
    SlurmExecutor x = new SlurmExecutor(o, dir.resolve("logs"), Map.of("SLURM_CONF", bad.toString()), notes::add);
    ExecutorException e = assertThrows(ExecutorException.class, () -> x.poll(List.of("1")));
    assertTrue(e.getMessage().startsWith("Slurm did not answer for 4 s (squeue: "), e.getMessage());
    assertTrue(e.getMessage().contains("Unable to contact slurm controller"), e.getMessage());
    assertFalse(notes.isEmpty(), "it tried again before giving up");
    assertTrue(notes.get(0).contains("trying again in 1 s"), notes.get(0));
  }
}
