package dev.zeroshot.env.xland;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each goal on hand-built worlds: met exactly when XLand-MiniGrid's definition says. */
class GoalTest {

  static final int A = RuleTest.A;
  static final int B = RuleTest.B;
  static final int OTHER = RuleTest.OTHER;

  private static boolean step(World w, int action, Goal goal) {
    w.act(action);
    return goal.met(w, action);
  }

  @Test
  void agentHoldIsMetOnPickingUpThatObject() {
    Goal goal = Goal.agentHold(A);
    World w = new World(5, 5);
    w.placeAgent(2, 2, World.UP);
    w.set(2, 1, OTHER);
    assertFalse(step(w, World.PICK_UP, goal), "another object");
    w.pocket = Tiles.NOTHING;
    w.set(2, 1, A);
    assertTrue(step(w, World.PICK_UP, goal));
    assertFalse(step(w, World.TURN_LEFT, goal), "still holding it, but only pick-up checks");
  }

  @Test
  void agentOnTileIsMetOnSteppingOntoIt() {
    int goalTile = Tiles.cell(Tiles.GOAL, Tiles.GREEN);
    Goal goal = Goal.agentOnTile(goalTile);
    World w = new World(5, 5);
    w.placeAgent(2, 3, World.UP);
    w.set(2, 1, goalTile);
    assertFalse(step(w, World.FORWARD, goal));
    assertTrue(step(w, World.FORWARD, goal));
    assertFalse(step(w, World.TURN_RIGHT, goal), "standing on it, but only forward checks");
  }

  @Test
  void agentNearIsMetOnForwardNextToIt() {
    Goal goal = Goal.agentNear(Goal.Kind.AGENT_NEAR, A);
    World w = new World(7, 7);
    w.placeAgent(1, 5, World.UP);
    w.set(2, 3, A);
    assertFalse(step(w, World.FORWARD, goal), "(1, 4) is diagonal to it");
    assertTrue(step(w, World.FORWARD, goal), "(1, 3) is beside it");
    assertFalse(step(w, World.TURN_RIGHT, goal));
    assertTrue(step(w, World.FORWARD, goal), "forward blocked by it: still beside");
  }

  @ParameterizedTest
  @EnumSource(value = Goal.Kind.class, names = {"AGENT_NEAR_UP", "AGENT_NEAR_RIGHT", "AGENT_NEAR_DOWN", "AGENT_NEAR_LEFT"})
  void agentNearOnASideNeedsThatSide(Goal.Kind kind) {
    Goal goal = Goal.agentNear(kind, A);
    for (int s = 0; s < 4; s++) {
      for (int action : new int[] {World.PUT_DOWN, World.TURN_LEFT, World.TOGGLE}) {
        World w = new World(5, 5);
        w.placeAgent(2, 2, World.UP);
        w.set(2 + World.DX[s], 2 + World.DY[s], A);
        boolean expected = s == kind.side() && action == World.PUT_DOWN;
        assertEquals(expected, step(w, action, goal), kind + " object on side " + s + " action " + action);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Goal.Kind.class, names = {"TILE_NEAR", "TILE_NEAR_UP", "TILE_NEAR_RIGHT", "TILE_NEAR_DOWN", "TILE_NEAR_LEFT"})
  void tileNearIsMetOnPuttingOneDownBesideTheOther(Goal.Kind kind) {
    Goal goal = Goal.tileNear(kind, A, B);
    for (int s = 0; s < 4; s++) {
      assertEquals(kind.side() < 0 || kind.side() == s, metPuttingDown(A, B, s, World.PUT_DOWN, goal), kind + " a, b on side " + s);
      assertEquals(kind.side() < 0 || kind.side() == ((s + 2) & 3), metPuttingDown(B, A, s, World.PUT_DOWN, goal),
          kind + " b, a on side " + s);
      assertFalse(metPuttingDown(OTHER, B, s, World.PUT_DOWN, goal));
      assertFalse(metPuttingDown(A, B, s, World.TOGGLE, goal), "only put-down checks");
    }
  }

  private static boolean metPuttingDown(int held, int neighbour, int s, int action, Goal goal) {
    World w = new World(7, 7);
    int from = (s + 1) & 3;
    w.placeAgent(3 + World.DX[from], 3 + World.DY[from], (from + 2) & 3);
    w.set(3 + World.DX[s], 3 + World.DY[s], neighbour);
    w.pocket = held;
    return step(w, action, goal);
  }

  @Test
  void positionsAreCheckedAfterAnyAction() {
    World w = new World(5, 5);
    w.placeAgent(2, 2, World.UP);
    w.pocket = A;
    assertFalse(step(w, World.TURN_LEFT, Goal.tileOnPosition(A, 1, 2)));
    assertTrue(step(w, World.PUT_DOWN, Goal.tileOnPosition(A, 1, 2)));
    assertTrue(step(w, World.TOGGLE, Goal.tileOnPosition(A, 1, 2)));
    assertTrue(step(w, World.TURN_RIGHT, Goal.agentOnPosition(2, 2)), "now facing up");
    assertFalse(step(w, World.FORWARD, Goal.agentOnPosition(2, 2)), "moved to (2, 1)");
  }
}
