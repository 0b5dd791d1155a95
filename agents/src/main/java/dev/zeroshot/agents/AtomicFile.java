package dev.zeroshot.agents;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that a crash leaves either the old file or the new one, never half of one:
 * a temporary file beside it, synced, then renamed over it.
 */
final class AtomicFile {

  /** The content of the file, written to a buffered stream. */
  @FunctionalInterface
  interface Body {
    void writeTo(DataOutputStream out) throws IOException;
  }

  private AtomicFile() {}

  static void write(Path file, Body body) throws IOException {
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
}
