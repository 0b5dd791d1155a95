package dev.zeroshot.env.context;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated assignment of a value to every feature of a {@link ContextSpace}. Immutable;
 * {@link #with} makes a changed copy. Made only through its space, so always within bounds.
 */
public final class Context {

  private final ContextSpace space;
  private final double[] values;

  Context(ContextSpace space, double[] values) {
    this.space = space;
    this.values = values;
  }

  public ContextSpace space() {
    return space;
  }

  public double get(String name) {
    return values[space.indexOf(name)];
  }

  public double get(int index) {
    return values[index];
  }

  /** Values in feature order (a copy). */
  public double[] values() {
    return values.clone();
  }

  /** A copy with some features changed; validated as a whole. */
  public Context with(Map<String, Double> changes) {
    double[] v = values.clone();
    for (Map.Entry<String, Double> e : changes.entrySet()) {
      if (e.getValue() == null) {
        throw new IllegalArgumentException("context feature '" + e.getKey() + "' has no value");
      }
      v[space.indexOf(e.getKey())] = e.getValue();
    }
    return space.of(v);
  }

  public Context with(String name, double value) {
    return with(Map.of(name, value));
  }

  /** Feature name to value, in feature order. */
  public Map<String, Double> toMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      m.put(space.features().get(i).name(), values[i]);
    }
    return m;
  }

  /** The features whose values differ from the space's defaults, in feature order. */
  public ContextOverrides changes() {
    Map<String, Double> m = new LinkedHashMap<>();
    double[] defaults = space.defaults().values;
    for (int i = 0; i < values.length; i++) {
      if (Double.compare(values[i], defaults[i]) != 0) {
        m.put(space.features().get(i).name(), values[i]);
      }
    }
    return ContextOverrides.of(m, space);
  }

  /** A flat JSON object {@code {"feature": value, ...}} with every feature. */
  public String toJson() {
    JsonObject o = new JsonObject();
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      String name = space.features().get(i).name();
      if (Double.isInfinite(v)) {
        o.addProperty(name, v > 0 ? "inf" : "-inf");
      } else if (space.features().get(i).integer()) {
        o.addProperty(name, (long) v); // integer features hold whole values (their space's rules)
      } else {
        o.addProperty(name, v);
      }
    }
    return o.toString();
  }

  /**
   * Reads a JSON object of feature values (a subset is fine: the rest take defaults). Unknown
   * features, non-numbers and out-of-bounds values are refused with a message naming them.
   */
  public static Context fromJson(ContextSpace space, String json) {
    JsonElement root;
    try {
      root = JsonParser.parseString(json);
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("context JSON for " + space.owner() + " does not parse: " + e.getMessage());
    }
    if (!root.isJsonObject()) {
      throw new IllegalArgumentException("context JSON for " + space.owner()
          + " must be an object like {\"feature\": value}, got " + abbreviate(json));
    }
    Map<String, Double> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> e : root.getAsJsonObject().entrySet()) {
      values.put(e.getKey(), number(e.getKey(), e.getValue()));
    }
    return space.with(values);
  }

  private static double number(String name, JsonElement e) {
    if (e.isJsonPrimitive()) {
      JsonPrimitive p = e.getAsJsonPrimitive();
      if (p.isNumber()) {
        return p.getAsDouble();
      }
      if (p.isString() && (p.getAsString().equals("inf") || p.getAsString().equals("-inf"))) {
        return p.getAsString().startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
    }
    throw new IllegalArgumentException("context feature '" + name + "' must be a number, got " + e);
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Context c && c.space == space && Arrays.equals(c.values, values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  /** {@code name=value,...} for every feature, parseable by {@link ContextSpace#parse}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      ContextFeature f = space.features().get(i);
      sb.append(i == 0 ? "" : ",").append(f.name()).append('=').append(f.format(values[i]));
    }
    return sb.toString();
  }
}
