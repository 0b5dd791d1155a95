package dev.zeroshot.env.procgen;

import java.util.SplittableRandom;

/**
 * Background textures drawn in code, a few per style, chosen per level (Procgen draws a
 * background index per level, which is one of the ways its levels differ visually). Made once
 * from fixed seeds, so they are identical on every run; read-only afterwards.
 */
public final class Backgrounds {

  /** Texture side in texels; stretched over the world. */
  public static final int SIZE = 32;

  public enum Style { TOPDOWN, WATER, SPACE, PLATFORM }

  private static final int PER_STYLE = 6;
  /** Per style and index: the texture as R, G and B planes, the layout the canvas copies from. */
  private static final byte[][][] TEXTURES = new byte[Style.values().length][PER_STYLE][];

  static {
    for (Style s : Style.values()) {
      for (int i = 0; i < PER_STYLE; i++) {
        int[] rgb = make(s, i);
        byte[] planes = new byte[3 * rgb.length];
        for (int k = 0; k < rgb.length; k++) {
          planes[k] = (byte) (rgb[k] >>> 16);
          planes[rgb.length + k] = (byte) (rgb[k] >>> 8);
          planes[2 * rgb.length + k] = (byte) rgb[k];
        }
        TEXTURES[s.ordinal()][i] = planes;
      }
    }
  }

  private Backgrounds() {}

  /** How many backgrounds a style has (the range of the per-level draw). */
  public static int count(Style style) {
    return PER_STYLE;
  }

  /** The texture as R, G and B planes of SIZE x SIZE bytes. */
  public static byte[] texture(Style style, int index) {
    return TEXTURES[style.ordinal()][index];
  }

  private static int[] make(Style style, int index) {
    SplittableRandom r = new SplittableRandom(1000L * style.ordinal() + index);
    int[] t = new int[SIZE * SIZE];
    switch (style) {
      case TOPDOWN -> {
        // Ground: a base colour with speckles and a faint tile seam.
        int base = Palettes.hsv(r.nextDouble(), 0.3 + 0.3 * r.nextDouble(), 0.22 + 0.12 * r.nextDouble());
        int dark = Palettes.shade(base, 0.85);
        int light = Palettes.shade(base, 1.1);
        int tile = 4 + r.nextInt(5);
        for (int y = 0; y < SIZE; y++) {
          for (int x = 0; x < SIZE; x++) {
            int c = (x % tile == 0 || y % tile == 0) ? dark : base;
            if (r.nextInt(9) == 0) {
              c = light;
            }
            t[y * SIZE + x] = c;
          }
        }
      }
      case WATER -> {
        // Deep-to-shallow gradient with bubbles and weed stripes.
        double hue = 0.5 + 0.12 * r.nextDouble();
        for (int y = 0; y < SIZE; y++) {
          int c = Palettes.hsv(hue, 0.7, 0.35 + 0.45 * (1 - y / (double) SIZE));
          for (int x = 0; x < SIZE; x++) {
            t[y * SIZE + x] = c;
          }
        }
        int bubble = Palettes.hsv(hue, 0.25, 0.9);
        for (int k = 0; k < 12; k++) {
          t[r.nextInt(SIZE) * SIZE + r.nextInt(SIZE)] = bubble;
        }
        int weed = Palettes.hsv(0.3 + 0.1 * r.nextDouble(), 0.6, 0.45);
        for (int k = 0; k < 4; k++) {
          int x = r.nextInt(SIZE);
          for (int y = SIZE - 1 - r.nextInt(SIZE / 2); y < SIZE; y++) {
            t[y * SIZE + x] = weed;
          }
        }
      }
      case SPACE -> {
        int base = Palettes.hsv(r.nextDouble(), 0.6, 0.12 + 0.1 * r.nextDouble());
        java.util.Arrays.fill(t, base);
        for (int k = 0; k < 30; k++) {
          t[r.nextInt(SIZE * SIZE)] = Palettes.hsv(r.nextDouble(), 0.2, 0.6 + 0.4 * r.nextDouble());
        }
      }
      case PLATFORM -> {
        // Sky gradient over rolling hills.
        double hue = r.nextDouble();
        int hill = Palettes.hsv(r.nextDouble(), 0.45, 0.45);
        double phase = r.nextDouble() * 6.28;
        for (int y = 0; y < SIZE; y++) {
          int sky = Palettes.hsv(hue, 0.35, 0.95 - 0.4 * y / SIZE);
          for (int x = 0; x < SIZE; x++) {
            double top = SIZE * 0.65 + 4 * Math.sin(phase + x * 0.35);
            t[y * SIZE + x] = y > top ? hill : sky;
          }
        }
      }
      default -> throw new AssertionError(style);
    }
    return t;
  }
}
