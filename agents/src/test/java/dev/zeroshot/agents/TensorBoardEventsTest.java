package dev.zeroshot.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.proto.tensorboard.Event;
import dev.zeroshot.proto.tensorboard.Summary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event files that runs write beside {@code metrics.csv}, decoded as TensorBoard does: the
 * record framing with both masked CRC32Cs checked, each record parsed with the Event/Summary
 * messages of {@code proto/src/main/proto/tensorboard/event.proto} (TensorFlow's field numbers);
 * the steps, tags and values must be the CSV's.
 */
class TensorBoardEventsTest {

  /** Reads every record of an event file, checking its framing and CRCs. */
  static List<Event> read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> out = new ArrayList<>();
    while (b.hasRemaining()) {
      byte[] len = new byte[8];
      b.get(len);
      assertEquals(masked(len), b.getInt(), "length CRC of record " + out.size());
      byte[] data = new byte[(int) ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong()];
      b.get(data);
      assertEquals(masked(data), b.getInt(), "data CRC of record " + out.size());
      out.add(Event.parseFrom(data));
    }
    return out;
  }

  /** TensorFlow's masked_crc32c, written out here independently of the writer's. */
  static int masked(byte[] data) {
    CRC32C c = new CRC32C();
    c.update(data);
    long crc = c.getValue();
    return (int) ((((crc >>> 15) | (crc << 17)) + 0xa282ead8L) & 0xffffffffL);
  }

  /** Asserts that {@code dir}'s one event file holds exactly the rows of its metrics.csv. */
  static void assertEventsEqualCsv(Path dir, String stepColumn, Function<String, String> tagOf) throws IOException {
    List<Path> files = TensorBoardEvents.existing(dir);
    assertEquals(1, files.size(), "event files in " + dir + ": " + files);
    assertTrue(files.get(0).getFileName().toString().startsWith("events.out.tfevents."));
    List<Event> events = read(files.get(0));
    assertEquals("brain.Event:2", events.get(0).getFileVersion());
    List<String> lines = Files.readAllLines(dir.resolve(PpoRun.METRICS), StandardCharsets.UTF_8);
    String[] header = lines.get(0).split(",", -1);
    assertEquals(lines.size() - 1, events.size() - 1, "one event per CSV row");
    int charted = 0;
    for (int r = 1; r < lines.size(); r++) {
      String[] cells = lines.get(r).split(",", -1);
      Event e = events.get(r);
      assertTrue(e.hasSummary());
      assertTrue(e.getWallTime() > 1.6e9, "wall time in seconds since the epoch: " + e.getWallTime());
      Map<String, Float> expected = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        if (header[i].equals(stepColumn)) {
          assertEquals(Long.parseLong(cells[i]), e.getStep(), "step of row " + r);
        } else if (tagOf.apply(header[i]) != null && !cells[i].isEmpty() && !cells[i].equals("NaN")) {
          expected.put(tagOf.apply(header[i]), Float.parseFloat(cells[i]));
        }
      }
      Map<String, Float> got = new LinkedHashMap<>();
      for (Summary.Value v : e.getSummary().getValueList()) {
        assertEquals(Summary.Value.ValueCase.SIMPLE_VALUE, v.getValueCase());
        got.put(v.getTag(), v.getSimpleValue());
      }
      assertEquals(expected, got, "row " + r + ": " + lines.get(r));
      charted += got.size();
    }
    assertTrue(charted > 0);
  }

  static PpoRun.Options quiet() {
    PpoRun.Options o = new PpoRun.Options();
    o.progressBar = false;
    o.checkpointEvery = 2;
    o.log = new PrintStream(OutputStream.nullOutputStream());
    return o;
  }

  @Test
  void aPpoRunWritesItsMetricsAsTensorBoardScalarsAndAResumeRewritesThem(@TempDir Path tmp) throws IOException {
    PpoConfig cfg = PpoConfig.controlDiscrete();
    cfg.numEnvs = 2;
    cfg.numSteps = 64;
    cfg.totalTimesteps = 3 * 128;
    cfg.device = "cpu";
    Path dir = tmp.resolve("run");
    PpoRun.train(cfg, dir, Envs::local, quiet());
    assertEventsEqualCsv(dir, "global_step", PpoRun::tensorBoardTag);
    List<Event> events = read(TensorBoardEvents.existing(dir).get(0));
    List<String> tags = events.get(1).getSummary().getValueList().stream().map(Summary.Value::getTag).toList();
    assertTrue(tags.containsAll(List.of("charts/steps_per_second", "charts/learning_rate", "losses/policy_loss",
        "losses/value_loss", "losses/entropy")), tags.toString());
    assertEquals(List.of(128L, 256L, 384L), events.stream().skip(1).map(Event::getStep).toList());

    // A resume keeps the rows up to the checkpoint (update 2) and redoes the rest: one event file, the CSV's rows.
    PpoRun.resume(dir, Envs::local, quiet(), 5L * 128);
    assertEventsEqualCsv(dir, "global_step", PpoRun::tensorBoardTag);
    assertEquals(List.of(128L, 256L, 384L, 512L, 640L),
        read(TensorBoardEvents.existing(dir).get(0)).stream().skip(1).map(Event::getStep).toList());
  }

  @Test
  void emptyAndNaNCellsWriteNoValueAndAMissingStepColumnIsRefused(@TempDir Path tmp) throws IOException {
    Path file;
    try (TensorBoardEvents ev = TensorBoardEvents.replace(tmp)) {
      ev.csv("step,a,b,c\n7,1.5,,NaN\n9,-2,0.1,3\n", "step", c -> "x/" + c);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ev.row(new String[] {"k", "a"}, "1,2", "step", c -> c));
      assertTrue(e.getMessage().contains("no step column 'step'"), e.getMessage());
      file = ev.file();
    }
    List<Event> events = read(file);
    assertEquals(3, events.size());
    assertEquals(7, events.get(1).getStep());
    assertEquals(List.of("x/a"), events.get(1).getSummary().getValueList().stream().map(Summary.Value::getTag).toList());
    assertEquals(1.5f, events.get(1).getSummary().getValue(0).getSimpleValue());
    assertEquals(Arrays.asList(-2f, 0.1f, 3f), events.get(2).getSummary().getValueList().stream()
        .map(Summary.Value::getSimpleValue).toList());
    // A second writer in the same folder replaces the first file.
    try (TensorBoardEvents ev = TensorBoardEvents.replace(tmp)) {
      assertFalse(Files.exists(file) && !file.equals(ev.file()));
    }
    assertEquals(1, TensorBoardEvents.existing(tmp).size());
  }
}
