package dev.zeroshot.env.xland;

/**
 * An episode's goal, checked after the rules on every step; XLand-MiniGrid's kinds and the
 * actions on which each can be met (elsewhere it is not checked, so it is not met):
 *
 * <ul>
 *   <li>{@code AGENT_HOLD a}: on pick-up, the pocket holds {@code a}.
 *   <li>{@code AGENT_ON_TILE a}: on forward, the agent stands on {@code a} (a walkable tile: goal, open door).
 *   <li>{@code AGENT_NEAR a}: on forward, {@code a} is in one of the four cells beside the agent;
 *       {@code AGENT_NEAR_UP/RIGHT/DOWN/LEFT}: on that side (fixed to the grid), on forward or put-down.
 *   <li>{@code TILE_NEAR a b}: on put-down of {@code a} or {@code b}, the other is beside it;
 *       {@code TILE_NEAR_UP/...}: {@code b} on that side of {@code a}.
 *   <li>{@code TILE_ON_POSITION a (x, y)} and {@code AGENT_ON_POSITION (x, y)}: after any action.
 * </ul>
 */
public record Goal(Kind kind, int a, int b, int x, int y) {

  public enum Kind {
    AGENT_HOLD, AGENT_ON_TILE, AGENT_NEAR, TILE_NEAR, TILE_ON_POSITION, AGENT_ON_POSITION,
    TILE_NEAR_UP, TILE_NEAR_RIGHT, TILE_NEAR_DOWN, TILE_NEAR_LEFT,
    AGENT_NEAR_UP, AGENT_NEAR_RIGHT, AGENT_NEAR_DOWN, AGENT_NEAR_LEFT;

    int side() {
      return switch (this) {
        case AGENT_NEAR_UP, TILE_NEAR_UP -> World.UP;
        case AGENT_NEAR_RIGHT, TILE_NEAR_RIGHT -> World.RIGHT;
        case AGENT_NEAR_DOWN, TILE_NEAR_DOWN -> World.DOWN;
        case AGENT_NEAR_LEFT, TILE_NEAR_LEFT -> World.LEFT;
        default -> -1;
      };
    }

    /** Whether the goal names a second object {@code b}. */
    public boolean pair() {
      return this == TILE_NEAR || side() >= 0 && name().startsWith("TILE");
    }
  }

  public static Goal agentHold(int a) {
    return new Goal(Kind.AGENT_HOLD, a, Tiles.NOTHING, 0, 0);
  }

  public static Goal agentOnTile(int a) {
    return new Goal(Kind.AGENT_ON_TILE, a, Tiles.NOTHING, 0, 0);
  }

  public static Goal agentNear(Kind kind, int a) {
    return new Goal(kind, a, Tiles.NOTHING, 0, 0);
  }

  public static Goal tileNear(Kind kind, int a, int b) {
    return new Goal(kind, a, b, 0, 0);
  }

  public static Goal tileOnPosition(int a, int x, int y) {
    return new Goal(Kind.TILE_ON_POSITION, a, Tiles.NOTHING, x, y);
  }

  public static Goal agentOnPosition(int x, int y) {
    return new Goal(Kind.AGENT_ON_POSITION, Tiles.NOTHING, Tiles.NOTHING, x, y);
  }

  /** Whether {@code w}, after {@code action} (which acted at w.changedX, w.changedY) and the rules, meets the goal. */
  public boolean met(World w, int action) {
    return switch (kind) {
      case AGENT_HOLD -> action == World.PICK_UP && w.pocket == a;
      case AGENT_ON_TILE -> action == World.FORWARD && w.get(w.agentX, w.agentY) == a;
      case AGENT_NEAR -> action == World.FORWARD && (w.get(w.agentX, w.agentY - 1) == a
          || w.get(w.agentX + 1, w.agentY) == a || w.get(w.agentX, w.agentY + 1) == a
          || w.get(w.agentX - 1, w.agentY) == a);
      case AGENT_NEAR_UP, AGENT_NEAR_RIGHT, AGENT_NEAR_DOWN, AGENT_NEAR_LEFT ->
          (action == World.FORWARD || action == World.PUT_DOWN)
              && w.get(w.agentX + World.DX[kind.side()], w.agentY + World.DY[kind.side()]) == a;
      case TILE_ON_POSITION -> w.get(x, y) == a;
      case AGENT_ON_POSITION -> w.agentX == x && w.agentY == y;
      default -> action == World.PUT_DOWN && tileNear(w);
    };
  }

  private boolean tileNear(World w) {
    int px = w.changedX;
    int py = w.changedY;
    int here = w.get(px, py);
    if (here != a && here != b) {
      return false;
    }
    int side = kind.side();
    if (side < 0) {
      int other = here == a ? b : a;
      for (int d = 0; d < 4; d++) {
        if (w.get(px + World.DX[d], py + World.DY[d]) == other) {
          return true;
        }
      }
      return false;
    }
    int back = (side + 2) & 3;
    return here == a && w.get(px + World.DX[side], py + World.DY[side]) == b
        || here == b && w.get(px + World.DX[back], py + World.DY[back]) == a;
  }

  @Override
  public String toString() {
    String name = kind.name().toLowerCase();
    return switch (kind) {
      case TILE_ON_POSITION -> name + "(" + Tiles.name(a) + " at " + x + "," + y + ")";
      case AGENT_ON_POSITION -> name + "(" + x + "," + y + ")";
      default -> name + "(" + Tiles.name(a) + (kind.pair() ? ", " + Tiles.name(b) : "") + ")";
    };
  }
}
