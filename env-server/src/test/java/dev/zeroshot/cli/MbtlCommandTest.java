package dev.zeroshot.cli;

import static dev.zeroshot.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zeroshot mbtl} as a user types it. */
class MbtlCommandTest {

  @TempDir
  Path dir;

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void synthThenSimulateWritesTheReport() throws Exception {
    Path m = dir.resolve("m.csv");
    CliRun s = run("mbtl", "synth", "--kind", "cliff", "--tasks", "16", "--out", m.toString());
    assertEquals(0, s.exit, s.err);
    Path out = dir.resolve("report");
    CliRun r = run("mbtl", "simulate", "--matrix", m.toString(), "--steps", "5", "--strategies", "all",
        "--out", out.toString());
    assertEquals(0, r.exit, r.err);
    for (String f : new String[] {"mbtl.csv", "mbtl-paper.csv", "random.csv", "greedy.csv", "oracle.csv",
        "summary.csv", "report.json", "curves.png", "matrix.png"}) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    assertTrue(r.err.contains("random: 100/100"), "progress of the random orderings: " + r.err);
    String header = r.out.lines().filter(l -> l.startsWith("strategy")).findFirst().orElseThrow();
    assertEquals(List.of("strategy", "V_1", "V_3", "V_5", "mean", "V", "agg", "first", "picks"),
        List.of(header.trim().split(" +")));
    JsonObject json = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
    assertEquals("zeroshot-mbtl-simulate/1", json.get("format").getAsString());
    assertEquals(16, json.getAsJsonObject("matrix").get("n").getAsInt());
    assertTrue(json.getAsJsonObject("options").get("theta").isJsonNull());
    assertEquals(dev.zeroshot.mbtl.Strategies.ALL.size(), json.getAsJsonArray("strategies").size());
    // the table's mbtl row agrees with the CSV
    String csv = Files.readString(out.resolve("mbtl.csv"));
    assertTrue(csv.startsWith("k,pick,V,"), csv);
    assertTrue(csv.contains("\n1,7,"), "first pick is the middle task 7 of 0..15:\n" + csv);
  }

  @Test
  void benchTimesEveryModeAgainstThePaperMode() {
    CliRun r = run("mbtl", "bench", "--tasks", "12", "--steps", "4", "--rounds", "1");
    assertEquals(0, r.exit, r.err);
    assertTrue(r.out.contains("mbtl-paper") && r.out.contains("1.00x the paper mode (baseline)"), r.out);
    assertTrue(r.out.contains("\nmbtl ") && r.out.contains("\nmbtl-ei "), r.out);
  }

  @Test
  void helpListsEveryStrategy() {
    CliRun r = run("mbtl", "simulate", "--help");
    assertEquals(0, r.exit);
    String flat = r.out.replaceAll("\\s+", " ");
    for (String name : dev.zeroshot.mbtl.Strategies.ALL.keySet()) {
      assertTrue(flat.contains(" " + name + ",") || flat.contains(" " + name + " "), name + " missing from help:\n" + r.out);
    }
  }

  @Test
  void badInputIsOneClearLineAndExitCode2() throws Exception {
    Path out = dir.resolve("o");
    Path ragged = write("ragged.csv", "1,2,3\n4,5\n6,7,8\n");
    CliRun a = run("mbtl", "simulate", "--matrix", ragged.toString(), "--steps", "2", "--out", out.toString());
    assertEquals(2, a.exit);
    assertTrue(a.err.contains("line 2") && a.err.contains("ragged"), a.err);

    Path text = write("text.csv", "0.1,0.2\n0.3,x\n");
    CliRun b = run("mbtl", "simulate", "--matrix", text.toString(), "--steps", "2", "--out", out.toString());
    assertEquals(2, b.exit);
    assertTrue(b.err.contains("line 2, column 2: not a number: 'x'"), b.err);

    Path rect = write("rect.csv", "0.1,0.2,0.3\n0.3,0.4,0.5\n");
    CliRun c = run("mbtl", "simulate", "--matrix", rect.toString(), "--steps", "2", "--out", out.toString());
    assertEquals(2, c.exit);
    assertTrue(c.err.contains("not square"), c.err);

    Path ok = write("ok.csv", "0.9,0.1\n0.2,0.8\n");
    CliRun d = run("mbtl", "simulate", "--matrix", ok.toString(), "--steps", "3", "--out", out.toString());
    assertEquals(2, d.exit);
    assertTrue(d.err.contains("--steps 3") && d.err.contains("1..2"), d.err);

    CliRun e = run("mbtl", "simulate", "--matrix", ok.toString(), "--steps", "1", "--strategies", "mbtl,magic",
        "--out", out.toString());
    assertEquals(2, e.exit);
    assertTrue(e.err.contains("unknown strategy 'magic'") && e.err.contains("sequential-oracle"), e.err);

    CliRun f = run("mbtl", "simulate", "--matrix", dir.resolve("missing.csv").toString(), "--steps", "1",
        "--out", out.toString());
    assertEquals(2, f.exit);
    assertTrue(f.err.contains("not found"), f.err);

    Path file = write("afile", "");
    CliRun g = run("mbtl", "simulate", "--matrix", ok.toString(), "--steps", "1", "--out", file.toString());
    assertEquals(2, g.exit);
    assertTrue(g.err.contains("not a folder"), g.err);

    for (CliRun x : new CliRun[] {a, b, c, d, e, f, g}) {
      assertFalse(x.err.contains("Exception") || x.err.contains("\tat "), "stack trace:\n" + x.err);
    }
    assertFalse(Files.exists(out), "nothing written on bad input");
  }

  @Test
  void runTrainsThePicksWritesTheReportAndResumes() throws Exception {
    Path out = dir.resolve("sweep");
    CliRun r = run("mbtl", "run", "--env", "CartPole-v1", "--feature", "masscart", "--range", "0.5:4", "--tasks", "3",
        "--budget", "2", "--steps-per-task", "512", "--eval-episodes", "2", "--strategy", "mbtl,greedy",
        "--multi-task", "--out", out.toString());
    assertEquals(0, r.exit, r.err);
    assertTrue(r.err.contains("mbtl: k = 1/2 picks task 1 (masscart="), "progress on stderr: " + r.err);
    assertTrue(r.err.contains("[1 of 3 tasks trained] task 1"), r.err);
    String header = r.out.lines().filter(l -> l.startsWith("strategy")).findFirst().orElseThrow();
    assertEquals(List.of("strategy", "V_1", "V_2", "mean", "V", "samples@K", "picks"),
        List.of(header.trim().split(" +")), "K = 2: each budget's column once");
    assertTrue(r.out.contains("no sample-efficiency ratio"), r.out);
    assertTrue(r.out.contains("multi-task training: V = ") && r.out.contains("for 1,536 samples"), r.out);
    assertTrue(r.err.contains("[multi-task] one policy on all 3 tasks: 1,536 steps"), r.err);
    for (String f : new String[] {"sweep.json", "mbtl.csv", "greedy.csv", "matrix.csv", "returns.csv", "trained.csv",
        "summary.csv", "report.json", "curves.png", "matrix.png", "tasks/task-001/checkpoint.ckpt"}) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    JsonObject json = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
    assertEquals("zeroshot-mbtl-run/1", json.get("format").getAsString());
    int trained = json.getAsJsonArray("trained").size();
    assertEquals(trained * 512L + 3 * 512L, json.get("samplesSpent").getAsLong(), "the tasks and the multi-task policy");
    String[] mbtlCsv = Files.readString(out.resolve("mbtl.csv")).split("\n");
    assertTrue(mbtlCsv[0].startsWith("k,pick,masscart,V,samples"), mbtlCsv[0]);
    assertTrue(mbtlCsv[2].contains(",1024,"), "samples after two trainings: " + mbtlCsv[2]);

    // resuming a finished sweep trains nothing and writes the same results
    String summary = Files.readString(out.resolve("summary.csv"));
    CliRun again = run("mbtl", "run", "--resume", out.toString(), "--parallel", "2");
    assertEquals(0, again.exit, again.err);
    assertTrue(again.out.contains("(0 training(s) in this run)"), again.out);
    assertFalse(again.err.contains("trained]"), again.err);
    assertEquals(summary, Files.readString(out.resolve("summary.csv")));
  }

  @Test
  void runRejectsBadInputWithOneLine() {
    String[] base = {"mbtl", "run", "--env", "CartPole-v1", "--steps-per-task", "512", "--out",
        dir.resolve("x").toString()};
    String[][] cases = {
        {"--feature", "polelength", "--range", "0.1:2", "--tasks", "5", "--budget", "2"},
        {"--feature", "length", "--range", "0.1:9", "--tasks", "5", "--budget", "2"},
        {"--feature", "length", "--range", "0.1:2", "--tasks", "5", "--budget", "6"},
        {"--feature", "length", "--range", "2:x", "--tasks", "5", "--budget", "2"},
        {"--feature", "length", "--range", "0.1:2", "--tasks", "5", "--budget", "2", "--strategy", "random"},
        {"--feature", "length", "--range", "0.1:2", "--tasks", "1", "--budget", "1"},
        {"--feature", "length,length", "--range", "0.1:2,0.2:1", "--tasks", "2x2", "--budget", "1"},
        {"--feature", "length", "--range", "0.1:2", "--tasks", "5", "--budget", "2", "--eval-episodes", "0"},
    };
    // the errors name the options as typed (the server's name RunSweep's fields for the same checks)
    String[] expect = {"unknown context feature 'polelength'", "--range 0.1:9.0: context feature 'length' = 9.0 is "
        + "outside the allowed range [0.05, 5.0]", "--budget 6 is out of range: with 5 tasks the budget K must be in 1..5",
        "--range must be A:B", "--strategy 'random' cannot run lazily; use some of: mbtl, mbtl-paper, mbtl-ucb, "
        + "mbtl-ei, gp-mbtl, m-mbtl, mgp-mbtl, greedy, equidistant-sweep (--with-baselines adds every other strategy", "--tasks must be >= 2, "
        + "got 1", "--feature length is given twice", "--eval-episodes must be >= 1, got 0"};
    for (int i = 0; i < cases.length; i++) {
      String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(cases[i]))
          .toArray(String[]::new);
      CliRun r = run(args);
      assertEquals(2, r.exit, String.join(" ", cases[i]) + ": " + r.err);
      assertTrue(r.err.startsWith("error: ") && r.err.contains(expect[i]), r.err);
      assertEquals(1, r.err.strip().split("\n").length, "one line: " + r.err);
    }
    assertFalse(Files.exists(dir.resolve("x").resolve("sweep.json")), "nothing written on bad input");
    CliRun resume = run("mbtl", "run", "--resume", dir.toString(), "--env", "CartPole-v1");
    assertEquals(2, resume.exit);
    assertTrue(resume.err.contains("drop --env"), resume.err);
    CliRun partial = run("mbtl", "run", "--env", "CartPole-v1", "--budget", "2");
    assertEquals(2, partial.exit);
    assertEquals("error: missing --feature, --range, --tasks, --steps-per-task, --out (or --resume DIR)",
        partial.err.strip());
    CliRun missing = run("mbtl", "run", "--resume", dir.resolve("nothing").toString());
    assertTrue(missing.err.startsWith("error: --resume") && missing.err.contains("not a sweep folder"), missing.err);
  }

  @Test
  void runWithoutOptionsIsTheDemoAndNeverOverwritesAnotherSweep() throws Exception {
    dev.zeroshot.mbtl.SweepSettings demo = MbtlCommand.Run.demoSettings();
    assertEquals("CartPole-v1", demo.grid().envId());
    assertEquals("length", demo.grid().feature());
    assertEquals(20, demo.n());
    assertEquals(5, demo.budget());
    assertTrue(demo.withBaselines(), "the demo reports the sample-efficiency ratio");
    assertEquals(java.nio.file.Path.of("runs", "mbtl-demo"), MbtlCommand.Run.DEMO_OUT);

    // a finished sweep with other settings in the demo's folder: refused, left as it was
    Path other = dir.resolve("other");
    CliRun small = run("mbtl", "run", "--env", "CartPole-v1", "--feature", "length", "--range", "0.2:1", "--tasks", "2",
        "--budget", "1", "--steps-per-task", "512", "--eval-episodes", "1", "--out", other.toString());
    assertEquals(0, small.exit, small.err);
    String state = Files.readString(other.resolve("sweep.json"));
    CliRun refused = run("mbtl", "run", "--out", other.toString());
    assertEquals(2, refused.exit, refused.err);
    assertTrue(refused.err.startsWith("error: ") && refused.err.contains("holds a different sweep")
        && refused.err.contains("--resume " + other), refused.err);
    assertEquals(1, refused.err.strip().split("\n").length, "one line: " + refused.err);
    assertEquals(state, Files.readString(other.resolve("sweep.json")));
    assertFalse(Files.exists(other.resolve("tasks").resolve("task-019")), "no demo training there");

    // the demo's own finished sweep (rows from a synthetic matrix instead of 20 PPO trainings):
    // run again, it resumes, trains nothing and reports the efficiency against independent training
    dev.zeroshot.mbtl.TransferMatrix m = dev.zeroshot.mbtl.SyntheticMatrices.generate("smooth", 20, 0.02, 7);
    Path mine = dir.resolve("demo");
    dev.zeroshot.mbtl.Sweep.create(demo, mine).run(task -> {
      double[] row = m.row(task).clone();
      double[] ret = new double[row.length];
      for (int i = 0; i < row.length; i++) {
        ret[i] = 500 * row[i];
      }
      return new dev.zeroshot.mbtl.TrainedTask(task, ret, row, 196_608, ret[task], 0.01, 0.01);
    }, 1, null);
    CliRun again = run("mbtl", "run", "--out", mine.toString());
    assertEquals(0, again.exit, again.err);
    assertTrue(again.out.contains("mbtl run (demo): resuming " + mine + " (20 training(s) saved)"), again.out);
    assertTrue(again.out.contains("(0 training(s) in this run)"), again.out);
    assertTrue(again.out.contains("independent training: V = "), again.out);
  }
  @Test
  void batchPrintsThePerRoundTableAndRejectsAnOutOfRangeQ() throws Exception {
    Path m = dir.resolve("smooth.csv");
    assertEquals(0, run("mbtl", "synth", "--kind", "smooth", "--tasks", "12", "--out", m.toString()).exit);
    Path out = dir.resolve("batch");
    CliRun ok = run("mbtl", "simulate", "--matrix", m.toString(), "--steps", "6", "--batch", "4", "--strategies",
        "mbtl,random", "--out", out.toString());
    assertEquals(0, ok.exit, ok.err);
    assertTrue(ok.out.contains("batch Q = 4: V after each round (2 rounds)"), ok.out);
    assertTrue(ok.out.contains("mbtl Q=4") && ok.out.contains("mbtl Q=1"), ok.out);
    for (String f : new String[] {"batch.csv", "batch-rounds.csv", "batch.png"}) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    assertEquals(4, JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject()
        .getAsJsonObject("options").get("batch").getAsInt());

    Path bad = dir.resolve("bad");
    String[][] simulate = {{"0", "6"}, {"13", "6"}, {"7", "6"}}; // Q = 0, Q > N = 12, Q > K = 6
    for (String[] c : simulate) {
      CliRun r = run("mbtl", "simulate", "--matrix", m.toString(), "--steps", c[1], "--batch", c[0], "--out",
          bad.toString());
      assertEquals(2, r.exit, r.err);
      assertTrue(r.err.startsWith("error: --batch " + c[0] + " is out of range") && r.err.contains("1..K = 6"), r.err);
      assertEquals(1, r.err.strip().split("\n").length, "one line: " + r.err);
    }
    CliRun noMbtl = run("mbtl", "simulate", "--matrix", m.toString(), "--steps", "6", "--batch", "2", "--strategies",
        "greedy", "--out", bad.toString());
    assertEquals(2, noMbtl.exit);
    assertTrue(noMbtl.err.contains("applies to the MBTL modes"), noMbtl.err);
    assertFalse(Files.exists(bad), "nothing written on bad input");

    String[] base = {"mbtl", "run", "--env", "CartPole-v1", "--feature", "length", "--range", "0.1:2", "--tasks", "5",
        "--budget", "3", "--steps-per-task", "512", "--out", bad.toString(), "--batch"};
    for (String q : new String[] {"0", "6", "4"}) { // Q = 0, Q > N = 5, Q > K = 3
      String[] args = java.util.Arrays.copyOf(base, base.length + 1);
      args[base.length] = q;
      CliRun r = run(args);
      assertEquals(2, r.exit, r.err);
      assertTrue(r.err.startsWith("error: --batch " + q + " is out of range") && r.err.contains("1..K = 3"), r.err);
      assertEquals(1, r.err.strip().split("\n").length, "one line: " + r.err);
    }
    assertFalse(Files.exists(bad.resolve("sweep.json")), "nothing written on bad input");
    CliRun resume = run("mbtl", "run", "--resume", dir.toString(), "--batch", "2");
    assertEquals(2, resume.exit);
    assertTrue(resume.err.contains("drop --batch"), resume.err);
  }
}
