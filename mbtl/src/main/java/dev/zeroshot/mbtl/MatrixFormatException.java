package dev.zeroshot.mbtl;

/** A transfer-matrix file that cannot be used, with a message naming the line and column. */
public final class MatrixFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public MatrixFormatException(String message) {
    super(message);
  }
}
