package dev.zeroshot.env.xland;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The six actions on hand-built worlds. */
class WorldTest {

  static final int RED_BALL = Tiles.cell(Tiles.BALL, Tiles.RED);
  static final int GREEN_SQUARE = Tiles.cell(Tiles.SQUARE, Tiles.GREEN);

  @Test
  void forwardMovesOntoWalkableTilesOnly() {
    World w = new World(5, 5);
    w.placeAgent(2, 2, World.UP);
    w.act(World.FORWARD);
    assertEquals(1, w.agentY, "floor ahead: moves");
    w.act(World.FORWARD);
    assertEquals(1, w.agentY, "the border wall stops it");
    w.set(3, 1, RED_BALL);
    w.direction = World.RIGHT;
    w.act(World.FORWARD);
    assertEquals(2, w.agentX, "an object stops it");
    w.set(3, 1, Tiles.cell(Tiles.GOAL, Tiles.GREEN));
    w.act(World.FORWARD);
    assertEquals(3, w.agentX, "a goal tile can be walked on");
    assertEquals(3, w.changedX);
  }

  @Test
  void turnsGoClockwiseForRight() {
    World w = new World(5, 5);
    w.placeAgent(2, 2, World.UP);
    w.act(World.TURN_RIGHT);
    assertEquals(World.RIGHT, w.direction);
    w.act(World.TURN_LEFT);
    w.act(World.TURN_LEFT);
    assertEquals(World.LEFT, w.direction);
  }

  @Test
  void pickUpAndPutDownNeedAnEmptyPocketAndBareFloor() {
    World w = new World(5, 5);
    w.placeAgent(2, 2, World.UP);
    w.set(2, 1, RED_BALL);
    w.set(3, 2, GREEN_SQUARE);
    w.act(World.PICK_UP);
    assertEquals(RED_BALL, w.pocket);
    assertEquals(Tiles.FLOOR_CELL, w.get(2, 1));
    w.direction = World.RIGHT;
    w.act(World.PICK_UP);
    assertEquals(RED_BALL, w.pocket, "a full pocket picks up nothing");
    assertEquals(GREEN_SQUARE, w.get(3, 2));
    w.act(World.PUT_DOWN);
    assertEquals(RED_BALL, w.pocket, "cannot put down on an object");
    w.direction = World.DOWN;
    w.act(World.PUT_DOWN);
    assertEquals(Tiles.NOTHING, w.pocket);
    assertEquals(RED_BALL, w.get(2, 3));
    w.direction = World.LEFT;
    w.set(1, 2, Tiles.cell(Tiles.DOOR_OPEN, Tiles.RED));
    w.act(World.PICK_UP);
    assertEquals(Tiles.NOTHING, w.pocket, "doors cannot be carried");
  }

  @Test
  void toggleOpensAndClosesDoorsAndUnlocksWithTheMatchingKey() {
    World w = new World(5, 5);
    w.placeAgent(2, 2, World.UP);
    w.set(2, 1, Tiles.cell(Tiles.DOOR_CLOSED, Tiles.BLUE));
    w.act(World.TOGGLE);
    assertEquals(Tiles.cell(Tiles.DOOR_OPEN, Tiles.BLUE), w.get(2, 1));
    w.act(World.TOGGLE);
    assertEquals(Tiles.cell(Tiles.DOOR_CLOSED, Tiles.BLUE), w.get(2, 1));
    w.set(2, 1, Tiles.cell(Tiles.DOOR_LOCKED, Tiles.BLUE));
    w.pocket = Tiles.cell(Tiles.KEY, Tiles.RED);
    w.act(World.TOGGLE);
    assertEquals(Tiles.cell(Tiles.DOOR_LOCKED, Tiles.BLUE), w.get(2, 1), "a red key does not open a blue lock");
    w.pocket = Tiles.cell(Tiles.KEY, Tiles.BLUE);
    w.act(World.TOGGLE);
    assertEquals(Tiles.cell(Tiles.DOOR_OPEN, Tiles.BLUE), w.get(2, 1));
  }
}
