package dev.zeroshot.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.DictSpace;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.MultiDiscrete;
import dev.zeroshot.env.space.Space;
import dev.zeroshot.proto.v1.BoxSpace;
import java.util.List;
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
  void uniformBoxesSendTwoBoundsAndOthersOnePerElement() {
    Box image = Box.uniform(0, 255, new int[] {3, 64, 64}, DType.UINT8);
    BoxSpace compact = Protos.space(image).getBox();
    assertEquals(0, compact.getLowCount() + compact.getHighCount());
    assertEquals(0.0, compact.getUniformLow());
    assertEquals(255.0, compact.getUniformHigh());
    assertTrue(Protos.space(image).getSerializedSize() < 32, Protos.space(image).toString());
    // 0.0 and -0.0 are different bounds: the box is not uniform and keeps both, bit for bit.
    Box signedZeros = new Box(new double[] {0.0, -0.0}, new double[] {1, 1}, new int[] {2}, DType.FLOAT32);
    BoxSpace perElement = Protos.space(signedZeros).getBox();
    assertFalse(perElement.hasUniformLow() || perElement.hasUniformHigh());
    assertEquals(2, perElement.getLowCount());
    assertEquals(signedZeros, Protos.space(Protos.space(signedZeros)));
    // What servers sent before the uniform fields (one bound per element) still decodes.
    dev.zeroshot.proto.v1.Space old = dev.zeroshot.proto.v1.Space.newBuilder().setBox(BoxSpace.newBuilder()
        .setDtype(dev.zeroshot.proto.v1.DType.DTYPE_UINT8).addAllShape(List.of(2, 2))
        .addAllLow(List.of(0.0, 0.0, 0.0, 0.0)).addAllHigh(List.of(255.0, 255.0, 255.0, 255.0))).build();
    assertEquals(Box.uniform(0, 255, new int[] {2, 2}, DType.UINT8), Protos.space(old));
  }

  @Test
  void halfUniformOrMixedBoxBoundsAreRefused() {
    BoxSpace.Builder base = BoxSpace.newBuilder().setDtype(dev.zeroshot.proto.v1.DType.DTYPE_FLOAT32).addShape(2);
    BoxSpace[] bad = {
        base.clone().setUniformLow(0).build(),
        base.clone().setUniformHigh(1).build(),
        base.clone().setUniformLow(0).setUniformHigh(1).addAllLow(List.of(0.0, 0.0)).addAllHigh(List.of(1.0, 1.0))
            .build(),
    };
    for (BoxSpace b : bad) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Protos.space(dev.zeroshot.proto.v1.Space.newBuilder().setBox(b).build()));
      assertTrue(e.getMessage().contains("allowed: both uniform bounds"), e.getMessage());
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
