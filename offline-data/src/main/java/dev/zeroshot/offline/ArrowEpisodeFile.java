package dev.zeroshot.offline;

import dev.zeroshot.env.space.DType;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One episode as one Arrow IPC <em>file</em> holding exactly one record batch, the layout of
 * Minari's {@code arrow} storage ({@code data/<id>/part-0.arrow}): T + 1 rows in every column;
 * {@code observations} a {@code fixed_size_list<uint8|float>[prod(shape)]} (row-major, so
 * channel-first frames stay channel-first); {@code actions} int64 (Discrete) or a
 * {@code fixed_size_list<float>[elements]} (Box, as observations), {@code rewards} double,
 * {@code terminations} and {@code truncations} bool, each padded with one trailing zero row
 * that Minari's reader drops. Uncompressed, so a reader can map the file and read one row of
 * one column in place ({@link Layout}).
 */
public final class ArrowEpisodeFile {

  public static final String FILE_NAME = "part-0.arrow";

  private static final BufferAllocator ALLOCATOR = new RootAllocator(Long.MAX_VALUE);

  private ArrowEpisodeFile() {}

  static Schema schema(ObservationFormat format, ActionFormat actionFormat) {
    ArrowType element = format.dtype() == DType.UINT8 ? new ArrowType.Int(8, false)
        : new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    Field item = new Field("item", FieldType.nullable(element), null);
    Field actions = actionFormat.isDiscrete() ? new Field("actions", FieldType.nullable(new ArrowType.Int(64, true)), null)
        : new Field("actions", FieldType.nullable(new ArrowType.FixedSizeList(actionFormat.elements())), List.of(
            new Field("item", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null)));
    return new Schema(List.of(
        new Field("observations", FieldType.nullable(new ArrowType.FixedSizeList(format.elements())), List.of(item)),
        actions,
        new Field("rewards", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null),
        new Field("terminations", FieldType.nullable(ArrowType.Bool.INSTANCE), null),
        new Field("truncations", FieldType.nullable(ArrowType.Bool.INSTANCE), null)));
  }

  /** Writes {@code e} to {@code file} (synced to disk before returning); returns the file's CRC32C. */
  public static long write(Path file, ObservationFormat format, ActionFormat actionFormat, Episode e)
      throws IOException {
    if (e.observationBytes() != format.bytes()) {
      throw new IllegalArgumentException("episode observations are " + e.observationBytes() + " bytes, format "
          + format + " is " + format.bytes());
    }
    int t = e.length();
    if (actionFormat.isDiscrete() != (e.actions() != null)
        || e.boxActions() != null && e.boxActions().length != t * actionFormat.elements()) {
      throw new IllegalArgumentException("episode actions do not match the dataset's " + actionFormat + " actions");
    }
    int rows = t + 1;
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema(format, actionFormat), ALLOCATOR)) {
      FixedSizeListVector obs = (FixedSizeListVector) root.getVector("observations");
      obs.setInitialCapacity(rows);
      obs.allocateNew();
      FieldVector child = (FieldVector) obs.getDataVector();
      int count = rows * format.elements();
      while (child.getValueCapacity() < count) {
        child.reAlloc();
      }
      child.getDataBuffer().setBytes(0, e.observations(), 0, e.observations().length);
      child.getValidityBuffer().setOne(0, (count + 7) / 8);
      child.setValueCount(count);
      for (int i = 0; i < rows; i++) {
        obs.setNotNull(i);
      }
      obs.setValueCount(rows);
      if (actionFormat.isDiscrete()) {
        BigIntVector actions = (BigIntVector) root.getVector("actions");
        actions.allocateNew(rows);
        for (int i = 0; i < rows; i++) { // row T is Minari's padding row (zeros)
          actions.set(i, i < t ? e.actions()[i] : 0);
        }
        actions.setValueCount(rows);
      } else {
        writeBoxActions((FixedSizeListVector) root.getVector("actions"), e.boxActions(), rows, actionFormat.elements());
      }
      Float8Vector rewards = (Float8Vector) root.getVector("rewards");
      BitVector term = (BitVector) root.getVector("terminations");
      BitVector trunc = (BitVector) root.getVector("truncations");
      rewards.allocateNew(rows);
      term.allocateNew(rows);
      trunc.allocateNew(rows);
      for (int i = 0; i < rows; i++) { // row T is Minari's padding row (zeros)
        rewards.set(i, i < t ? e.rewards()[i] : 0);
        term.set(i, i < t && e.terminations()[i] ? 1 : 0);
        trunc.set(i, i < t && e.truncations()[i] ? 1 : 0);
      }
      rewards.setValueCount(rows);
      term.setValueCount(rows);
      trunc.setValueCount(rows);
      root.setRowCount(rows);
      try (FileOutputStream fos = new FileOutputStream(file.toFile());
          ArrowFileWriter w = new ArrowFileWriter(root, null, fos.getChannel())) {
        w.start();
        w.writeBatch();
        w.end();
        fos.getFD().sync();
      }
    }
    return crc32c(file);
  }

  /** T Box actions and Minari's padding row of zeros, as a list of {@code elements} float32 per row. */
  private static void writeBoxActions(FixedSizeListVector v, float[] values, int rows, int elements) {
    v.setInitialCapacity(rows);
    v.allocateNew();
    Float4Vector child = (Float4Vector) v.getDataVector();
    int count = rows * elements;
    while (child.getValueCapacity() < count) {
      child.reAlloc();
    }
    for (int k = 0; k < count; k++) {
      child.set(k, k < values.length ? values[k] : 0f);
    }
    child.setValueCount(count);
    for (int i = 0; i < rows; i++) {
      v.setNotNull(i);
    }
    v.setValueCount(rows);
  }

  /** The CRC32C of a whole file. */
  public static long crc32c(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      CRC32C crc = new CRC32C();
      if (size > 0) {
        crc.update(ch.map(FileChannel.MapMode.READ_ONLY, 0, size));
      }
      return crc.getValue();
    }
  }

  /**
   * Reads the episode in {@code file} with Arrow's own reader, checking the schema, the single
   * record batch and the row count; any problem is a {@link DatasetException} naming the file.
   */
  public static Episode read(Path file, int id, ObservationFormat format, ActionFormat actionFormat,
      int expectedSteps, long levelSeed) throws DatasetException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader r = new ArrowFileReader(ch, ALLOCATOR)) {
      VectorSchemaRoot root = r.getVectorSchemaRoot();
      checkSchema(file, root.getSchema(), format, actionFormat);
      List<ArrowBlock> blocks = r.getRecordBlocks();
      if (blocks.size() != 1) {
        throw new DatasetException(file, "holds " + blocks.size() + " record batches; an episode file holds exactly 1");
      }
      if (!r.loadNextBatch()) {
        throw new DatasetException(file, "has no record batch");
      }
      int rows = root.getRowCount();
      if (expectedSteps >= 0 && rows != expectedSteps + 1) {
        throw new DatasetException(file, "has " + rows + " rows; its metadata says " + expectedSteps
            + " steps (" + (expectedSteps + 1) + " rows)");
      }
      int t = rows - 1;
      FixedSizeListVector obs = (FixedSizeListVector) root.getVector("observations");
      FieldVector child = (FieldVector) obs.getDataVector();
      byte[] o = new byte[rows * format.bytes()];
      child.getDataBuffer().getBytes(0, o);
      double[] rw = new double[t];
      boolean[] te = new boolean[t];
      boolean[] tr = new boolean[t];
      Float8Vector rewards = (Float8Vector) root.getVector("rewards");
      BitVector term = (BitVector) root.getVector("terminations");
      BitVector trunc = (BitVector) root.getVector("truncations");
      for (int i = 0; i < t; i++) {
        rw[i] = rewards.get(i);
        te[i] = term.get(i) != 0;
        tr[i] = trunc.get(i) != 0;
      }
      if (!actionFormat.isDiscrete()) {
        Float4Vector values = (Float4Vector) ((FixedSizeListVector) root.getVector("actions")).getDataVector();
        float[] a = new float[t * actionFormat.elements()];
        for (int k = 0; k < a.length; k++) {
          a[k] = values.get(k);
        }
        return Episode.ofBoxActions(id, format.bytes(), o, a, rw, te, tr, levelSeed);
      }
      long[] a = new long[t];
      BigIntVector actions = (BigIntVector) root.getVector("actions");
      for (int i = 0; i < t; i++) {
        a[i] = actions.get(i);
      }
      return new Episode(id, format.bytes(), o, a, rw, te, tr, levelSeed);
    } catch (DatasetException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new DatasetException(file, "is not a readable Arrow episode file (truncated or corrupted?): " + e, e);
    }
  }

  private static void checkSchema(Path file, Schema actual, ObservationFormat format, ActionFormat actionFormat)
      throws DatasetException {
    Schema expected = schema(format, actionFormat);
    if (actual.getFields().size() < expected.getFields().size()) {
      throw new DatasetException(file, "schema " + actual + " lacks columns of " + expected);
    }
    for (int i = 0; i < expected.getFields().size(); i++) {
      Field e = expected.getFields().get(i);
      Field a = actual.getFields().get(i);
      if (!e.getName().equals(a.getName()) || !e.getType().equals(a.getType())
          || (e.getType() instanceof ArrowType.FixedSizeList
              && !e.getChildren().get(0).getType().equals(a.getChildren().get(0).getType()))) {
        throw new DatasetException(file, "column " + i + " is " + a + ", expected " + e);
      }
    }
  }

  /**
   * Where each column's values sit inside a mapped episode file, found from the file's footer
   * and its record batch's buffer table: lets a sampler copy one row out without loading the
   * episode.
   */
  public static final class Layout {
    final MappedByteBuffer map;
    final long size;
    final int rows;
    final int observations;
    final int actions;
    final int rewards;
    final int terminations;

    private Layout(MappedByteBuffer map, long size, int rows, int observations, int actions, int rewards,
        int terminations) {
      this.map = map;
      this.size = size;
      this.rows = rows;
      this.observations = observations;
      this.actions = actions;
      this.rewards = rewards;
      this.terminations = terminations;
    }

    /** Maps {@code file} (an episode of Discrete actions) and locates its columns; checks every buffer lies inside the file. */
    public static Layout map(Path file, ObservationFormat format, int expectedSteps) throws DatasetException {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = ch.size();
        if (size > Integer.MAX_VALUE) {
          throw new DatasetException(file, "is larger than 2 GiB; an episode file must be smaller");
        }
        MappedByteBuffer mm = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        List<ArrowBlock> blocks;
        try (ArrowFileReader r = new ArrowFileReader(ch, ALLOCATOR)) { // closes the channel
          checkSchema(file, r.getVectorSchemaRoot().getSchema(), format, ActionFormat.DISCRETE);
          blocks = r.getRecordBlocks();
        }
        if (blocks.size() != 1) {
          throw new DatasetException(file, "holds " + blocks.size() + " record batches; an episode file holds exactly 1");
        }
        mm.order(ByteOrder.LITTLE_ENDIAN);
        ArrowBlock b = blocks.get(0);
        int off = Math.toIntExact(b.getOffset());
        int first = mm.getInt(off);
        int metaStart = first == -1 ? off + 8 : off + 4;
        int metaLen = first == -1 ? mm.getInt(off + 4) : first;
        if (metaLen <= 0 || (long) metaStart + metaLen > size) {
          throw new DatasetException(file, "record batch header lies outside the file");
        }
        ByteBuffer meta = mm.slice(metaStart, metaLen).order(ByteOrder.LITTLE_ENDIAN);
        Message msg = Message.getRootAsMessage(meta);
        if (msg.headerType() != MessageHeader.RecordBatch) {
          throw new DatasetException(file, "block is not a record batch");
        }
        RecordBatch rb = (RecordBatch) msg.header(new RecordBatch());
        if (rb.compression() != null) {
          throw new DatasetException(file, "is compressed; episode files are written uncompressed");
        }
        int rows = Math.toIntExact(rb.length());
        if (expectedSteps >= 0 && rows != expectedSteps + 1) {
          throw new DatasetException(file, "has " + rows + " rows; its metadata says " + expectedSteps + " steps");
        }
        long body = b.getOffset() + b.getMetadataLength();
        if (rb.buffersLength() < 11) {
          throw new DatasetException(file, "record batch has " + rb.buffersLength() + " buffers, expected 11");
        }
        // Buffers in schema order: obs list validity, obs values validity, obs values,
        // then validity + values for actions, rewards, terminations, truncations.
        long[] need = {(long) rows * format.bytes(), 8L * rows, 8L * rows, (rows + 7) / 8};
        int[] idx = {2, 4, 6, 8};
        int[] at = new int[4];
        for (int k = 0; k < 4; k++) {
          var buf = rb.buffers(idx[k]);
          long start = body + buf.offset();
          if (buf.length() < need[k] || start + need[k] > size) {
            throw new DatasetException(file, "column buffer " + idx[k] + " is shorter than " + rows
                + " rows or lies outside the file (truncated?)");
          }
          at[k] = (int) start;
        }
        return new Layout(mm, size, rows, at[0], at[1], at[2], at[3]);
      } catch (DatasetException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw new DatasetException(file, "is not a readable Arrow episode file (truncated or corrupted?): " + e, e);
      }
    }

    /**
     * Maps {@code file} again with the column offsets already found for it (no footer or
     * header parsing): the file must still have the size it had.
     */
    public static Layout remap(Path file, Layout known) throws DatasetException {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        if (ch.size() != known.size) {
          throw new DatasetException(file, "changed size since it was first read (" + known.size + " -> "
              + ch.size() + " bytes)");
        }
        MappedByteBuffer mm = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        mm.order(ByteOrder.LITTLE_ENDIAN);
        return new Layout(mm, known.size, known.rows, known.observations, known.actions, known.rewards,
            known.terminations);
      } catch (IOException e) {
        throw new DatasetException(file, "cannot be mapped: " + e, e);
      }
    }

    /** The same offsets without the mapping (what a sampler keeps per file between mappings). */
    Layout offsetsOnly() {
      return new Layout(null, size, rows, observations, actions, rewards, terminations);
    }

    /** T, the episode's number of steps. */
    public int steps() {
      return rows - 1;
    }

    /** Copies observation {@code row} to {@code dst} at {@code dstOffset}. */
    public void observation(int row, int bytes, ByteBuffer dst, int dstOffset) {
      dst.put(dstOffset, map, observations + row * bytes, bytes);
    }

    public long action(int t) {
      return map.getLong(actions + 8 * t);
    }

    public double reward(int t) {
      return map.getDouble(rewards + 8 * t);
    }

    public boolean terminated(int t) {
      return (map.get(terminations + (t >> 3)) & (1 << (t & 7))) != 0;
    }

    /** The CRC32C of the mapped file. */
    public long crc32c() {
      CRC32C crc = new CRC32C();
      crc.update(map.duplicate().position(0));
      return crc.getValue();
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort
    }
  }
}
