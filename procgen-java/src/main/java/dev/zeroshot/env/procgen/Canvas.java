package dev.zeroshot.env.procgen;

import java.nio.ByteBuffer;

/**
 * The 64x64 frame a game draws into, kept channel-first (an R, a G and a B plane of 64x64
 * bytes, row 0 at the top) so that handing it to the caller's buffer is three bulk copies. World coordinates are
 * Procgen's (y up); the view maps a world window of {@code visibility} units onto the frame.
 * A pixel is covered by a rectangle when its centre lies inside it (no antialiasing, as
 * Procgen renders observations). Nothing here allocates after construction.
 */
public final class Canvas {

  public static final int RES = 64;

  private static final int N = RES * RES;
  // One array per colour plane: simpler indexing than one array of three planes.
  private final byte[] red = new byte[N];
  private final byte[] green = new byte[N];
  private final byte[] blue = new byte[N];
  private final int[] colIndex = new int[RES];
  private float unit;
  private float centerX;
  private float centerY;

  /** Centres the view on (cx, cy), {@code visibility} world units across. */
  public void setView(float cx, float cy, float visibility) {
    centerX = cx;
    centerY = cy;
    unit = RES / visibility;
  }

  public float unit() {
    return unit;
  }

  float screenX(float x) {
    return (x - centerX) * unit + RES / 2f;
  }

  float screenY(float y) {
    return (centerY - y) * unit + RES / 2f;
  }

  /** The first pixel whose centre is at or beyond screen coordinate s, clamped to the frame. */
  private static int firstPixel(float s) {
    int p = (int) Math.ceil(s - 0.5f);
    return p < 0 ? 0 : Math.min(p, RES);
  }

  public void clear(int rgb) {
    fillSpan(0, N, rgb);
  }

  /** Sets pixels [from, to) (row-major indices) to one colour. */
  private void fillSpan(int from, int to, int rgb) {
    if (from >= to) {
      return;
    }
    java.util.Arrays.fill(red, from, to, (byte) (rgb >>> 16));
    java.util.Arrays.fill(green, from, to, (byte) (rgb >>> 8));
    java.util.Arrays.fill(blue, from, to, (byte) rgb);
  }

  private void set(int i, int rgb) {
    red[i] = (byte) (rgb >>> 16);
    green[i] = (byte) (rgb >>> 8);
    blue[i] = (byte) rgb;
  }

  /** Fills the world rectangle [x0, x1] x [y0, y1]. */
  public void fillRect(float x0, float y0, float x1, float y1, int rgb) {
    int px0 = firstPixel(screenX(x0));
    int px1 = firstPixel(screenX(x1));
    int py0 = firstPixel(screenY(y1));
    int py1 = firstPixel(screenY(y0));
    for (int py = py0; py < py1; py++) {
      fillSpan(py * RES + px0, py * RES + px1, rgb);
    }
  }

  /** Fills a rectangle in frame pixels (for HUD elements that do not move with the world). */
  public void fillPixels(int px0, int py0, int px1, int py1, int rgb) {
    for (int py = Math.max(0, py0); py < Math.min(RES, py1); py++) {
      fillSpan(py * RES + Math.max(0, px0), py * RES + Math.min(RES, px1), rgb);
    }
  }

  /**
   * Draws {@code sprite} stretched over the world rectangle [x0, x1] x [y0, y1], mirrored
   * horizontally if asked and turned by {@code quarterTurns} x 90 degrees counter-clockwise.
   */
  public void drawSprite(Sprite sprite, int[] palette, float x0, float y0, float x1, float y1,
      boolean mirrored, int quarterTurns) {
    float sx0 = screenX(x0);
    float sx1 = screenX(x1);
    float sy0 = screenY(y1);
    float sy1 = screenY(y0);
    int px0 = firstPixel(sx0);
    int px1 = firstPixel(sx1);
    int py0 = firstPixel(sy0);
    int py1 = firstPixel(sy1);
    if (px0 >= px1 || py0 >= py1) {
      return;
    }
    int q = quarterTurns & 3;
    // In the sprite's own frame the width runs along u; a quarter turn swaps the axes.
    int su = (q & 1) == 0 ? sprite.width : sprite.height;
    int sv = (q & 1) == 0 ? sprite.height : sprite.width;
    float du = su / (sx1 - sx0);
    float dv = sv / (sy1 - sy0);
    for (int px = px0; px < px1; px++) {
      int u = (int) ((px + 0.5f - sx0) * du);
      colIndex[px] = u < 0 ? 0 : Math.min(u, su - 1);
    }
    byte[] tex = sprite.texels;
    int w = sprite.width;
    int h = sprite.height;
    if (q == 0) {
      // The common case (no turn): fold the mirroring into the column table.
      if (mirrored) {
        for (int px = px0; px < px1; px++) {
          colIndex[px] = su - 1 - colIndex[px];
        }
      }
      for (int py = py0; py < py1; py++) {
        int v = (int) ((py + 0.5f - sy0) * dv);
        int texRow = (v < 0 ? 0 : Math.min(v, sv - 1)) * w;
        int row = py * RES;
        for (int px = px0; px < px1; px++) {
          int t = tex[texRow + colIndex[px]];
          if (t != 0) {
            set(row + px, palette[t]);
          }
        }
      }
      return;
    }
    for (int py = py0; py < py1; py++) {
      int v = (int) ((py + 0.5f - sy0) * dv);
      v = v < 0 ? 0 : Math.min(v, sv - 1);
      int row = py * RES;
      for (int px = px0; px < px1; px++) {
        int u = colIndex[px];
        if (mirrored) {
          u = su - 1 - u;
        }
        int tx;
        int ty;
        switch (q) {
          case 1 -> { tx = w - 1 - v; ty = u; }
          case 2 -> { tx = w - 1 - u; ty = h - 1 - v; }
          default -> { tx = v; ty = h - 1 - u; }
        }
        int t = tex[ty * w + tx];
        if (t != 0) {
          set(row + px, palette[t]);
        }
      }
    }
  }

  /**
   * Stretches a square texture (given as R, G and B planes of size x size bytes) over the world
   * rectangle [x0, x0 + w] x [y0, y0 + h], shifted right by {@code shift} of its width
   * (wrapping), and fills everything outside it black.
   */
  public void drawBackground(byte[] texture, int size, float x0, float y0, float w, float h, float shift) {
    float sx0 = screenX(x0);
    float sy0 = screenY(y0 + h);
    float du = size / (unit * w);
    float dv = size / (unit * h);
    int offset = (int) (shift * size);
    // The texture covers a contiguous run of columns [first, last).
    int first = RES;
    int last = 0;
    for (int px = 0; px < RES; px++) {
      int u = (int) Math.floor((px + 0.5f - sx0) * du);
      if (u >= 0 && u < size) {
        colIndex[px] = (u + offset) % size;
        first = Math.min(first, px);
        last = px + 1;
      }
    }
    int tn = size * size;
    int builtRow = -1;
    int builtV = -1;
    for (int py = 0; py < RES; py++) {
      int v = (int) Math.floor((py + 0.5f - sy0) * dv);
      int row = py * RES;
      if (v < 0 || v >= size || first >= last) {
        fillSpan(row, row + RES, 0);
        continue;
      }
      // A texel row spans several pixel rows: build it once, then copy it.
      if (v == builtV) {
        System.arraycopy(red, builtRow, red, row, RES);
        System.arraycopy(green, builtRow, green, row, RES);
        System.arraycopy(blue, builtRow, blue, row, RES);
        continue;
      }
      fillSpan(row, row + first, 0);
      fillSpan(row + last, row + RES, 0);
      int trow = v * size;
      for (int px = first; px < last; px++) {
        int t = trow + colIndex[px];
        red[row + px] = texture[t];
        green[row + px] = texture[tn + t];
        blue[row + px] = texture[2 * tn + t];
      }
      builtV = v;
      builtRow = row;
    }
  }

  /** Copies the frame drawn so far into {@code layer} (3 x 64 x 64 bytes). */
  void saveTo(byte[] layer) {
    System.arraycopy(red, 0, layer, 0, N);
    System.arraycopy(green, 0, layer, N, N);
    System.arraycopy(blue, 0, layer, 2 * N, N);
  }

  /** Replaces the frame with a layer saved earlier. */
  void restoreFrom(byte[] layer) {
    System.arraycopy(layer, 0, red, 0, N);
    System.arraycopy(layer, N, green, 0, N);
    System.arraycopy(layer, 2 * N, blue, 0, N);
  }

  /** The pixel at (px, py) as 0xRRGGBB, row 0 at the top. */
  public int pixel(int px, int py) {
    int i = py * RES + px;
    return ((red[i] & 255) << 16) | ((green[i] & 255) << 8) | (blue[i] & 255);
  }

  /** Writes the frame as uint8 [3][64][64] (R plane, G plane, B plane) at {@code obs[offset]}. */
  public void writeTo(ByteBuffer obs, int offset) {
    obs.put(offset, red);
    obs.put(offset + N, green);
    obs.put(offset + 2 * N, blue);
  }
}
