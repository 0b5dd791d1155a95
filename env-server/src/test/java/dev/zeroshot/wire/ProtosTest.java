package dev.zeroshot.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.DictSpace;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.MultiDiscrete;
import dev.zeroshot.env.space.Space;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every space kind survives the trip to its zeroshot.v1 message and back. */
class ProtosTest {

  @Test
  void everySpaceKindRoundTrips() {
    Space[] spaces = {
        new Discrete(15, -3),
        new Box(new double[] {Double.NEGATIVE_INFINITY, -1, 0, 2.5}, new double[] {Double.POSITIVE_INFINITY, 1, 0, 3},
            new int[] {2, 2}, DType.FLOAT64),
        Box.uniform(0, 255, new int[] {3, 64, 64}, DType.UINT8),
        new MultiDiscrete(new long[] {3, 4, 5}, new long[] {0, -1, 10}),
        new DictSpace(Map.of("pos", Box.uniform(-1, 1, new int[] {2}, DType.FLOAT32), "key", new Discrete(4))),
    };
    for (Space s : spaces) {
      assertEquals(s, Protos.space(Protos.space(s)), s.toString());
    }
  }

  @Test
  void wireDtypesAndShapes() {
    assertEquals(DType.INT64, Protos.elementDType(new Discrete(2)));
    assertEquals(DType.INT64, Protos.elementDType(new MultiDiscrete(2, 3)));
    assertEquals(DType.UINT8, Protos.elementDType(Box.uniform(0, 255, new int[] {3, 64, 64}, DType.UINT8)));
    assertEquals(DType.UINT8, Protos.elementDType(new DictSpace(Map.of("a", new Discrete(2)))));
    assertArrayEquals(new int[] {8}, Protos.elementShape(new DictSpace(Map.of("a", new Discrete(2)))));
    for (DType t : DType.values()) {
      assertEquals(t, Protos.dtype(Protos.dtype(t)));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Protos.dtype(dev.zeroshot.proto.v1.DType.DTYPE_UNSPECIFIED));
    assertTrue(e.getMessage().contains("DTYPE_UNSPECIFIED"), e.getMessage());
  }
}
