package dev.zeroshot.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.procgen.ProcgenSuite;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code zeroshot record}, headless: GIFs of the right size and length, a mosaic, clear errors. */
class RecordCommandTest {

  @TempDir
  Path dir;

  private static int run(StringWriter err, String... args) {
    CommandLine cli = Zeroshot.commandLine();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static int gifFrames(Path gif) throws Exception {
    ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
      reader.setInput(in);
      BufferedImage first = reader.read(0);
      assertEquals(128, first.getWidth());
      assertEquals(128, first.getHeight());
      return reader.getNumImages(true);
    } finally {
      reader.dispose();
    }
  }

  @Test
  void recordsAGifFrameByStep() throws Exception {
    Path gif = dir.resolve("maze.gif");
    StringWriter err = new StringWriter();
    assertEquals(0, run(err, "record", "maze", "--steps", "30", "--scale", "2", "--out", gif.toString()), err.toString());
    int frames = gifFrames(gif);
    // The first frame, one per step, and one more per episode that ended (its reset).
    assertTrue(frames >= 31 && frames <= 61, "frames " + frames);

    Path scripted = dir.resolve("bigfish.gif");
    assertEquals(0, run(err, "record", "procgen/bigfish-easy-v0", "--steps", "10", "--scale", "2",
        "--actions", "7,7,5", "--out", scripted.toString()), err.toString());
    assertEquals(11, gifFrames(scripted));
  }

  /** XLand ids are drawn from their world: 9x9 cells and the pocket strip, 4 * scale pixels a cell. */
  @Test
  void recordsXLandWorlds() throws Exception {
    Path gif = dir.resolve("xland.gif");
    StringWriter err = new StringWriter();
    assertEquals(0, run(err, "record", "XLand-MiniGrid-R1-9x9-Meta-v0", "--steps", "20", "--scale", "1",
        "--out", gif.toString()), err.toString());
    ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
      reader.setInput(in);
      BufferedImage first = reader.read(0);
      assertEquals(9 * 4, first.getWidth());
      assertEquals(10 * 4, first.getHeight());
      assertEquals(21, reader.getNumImages(true), "a trial of 10 episodes does not end in 20 steps");
    } finally {
      reader.dispose();
    }
  }

  @Test
  void mosaicHasARowPerGame() throws Exception {
    Path png = dir.resolve("mosaic.png");
    StringWriter err = new StringWriter();
    assertEquals(0, run(err, "record", "--mosaic", "--scale", "1", "--out", png.toString()), err.toString());
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(4 * 65 - 1, img.getWidth());
    assertEquals(ProcgenSuite.GAMES.size() * 65 - 1, img.getHeight());
  }

  @Test
  void badInputIsOneClearLine() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "record", "CartPole-v1", "--out", dir.resolve("x.gif").toString()));
    assertTrue(err.toString().contains("does not observe images"), err.toString());
    err = new StringWriter();
    assertEquals(2, run(err, "record", "maze", "--mode", "extreme", "--out", dir.resolve("x.gif").toString()));
    assertTrue(err.toString().contains("procgen/maze-extreme-v0"), err.toString());
    err = new StringWriter();
    assertEquals(2, run(err, "record", "maze", "--actions", "3,99", "--out", dir.resolve("x.gif").toString()));
    assertTrue(err.toString().contains("99"), err.toString());
    assertTrue(Files.notExists(dir.resolve("x.gif")));
  }
}
