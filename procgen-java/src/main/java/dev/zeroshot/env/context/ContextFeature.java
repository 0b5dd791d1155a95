package dev.zeroshot.env.context;

/**
 * One named, bounded knob of an environment (CARL's model): a physical constant such as a pole's
 * length, or a level generator's parameter. Bounds are inclusive; either may be infinite (the
 * feature is unbounded that way), but a value is always finite.
 */
public record ContextFeature(String name, double defaultValue, double lower, double upper, String description) {

  public ContextFeature {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("context feature name must be an identifier, got '" + name + "'");
    }
    if (Double.isNaN(lower) || Double.isNaN(upper) || lower > upper) {
      throw new IllegalArgumentException("context feature '" + name + "' has bad bounds [" + lower + ", " + upper + "]");
    }
    if (!(defaultValue >= lower && defaultValue <= upper)) {
      throw new IllegalArgumentException("context feature '" + name + "' default " + defaultValue
          + " is outside its bounds [" + lower + ", " + upper + "]");
    }
  }

  /** Returns null if {@code value} is allowed (finite and within the bounds), else a message naming the feature, the value and the range. */
  public String check(double value) {
    if (Double.isNaN(value)) {
      return "context feature '" + name + "' is NaN; allowed range " + range();
    }
    if (Double.isInfinite(value)) { // an unbounded feature still takes finite values only (inf makes NaN physics)
      return "context feature '" + name + "' = " + value + " is not finite; allowed: finite values in " + range();
    }
    if (value < lower || value > upper) {
      return "context feature '" + name + "' = " + value + " is outside the allowed range " + range();
    }
    return null;
  }

  /** The allowed range as text, e.g. {@code [0.1, 10.0]} or {@code [0.1, inf)}. */
  public String range() {
    String lo = lower == Double.NEGATIVE_INFINITY ? "(-inf" : "[" + lower;
    String hi = upper == Double.POSITIVE_INFINITY ? "inf)" : upper + "]";
    return lo + ", " + hi;
  }

  public boolean isBounded() {
    return !Double.isInfinite(lower) && !Double.isInfinite(upper);
  }
}
