package dev.zeroshot.wire;

import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.VectorEnv;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.DictSpace;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.MultiDiscrete;
import dev.zeroshot.env.space.Space;
import dev.zeroshot.proto.v1.BoxSpace;
import dev.zeroshot.proto.v1.DictEntry;
import dev.zeroshot.proto.v1.DiscreteSpace;
import dev.zeroshot.proto.v1.MultiDiscreteSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions between the environment library's types and their zeroshot.v1 messages. */
public final class Protos {

  private Protos() {}

  public static dev.zeroshot.proto.v1.DType dtype(DType t) {
    switch (t) {
      case UINT8: return dev.zeroshot.proto.v1.DType.DTYPE_UINT8;
      case INT32: return dev.zeroshot.proto.v1.DType.DTYPE_INT32;
      case INT64: return dev.zeroshot.proto.v1.DType.DTYPE_INT64;
      case FLOAT32: return dev.zeroshot.proto.v1.DType.DTYPE_FLOAT32;
      default: return dev.zeroshot.proto.v1.DType.DTYPE_FLOAT64;
    }
  }

  /** The library dtype of a wire dtype; unset or unknown values are refused by name. */
  public static DType dtype(dev.zeroshot.proto.v1.DType t) {
    switch (t) {
      case DTYPE_UINT8: return DType.UINT8;
      case DTYPE_INT32: return DType.INT32;
      case DTYPE_INT64: return DType.INT64;
      case DTYPE_FLOAT32: return DType.FLOAT32;
      case DTYPE_FLOAT64: return DType.FLOAT64;
      default:
        throw new IllegalArgumentException("dtype " + t + " is not a tensor dtype; allowed: DTYPE_UINT8, DTYPE_INT32, "
            + "DTYPE_INT64, DTYPE_FLOAT32, DTYPE_FLOAT64");
    }
  }

  /** The numpy name of a wire dtype, for messages. */
  public static String numpyName(dev.zeroshot.proto.v1.DType t) {
    try {
      return dtype(t).numpyName();
    } catch (IllegalArgumentException e) {
      return t.toString();
    }
  }

  /**
   * The dtype of one element of {@code space} on the wire: int64 for Discrete and
   * MultiDiscrete, the Box's dtype, and raw bytes (uint8) for a Dict.
   */
  public static DType elementDType(Space space) {
    if (space instanceof Box b) {
      return b.dtype();
    }
    if (space instanceof DictSpace) {
      return DType.UINT8;
    }
    return DType.INT64;
  }

  /** Shape of one element on the wire (a Dict is its bytes). */
  public static int[] elementShape(Space space) {
    return space.shape();
  }

  /** Shape of a batch of {@code n} elements of {@code space} on the wire: n, then one element's shape. */
  public static List<Long> batchShape(int n, Space space) {
    List<Long> shape = new ArrayList<>();
    shape.add((long) n);
    for (int d : elementShape(space)) {
      shape.add((long) d);
    }
    return List.copyOf(shape);
  }

  public static dev.zeroshot.proto.v1.Space space(Space s) {
    dev.zeroshot.proto.v1.Space.Builder b = dev.zeroshot.proto.v1.Space.newBuilder();
    if (s instanceof Discrete d) {
      b.setDiscrete(DiscreteSpace.newBuilder().setN(d.n()).setStart(d.start()));
    } else if (s instanceof Box box) {
      BoxSpace.Builder bb = BoxSpace.newBuilder().setDtype(dtype(box.dtype()))
          .addAllShape(Arrays.stream(box.shape()).boxed().toList());
      if (isUniform(box)) {
        // Two scalars instead of one bound per element: a 3x64x64 image space is 27 bytes, not 196,627.
        bb.setUniformLow(box.low(0)).setUniformHigh(box.high(0));
      } else {
        bb.addAllLow(Arrays.stream(box.low()).boxed().toList())
            .addAllHigh(Arrays.stream(box.high()).boxed().toList());
      }
      b.setBox(bb);
    } else if (s instanceof MultiDiscrete m) {
      b.setMultiDiscrete(MultiDiscreteSpace.newBuilder()
          .addAllNvec(Arrays.stream(m.nvec()).boxed().toList())
          .addAllStart(Arrays.stream(m.start()).boxed().toList()));
    } else if (s instanceof DictSpace dict) {
      dev.zeroshot.proto.v1.DictSpace.Builder db = dev.zeroshot.proto.v1.DictSpace.newBuilder();
      for (Map.Entry<String, Space> e : dict.spaces().entrySet()) {
        db.addEntries(DictEntry.newBuilder().setKey(e.getKey()).setSpace(space(e.getValue())));
      }
      b.setDict(db);
    }
    return b.build();
  }

  /** Whether every element of {@code box} has the same bounds, bit for bit (so -0.0 stays -0.0). */
  private static boolean isUniform(Box box) {
    int n = box.elementCount();
    for (int i = 1; i < n; i++) {
      if (Double.doubleToLongBits(box.low(i)) != Double.doubleToLongBits(box.low(0))
          || Double.doubleToLongBits(box.high(i)) != Double.doubleToLongBits(box.high(0))) {
        return false;
      }
    }
    return n > 0;
  }

  public static Space space(dev.zeroshot.proto.v1.Space s) {
    switch (s.getKindCase()) {
      case DISCRETE:
        return new Discrete(s.getDiscrete().getN(), s.getDiscrete().getStart());
      case BOX: {
        BoxSpace b = s.getBox();
        int[] shape = b.getShapeList().stream().mapToInt(Integer::intValue).toArray();
        if (b.hasUniformLow() || b.hasUniformHigh()) {
          if (!b.hasUniformLow() || !b.hasUniformHigh() || b.getLowCount() > 0 || b.getHighCount() > 0) {
            throw new IllegalArgumentException("BoxSpace has uniform_low " + (b.hasUniformLow() ? "set" : "unset")
                + ", uniform_high " + (b.hasUniformHigh() ? "set" : "unset") + ", " + b.getLowCount() + " low and "
                + b.getHighCount() + " high values; allowed: both uniform bounds and no per-element ones, "
                + "or per-element low and high only");
          }
          return Box.uniform(b.getUniformLow(), b.getUniformHigh(), shape, dtype(b.getDtype()));
        }
        return new Box(b.getLowList().stream().mapToDouble(Double::doubleValue).toArray(),
            b.getHighList().stream().mapToDouble(Double::doubleValue).toArray(), shape, dtype(b.getDtype()));
      }
      case MULTI_DISCRETE: {
        MultiDiscreteSpace m = s.getMultiDiscrete();
        return new MultiDiscrete(m.getNvecList().stream().mapToLong(Long::longValue).toArray(),
            m.getStartList().stream().mapToLong(Long::longValue).toArray());
      }
      case DICT: {
        Map<String, Space> m = new LinkedHashMap<>();
        for (DictEntry e : s.getDict().getEntriesList()) {
          m.put(e.getKey(), space(e.getSpace()));
        }
        return new DictSpace(m);
      }
      default:
        throw new IllegalArgumentException("space has no kind set");
    }
  }

  public static dev.zeroshot.proto.v1.ContextFeature feature(ContextFeature f) {
    return dev.zeroshot.proto.v1.ContextFeature.newBuilder().setName(f.name()).setDefaultValue(f.defaultValue())
        .setLower(f.lower()).setUpper(f.upper()).setDescription(f.description()).setInteger(f.integer()).build();
  }

  /** The wire spec of {@code spec} with the given single-env spaces, context and time limit. */
  public static dev.zeroshot.proto.v1.EnvSpec spec(EnvSpec spec, Space observation, Space action, Context context,
      int maxEpisodeSteps) {
    dev.zeroshot.proto.v1.EnvSpec.Builder b = dev.zeroshot.proto.v1.EnvSpec.newBuilder()
        .setId(spec.id())
        .setDescription(spec.description())
        .setObservationSpace(space(observation))
        .setActionSpace(space(action))
        .setMaxEpisodeSteps(maxEpisodeSteps)
        .setAutoresetMode(VectorEnv.AUTORESET_MODE)
        .putAllContext(context.toMap());
    for (ContextFeature f : spec.contextSpace().features()) {
      b.addContextFeatures(feature(f));
    }
    if (spec.rewardThreshold() != null) {
      b.setRewardThreshold(spec.rewardThreshold());
    }
    return b.build();
  }

  /** The defaults of {@code space} changed by {@code values}; unknown names and bad values are refused by name. */
  public static Context context(ContextSpace space, Map<String, Double> values) {
    return space.with(values);
  }

  /** Checks that every name is a feature of {@code space}. */
  public static List<String> features(ContextSpace space, List<String> names) {
    for (String n : names) {
      space.indexOf(n);
    }
    return List.copyOf(names);
  }

  public static String shape(List<Long> shape) {
    return shape.toString();
  }

  public static String shape(long[] shape) {
    return Arrays.toString(shape);
  }
}
