package dev.zeroshot.env.xland;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The play window's XLand keys: one step per press, in XLand-MiniGrid's key order. */
class XLandPlayTest {

  @Test
  void aKeyActsOncePerPress() {
    boolean[] was = new boolean[6];
    boolean[] down = new boolean[6];
    assertEquals(-1, XLandPlay.pressed(down, was));
    down[World.PICK_UP] = true;
    assertEquals(World.PICK_UP, XLandPlay.pressed(down, was));
    assertEquals(-1, XLandPlay.pressed(down, was), "held: no repeat");
    down[World.FORWARD] = true;
    assertEquals(World.FORWARD, XLandPlay.pressed(down, was));
    down[World.FORWARD] = false;
    down[World.PICK_UP] = false;
    assertEquals(-1, XLandPlay.pressed(down, was));
    down[World.PICK_UP] = true;
    assertEquals(World.PICK_UP, XLandPlay.pressed(down, was), "pressed again");
  }
}
