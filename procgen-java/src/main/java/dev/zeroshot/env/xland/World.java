package dev.zeroshot.env.xland;

/**
 * The state of one XLand grid world: the cells (row-major, row 0 at the top, as XLand-MiniGrid's
 * {@code [y, x]}), the agent's cell, facing direction and pocket, and the six actions. Rules and
 * goals read and change it; nothing here knows about them.
 */
public final class World {

  // actions, XLand-MiniGrid's numbering
  public static final int FORWARD = 0;
  public static final int TURN_RIGHT = 1;
  public static final int TURN_LEFT = 2;
  public static final int PICK_UP = 3;
  public static final int PUT_DOWN = 4;
  public static final int TOGGLE = 5;
  public static final int NUM_ACTIONS = 6;

  // directions: up, right, down, left (clockwise, so turning right is +1)
  public static final int UP = 0;
  public static final int RIGHT = 1;
  public static final int DOWN = 2;
  public static final int LEFT = 3;
  static final int[] DX = {0, 1, 0, -1};
  static final int[] DY = {-1, 0, 1, 0};

  public final int width;
  public final int height;
  final byte[] cells;

  public int agentX;
  public int agentY;
  public int direction;
  /** The carried object's cell code, {@link Tiles#NOTHING} when empty-handed. */
  public int pocket;

  /** Where the last action acted: the agent's cell for moves and turns, the cell in front otherwise. */
  public int changedX;
  public int changedY;

  /** A world of floor inside walls (XLand-MiniGrid's one-room grid). */
  public World(int width, int height) {
    if (width < 3 || height < 3 || width > 255 || height > 255) {
      throw new IllegalArgumentException("world size " + width + "x" + height + " must be between 3x3 and 255x255");
    }
    this.width = width;
    this.height = height;
    this.cells = new byte[width * height];
    clear();
  }

  /** Floor everywhere, walls on the border, the agent empty-handed. */
  public void clear() {
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean border = x == 0 || y == 0 || x == width - 1 || y == height - 1;
        cells[y * width + x] = (byte) (border ? Tiles.WALL_CELL : Tiles.FLOOR_CELL);
      }
    }
    pocket = Tiles.NOTHING;
  }

  /** The cell at (x, y); {@link Tiles#NOTHING} outside the world. */
  public int get(int x, int y) {
    if (x < 0 || y < 0 || x >= width || y >= height) {
      return Tiles.NOTHING;
    }
    return cells[y * width + x] & 0xFF;
  }

  public void set(int x, int y, int cell) {
    cells[y * width + x] = (byte) cell;
  }

  /** Puts the agent at (x, y) facing {@code direction}. */
  public void placeAgent(int x, int y, int direction) {
    agentX = x;
    agentY = y;
    this.direction = direction;
  }

  /** Applies one of the six actions (checked by the caller) and records where it acted. */
  public void act(int action) {
    int fx = agentX + DX[direction];
    int fy = agentY + DY[direction];
    switch (action) {
      case FORWARD -> {
        if (walkable(fx, fy)) {
          agentX = fx;
          agentY = fy;
        }
        changedX = agentX;
        changedY = agentY;
        return;
      }
      case TURN_RIGHT, TURN_LEFT -> {
        direction = (direction + (action == TURN_RIGHT ? 1 : 3)) & 3;
        changedX = agentX;
        changedY = agentY;
        return;
      }
      case PICK_UP -> {
        int front = get(fx, fy);
        if (pocket == Tiles.NOTHING && Tiles.pickable(front)) {
          pocket = front;
          set(fx, fy, Tiles.FLOOR_CELL);
        }
      }
      case PUT_DOWN -> {
        if (pocket != Tiles.NOTHING && Tiles.free(get(fx, fy))) {
          set(fx, fy, pocket);
          pocket = Tiles.NOTHING;
        }
      }
      case TOGGLE -> toggle(fx, fy);
      default -> throw new IllegalArgumentException("action " + action + " is not one of XLand's 0..5");
    }
    changedX = fx;
    changedY = fy;
  }

  private boolean walkable(int x, int y) {
    return Tiles.walkable(get(x, y));
  }

  /** Opens a closed door, closes an open one, and opens a locked one with a key of its colour. */
  private void toggle(int x, int y) {
    int front = get(x, y);
    int tile = Tiles.tile(front);
    int color = Tiles.color(front);
    if (tile == Tiles.DOOR_LOCKED && pocket == Tiles.cell(Tiles.KEY, color)
        || tile == Tiles.DOOR_CLOSED) {
      set(x, y, Tiles.cell(Tiles.DOOR_OPEN, color));
    } else if (tile == Tiles.DOOR_OPEN) {
      set(x, y, Tiles.cell(Tiles.DOOR_CLOSED, color));
    }
  }

  /** The grid as text, one character pair per cell ({@code @^} etc. for the agent), for test messages. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (x == agentX && y == agentY) {
          s.append('@').append("^>v<".charAt(direction));
        } else {
          int c = get(x, y);
          s.append(" .#BSPGKLCOHT".charAt(Tiles.tile(c))).append(Integer.toHexString(Tiles.color(c)));
        }
      }
      s.append('\n');
    }
    return s.append("pocket: ").append(Tiles.name(pocket)).toString();
  }
}
