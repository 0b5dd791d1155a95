package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zeroshot.env.procgen.play.PlayKeys;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The play window's key mapping and frame conversion, without a window. */
class PlayKeysTest {

  private static final boolean[] NONE = new boolean[6];

  @Test
  void arrowsAndLettersGiveProcgensActions() {
    assertEquals(4, PlayKeys.action(false, false, false, false, NONE));
    assertEquals(1, PlayKeys.action(true, false, false, false, NONE));
    assertEquals(7, PlayKeys.action(false, true, false, false, NONE));
    assertEquals(5, PlayKeys.action(false, false, true, false, NONE));
    assertEquals(3, PlayKeys.action(false, false, false, true, NONE));
    assertEquals(0, PlayKeys.action(true, false, false, true, NONE));
    assertEquals(8, PlayKeys.action(false, true, true, false, NONE));
    assertEquals(4, PlayKeys.action(true, true, false, false, NONE), "opposite keys cancel");
    for (int i = 0; i < 6; i++) {
      boolean[] s = new boolean[6];
      s[i] = true;
      assertEquals(9 + i, PlayKeys.action(true, false, false, false, s), "key " + PlayKeys.SPECIAL_KEYS.charAt(i));
    }
  }

  @Test
  void interleavesPlanesIntoRgbRows() {
    GameDriver d = new GameDriver("procgen/bigfish-v0").level(2);
    ByteBuffer rgb = ByteBuffer.allocate(3 * 64 * 64);
    PlayKeys.interleave(d.obs, 0, 64, 64, rgb);
    for (int y = 0; y < 64; y += 7) {
      for (int x = 0; x < 64; x += 5) {
        int p = d.game.pixel(x, y);
        int i = 3 * (y * 64 + x);
        assertEquals(p, ((rgb.get(i) & 255) << 16) | ((rgb.get(i + 1) & 255) << 8) | (rgb.get(i + 2) & 255));
      }
    }
  }
}
