package dev.zeroshot.env.procgen.play;

/**
 * Procgen's interactive key mapping: the arrow keys move (combinations give diagonals) and
 * D, A, W, S, Q, E are the special actions 9-14 (Procgen's {@code env.py} table). Pure, so
 * it is tested without a window.
 */
public final class PlayKeys {

  /** The special-action keys in action order (9, 10, ..., 14). */
  public static final String SPECIAL_KEYS = "DAWSQE";

  private PlayKeys() {}

  /**
   * The action for the keys held: the first special key held wins; otherwise the move
   * (dx, dy) = (right - left, up - down) as action (dx + 1) * 3 + (dy + 1), 4 when idle.
   */
  public static int action(boolean left, boolean right, boolean up, boolean down, boolean[] specials) {
    for (int i = 0; i < specials.length; i++) {
      if (specials[i]) {
        return 9 + i;
      }
    }
    int dx = (right ? 1 : 0) - (left ? 1 : 0);
    int dy = (up ? 1 : 0) - (down ? 1 : 0);
    return (dx + 1) * 3 + (dy + 1);
  }

  /** Interleaves a channel-first [3][h][w] uint8 frame into RGB rows, as OpenGL's GL_RGB wants. */
  public static void interleave(java.nio.ByteBuffer planar, int offset, int w, int h, java.nio.ByteBuffer rgb) {
    int n = w * h;
    for (int i = 0; i < n; i++) {
      rgb.put(3 * i, planar.get(offset + i));
      rgb.put(3 * i + 1, planar.get(offset + n + i));
      rgb.put(3 * i + 2, planar.get(offset + 2 * n + i));
    }
  }
}
