package dev.zeroshot.env.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpaceTest {

  private static ByteBuffer buffer(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void assertRefused(org.junit.jupiter.api.function.Executable make, String... fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' should mention '" + f + "'");
    }
  }

  @Test
  void badSpaceDefinitionsAreRefusedWithTheReason() {
    assertRefused(() -> new Discrete(0), "n must be positive", "0");
    assertRefused(() -> new Discrete(-3, 1), "-3");
    assertRefused(() -> Box.float32(new double[] {1}, new double[] {0}), "low[0] = 1.0", "high[0] = 0.0");
    assertRefused(() -> Box.float32(new double[] {Double.NaN}, new double[] {0}), "NaN");
    assertRefused(() -> new Box(new double[] {0, 0}, new double[] {1, 1}, new int[] {3}, DType.FLOAT32), "shape [3]", "3 elements");
    assertRefused(() -> new Box(new double[] {0}, new double[] {1.5}, new int[] {1}, DType.INT32), "integer bounds");
    assertRefused(() -> new Box(new double[] {0}, new double[] {256}, new int[] {1}, DType.UINT8), "[0, 255]");
    assertRefused(() -> new Box(new double[] {}, new double[] {}, new int[] {-1}, DType.FLOAT32), ">= 0");
    assertRefused(() -> new MultiDiscrete(3, 0), "nvec[1]", "positive");
    assertRefused(() -> new MultiDiscrete(new long[] {2}, new long[] {0, 0}), "start has 2");
    assertRefused(() -> new MultiDiscrete(new long[0]), "at least one");
    assertRefused(() -> new DictSpace(Map.of()), "at least one");
    assertRefused(() -> new DictSpace(Map.of(" ", new Discrete(2))), "non-empty");
    assertRefused(() -> DType.fromNumpyName("float16"), "float16", "float32");
  }

  @Test
  void discreteChecksRangeWithStart() {
    Discrete d = new Discrete(3, -1);
    ByteBuffer b = buffer(8);
    b.putLong(0, -1);
    assertNull(d.check(b, 0));
    b.putLong(0, 1);
    assertNull(d.check(b, 0));
    b.putLong(0, 2);
    assertEquals("2 out of range for Discrete(3, start=-1)", d.check(b, 0));
    assertEquals("Discrete(15)", new Discrete(15).toString());
  }

  @Test
  void boxCheckNamesElementValueAndBounds() {
    Box box = Box.uniform(-2, 2, new int[] {2}, DType.FLOAT32);
    ByteBuffer b = buffer(8);
    b.putFloat(0, 1.5f).putFloat(4, 2.5f);
    String problem = box.check(b, 0);
    assertTrue(problem.contains("element 1 = 2.5") && problem.contains("[-2.0, 2.0]"), problem);
    b.putFloat(4, Float.NaN);
    assertTrue(box.check(b, 0).contains("element 1 is NaN"), box.check(b, 0));
    b.putFloat(4, -2f);
    assertNull(box.check(b, 0));
  }

  @Test
  void multiDiscreteAndDictCheckEveryPart() {
    MultiDiscrete md = new MultiDiscrete(2, 3);
    DictSpace dict = new DictSpace(new LinkedHashMap<>(Map.of("z", new Discrete(2), "a", md)));
    assertEquals(24, dict.byteSize());
    assertEquals(0, dict.offsetOf("a")); // keys sorted, as Gymnasium's Dict
    assertEquals(16, dict.offsetOf("z"));
    ByteBuffer b = buffer(24);
    b.putLong(0, 1).putLong(8, 3).putLong(16, 1);
    String problem = dict.check(b, 0);
    assertTrue(problem.startsWith("'a': element 1 = 3 out of range [0, 2]"), problem);
    b.putLong(8, 2);
    assertNull(dict.check(b, 0));
  }

  @Test
  void samplesBelongToTheirSpaceAndAreDeterministic() {
    Space[] spaces = {
        new Discrete(5, 2),
        new MultiDiscrete(2, 7, 1),
        Box.uniform(-1, 3, new int[] {2, 3}, DType.FLOAT32),
        Box.uniform(0, 255, new int[] {4}, DType.UINT8),
        new Box(new double[] {0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
            new double[] {Double.POSITIVE_INFINITY, 1, Double.POSITIVE_INFINITY}, new int[] {3}, DType.FLOAT64),
        new DictSpace(Map.of("x", new Discrete(2), "y", Box.uniform(-1, 1, new int[] {1}, DType.FLOAT32)))
    };
    for (Space s : spaces) {
      ByteBuffer a = buffer(s.byteSize());
      ByteBuffer b = buffer(s.byteSize());
      SplittableRandom r1 = new SplittableRandom(7);
      SplittableRandom r2 = new SplittableRandom(7);
      for (int i = 0; i < 1000; i++) {
        s.sample(r1, a, 0);
        s.sample(r2, b, 0);
        assertNull(s.check(a, 0), s + " sampled a value outside itself");
        assertEquals(a, b, s + " sampling is not deterministic");
      }
    }
  }
}
