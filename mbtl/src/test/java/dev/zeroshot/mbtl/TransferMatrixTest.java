package dev.zeroshot.mbtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TransferMatrixTest {

  private static String error(String csv) {
    return assertThrows(MatrixFormatException.class, () -> TransferMatrix.parseCsv(csv)).getMessage();
  }

  @Test
  void parsesAndRoundTrips() throws Exception {
    TransferMatrix m = TransferMatrix.parseCsv("0.5, 0.25\n1e-1,1\n\n");
    assertEquals(2, m.size());
    assertEquals(0.25, m.get(0, 1), 0);
    assertEquals(0.1, m.get(1, 0), 0);
    StringWriter w = new StringWriter();
    m.writeCsv(w);
    TransferMatrix back = TransferMatrix.parseCsv(w.toString());
    assertEquals(m.get(1, 0), back.get(1, 0), 0);
  }

  @Test
  void raggedRowsNameTheLine() {
    String msg = error("1,2,3\n4,5\n7,8,9\n");
    assertTrue(msg.contains("line 2") && msg.contains("ragged"), msg);
  }

  @Test
  void nonNumbersNameLineAndColumn() {
    String msg = error("1,2\n3,abc\n");
    assertTrue(msg.contains("line 2, column 2") && msg.contains("abc"), msg);
    String header = error("a,b\n1,2\n");
    assertTrue(header.contains("line 1, column 1") && header.contains("header"), header);
    assertTrue(error("1,\n3,4\n").contains("line 1, column 2: empty"));
    assertTrue(error("1,NaN\n3,4\n").contains("not finite"));
  }

  @Test
  void nonSquareAndEmpty() {
    String msg = error("1,2,3\n4,5,6\n");
    assertTrue(msg.contains("not square") && msg.contains("2 rows x 3 columns"), msg);
    assertTrue(error("\n\n").contains("no rows"));
  }

  @Test
  void missingFile() {
    String msg = assertThrows(MatrixFormatException.class,
        () -> TransferMatrix.readCsv(java.nio.file.Path.of("/nonexistent/m.csv"))).getMessage();
    assertTrue(msg.contains("not found"), msg);
  }
}
