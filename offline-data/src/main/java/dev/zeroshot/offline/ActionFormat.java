package dev.zeroshot.offline;

import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.Space;
import java.util.Arrays;

/**
 * How a dataset stores one action, as Minari's arrow storage does: a Discrete action as one
 * int64; a Box action (float32, e.g. Pendulum's torque) as its values in row-major order, an
 * Arrow {@code fixed_size_list<float>[elements]}.
 *
 * @param boxShape the Box's shape, or null for Discrete actions
 */
public record ActionFormat(int[] boxShape) {

  /** One int64 per step. */
  public static final ActionFormat DISCRETE = new ActionFormat(null);

  public ActionFormat {
    boxShape = boxShape == null ? null : boxShape.clone();
  }

  /** The format of an action space: Discrete, or a float32 Box. */
  public static ActionFormat of(Space space) {
    if (space instanceof Discrete) {
      return DISCRETE;
    }
    if (space instanceof Box b && b.dtype() == DType.FLOAT32) {
      return new ActionFormat(b.shape());
    }
    throw new IllegalArgumentException("datasets store Discrete or float32 Box actions, got " + space);
  }

  public boolean isDiscrete() {
    return boxShape == null;
  }

  /** Values per action: 1 for Discrete, the Box's element count otherwise. */
  public int elements() {
    int n = 1;
    if (boxShape != null) {
      for (int d : boxShape) {
        n *= d;
      }
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ActionFormat f && Arrays.equals(f.boxShape, boxShape);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(boxShape);
  }

  @Override
  public String toString() {
    return isDiscrete() ? "int64 (Discrete)" : "float32" + Arrays.toString(boxShape) + " (Box)";
  }
}
