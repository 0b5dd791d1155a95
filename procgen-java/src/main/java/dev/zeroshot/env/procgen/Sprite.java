package dev.zeroshot.env.procgen;

/**
 * A small bitmap drawn in code: each texel is an index into a palette given at draw time
 * (0 = transparent), so one sprite serves every colour theme. Written as rows of characters
 * top to bottom: '.' is transparent, '1'..'9' are palette entries.
 */
public final class Sprite {

  final int width;
  final int height;
  final byte[] texels;

  public Sprite(String... rows) {
    height = rows.length;
    width = rows[0].length();
    texels = new byte[width * height];
    for (int r = 0; r < height; r++) {
      if (rows[r].length() != width) {
        throw new IllegalArgumentException("sprite row " + r + " has " + rows[r].length() + " texels, expected " + width);
      }
      for (int c = 0; c < width; c++) {
        char ch = rows[r].charAt(c);
        texels[r * width + c] = (byte) (ch == '.' ? 0 : ch - '0');
      }
    }
  }

  /** A solid block (every texel palette entry 1). */
  public static Sprite block() {
    return new Sprite("1");
  }
}
