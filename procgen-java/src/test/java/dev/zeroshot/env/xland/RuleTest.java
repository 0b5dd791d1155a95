package dev.zeroshot.env.xland;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each production rule on hand-built worlds: it fires exactly when its condition holds. */
class RuleTest {

  static final int A = Tiles.cell(Tiles.BALL, Tiles.RED);
  static final int B = Tiles.cell(Tiles.SQUARE, Tiles.GREEN);
  static final int OTHER = Tiles.cell(Tiles.HEX, Tiles.YELLOW);
  static final int PRODUCT = Tiles.cell(Tiles.KEY, Tiles.BLUE);

  private static void step(World w, int action, Rule... rules) {
    w.act(action);
    for (Rule r : rules) {
      r.apply(w, action);
    }
  }

  @Test
  void agentHoldTurnsThePocketOnPickUpOnly() {
    World w = new World(5, 5);
    w.placeAgent(2, 2, World.UP);
    w.set(2, 1, A);
    Rule rule = Rule.agentHold(A, PRODUCT);
    step(w, World.PICK_UP, rule);
    assertEquals(PRODUCT, w.pocket);

    w.pocket = A;
    step(w, World.TURN_LEFT, rule);
    assertEquals(A, w.pocket, "holding it is not enough: the rule fires on pick-up");

    w.pocket = Tiles.NOTHING;
    w.set(w.agentX + World.DX[w.direction], w.agentY + World.DY[w.direction], OTHER);
    step(w, World.PICK_UP, rule);
    assertEquals(OTHER, w.pocket, "another object is not changed");
  }

  @Test
  void rulesApplyInOrderEachSeeingTheLast() {
    World w = new World(5, 5);
    w.placeAgent(2, 2, World.UP);
    w.set(2, 1, A);
    step(w, World.PICK_UP, Rule.agentHold(A, B), Rule.agentHold(B, PRODUCT));
    assertEquals(PRODUCT, w.pocket);
    w.pocket = Tiles.NOTHING;
    w.set(2, 1, A);
    step(w, World.PICK_UP, Rule.agentHold(B, PRODUCT), Rule.agentHold(A, B));
    assertEquals(B, w.pocket);
  }

  @Test
  void agentNearChangesEveryAdjacentMatchOnForward() {
    World w = new World(7, 7);
    w.placeAgent(3, 4, World.UP);
    w.set(3, 2, A); // ahead after the move
    w.set(4, 3, A); // right after the move
    w.set(5, 5, A); // not adjacent
    w.set(2, 3, OTHER);
    Rule rule = Rule.agentNear(Rule.Kind.AGENT_NEAR, A, PRODUCT);
    step(w, World.TURN_RIGHT, rule);
    step(w, World.TURN_LEFT, rule);
    assertEquals(A, w.get(3, 2), "turning does not fire it");
    step(w, World.FORWARD, rule);
    assertEquals(3, w.agentY);
    assertEquals(PRODUCT, w.get(3, 2));
    assertEquals(PRODUCT, w.get(4, 3));
    assertEquals(A, w.get(5, 5));
    assertEquals(OTHER, w.get(2, 3));
  }

  @ParameterizedTest
  @EnumSource(value = Rule.Kind.class, names = {"AGENT_NEAR_UP", "AGENT_NEAR_RIGHT", "AGENT_NEAR_DOWN", "AGENT_NEAR_LEFT"})
  void agentNearOnASideChangesThatSideOnlyOnForwardOrPutDown(Rule.Kind kind) {
    for (int action = 0; action < World.NUM_ACTIONS; action++) {
      World w = new World(7, 7);
      w.placeAgent(3, 3, World.UP);
      for (int d = 0; d < 4; d++) {
        w.set(3 + World.DX[d], 3 + World.DY[d], A);
      }
      // forward is blocked by the object ahead, so the agent stays at (3, 3)
      step(w, action, Rule.agentNear(kind, A, PRODUCT));
      boolean fires = action == World.FORWARD || action == World.PUT_DOWN;
      for (int d = 0; d < 4; d++) {
        int expected = fires && d == kind.side() ? PRODUCT : A;
        if (action == World.PICK_UP && d == World.UP) {
          expected = Tiles.FLOOR_CELL; // picked up
        }
        assertEquals(expected, w.get(3 + World.DX[d], 3 + World.DY[d]), kind + " action " + action + " side " + d);
      }
    }
  }

  /**
   * Puts {@code held} down at (3, 3) with {@code neighbour} on side {@code s} of it; the agent
   * comes from another side. Returns the world after the rule.
   */
  static World putDownBeside(int held, int neighbour, int s, int action, Rule rule) {
    World w = new World(7, 7);
    int from = (s + 1) & 3;
    w.placeAgent(3 + World.DX[from], 3 + World.DY[from], (from + 2) & 3);
    w.set(3 + World.DX[s], 3 + World.DY[s], neighbour);
    w.pocket = held;
    step(w, action, rule);
    return w;
  }

  @ParameterizedTest
  @EnumSource(value = Rule.Kind.class, names = {"TILE_NEAR", "TILE_NEAR_UP", "TILE_NEAR_RIGHT", "TILE_NEAR_DOWN", "TILE_NEAR_LEFT"})
  void tileNearFiresOnPutDownWhenThePairTouchesOnTheRightSide(Rule.Kind kind) {
    Rule rule = Rule.tileNear(kind, A, B, PRODUCT);
    for (int s = 0; s < 4; s++) {
      int opposite = (s + 2) & 3;
      // holding a, b on side s of a: fires when s is the rule's side (any for TILE_NEAR)
      World w = putDownBeside(A, B, s, World.PUT_DOWN, rule);
      boolean fires = kind.side() < 0 || kind.side() == s;
      assertEquals(fires ? PRODUCT : B, w.get(3 + World.DX[s], 3 + World.DY[s]), kind + " a put beside b on side " + s);
      assertEquals(fires ? Tiles.FLOOR_CELL : A, w.get(3, 3), kind + " the put-down cell");
      // holding b, a on side s of b: b is on the opposite side of a
      w = putDownBeside(B, A, s, World.PUT_DOWN, rule);
      fires = kind.side() < 0 || kind.side() == opposite;
      assertEquals(fires ? PRODUCT : A, w.get(3 + World.DX[s], 3 + World.DY[s]), kind + " b put beside a on side " + s);
      // another object, or another action, never fires it
      w = putDownBeside(OTHER, B, s, World.PUT_DOWN, rule);
      assertEquals(B, w.get(3 + World.DX[s], 3 + World.DY[s]));
      w = putDownBeside(A, B, s, World.TOGGLE, rule);
      assertEquals(B, w.get(3 + World.DX[s], 3 + World.DY[s]));
      assertEquals(A, w.pocket);
    }
  }

  @Test
  void tileNearIgnoresDiagonalsAndAFloorProductMakesBothDisappear() {
    World w = new World(7, 7);
    w.placeAgent(3, 4, World.UP);
    w.set(4, 2, B); // diagonal to (3, 3)
    w.pocket = A;
    step(w, World.PUT_DOWN, Rule.tileNear(Rule.Kind.TILE_NEAR, A, B, Tiles.FLOOR_CELL));
    assertEquals(A, w.get(3, 3));
    assertEquals(B, w.get(4, 2));

    w = putDownBeside(A, B, World.UP, World.PUT_DOWN, Rule.tileNear(Rule.Kind.TILE_NEAR, A, B, Tiles.FLOOR_CELL));
    assertEquals(Tiles.FLOOR_CELL, w.get(3, 3));
    assertEquals(Tiles.FLOOR_CELL, w.get(3, 2));
  }
}
