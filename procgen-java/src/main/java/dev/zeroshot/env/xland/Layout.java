package dev.zeroshot.env.xland;

import java.util.SplittableRandom;

/**
 * XLand-MiniGrid's room layouts: walls inside the border wall, with closed doors (one of six
 * colours) at random places along them. R9 wants sides of the form 3k + 1 (rooms of k - 1 cells).
 */
public enum Layout {
  /** One room. */
  R1,
  /** Two rooms side by side, one door. */
  R2,
  /** Four rooms, a door in each of the four inner wall segments. */
  R4,
  /** Nine rooms in a 3x3 block, twelve doors. */
  R9;

  private static final int[] DOOR_COLORS = {Tiles.RED, Tiles.GREEN, Tiles.BLUE, Tiles.PURPLE, Tiles.YELLOW, Tiles.GREY};

  /** Fails unless a {@code width x height} world can hold this layout. */
  public void checkSize(int width, int height) {
    int min = switch (this) {
      case R1 -> 3;
      case R2 -> 5;
      case R4 -> 7;
      case R9 -> 10;
    };
    if (width < min || height < min || this == R9 && (width % 3 != 1 || height % 3 != 1)) {
      throw new IllegalArgumentException("layout " + this + " needs sides of at least " + min
          + (this == R9 ? " of the form 3k + 1" : "") + ", got " + width + "x" + height);
    }
  }

  /** Clears {@code w} and builds this layout in it, drawing door places and colours from {@code random}. */
  public void build(World w, SplittableRandom random) {
    w.clear();
    int width = w.width;
    int height = w.height;
    switch (this) {
      case R1 -> { }
      case R2 -> {
        vertical(w, width / 2);
        door(w, width / 2, 1 + random.nextInt(height - 2), random);
      }
      case R4 -> {
        vertical(w, width / 2);
        horizontal(w, height / 2);
        door(w, 1 + random.nextInt(width / 2 - 1), height / 2, random);
        door(w, width / 2 + 1 + random.nextInt(width - width / 2 - 2), height / 2, random);
        door(w, width / 2, 1 + random.nextInt(height / 2 - 1), random);
        door(w, width / 2, height / 2 + 1 + random.nextInt(height - height / 2 - 2), random);
      }
      case R9 -> {
        int roomW = width / 3;
        int roomH = height / 3;
        vertical(w, roomW);
        vertical(w, 2 * roomW);
        horizontal(w, roomH);
        horizontal(w, 2 * roomH);
        for (int i = 0; i < 3; i++) {
          for (int j = 0; j < 3; j++) {
            if (i < 2) { // door in the wall to the right of room (i, j)
              door(w, (i + 1) * roomW, j * roomH + 1 + random.nextInt(roomH - 1), random);
            }
            if (j < 2) { // door in the wall below room (i, j)
              door(w, i * roomW + 1 + random.nextInt(roomW - 1), (j + 1) * roomH, random);
            }
          }
        }
      }
    }
  }

  private static void vertical(World w, int x) {
    for (int y = 0; y < w.height; y++) {
      w.set(x, y, Tiles.WALL_CELL);
    }
  }

  private static void horizontal(World w, int y) {
    for (int x = 0; x < w.width; x++) {
      w.set(x, y, Tiles.WALL_CELL);
    }
  }

  private static void door(World w, int x, int y, SplittableRandom random) {
    w.set(x, y, Tiles.cell(Tiles.DOOR_CLOSED, DOOR_COLORS[random.nextInt(DOOR_COLORS.length)]));
  }
}
