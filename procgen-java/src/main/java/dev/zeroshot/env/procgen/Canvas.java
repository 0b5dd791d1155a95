package dev.zeroshot.env.procgen;

import java.nio.ByteBuffer;

/**
 * A raster a game draws into, kept channel-first (an R, a G and a B plane, row 0 at the top):
 * the 64x64 observation frame, or a larger raster of a whole level's tiles that a following
 * camera copies its window from. World coordinates are Procgen's (y up), mapped to pixels by
 * {@code x * unit + originX} and {@code originY - y * unit}. A pixel is covered by a rectangle
 * when its centre lies inside it (no antialiasing, as Procgen renders observations). Nothing
 * here allocates after construction, except {@link #resize} when a raster must grow.
 */
public final class Canvas {

  public static final int RES = 64;

  private int width;
  private int height;
  private int n;
  // One array per colour plane: simpler indexing than one array of three planes.
  private byte[] red = new byte[0];
  private byte[] green = new byte[0];
  private byte[] blue = new byte[0];
  private int[] colIndex = new int[0];
  private float unit;
  private float originX;
  private float originY;

  /** The 64x64 observation frame. */
  public Canvas() {
    resize(RES, RES);
  }

  /** Sets the raster's size, reusing its arrays when they are large enough. */
  void resize(int w, int h) {
    width = w;
    height = h;
    n = w * h;
    if (red.length < n) {
      red = new byte[n];
      green = new byte[n];
      blue = new byte[n];
    }
    if (colIndex.length < w) {
      colIndex = new int[w];
    }
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Centres the view on (cx, cy), {@code visibility} world units across the frame's width. */
  public void setView(float cx, float cy, float visibility) {
    unit = RES / visibility;
    originX = width / 2f - cx * unit;
    originY = height / 2f + cy * unit;
  }

  /** Maps world x to pixel {@code x * unit + originX} and world y to {@code originY - y * unit}. */
  public void setMapping(float unit, float originX, float originY) {
    this.unit = unit;
    this.originX = originX;
    this.originY = originY;
  }

  public float unit() {
    return unit;
  }

  float screenX(float x) {
    return x * unit + originX;
  }

  float screenY(float y) {
    return originY - y * unit;
  }

  /** The first pixel whose centre is at or beyond screen coordinate s, clamped to [0, limit]. */
  private static int firstPixel(float s, int limit) {
    int p = (int) Math.ceil(s - 0.5f);
    return p < 0 ? 0 : Math.min(p, limit);
  }

  public void clear(int rgb) {
    fillSpan(0, n, rgb);
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
    int px0 = firstPixel(screenX(x0), width);
    int px1 = firstPixel(screenX(x1), width);
    int py0 = firstPixel(screenY(y1), height);
    int py1 = firstPixel(screenY(y0), height);
    for (int py = py0; py < py1; py++) {
      fillSpan(py * width + px0, py * width + px1, rgb);
    }
  }

  /** Fills a rectangle in pixels (for HUD elements that do not move with the world). */
  public void fillPixels(int px0, int py0, int px1, int py1, int rgb) {
    for (int py = Math.max(0, py0); py < Math.min(height, py1); py++) {
      fillSpan(py * width + Math.max(0, px0), py * width + Math.min(width, px1), rgb);
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
    int px0 = firstPixel(sx0, width);
    int px1 = firstPixel(sx1, width);
    int py0 = firstPixel(sy0, height);
    int py1 = firstPixel(sy1, height);
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
        int row = py * width;
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
      int row = py * width;
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
   * Draws {@code sprite} over the box of half-extents (rx, ry) centred on world point (cx, cy),
   * turned clockwise on screen by {@code rotation} radians about its centre (Qt's
   * {@code rotate}, as Procgen turns ships and lasers) and at opacity {@code alpha} (1 = opaque).
   * A pixel takes the texel under its centre.
   */
  public void drawSpriteTurned(Sprite sprite, int[] palette, float cx, float cy, float rx, float ry,
      float rotation, float alpha) {
    float scx = screenX(cx);
    float scy = screenY(cy);
    float hx = rx * unit;
    float hy = ry * unit;
    float reach = (float) Math.sqrt(hx * hx + hy * hy);
    int px0 = firstPixel(scx - reach, width);
    int px1 = firstPixel(scx + reach, width);
    int py0 = firstPixel(scy - reach, height);
    int py1 = firstPixel(scy + reach, height);
    float cos = (float) Math.cos(rotation);
    float sin = (float) Math.sin(rotation);
    float du = sprite.width / (2 * hx);
    float dv = sprite.height / (2 * hy);
    byte[] tex = sprite.texels;
    for (int py = py0; py < py1; py++) {
      float dy = py + 0.5f - scy;
      for (int px = px0; px < px1; px++) {
        float dx = px + 0.5f - scx;
        // Undo the turn: the pixel centre in the sprite's own (unturned) frame.
        float lx = dx * cos + dy * sin;
        float ly = dy * cos - dx * sin;
        if (lx <= -hx || lx >= hx || ly <= -hy || ly >= hy) {
          continue;
        }
        int u = Math.min((int) ((lx + hx) * du), sprite.width - 1);
        int v = Math.min((int) ((ly + hy) * dv), sprite.height - 1);
        int t = tex[v * sprite.width + u];
        if (t != 0) {
          blend(py * width + px, palette[t], alpha);
        }
      }
    }
  }

  /** Fills the ellipse inscribed in the pixel rectangle (px0, py0, w, h) at opacity {@code alpha}. */
  public void fillEllipsePixels(float px0, float py0, float w, float h, int rgb, float alpha) {
    float cx = px0 + w / 2;
    float cy = py0 + h / 2;
    for (int py = firstPixel(py0, height); py < firstPixel(py0 + h, height); py++) {
      float ey = (py + 0.5f - cy) / (h / 2);
      for (int px = firstPixel(px0, width); px < firstPixel(px0 + w, width); px++) {
        float ex = (px + 0.5f - cx) / (w / 2);
        if (ex * ex + ey * ey <= 1) {
          blend(py * width + px, rgb, alpha);
        }
      }
    }
  }

  /** A one-pixel line from pixel point (x0, y0) to (x1, y1). */
  public void drawLinePixels(float x0, float y0, float x1, float y1, int rgb) {
    int steps = (int) Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0)));
    for (int k = 0; k <= steps; k++) {
      float f = steps == 0 ? 0 : k / (float) steps;
      int px = (int) Math.floor(x0 + (x1 - x0) * f);
      int py = (int) Math.floor(y0 + (y1 - y0) * f);
      if (px >= 0 && px < width && py >= 0 && py < height) {
        set(py * width + px, rgb);
      }
    }
  }

  /** Mixes colour {@code rgb} into pixel i at opacity {@code alpha}. */
  private void blend(int i, int rgb, float alpha) {
    if (alpha >= 1) {
      set(i, rgb);
      return;
    }
    float keep = 1 - alpha;
    red[i] = (byte) (((rgb >>> 16) & 255) * alpha + (red[i] & 255) * keep + 0.5f);
    green[i] = (byte) (((rgb >>> 8) & 255) * alpha + (green[i] & 255) * keep + 0.5f);
    blue[i] = (byte) ((rgb & 255) * alpha + (blue[i] & 255) * keep + 0.5f);
  }

  /**
   * Stretches a square texture (given as R, G and B planes of size x size bytes) over the world
   * rectangle [x0, x0 + w] x [y0, y0 + h], shifted right by {@code shift} of its width
   * (wrapping), and fills everything outside it black.
   */
  public void drawBackground(byte[] texture, int size, float x0, float y0, float w, float h, float shift) {
    drawBackground(texture, size, x0, y0, w, h, shift, 1);
  }

  /** As above, with {@code tilesDown} copies of the texture stacked from top to bottom. */
  public void drawBackground(byte[] texture, int size, float x0, float y0, float w, float h, float shift, int tilesDown) {
    float sx0 = screenX(x0);
    float sy0 = screenY(y0 + h);
    float du = size / (unit * w);
    float dv = size * tilesDown / (unit * h);
    int offset = (int) (shift * size);
    // The texture covers a contiguous run of columns [first, last).
    int first = width;
    int last = 0;
    for (int px = 0; px < width; px++) {
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
    for (int py = 0; py < height; py++) {
      int v = (int) Math.floor((py + 0.5f - sy0) * dv);
      int row = py * width;
      if (v < 0 || v >= size * tilesDown || first >= last) {
        fillSpan(row, row + width, 0);
        continue;
      }
      // A texel row spans several pixel rows: build it once, then copy it.
      if (v == builtV) {
        System.arraycopy(red, builtRow, red, row, width);
        System.arraycopy(green, builtRow, green, row, width);
        System.arraycopy(blue, builtRow, blue, row, width);
        continue;
      }
      fillSpan(row, row + first, 0);
      fillSpan(row + last, row + width, 0);
      int trow = v % size * size;
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

  /**
   * Draws a horizontal strip of {@code count} copies of a square texture (R, G and B planes of
   * size x size bytes), each {@code tile} pixels across, the strip's top-left corner at pixel
   * (left, top): a background that scrolls as {@code left} moves. Outside the strip is black.
   */
  public void drawTiledStrip(byte[] texture, int size, float left, float top, float tile, int count) {
    float texelsPerPixel = size / tile;
    float stripWidth = tile * count;
    int first = width;
    int last = 0;
    for (int px = 0; px < width; px++) {
      float s = px + 0.5f - left;
      if (s >= 0 && s < stripWidth) {
        colIndex[px] = (int) (s * texelsPerPixel) % size;
        first = Math.min(first, px);
        last = px + 1;
      }
    }
    int tn = size * size;
    int builtRow = -1;
    int builtV = -1;
    for (int py = 0; py < height; py++) {
      float t = py + 0.5f - top;
      int v = t < 0 ? -1 : (int) (t * texelsPerPixel);
      int row = py * width;
      if (v < 0 || v >= size || first >= last) {
        fillSpan(row, row + width, 0);
        continue;
      }
      // A texel row spans several pixel rows: build it once, then copy it.
      if (v == builtV) {
        System.arraycopy(red, builtRow, red, row, width);
        System.arraycopy(green, builtRow, green, row, width);
        System.arraycopy(blue, builtRow, blue, row, width);
        continue;
      }
      fillSpan(row, row + first, 0);
      fillSpan(row + last, row + width, 0);
      int trow = v * size;
      for (int px = first; px < last; px++) {
        int i = trow + colIndex[px];
        red[row + px] = texture[i];
        green[row + px] = texture[tn + i];
        blue[row + px] = texture[2 * tn + i];
      }
      builtV = v;
      builtRow = row;
    }
  }

  /**
   * Copies this canvas's window at (left, top) of {@code src} over the whole of this canvas;
   * what lies outside {@code src} is black.
   */
  void copyWindow(Canvas src, int left, int top) {
    for (int py = 0; py < height; py++) {
      int sy = top + py;
      int row = py * width;
      int x0 = Math.max(0, -left);
      int x1 = Math.min(width, src.width - left);
      if (sy < 0 || sy >= src.height || x0 >= x1) {
        fillSpan(row, row + width, 0);
        continue;
      }
      fillSpan(row, row + x0, 0);
      fillSpan(row + x1, row + width, 0);
      int from = sy * src.width + left + x0;
      System.arraycopy(src.red, from, red, row + x0, x1 - x0);
      System.arraycopy(src.green, from, green, row + x0, x1 - x0);
      System.arraycopy(src.blue, from, blue, row + x0, x1 - x0);
    }
  }

  /** Copies the frame drawn so far into {@code layer} (3 planes of this canvas's size). */
  void saveTo(byte[] layer) {
    System.arraycopy(red, 0, layer, 0, n);
    System.arraycopy(green, 0, layer, n, n);
    System.arraycopy(blue, 0, layer, 2 * n, n);
  }

  /** Replaces the frame with a layer saved earlier. */
  void restoreFrom(byte[] layer) {
    System.arraycopy(layer, 0, red, 0, n);
    System.arraycopy(layer, n, green, 0, n);
    System.arraycopy(layer, 2 * n, blue, 0, n);
  }

  /** The pixel at (px, py) as 0xRRGGBB, row 0 at the top. */
  public int pixel(int px, int py) {
    int i = py * width + px;
    return ((red[i] & 255) << 16) | ((green[i] & 255) << 8) | (blue[i] & 255);
  }

  /** Writes the frame as uint8 [3][height][width] (R plane, G plane, B plane) at {@code obs[offset]}. */
  public void writeTo(ByteBuffer obs, int offset) {
    obs.put(offset, red, 0, n);
    obs.put(offset + n, green, 0, n);
    obs.put(offset + 2 * n, blue, 0, n);
  }
}
