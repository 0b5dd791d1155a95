package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cave tools on small hand-made grids ('#' wall, '.' open; the first row drawn is the top). */
class RoomGenTest {

  private final ProcgenGame game = new GameDriver("procgen/caveflyer-v0").level(0).game;
  private final RoomGen rooms = new RoomGen(game);

  private void load(String... rows) {
    int h = rows.length;
    int w = rows[0].length();
    game.grid.resize(w, h, ProcgenGame.SPACE);
    game.outOfBoundsObject = ProcgenGame.WALL_OBJ;
    for (int r = 0; r < h; r++) {
      for (int x = 0; x < w; x++) {
        game.setObj(x, h - 1 - r, rows[r].charAt(x) == '#' ? ProcgenGame.WALL_OBJ : ProcgenGame.SPACE);
      }
    }
  }

  private String row(int y) {
    StringBuilder sb = new StringBuilder();
    for (int x = 0; x < game.grid.width(); x++) {
      sb.append(game.grid.get(x, y) == ProcgenGame.WALL_OBJ ? '#' : '.');
    }
    return sb.toString();
  }

  @Test
  void smoothingTurnsACellToWallWhenFiveOfItsNineAreWall() {
    load(
        "#....",
        "##...",
        "#....",
        ".....",
        ".....");
    rooms.smooth();
    // Outside the grid counts as wall: corners (five outside cells) always fill, and a cell
    // with four walls around it opens.
    assertEquals("##..#", row(4));
    assertEquals("#....", row(3));
    assertEquals("#....", row(2));
    assertEquals(".....", row(1));
    assertEquals("#...#", row(0));
  }

  @Test
  void theBestRoomIsTheLargestAndALoneCellCountsAsNone() {
    load(
        ".#..#",
        "##..#",
        "#####",
        "...#.",
        "#####");
    boolean[] room = new boolean[25];
    assertEquals(4, rooms.findBestRoom(room));
    assertTrue(room[2 + 4 * 5] && room[3 + 4 * 5] && room[2 + 3 * 5] && room[3 + 3 * 5]);
    assertFalse(room[1 * 5], "the three-cell room is smaller");
    load(
        ".#.#.",
        "#####",
        ".#.#.",
        "#####",
        ".#.#.");
    assertEquals(0, rooms.findBestRoom(room), "lone cells make no room");
  }

  @Test
  void pathsAreShortestThroughOpenCells() {
    load(
        ".....",
        ".###.",
        ".#...",
        ".#.#.",
        "...#.");
    int[] path = new int[25];
    int n = rooms.findPath(0, 2 + 2 * 5, path); // (0,0) to (2,2)
    // Around the wall's foot: (0,0) (1,0) (2,0) (2,1) (2,2).
    assertArrayEquals(new int[] {0, 1, 2, 7, 12}, java.util.Arrays.copyOf(path, n));
    assertEquals(0, rooms.findPath(3, 0, path), "no path from a wall cell");
  }

  @Test
  void expandingAddsOpenCellsWithinNSteps() {
    load(
        ".....",
        ".....",
        "..#..",
        ".....",
        ".....");
    boolean[] set = new boolean[25];
    set[0] = true;
    rooms.expand(set, 1);
    int count = 0;
    for (boolean b : set) {
      count += b ? 1 : 0;
    }
    assertEquals(4, count, "(0,0) and its three neighbours");
    rooms.expand(set, 1);
    assertFalse(set[2 + 2 * 5], "walls are never added");
    assertTrue(set[2 + 1 * 5] && !set[3], "two steps reach column 2, not 3");
  }
}
