package dev.zeroshot.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.xland.XLandBenchmark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code zeroshot xland benchmark}: the file is the generated benchmark; the split writes both parts. */
class XLandCommandTest {

  @TempDir
  Path dir;

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cli = Zeroshot.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void writesTheBenchmarkAndItsSplit() throws Exception {
    Path file = dir.resolve("small.xlb");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, run(out, err, "xland", "benchmark", "--name", "small", "--size", "200", "--seed", "7",
        "--out", file.toString(), "--split", "150"), err.toString());
    assertArrayEquals(XLandBenchmark.generate("small", 200, 7).toBytes(), Files.readAllBytes(file));
    assertEquals(XLandBenchmark.generate("small", 150, 7), XLandBenchmark.read(Path.of(file + ".train")));
    assertEquals(XLandBenchmark.generate("small", 50, 157), XLandBenchmark.read(Path.of(file + ".test")));
    assertTrue(out.toString().contains("--context benchmark=2 --levels 7:207"), out.toString());
  }

  @Test
  void badInputIsOneClearLine() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(new StringWriter(), err, "xland", "benchmark", "--name", "huge", "--out",
        dir.resolve("x").toString()));
    assertTrue(err.toString().contains("unknown benchmark 'huge'; known: trivial, small, medium, high"), err.toString());
    err = new StringWriter();
    assertEquals(2, run(new StringWriter(), err, "xland", "benchmark", "--name", "high", "--size", "10", "--split", "10",
        "--out", dir.resolve("x").toString()));
    assertTrue(err.toString().contains("--split 10 must be in [1, 9]"), err.toString());
    assertTrue(Files.notExists(dir.resolve("x")));
  }
}
