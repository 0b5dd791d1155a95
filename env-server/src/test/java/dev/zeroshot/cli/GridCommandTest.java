package dev.zeroshot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code zeroshot grid} with the local executor (child processes). */
class GridCommandTest {

  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    CommandLine cli = Zeroshot.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** results.csv without the columns that differ between runs (seconds, log path). */
  static List<String> results(Path grid) throws Exception {
    List<String> lines = Files.readAllLines(grid.resolve("results.csv"));
    List<String> head = List.of(lines.get(0).split(","));
    return lines.stream().map(l -> {
      List<String> f = new java.util.ArrayList<>(List.of(l.split(",", -1)));
      f.remove(head.indexOf("log"));
      f.remove(head.indexOf("seconds"));
      return String.join(",", f);
    }).toList();
  }

  @Test
  void trainsTheProductCollectsReturnsAndRetriesFailuresOnResume() throws Exception {
    Path grid = dir.resolve("grid");
    Run r = run("grid", "--env", "CartPole-v1", "--seed", "1,2", "--vary", "lr=0.001,nope", "--steps", "1024",
        "--out", grid.toString(), "--parallel", "2");
    assertEquals(2, r.exit, r.err);
    assertTrue(r.err.contains("error: 2 of 4 training(s) failed"), r.err);
    List<String> rows = results(grid);
    assertEquals("env,seed,lr,steps,final_return,state", rows.get(0));
    assertEquals(5, rows.size(), rows.toString());
    assertTrue(rows.get(1).matches("CartPole-v1,1,0.001,1024,\\d+\\.\\d{4},done"), rows.get(1));
    assertTrue(rows.get(2).matches("CartPole-v1,1,nope,0,,failed"), rows.get(2));
    assertTrue(rows.get(3).matches("CartPole-v1,2,0.001,1024,\\d+\\.\\d{4},done"), rows.get(3));
    assertTrue(r.out.contains("failed: local job"), r.out);
    String log = Files.readAllLines(grid.resolve("results.csv")).get(2).replaceAll(".*,", "");
    assertTrue(Files.readString(Path.of(log)).contains("nope"), "the log says why: " + Files.readString(Path.of(log)));

    // resume: the two done runs stay (their returns are kept), the failed ones are tried again
    Run again = run("grid", "--resume", grid.toString());
    assertEquals(2, again.exit, again.err);
    assertTrue(again.out.contains("4 training(s) in " + grid + " (2 done)"), again.out);
    assertEquals(rows, results(grid));
  }

  @Test
  void badInputIsOneLine() {
    Run a = run("grid", "--env", "CartPole-v1", "--steps", "1024", "--out", dir.resolve("g").toString(), "--vary", "lr");
    assertEquals(2, a.exit);
    assertTrue(a.err.startsWith("error: --vary must be OPTION=V1,V2"), a.err);
    Run b = run("grid", "--env", "CartPole-v1", "--out", dir.resolve("g").toString());
    assertTrue(b.err.startsWith("error: zeroshot grid needs --env, --steps and --out"), b.err);
    Run c = run("grid", "--env", "CartPole-v1", "--steps", "1024", "--out", dir.resolve("g").toString(),
        "--slurm-partition", "x");
    assertTrue(c.err.startsWith("error: --slurm-partition needs --executor slurm"), c.err);
    Run d = run("grid", "--resume", dir.toString());
    assertTrue(d.err.contains("not a grid folder"), d.err);
  }
}
