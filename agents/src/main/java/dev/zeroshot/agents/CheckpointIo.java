package dev.zeroshot.agents;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import dev.zeroshot.agents.nn.ModelSpec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What the PPO and offline checkpoints share: writing a file so that a crash leaves either the
 * old file or the new one, never half of one (a temporary file beside it, synced, then renamed
 * over it), opening one, length-prefixed UTF-8 strings, and the layout around each one's own
 * state: a magic line, the config's JSON, the model spec's JSON first, an end marker last.
 */
final class CheckpointIo {

  /** The content of the file, written to a buffered stream. */
  @FunctionalInterface
  interface Body {
    void writeTo(DataOutputStream out) throws IOException;
  }

  private static final Gson GSON = new Gson();

  private CheckpointIo() {}

  /** Atomically writes {@code magic}, the config's JSON, {@code model}'s JSON, {@code state}, then the end marker. */
  static void save(Path file, String magic, String configJson, ModelSpec model, Body state) throws IOException {
    writeAtomically(file, out -> {
      out.writeUTF(magic);
      writeString(out, configJson);
      writeString(out, GSON.toJson(model));
      state.writeTo(out);
      out.writeUTF("end");
    });
  }

  /**
   * Reads what {@link #save} wrote before the state: a file with another magic is not a Zeroshot
   * {@code kind} checkpoint; one that ends early or holds bad JSON is truncated or corrupt.
   */
  static <C, H> H readHeader(DataInputStream in, Path file, String magic, String kind, Function<String, C> config,
      BiFunction<C, ModelSpec, H> header) throws IOException {
    try {
      if (!magic.equals(in.readUTF())) {
        throw new IOException(file + " is not a Zeroshot " + kind + " checkpoint");
      }
      C cfg = config.apply(readString(in));
      return header.apply(cfg, GSON.fromJson(readString(in), ModelSpec.class));
    } catch (EOFException | JsonParseException e) {
      throw new IOException(file + ": checkpoint is truncated or corrupt (" + e.getMessage() + ")", e);
    }
  }

  /** Reads the end marker {@link #save} wrote after the state. */
  static void readEnd(DataInputStream in, Path file) throws IOException {
    if (!"end".equals(in.readUTF())) {
      throw new IOException(file + ": checkpoint is corrupt (no end marker)");
    }
  }

  static void writeAtomically(Path file, Body body) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
    try {
      try (FileOutputStream fos = new FileOutputStream(tmp.toFile()); // the usual umask, unlike createTempFile
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(fos, 1 << 16))) {
        body.writeTo(out);
        out.flush();
        fos.getFD().sync();
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static DataInputStream open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) { // a path the user gave: the command line prints this as one line
      throw new FileNotFoundException("no checkpoint at " + file + " (give a run folder that train writes, or its "
          + "checkpoint file)");
    }
    return new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > (1 << 24)) {
      throw new IOException("bad string length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
