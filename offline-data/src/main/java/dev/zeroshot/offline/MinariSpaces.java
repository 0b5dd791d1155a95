package dev.zeroshot.offline;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.zeroshot.env.space.Box;
import dev.zeroshot.env.space.DType;
import dev.zeroshot.env.space.Discrete;
import dev.zeroshot.env.space.Space;
import java.util.Locale;

/**
 * Spaces as Minari's {@code serialize_space} writes them (a JSON string inside metadata.json):
 * {@code {"type":"Box","dtype":"uint8","shape":[3,64,64],"low":[[[0,...]]],"high":...}} with
 * full nested bound arrays (a scalar bound for a shaped Box is rejected by Minari), and
 * {@code {"type":"Discrete","dtype":"int64","start":0,"n":15}}. Infinite bounds are written as
 * Python's json module writes them ({@code Infinity}).
 */
public final class MinariSpaces {

  private MinariSpaces() {}

  public static String toJson(Space space) {
    if (space instanceof Discrete d) {
      return "{\"type\": \"Discrete\", \"dtype\": \"int64\", \"start\": " + d.start() + ", \"n\": " + d.n() + "}";
    }
    if (space instanceof Box b) {
      StringBuilder sb = new StringBuilder(b.elementCount() * 8);
      sb.append("{\"type\": \"Box\", \"dtype\": \"").append(b.dtype().numpyName()).append("\", \"shape\": [");
      int[] shape = b.shape();
      for (int i = 0; i < shape.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(shape[i]);
      }
      sb.append("], \"low\": ");
      nested(sb, b.low(), shape, 0, new int[] {0}, b.dtype().isIntegral());
      sb.append(", \"high\": ");
      nested(sb, b.high(), shape, 0, new int[] {0}, b.dtype().isIntegral());
      return sb.append('}').toString();
    }
    throw new IllegalArgumentException("datasets support Box and Discrete spaces, got " + space);
  }

  private static void nested(StringBuilder sb, double[] v, int[] shape, int dim, int[] pos, boolean integral) {
    sb.append('[');
    for (int i = 0; i < shape[dim]; i++) {
      if (i > 0) {
        sb.append(',');
      }
      if (dim == shape.length - 1) {
        number(sb, v[pos[0]++], integral);
      } else {
        nested(sb, v, shape, dim + 1, pos, integral);
      }
    }
    sb.append(']');
  }

  private static void number(StringBuilder sb, double x, boolean integral) {
    if (Double.isInfinite(x)) {
      sb.append(x > 0 ? "Infinity" : "-Infinity");
    } else if (integral || x == Math.rint(x) && Math.abs(x) < 1e15) {
      sb.append(integral ? Long.toString((long) x) : String.format(Locale.ROOT, "%.1f", x));
    } else {
      sb.append(Double.toString(x));
    }
  }

  /** Reads a Box observation format (dtype and shape) from a Minari space JSON string. */
  public static ObservationFormat observationFormat(String json) {
    JsonObject o = JsonParser.parseString(json).getAsJsonObject();
    if (!"Box".equals(o.get("type").getAsString())) {
      throw new IllegalArgumentException("observation space is " + o.get("type") + "; Zeroshot reads Box observations");
    }
    JsonArray s = o.getAsJsonArray("shape");
    int[] shape = new int[s.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = s.get(i).getAsInt();
    }
    return new ObservationFormat(DType.fromNumpyName(o.get("dtype").getAsString()), shape);
  }

  /**
   * The action space in a Minari space JSON string: a Discrete, or a float32 Box (its bounds read
   * from the nested arrays); any other is refused naming what datasets hold.
   */
  public static Space actionSpace(String json) {
    JsonObject o = JsonParser.parseString(json).getAsJsonObject();
    JsonElement t = o.get("type");
    String type = t == null ? "none" : t.getAsString();
    if (type.equals("Discrete")) {
      JsonElement start = o.get("start");
      return new Discrete(o.get("n").getAsLong(), start == null ? 0 : start.getAsLong());
    }
    if (type.equals("Box") && "float32".equals(o.get("dtype").getAsString())) {
      JsonArray s = o.getAsJsonArray("shape");
      int[] shape = new int[s.size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = s.get(i).getAsInt();
      }
      return new Box(flat(o.get("low")), flat(o.get("high")), shape, DType.FLOAT32);
    }
    throw new IllegalArgumentException("action space is " + type + (type.equals("Box") ? " of " + o.get("dtype") : "")
        + "; datasets hold Discrete or float32 Box actions");
  }

  /** A nested bound array's numbers in row-major order (Python's Infinity tokens included). */
  private static double[] flat(JsonElement e) {
    java.util.List<Double> out = new java.util.ArrayList<>();
    collect(e, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void collect(JsonElement e, java.util.List<Double> out) {
    if (e.isJsonArray()) {
      for (JsonElement x : e.getAsJsonArray()) {
        collect(x, out);
      }
    } else {
      out.add(e.getAsDouble());
    }
  }
}
