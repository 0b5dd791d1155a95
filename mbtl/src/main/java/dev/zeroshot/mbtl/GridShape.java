package dev.zeroshot.mbtl;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the N tasks are laid out: a line of N tasks (one context feature, the paper's setting) or a
 * grid over several features, e.g. {@code 10x10} (N = 100). Tasks are numbered row-major: with
 * sizes (a, b), task i has coordinates (i / b, i % b), so the last feature varies fastest. Each
 * coordinate is an index along its feature, and distances are index differences per feature, as
 * the paper measures distance on one feature.
 */
public record GridShape(int[] sizes) {

  public GridShape {
    if (sizes == null || sizes.length == 0) {
      throw new IllegalArgumentException("a grid needs at least one feature");
    }
    sizes = sizes.clone();
    long n = 1;
    for (int s : sizes) {
      if (s < 1) {
        throw new IllegalArgumentException("grid sizes must be >= 1, got " + Arrays.toString(sizes));
      }
      n *= s;
      if (n > 1_000_000) {
        throw new IllegalArgumentException("grid " + Arrays.toString(sizes) + " has more than 1,000,000 tasks");
      }
    }
  }

  /** N tasks along one feature. */
  public static GridShape line(int n) {
    return new GridShape(new int[] {n});
  }

  /**
   * Parses {@code AxB} (or {@code AxBxC}, or a plain {@code N}); every size must be an integer >= 1
   * (>= 2 along each feature of a multi-feature grid).
   */
  public static GridShape parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("grid is empty; expected sizes like 10x10");
    }
    String[] parts = spec.trim().toLowerCase(Locale.ROOT).split("x", -1);
    int[] sizes = new int[parts.length];
    for (int f = 0; f < parts.length; f++) {
      try {
        sizes[f] = Integer.parseInt(parts[f].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("grid '" + spec + "': '" + parts[f] + "' is not an integer; expected sizes "
            + "like 10x10");
      }
      if (sizes[f] < (parts.length > 1 ? 2 : 1)) {
        throw new IllegalArgumentException("grid '" + spec + "': every size must be >= "
            + (parts.length > 1 ? "2 (a feature with one value is not varied)" : "1"));
      }
    }
    return new GridShape(sizes);
  }

  @Override
  public int[] sizes() {
    return sizes.clone();
  }

  /** Number of features (1 for a line). */
  public int dims() {
    return sizes.length;
  }

  /** Number of tasks N, the product of the sizes. */
  public int size() {
    int n = 1;
    for (int s : sizes) {
      n *= s;
    }
    return n;
  }

  public int size(int feature) {
    return sizes[feature];
  }

  /** Task {@code i}'s index along {@code feature}. */
  public int coordinate(int i, int feature) {
    int stride = 1;
    for (int f = sizes.length - 1; f > feature; f--) {
      stride *= sizes[f];
    }
    return (i / stride) % sizes[feature];
  }

  /** Task {@code i}'s indices along every feature. */
  public int[] coordinates(int i) {
    int[] c = new int[sizes.length];
    for (int f = sizes.length - 1; f >= 0; f--) {
      c[f] = i % sizes[f];
      i /= sizes[f];
    }
    return c;
  }

  /** The task at the given per-feature indices. */
  public int index(int[] coordinates) {
    int i = 0;
    for (int f = 0; f < sizes.length; f++) {
      i = i * sizes[f] + coordinates[f];
    }
    return i;
  }

  /**
   * The step-0 task: on every feature the index nearest the middle, the lower on a tie; for a line
   * the paper's (N-1)/2.
   */
  public int middle() {
    int[] c = new int[sizes.length];
    for (int f = 0; f < sizes.length; f++) {
      c[f] = (sizes[f] - 1) / 2;
    }
    return index(c);
  }

  /** {@code AxB}, or {@code N} for a line. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (int f = 0; f < sizes.length; f++) {
      b.append(f > 0 ? "x" : "").append(sizes[f]);
    }
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GridShape g && Arrays.equals(sizes, g.sizes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sizes);
  }
}
