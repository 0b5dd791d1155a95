package dev.zeroshot.env.xland;

/**
 * XLand-MiniGrid's tiles and colours, and the one-byte cell code this package stores them in:
 * {@code tile << 4 | colour} (13 tiles, 12 colours, so every code fits an unsigned byte and a
 * whole object compares with one {@code ==}). Code 0 is (EMPTY, EMPTY): outside the world, and an
 * empty pocket. The ids are XLand-MiniGrid's, so observations read the same as its.
 */
public final class Tiles {

  private Tiles() {}

  // tiles
  public static final int EMPTY = 0;
  public static final int FLOOR = 1;
  public static final int WALL = 2;
  public static final int BALL = 3;
  public static final int SQUARE = 4;
  public static final int PYRAMID = 5;
  public static final int GOAL = 6;
  public static final int KEY = 7;
  public static final int DOOR_LOCKED = 8;
  public static final int DOOR_CLOSED = 9;
  public static final int DOOR_OPEN = 10;
  public static final int HEX = 11;
  public static final int STAR = 12;
  public static final int NUM_TILES = 13;

  // colours
  public static final int RED = 1;
  public static final int GREEN = 2;
  public static final int BLUE = 3;
  public static final int PURPLE = 4;
  public static final int YELLOW = 5;
  public static final int GREY = 6;
  public static final int BLACK = 7;
  public static final int ORANGE = 8;
  public static final int WHITE = 9;
  public static final int BROWN = 10;
  public static final int PINK = 11;
  public static final int NUM_COLORS = 12;

  private static final String[] TILE_NAMES = {"empty", "floor", "wall", "ball", "square", "pyramid", "goal", "key",
      "locked door", "closed door", "open door", "hex", "star"};
  private static final String[] COLOR_NAMES = {"empty", "red", "green", "blue", "purple", "yellow", "grey", "black",
      "orange", "white", "brown", "pink"};

  /** Nothing: outside the world, or an empty pocket. */
  public static final int NOTHING = 0;
  /** What a picked-up or consumed object leaves behind. */
  public static final int FLOOR_CELL = cell(FLOOR, BLACK);
  public static final int WALL_CELL = cell(WALL, GREY);

  /** The cell code of a tile in a colour. */
  public static int cell(int tile, int color) {
    if (tile < 0 || tile >= NUM_TILES || color < 0 || color >= NUM_COLORS) {
      throw new IllegalArgumentException("tile " + tile + " must be in [0, " + NUM_TILES + ") and colour " + color
          + " in [0, " + NUM_COLORS + ")");
    }
    return tile << 4 | color;
  }

  public static int tile(int cell) {
    return cell >>> 4;
  }

  public static int color(int cell) {
    return cell & 15;
  }

  /** The agent can stand on it. */
  public static boolean walkable(int cell) {
    int t = cell >>> 4;
    return t == FLOOR || t == GOAL || t == DOOR_OPEN;
  }

  /** The agent can carry it. */
  public static boolean pickable(int cell) {
    int t = cell >>> 4;
    return t == BALL || t == SQUARE || t == PYRAMID || t == KEY || t == HEX || t == STAR;
  }

  /** An object can be put down on it (bare floor only). */
  public static boolean free(int cell) {
    return cell >>> 4 == FLOOR;
  }

  /** A person's name for a cell, e.g. {@code red ball}. */
  public static String name(int cell) {
    int t = tile(cell);
    int c = color(cell);
    String tile = t < NUM_TILES ? TILE_NAMES[t] : "tile" + t;
    return c == 0 || c >= NUM_COLORS ? tile : COLOR_NAMES[c] + " " + tile;
  }
}
