package dev.zeroshot.mbtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.agents.TensorBoardEvents;
import dev.zeroshot.proto.tensorboard.Event;
import dev.zeroshot.proto.tensorboard.Summary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep's report writes V_k per strategy as a TensorBoard event file; decoded with TensorFlow's
 * record framing (CRCs checked) and proto's tensorboard/event.proto, it holds each strategy
 * file's V column at step k, and a report written again replaces it.
 */
class SweepEventsTest {

  @TempDir
  Path dir;

  @Test
  void theReportWritesVkPerStrategyAsTensorBoardScalars() throws Exception {
    TransferMatrix m = SyntheticMatrices.generate("two-peaked", 10, 0.02, 3);
    SweepSettings s = SweepTest.settings(10, 4, List.of("mbtl", "greedy"), true); // with random, equidistant, ...
    SweepResult r = Sweep.create(s, dir).run(new SweepTest.MatrixTrainer(m), 1, null);
    SweepReport.write(r, dir);
    SweepReport.write(r, dir); // a second report replaces the event file
    List<Path> files = TensorBoardEvents.existing(dir);
    assertEquals(1, files.size(), files.toString());
    List<Event> events = read(files.get(0));
    assertEquals("brain.Event:2", events.get(0).getFileVersion());
    int checked = 0;
    int e = 1;
    for (StrategyResult x : r.strategies()) {
      List<String> lines = Files.readAllLines(dir.resolve(x.name() + ".csv"));
      int vColumn = List.of(lines.get(0).split(",")).indexOf("V");
      for (int k = 1; k < lines.size(); k++, e++) {
        Event ev = events.get(e);
        assertEquals(k, ev.getStep(), x.name());
        Summary.Value v = ev.getSummary().getValue(0);
        assertEquals("V_k/" + x.name(), v.getTag());
        assertEquals(Float.parseFloat(lines.get(k).split(",", -1)[vColumn]), v.getSimpleValue(), x.name() + " k=" + k);
        checked++;
      }
    }
    assertEquals(events.size() - 1, checked, "one event per strategy row");
    assertTrue(checked >= 3 * 4);
  }

  /** The records of an event file, each CRC checked (TensorFlow's masked CRC32C). */
  static List<Event> read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> out = new ArrayList<>();
    while (b.hasRemaining()) {
      byte[] len = new byte[8];
      b.get(len);
      assertEquals(masked(len), b.getInt(), "length CRC");
      byte[] data = new byte[(int) ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong()];
      b.get(data);
      assertEquals(masked(data), b.getInt(), "data CRC");
      out.add(Event.parseFrom(data));
    }
    return out;
  }

  private static int masked(byte[] data) {
    CRC32C c = new CRC32C();
    c.update(data);
    long crc = c.getValue();
    return (int) ((((crc >>> 15) | (crc << 17)) + 0xa282ead8L) & 0xffffffffL);
  }
}
