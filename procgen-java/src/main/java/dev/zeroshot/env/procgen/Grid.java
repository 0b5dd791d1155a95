package dev.zeroshot.env.procgen;

import java.util.Arrays;

/** A world's tile grid, indexed {@code x + y * width} with y up, as Procgen's {@code Grid}. */
public final class Grid {

  private int width;
  private int height;
  private int[] cells = new int[0];
  /** Bumped whenever a cell changes, so a renderer can tell whether its cached tiles are stale. */
  private long version;

  /** Resizes (reusing the array when it is large enough) and fills with {@code fill}. */
  void resize(int width, int height, int fill) {
    this.width = width;
    this.height = height;
    if (cells.length < width * height) {
      cells = new int[width * height];
    }
    Arrays.fill(cells, 0, width * height, fill);
    version++;
  }

  /** Changes whenever any cell does. */
  public long version() {
    return version;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int size() {
    return width * height;
  }

  public boolean contains(int x, int y) {
    return x >= 0 && y >= 0 && x < width && y < height;
  }

  public int get(int x, int y) {
    return cells[x + y * width];
  }

  public int get(int index) {
    return cells[index];
  }

  void set(int x, int y, int value) {
    set(x + y * width, value);
  }

  void set(int index, int value) {
    if (cells[index] != value) {
      cells[index] = value;
      version++;
    }
  }
}
