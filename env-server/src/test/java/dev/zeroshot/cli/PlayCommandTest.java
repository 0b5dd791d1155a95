package dev.zeroshot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code zeroshot play}: with a display (e.g. under xvfb-run) it opens the window, plays a few
 * steps and checks the window shows the observation; without one it fails with one clear line.
 */
class PlayCommandTest {

  private static boolean hasDisplay() {
    String d = System.getenv("DISPLAY");
    return d != null && !d.isBlank();
  }

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cli = Zeroshot.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void playsAndShowsTheObservationOrSaysThereIsNoDisplay() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = run(out, err, "play", "maze", "--frames", "10", "--fps", "60", "--check");
    if (hasDisplay()) {
      assertEquals(0, exit, out + "\n" + err);
      assertTrue(out.toString().contains("the window shows the observation"), out.toString());
    } else {
      assertEquals(2, exit, out + "\n" + err);
      assertTrue(err.toString().contains("cannot open a window"), err.toString());
    }
  }

  @Test
  void playsAnXLandWorldOrSaysThereIsNoDisplay() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = run(out, err, "play", "XLand-MiniGrid-R1-9x9-Meta-v0", "--frames", "5", "--fps", "60", "--check");
    if (hasDisplay()) {
      assertEquals(0, exit, out + "\n" + err);
      assertTrue(out.toString().contains("Tab pick up"), out.toString());
      assertTrue(out.toString().contains("the window shows the observation"), out.toString());
    } else {
      assertEquals(2, exit, out + "\n" + err);
      assertTrue(err.toString().contains("cannot open a window"), err.toString());
    }
  }

  @Test
  void badInputIsRefusedBeforeAnyWindow() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(new StringWriter(), err, "play", "CartPole-v1"));
    assertTrue(err.toString().contains("not a Procgen game"), err.toString());
    err = new StringWriter();
    assertEquals(2, run(new StringWriter(), err, "play", "maze", "--scale", "0"));
    assertTrue(err.toString().contains("--scale"), err.toString());
  }
}
