package dev.zeroshot.env.context;

import dev.zeroshot.env.Echo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Context features a user changes from their defaults, as typed on a command line
 * ({@code name=value,...}): syntax-checked here, before the env is known, and turned into a
 * {@link Context} once by {@link #resolve} against the env's space (which checks names, bounds and
 * rules). Immutable; keeps the order given.
 */
public final class ContextOverrides {

  public static final ContextOverrides NONE = new ContextOverrides(Map.of(), null);

  private final Map<String, Double> values;
  private final ContextSpace space; // only to print integer features as integers; null when not known

  private ContextOverrides(Map<String, Double> values, ContextSpace space) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.space = space;
  }

  public static ContextOverrides of(Map<String, Double> values) {
    return of(values, null);
  }

  /** Changes to features of {@code space} (printed as its features print their values). */
  static ContextOverrides of(Map<String, Double> values, ContextSpace space) {
    for (Map.Entry<String, Double> e : values.entrySet()) {
      if (e.getValue() == null) {
        throw new IllegalArgumentException("context feature '" + e.getKey() + "' has no value");
      }
    }
    return values.isEmpty() ? NONE : new ContextOverrides(values, space);
  }

  /**
   * Parses {@code "name=value,name=value"} (whitespace allowed; null or blank = no changes).
   * Errors name the offending piece.
   */
  public static ContextOverrides parse(String spec) {
    Map<String, Double> values = new LinkedHashMap<>();
    if (spec != null && !spec.isBlank()) {
      for (String part : spec.split(",")) {
        String p = part.trim();
        int eq = p.indexOf('=');
        if (eq <= 0 || eq == p.length() - 1) {
          throw new IllegalArgumentException("bad context entry " + Echo.quote(p) + ": expected name=value, e.g. length=1.0");
        }
        String name = p.substring(0, eq).trim();
        String text = p.substring(eq + 1).trim();
        double value;
        try {
          value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("context feature " + Echo.quote(name) + " has non-numeric value " + Echo.quote(text));
        }
        if (values.put(name, value) != null) {
          throw new IllegalArgumentException("context feature " + Echo.quote(name) + " is given twice");
        }
      }
    }
    return of(values);
  }

  /** The env's defaults with these changes; unknown features, bounds and rules fail here. */
  public Context resolve(ContextSpace space) {
    return space.with(values);
  }

  /**
   * The env's defaults with these changes and then, unless {@code levels} is null, that level
   * range; a range given both ways is refused.
   */
  public Context resolve(ContextSpace space, LevelRange levels) {
    if (levels == null) {
      return resolve(space);
    }
    if (has("start_level") || has("num_levels")) {
      throw new IllegalArgumentException("give the level range either with --levels or in --context, not both");
    }
    return levels.apply(resolve(space));
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** Feature name to value, in the order given. */
  public Map<String, Double> toMap() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ContextOverrides c && c.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** {@code name=value,...}, parseable by {@link #parse}; empty for no changes. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    values.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=')
        .append(space == null ? String.valueOf(v) : space.features().get(space.indexOf(k)).format(v)));
    return sb.toString();
  }
}
