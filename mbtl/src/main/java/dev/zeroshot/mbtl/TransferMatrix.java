package dev.zeroshot.mbtl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An N x N normalized transfer matrix, {@code get(s, t) = J(pi_s, t)}: row = source (the task a
 * policy was trained on), column = target (the task it is evaluated on zero-shot). This is the
 * layout of the MBTL authors' {@code *_transfer_result.csv} files: no header, comma separated.
 */
public final class TransferMatrix implements TransferSource {

  private final double[][] m;

  private TransferMatrix(double[][] m) {
    this.m = m;
  }

  /** A copy of {@code values}, which must be square, non-empty and finite. */
  public static TransferMatrix of(double[][] values) {
    int n = values.length;
    if (n == 0) {
      throw new MatrixFormatException("transfer matrix is empty");
    }
    double[][] copy = new double[n][];
    for (int i = 0; i < n; i++) {
      if (values[i].length != n) {
        throw new MatrixFormatException("transfer matrix is not square: row " + (i + 1) + " has "
            + values[i].length + " values, expected " + n);
      }
      for (int j = 0; j < n; j++) {
        if (!Double.isFinite(values[i][j])) {
          throw new MatrixFormatException("row " + (i + 1) + ", column " + (j + 1) + ": value is not finite");
        }
      }
      copy[i] = values[i].clone();
    }
    return new TransferMatrix(copy);
  }

  /** Reads a headerless CSV file; errors name the line and column (1-based). */
  public static TransferMatrix readCsv(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parseCsv(r, file.toString());
    } catch (NoSuchFileException e) {
      throw new MatrixFormatException("matrix file not found: " + file);
    } catch (IOException e) {
      throw new MatrixFormatException("cannot read matrix file " + file + ": " + e.getMessage());
    }
  }

  /** Parses CSV text (for tests and for matrices built in memory). */
  public static TransferMatrix parseCsv(String text) {
    try {
      return parseCsv(new StringReader(text), "<text>");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TransferMatrix parseCsv(Reader reader, String name) throws IOException {
    BufferedReader in = new BufferedReader(reader);
    List<double[]> rows = new ArrayList<>();
    List<Integer> lineNumbers = new ArrayList<>();
    String line;
    int lineNo = 0;
    while ((line = in.readLine()) != null) {
      lineNo++;
      if (lineNo == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      double[] row = new double[cells.length];
      for (int j = 0; j < cells.length; j++) {
        String cell = cells[j].trim();
        if (cell.isEmpty()) {
          throw new MatrixFormatException(name + ": line " + lineNo + ", column " + (j + 1) + ": empty value");
        }
        try {
          row[j] = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
          throw new MatrixFormatException(name + ": line " + lineNo + ", column " + (j + 1) + ": not a number: '"
              + abbreviate(cell) + "'" + (lineNo == 1 ? " (the file must have no header row)" : ""));
        }
        if (!Double.isFinite(row[j])) {
          throw new MatrixFormatException(name + ": line " + lineNo + ", column " + (j + 1) + ": value is not finite: '"
              + abbreviate(cell) + "'");
        }
      }
      if (!rows.isEmpty() && row.length != rows.get(0).length) {
        throw new MatrixFormatException(name + ": line " + lineNo + " has " + row.length + " values but line "
            + lineNumbers.get(0) + " has " + rows.get(0).length + " (ragged rows)");
      }
      rows.add(row);
      lineNumbers.add(lineNo);
    }
    if (rows.isEmpty()) {
      throw new MatrixFormatException(name + ": no rows");
    }
    int cols = rows.get(0).length;
    if (rows.size() != cols) {
      throw new MatrixFormatException(name + ": matrix is not square: " + rows.size() + " rows x " + cols
          + " columns (row = source task, column = target task, so both must be N)");
    }
    return new TransferMatrix(rows.toArray(new double[0][]));
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  /** Writes the matrix as headerless CSV (full double precision). */
  public void writeCsv(Writer out) throws IOException {
    for (double[] row : m) {
      for (int j = 0; j < row.length; j++) {
        if (j > 0) {
          out.write(',');
        }
        out.write(Double.toString(row[j]));
      }
      out.write('\n');
    }
  }

  /** Writes the matrix as headerless CSV with {@code digits} decimals (for small example files). */
  public void writeCsv(Writer out, int digits) throws IOException {
    String fmt = "%." + digits + "f";
    for (double[] row : m) {
      for (int j = 0; j < row.length; j++) {
        if (j > 0) {
          out.write(',');
        }
        out.write(String.format(Locale.ROOT, fmt, row[j]));
      }
      out.write('\n');
    }
  }

  @Override
  public int size() {
    return m.length;
  }

  @Override
  public double[] row(int source) {
    return m[source];
  }

  public double get(int source, int target) {
    return m[source][target];
  }

  /** Independent training: every task trained on itself, the mean of the diagonal. */
  public double diagonalMean() {
    double s = 0;
    for (int i = 0; i < m.length; i++) {
      s += m[i][i];
    }
    return s / m.length;
  }

  /** Oracle transfer: every target served by the best of all N sources, mean_t max_s J[s,t]. */
  public double oracleTransfer() {
    int n = m.length;
    double s = 0;
    for (int t = 0; t < n; t++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        best = Math.max(best, m[i][t]);
      }
      s += best;
    }
    return s / n;
  }

  /**
   * V_k for k = 1..picks.length: the mean over all targets of the max over the first k picked
   * rows of this (true) matrix. Not clipped at 0, as in the authors' {@code collect_J_matrix}.
   */
  public double[] curve(int[] picks) {
    int n = m.length;
    double[] best = new double[n];
    java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
    double[] v = new double[picks.length];
    for (int k = 0; k < picks.length; k++) {
      double[] row = m[picks[k]];
      double s = 0;
      for (int t = 0; t < n; t++) {
        if (row[t] > best[t]) {
          best[t] = row[t];
        }
        s += best[t];
      }
      v[k] = s / n;
    }
    return v;
  }

  /** V of one set of sources (mean over targets of the max over the set). */
  public double value(int[] sources) {
    if (sources.length == 0) {
      throw new IllegalArgumentException("empty source set");
    }
    double[] c = curve(sources);
    return c[c.length - 1];
  }

  /** A copy of the values. */
  public double[][] toArray() {
    double[][] copy = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      copy[i] = m[i].clone();
    }
    return copy;
  }
}
