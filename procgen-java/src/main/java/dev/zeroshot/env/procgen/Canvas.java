package dev.zeroshot.env.procgen;

import java.nio.ByteBuffer;

/**
 * The 64x64 frame a game draws into: packed 0xRRGGBB pixels, row 0 at the top, then written
 * channel-first (3 planes of 64x64 bytes) into the caller's buffer. World coordinates are
 * Procgen's (y up); the view maps a world window of {@code visibility} units onto the frame.
 * A pixel is covered by a rectangle when its centre lies inside it (no antialiasing, as
 * Procgen renders observations). Nothing here allocates after construction.
 */
public final class Canvas {

  public static final int RES = 64;

  private final int[] pixels = new int[RES * RES];
  private final byte[] planes = new byte[3 * RES * RES];
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
    java.util.Arrays.fill(pixels, rgb);
  }

  /** Fills the world rectangle [x0, x1] x [y0, y1]. */
  public void fillRect(float x0, float y0, float x1, float y1, int rgb) {
    int px0 = firstPixel(screenX(x0));
    int px1 = firstPixel(screenX(x1));
    int py0 = firstPixel(screenY(y1));
    int py1 = firstPixel(screenY(y0));
    for (int py = py0; py < py1; py++) {
      java.util.Arrays.fill(pixels, py * RES + px0, py * RES + Math.max(px0, px1), rgb);
    }
  }

  /** Fills a rectangle in frame pixels (for HUD elements that do not move with the world). */
  public void fillPixels(int px0, int py0, int px1, int py1, int rgb) {
    for (int py = Math.max(0, py0); py < Math.min(RES, py1); py++) {
      java.util.Arrays.fill(pixels, py * RES + Math.max(0, px0), py * RES + Math.min(RES, px1), rgb);
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
          case 0 -> { tx = u; ty = v; }
          case 1 -> { tx = w - 1 - v; ty = u; }
          case 2 -> { tx = w - 1 - u; ty = h - 1 - v; }
          default -> { tx = v; ty = h - 1 - u; }
        }
        int t = tex[ty * w + tx];
        if (t != 0) {
          pixels[row + px] = palette[t];
        }
      }
    }
  }

  /**
   * Stretches a square texture over the world rectangle [x0, x0 + w] x [y0, y0 + h], shifted
   * right by {@code shift} of its width (wrapping), and fills everything outside it black.
   */
  public void drawBackground(int[] texture, int size, float x0, float y0, float w, float h, float shift) {
    float sx0 = screenX(x0);
    float sy0 = screenY(y0 + h);
    float du = size / (unit * w);
    float dv = size / (unit * h);
    int offset = (int) (shift * size);
    for (int px = 0; px < RES; px++) {
      int u = (int) Math.floor((px + 0.5f - sx0) * du);
      colIndex[px] = u < 0 || u >= size ? -1 : (u + offset) % size;
    }
    for (int py = 0; py < RES; py++) {
      int v = (int) Math.floor((py + 0.5f - sy0) * dv);
      int row = py * RES;
      if (v < 0 || v >= size) {
        java.util.Arrays.fill(pixels, row, row + RES, 0);
        continue;
      }
      int trow = v * size;
      for (int px = 0; px < RES; px++) {
        int u = colIndex[px];
        pixels[row + px] = u < 0 ? 0 : texture[trow + u];
      }
    }
  }

  /** The packed pixel at (px, py), row 0 at the top. */
  public int pixel(int px, int py) {
    return pixels[py * RES + px];
  }

  /** Writes the frame as uint8 [3][64][64] (R plane, G plane, B plane) at {@code obs[offset]}. */
  public void writeTo(ByteBuffer obs, int offset) {
    final int n = RES * RES;
    for (int i = 0; i < n; i++) {
      int p = pixels[i];
      planes[i] = (byte) (p >>> 16);
      planes[n + i] = (byte) (p >>> 8);
      planes[2 * n + i] = (byte) p;
    }
    obs.put(offset, planes);
  }
}
