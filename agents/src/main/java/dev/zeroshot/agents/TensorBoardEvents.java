package dev.zeroshot.agents;

import com.google.protobuf.CodedOutputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * A TensorBoard event file ({@code events.out.tfevents.*}) beside a run's CSV, so that
 * {@code tensorboard --logdir runs} charts it. The file is TensorFlow's record format: each
 * record is its length (8 bytes, little-endian), the masked CRC32C of those 8 bytes, the bytes of
 * one {@code Event} protobuf and their masked CRC32C. The first event names the file version; each
 * later one holds the scalars of one CSV row at that row's step.
 *
 * <p>The messages (Event, Summary, Summary.Value: wall time, step, tag, float value) are encoded
 * with protobuf's {@link CodedOutputStream} by field number rather than with generated classes,
 * so agents needs only protobuf-java; {@code proto/src/main/proto/tensorboard/event.proto} holds
 * the same messages with TensorFlow's field numbers, and the tests decode the files with it.
 *
 * <p>Values are taken from the CSV cells as written (a cell {@code 0.1234} becomes the float
 * nearest 0.1234), so the event file and the CSV say the same; an empty or NaN cell writes no
 * value for that tag and step. Every event is flushed at once, for a TensorBoard watching a run.
 */
public final class TensorBoardEvents implements Closeable {

  /** TensorBoard finds event files by this part of their name. */
  public static final String NAME_PART = "tfevents";
  static final String FILE_VERSION = "brain.Event:2";
  private static final int MASK_DELTA = 0xa282ead8;

  private final Path file;
  private final OutputStream out;

  private TensorBoardEvents(Path file) throws IOException {
    this.file = file;
    this.out = new BufferedOutputStream(Files.newOutputStream(file));
    write(event(nowSeconds(), 0, null, FILE_VERSION));
  }

  /**
   * Starts a new event file in {@code dir}, first deleting the event files already there: the
   * caller rewrites everything the folder's CSV holds (a resumed run drops rows after its
   * checkpoint, and so must its events).
   */
  public static TensorBoardEvents replace(Path dir) throws IOException {
    for (Path old : existing(dir)) {
      Files.delete(old);
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    return new TensorBoardEvents(dir.resolve("events.out." + NAME_PART + "." + System.currentTimeMillis() / 1000
        + "." + host + "." + ProcessHandle.current().pid()));
  }

  /** The event files in {@code dir}, by name. */
  public static java.util.List<Path> existing(Path dir) throws IOException {
    java.util.List<Path> out = new java.util.ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "events.out." + NAME_PART + ".*")) {
        ds.forEach(out::add);
      }
    }
    out.sort(null);
    return out;
  }

  public Path file() {
    return file;
  }

  /**
   * Writes one CSV row as one event: its step is the cell of column {@code stepColumn}; each other
   * column that {@code tagOf} names (null: not charted) becomes a scalar with that tag.
   */
  public void row(String[] header, String row, String stepColumn, Function<String, String> tagOf) throws IOException {
    String[] cells = row.split(",", -1);
    long step = -1;
    ByteArrayOutputStream values = new ByteArrayOutputStream();
    CodedOutputStream summary = CodedOutputStream.newInstance(values);
    for (int i = 0; i < header.length && i < cells.length; i++) {
      if (header[i].equals(stepColumn)) {
        step = Long.parseLong(cells[i]);
        continue;
      }
      String tag = tagOf.apply(header[i]);
      if (tag == null || cells[i].isEmpty()) {
        continue;
      }
      float v = Float.parseFloat(cells[i]);
      if (!Float.isNaN(v)) {
        summary.writeByteArray(1, value(tag, v)); // Summary.value = 1 (repeated)
      }
    }
    if (step < 0) {
      throw new IllegalArgumentException("no step column '" + stepColumn + "' in " + String.join(",", header));
    }
    summary.flush();
    write(event(nowSeconds(), step, values.toByteArray(), null));
  }

  /** Every data row of a CSV text (first line the header), as {@link #row} does one. */
  public void csv(String text, String stepColumn, Function<String, String> tagOf) throws IOException {
    String[] lines = text.split("\n");
    String[] header = lines[0].split(",", -1);
    for (int i = 1; i < lines.length; i++) {
      if (!lines[i].isEmpty()) {
        row(header, lines[i], stepColumn, tagOf);
      }
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private static double nowSeconds() {
    return System.currentTimeMillis() / 1000.0;
  }

  /** Summary.Value: tag = 1, simple_value = 2. */
  private static byte[] value(String tag, float v) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(b);
    c.writeString(1, tag);
    c.writeFloat(2, v);
    c.flush();
    return b.toByteArray();
  }

  /** Event: wall_time = 1, step = 2, file_version = 3 or summary = 5. */
  private static byte[] event(double wallTime, long step, byte[] summary, String fileVersion) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    CodedOutputStream c = CodedOutputStream.newInstance(b);
    c.writeDouble(1, wallTime);
    c.writeInt64(2, step);
    if (fileVersion != null) {
      c.writeString(3, fileVersion);
    } else {
      c.writeByteArray(5, summary);
    }
    c.flush();
    return b.toByteArray();
  }

  /** One record: length, masked CRC of the length, data, masked CRC of the data. */
  private void write(byte[] data) throws IOException {
    byte[] len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
    out.write(len);
    out.write(le32(maskedCrc32c(len)));
    out.write(data);
    out.write(le32(maskedCrc32c(data)));
    out.flush();
  }

  private static byte[] le32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  /** TensorFlow's masked CRC32C: rotated right by 15 bits plus a constant. */
  static int maskedCrc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }
}
