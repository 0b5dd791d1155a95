package dev.zeroshot.offline;

import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Space;
import java.util.Arrays;

/**
 * How one observation is stored: {@code elements} values of uint8 (pixels) or float32, in the
 * space's row-major order (so Procgen frames stay channel-first [3, 64, 64]).
 */
public record ObservationFormat(DType dtype, int[] shape) {

  public ObservationFormat {
    if (dtype != DType.UINT8 && dtype != DType.FLOAT32) {
      throw new IllegalArgumentException("datasets store uint8 or float32 observations, got " + dtype.numpyName());
    }
    shape = shape.clone();
  }

  /** The format of a Box observation space. */
  public static ObservationFormat of(Space space) {
    if (!(space instanceof Box b)) {
      throw new IllegalArgumentException("datasets store Box observations, got " + space);
    }
    return new ObservationFormat(b.dtype(), b.shape());
  }

  public int elements() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  public int bytes() {
    return elements() * dtype.byteSize();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObservationFormat f && f.dtype == dtype && Arrays.equals(f.shape, shape);
  }

  @Override
  public int hashCode() {
    return dtype.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return dtype.numpyName() + Arrays.toString(shape);
  }
}
