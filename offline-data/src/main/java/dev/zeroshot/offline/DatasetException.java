package dev.zeroshot.offline;

import java.io.IOException;
import java.nio.file.Path;

/** A dataset file is missing, truncated, corrupted or not what its metadata says; names the file. */
public final class DatasetException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public DatasetException(Path file, String message) {
    super(file + ": " + message);
    this.file = file;
  }

  public DatasetException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
    this.file = file;
  }

  /** The file the problem is in. */
  public Path file() {
    return file;
  }
}
