package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningCurveTest {

  private static final List<LearningCurve.Point> CURVE =
      List.of(new LearningCurve.Point(100, 1.0), new LearningCurve.Point(200, Double.NaN), new LearningCurve.Point(300, 2.5));

  @Test
  void drawsAPng(@TempDir Path tmp) throws IOException {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Path png = tmp.resolve("learning_curve.png");
    assertTrue(LearningCurve.writeOrWarn(png, "t", CURVE, "steps", new PrintStream(log, true, StandardCharsets.UTF_8)));
    byte[] magic = Arrays.copyOf(Files.readAllBytes(png), 4);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, magic);
    assertTrue(log.toString(StandardCharsets.UTF_8).isEmpty());
  }

  @Test
  void aPictureThatCannotBeWrittenIsAWarningNotAFailure(@TempDir Path tmp) throws IOException {
    Path notADir = Files.writeString(tmp.resolve("file"), "x");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    assertFalse(LearningCurve.writeOrWarn(notADir.resolve("learning_curve.png"), "t", CURVE, "steps",
        new PrintStream(log, true, StandardCharsets.UTF_8)));
    String said = log.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("learning_curve.png not drawn") && said.contains("metrics.csv"), said);
  }
}
