package dev.zeroshot.env.xland;

import static org.lwjgl.glfw.GLFW.GLFW_KEY_LEFT;
import static org.lwjgl.glfw.GLFW.GLFW_KEY_LEFT_SHIFT;
import static org.lwjgl.glfw.GLFW.GLFW_KEY_RIGHT;
import static org.lwjgl.glfw.GLFW.GLFW_KEY_SPACE;
import static org.lwjgl.glfw.GLFW.GLFW_KEY_TAB;
import static org.lwjgl.glfw.GLFW.GLFW_KEY_UP;
import static org.lwjgl.glfw.GLFW.GLFW_PRESS;
import static org.lwjgl.glfw.GLFW.glfwGetKey;

import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.procgen.play.PlayWindow;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;

/**
 * An XLand world in the play window: the {@link XLandRenderer} view, and XLand-MiniGrid's manual
 * control keys (its manual_control.py), one step per key press (the world is turn-based):
 * Up forward, Right turn right, Left turn left, Tab pick up, Left Shift put down, Space toggle.
 */
public final class XLandPlay implements PlayWindow.Frames, PlayWindow.Controls {

  /** The key of each action, in action order. */
  static final int[] KEYS = {GLFW_KEY_UP, GLFW_KEY_RIGHT, GLFW_KEY_LEFT, GLFW_KEY_TAB, GLFW_KEY_LEFT_SHIFT, GLFW_KEY_SPACE};
  /** Pixels per cell before the window's scale. */
  public static final int TILE = 8;

  private final XLandRenderer renderer = new XLandRenderer(TILE, XLandSuite.VIEW);
  private final int width;
  private final int height;
  private final boolean[] down = new boolean[KEYS.length];
  private final boolean[] wasDown = new boolean[KEYS.length];

  /** For an env whose world is {@code width x height} cells. */
  public XLandPlay(World world) {
    this.width = world.width * TILE;
    this.height = (world.height + 1) * TILE;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public int height() {
    return height;
  }

  @Override
  public void write(GymEnv env, ByteBuffer observations, ByteBuffer rgb) {
    BufferedImage img = renderer.render(XLandRenderer.xland(env.env()).world());
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int p = img.getRGB(x, y);
        int i = 3 * (y * width + x);
        rgb.put(i, (byte) (p >> 16));
        rgb.put(i + 1, (byte) (p >> 8));
        rgb.put(i + 2, (byte) p);
      }
    }
  }

  @Override
  public int action(long window) {
    for (int a = 0; a < KEYS.length; a++) {
      down[a] = glfwGetKey(window, KEYS[a]) == GLFW_PRESS;
    }
    return pressed(down, wasDown);
  }

  /**
   * The action of the first key that went down since the last frame, or -1; remembers the keys
   * in {@code wasDown}. Holding a key does not repeat it.
   */
  static int pressed(boolean[] down, boolean[] wasDown) {
    int action = -1;
    for (int a = 0; a < down.length; a++) {
      if (down[a] && !wasDown[a] && action < 0) {
        action = a;
      }
      wasDown[a] = down[a];
    }
    return action;
  }
}
