package dev.zeroshot.env.procgen;

/** Colour helpers and the fixed colour themes games pick from per level. */
public final class Palettes {

  private Palettes() {}

  public static int rgb(int r, int g, int b) {
    return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : Math.min(v, 255);
  }

  /** Hue, saturation, value in [0, 1] to packed RGB. */
  public static int hsv(double h, double s, double v) {
    h = (h % 1 + 1) % 1 * 6;
    int i = (int) h;
    double f = h - i;
    double p = v * (1 - s);
    double q = v * (1 - s * f);
    double t = v * (1 - s * (1 - f));
    double r;
    double g;
    double b;
    switch (i) {
      case 0 -> { r = v; g = t; b = p; }
      case 1 -> { r = q; g = v; b = p; }
      case 2 -> { r = p; g = v; b = t; }
      case 3 -> { r = p; g = q; b = v; }
      case 4 -> { r = t; g = p; b = v; }
      default -> { r = v; g = p; b = q; }
    }
    return rgb((int) Math.round(r * 255), (int) Math.round(g * 255), (int) Math.round(b * 255));
  }

  /** Scales a colour's brightness. */
  public static int shade(int rgb, double k) {
    return rgb((int) (((rgb >> 16) & 255) * k), (int) (((rgb >> 8) & 255) * k), (int) ((rgb & 255) * k));
  }

  /**
   * A palette for a {@link Sprite}: entry 0 unused (transparent), then the given colours.
   */
  public static int[] of(int... colours) {
    int[] p = new int[colours.length + 1];
    System.arraycopy(colours, 0, p, 1, colours.length);
    return p;
  }

  /** {@code n} palettes, one per theme: a base hue turned around the wheel, with a dark and a light shade. */
  public static int[][] themes(int n, double hue0, double saturation, double value) {
    int[][] t = new int[n][];
    for (int i = 0; i < n; i++) {
      int base = hsv(hue0 + i / (double) n, saturation, value);
      t[i] = of(base, shade(base, 0.7), shade(base, 1.25));
    }
    return t;
  }
}
