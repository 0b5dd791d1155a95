package dev.zeroshot.env.context;

/**
 * One named, bounded knob of an environment (CARL's model): a physical constant such as a pole's
 * length, or a level generator's parameter. Bounds are inclusive; either may be infinite (the
 * feature is unbounded that way), but a value is always finite. An {@code integer} feature (a
 * count, a seed, a 0/1 flag) is printed and written without a fraction ({@code num_levels=200},
 * not {@code 200.0}); its space's rules refuse fractional values.
 */
public record ContextFeature(String name, double defaultValue, double lower, double upper, String description,
    boolean integer) {

  /** A real-valued feature. */
  public ContextFeature(String name, double defaultValue, double lower, double upper, String description) {
    this(name, defaultValue, lower, upper, description, false);
  }

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
      return "context feature '" + name + "' = " + format(value) + " is outside the allowed range " + range();
    }
    return null;
  }

  /** The allowed range as text, e.g. {@code [0.1, 10.0]}, {@code [0.1, inf)} or, for an integer feature, {@code [0, 1]}. */
  public String range() {
    String lo = lower == Double.NEGATIVE_INFINITY ? "(-inf" : "[" + format(lower);
    String hi = upper == Double.POSITIVE_INFINITY ? "inf)" : format(upper) + "]";
    return lo + ", " + hi;
  }

  /** A value as text: an integer feature's whole values without a fraction, any other as Java prints a double. */
  public String format(double value) {
    return integer && value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
        : String.valueOf(value);
  }

  public boolean isBounded() {
    return !Double.isInfinite(lower) && !Double.isInfinite(upper);
  }
}
