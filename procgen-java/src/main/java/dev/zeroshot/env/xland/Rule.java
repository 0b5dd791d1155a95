package dev.zeroshot.env.xland;

/**
 * A production rule: when its condition holds after an action, it turns objects into another
 * ({@code product}; the black floor makes them disappear). The kinds and the actions that can
 * fire them are XLand-MiniGrid's:
 *
 * <ul>
 *   <li>{@code AGENT_HOLD a -> product}: on pick-up, a pocket holding {@code a} now holds the product.
 *   <li>{@code AGENT_NEAR a -> product}: on forward, every {@code a} in the four cells beside the
 *       agent becomes the product. The {@code AGENT_NEAR_UP/RIGHT/DOWN/LEFT} kinds look at one side
 *       only (up = row above, fixed to the grid, not to the agent's facing) and also fire on put-down.
 *   <li>{@code TILE_NEAR a b -> product}: on put-down, when the object just put down is {@code a}
 *       with {@code b} beside it (or is {@code b} with {@code a} beside it), the neighbour becomes
 *       the product and the put-down cell bare floor. The {@code TILE_NEAR_UP/...} kinds need
 *       {@code b} on that side of {@code a} (UP: {@code b} in the row above {@code a}).
 * </ul>
 *
 * Rules are applied in list order, each seeing the previous ones' changes.
 */
public record Rule(Kind kind, int a, int b, int product) {

  public enum Kind {
    AGENT_HOLD(1), AGENT_NEAR(1), AGENT_NEAR_UP(1), AGENT_NEAR_RIGHT(1), AGENT_NEAR_DOWN(1), AGENT_NEAR_LEFT(1),
    TILE_NEAR(2), TILE_NEAR_UP(2), TILE_NEAR_RIGHT(2), TILE_NEAR_DOWN(2), TILE_NEAR_LEFT(2);

    /** How many input objects the rule reads (1: {@code a}; 2: {@code a} and {@code b}). */
    public final int inputs;

    Kind(int inputs) {
      this.inputs = inputs;
    }

    /** The side for directional kinds ({@link World#UP}...), -1 for the any-side kinds. */
    int side() {
      return switch (this) {
        case AGENT_NEAR_UP, TILE_NEAR_UP -> World.UP;
        case AGENT_NEAR_RIGHT, TILE_NEAR_RIGHT -> World.RIGHT;
        case AGENT_NEAR_DOWN, TILE_NEAR_DOWN -> World.DOWN;
        case AGENT_NEAR_LEFT, TILE_NEAR_LEFT -> World.LEFT;
        default -> -1;
      };
    }
  }

  public Rule {
    if (kind.inputs == 1 && b != Tiles.NOTHING) {
      throw new IllegalArgumentException(kind + " reads one object; b must be NOTHING, got " + Tiles.name(b));
    }
  }

  public static Rule agentHold(int a, int product) {
    return new Rule(Kind.AGENT_HOLD, a, Tiles.NOTHING, product);
  }

  public static Rule agentNear(Kind kind, int a, int product) {
    return new Rule(kind, a, Tiles.NOTHING, product);
  }

  public static Rule tileNear(Kind kind, int a, int b, int product) {
    return new Rule(kind, a, b, product);
  }

  /** Applies the rule to {@code w} after {@code action}, which acted at (w.changedX, w.changedY). */
  public void apply(World w, int action) {
    switch (kind) {
      case AGENT_HOLD -> {
        if (action == World.PICK_UP && w.pocket == a) {
          w.pocket = product;
        }
      }
      case AGENT_NEAR -> {
        if (action == World.FORWARD) {
          // neighbours read before any change, as the reference does
          int ax = w.agentX;
          int ay = w.agentY;
          int hits = 0; // bit d: side d holds a
          for (int d = 0; d < 4; d++) {
            hits |= w.get(ax + World.DX[d], ay + World.DY[d]) == a ? 1 << d : 0;
          }
          for (int d = 0; d < 4; d++) {
            if ((hits & 1 << d) != 0) {
              w.set(ax + World.DX[d], ay + World.DY[d], product);
            }
          }
        }
      }
      case AGENT_NEAR_UP, AGENT_NEAR_RIGHT, AGENT_NEAR_DOWN, AGENT_NEAR_LEFT -> {
        if (action == World.FORWARD || action == World.PUT_DOWN) {
          int d = kind.side();
          int x = w.agentX + World.DX[d];
          int y = w.agentY + World.DY[d];
          if (w.get(x, y) == a) {
            w.set(x, y, product);
          }
        }
      }
      default -> applyTileNear(w, action);
    }
  }

  private void applyTileNear(World w, int action) {
    int px = w.changedX;
    int py = w.changedY;
    int here = w.get(px, py);
    if (action != World.PUT_DOWN || (here != a && here != b)) {
      return;
    }
    int side = kind.side();
    int hits = 0; // bit d: the neighbour on side d completes the pair
    for (int d = 0; d < 4; d++) {
      int next = w.get(px + World.DX[d], py + World.DY[d]);
      boolean pair = side < 0
          ? here == a && next == b || here == b && next == a
          // b must lie on `side` of a: from a look towards side, from b the opposite way
          : here == a && d == side && next == b || here == b && d == ((side + 2) & 3) && next == a;
      hits |= pair ? 1 << d : 0;
    }
    for (int d = 0; d < 4; d++) {
      if ((hits & 1 << d) != 0) {
        w.set(px + World.DX[d], py + World.DY[d], product);
        w.set(px, py, Tiles.FLOOR_CELL);
      }
    }
  }

  @Override
  public String toString() {
    String in = kind.inputs == 1 ? Tiles.name(a) : Tiles.name(a) + ", " + Tiles.name(b);
    return kind.name().toLowerCase() + "(" + in + ") -> " + Tiles.name(product);
  }
}
