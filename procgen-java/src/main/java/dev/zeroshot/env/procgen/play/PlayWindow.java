package dev.zeroshot.env.procgen.play;

import static org.lwjgl.glfw.GLFW.GLFW_FALSE;
import static org.lwjgl.glfw.GLFW.GLFW_PLATFORM;
import static org.lwjgl.glfw.GLFW.GLFW_PLATFORM_X11;
import static org.lwjgl.glfw.GLFW.GLFW_KEY_DOWN;
import static org.lwjgl.glfw.GLFW.GLFW_KEY_ESCAPE;
import static org.lwjgl.glfw.GLFW.GLFW_KEY_LEFT;
import static org.lwjgl.glfw.GLFW.GLFW_KEY_RIGHT;
import static org.lwjgl.glfw.GLFW.GLFW_KEY_UP;
import static org.lwjgl.glfw.GLFW.GLFW_PRESS;
import static org.lwjgl.glfw.GLFW.GLFW_RESIZABLE;
import static org.lwjgl.glfw.GLFW.glfwCreateWindow;
import static org.lwjgl.glfw.GLFW.glfwDefaultWindowHints;
import static org.lwjgl.glfw.GLFW.glfwDestroyWindow;
import static org.lwjgl.glfw.GLFW.glfwGetKey;
import static org.lwjgl.glfw.GLFW.glfwInit;
import static org.lwjgl.glfw.GLFW.glfwInitHint;
import static org.lwjgl.glfw.GLFW.glfwMakeContextCurrent;
import static org.lwjgl.glfw.GLFW.glfwPollEvents;
import static org.lwjgl.glfw.GLFW.glfwSetWindowTitle;
import static org.lwjgl.glfw.GLFW.glfwSwapBuffers;
import static org.lwjgl.glfw.GLFW.glfwSwapInterval;
import static org.lwjgl.glfw.GLFW.glfwTerminate;
import static org.lwjgl.glfw.GLFW.glfwWindowHint;
import static org.lwjgl.glfw.GLFW.glfwWindowShouldClose;
import static org.lwjgl.opengl.GL11.GL_NEAREST;
import static org.lwjgl.opengl.GL11.GL_QUADS;
import static org.lwjgl.opengl.GL11.GL_RGB;
import static org.lwjgl.opengl.GL11.GL_TEXTURE_2D;
import static org.lwjgl.opengl.GL11.GL_TEXTURE_MAG_FILTER;
import static org.lwjgl.opengl.GL11.GL_TEXTURE_MIN_FILTER;
import static org.lwjgl.opengl.GL11.GL_UNPACK_ALIGNMENT;
import static org.lwjgl.opengl.GL11.GL_UNSIGNED_BYTE;
import static org.lwjgl.opengl.GL11.glBegin;
import static org.lwjgl.opengl.GL11.glBindTexture;
import static org.lwjgl.opengl.GL11.glEnable;
import static org.lwjgl.opengl.GL11.glEnd;
import static org.lwjgl.opengl.GL11.glGenTextures;
import static org.lwjgl.opengl.GL11.glPixelStorei;
import static org.lwjgl.opengl.GL11.glReadPixels;
import static org.lwjgl.opengl.GL11.glTexCoord2f;
import static org.lwjgl.opengl.GL11.glTexImage2D;
import static org.lwjgl.opengl.GL11.glTexParameteri;
import static org.lwjgl.opengl.GL11.glVertex2f;
import static org.lwjgl.opengl.GL11.glViewport;
import static org.lwjgl.system.MemoryUtil.NULL;

import dev.zeroshot.env.GymEnv;
import dev.zeroshot.env.LevelInfo;
import dev.zeroshot.env.StepBuffers;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import org.lwjgl.BufferUtils;
import org.lwjgl.glfw.GLFWErrorCallback;
import org.lwjgl.opengl.GL;

/**
 * A window to play a Procgen game by hand (GLFW + OpenGL via LWJGL): the 64x64 observation
 * scaled up with nearest-neighbour filtering, stepped at a fixed rate with the keys held
 * ({@link PlayKeys}), a new episode after each one ends; Escape quits. Needs a display.
 */
public final class PlayWindow {

  private final GymEnv env;
  private final String title;
  private final int scale;
  private final int fps;
  private int mismatchedPixels = -1;

  public PlayWindow(GymEnv env, String title, int scale, int fps) {
    this.env = env;
    this.title = title;
    this.scale = scale;
    this.fps = fps;
  }

  /**
   * Plays until the window is closed, Escape is pressed or {@code maxFrames} steps have run
   * (0 = no limit); prints each episode's return to {@code out}. Returns the steps run.
   */
  public long run(long seed, long maxFrames, PrintWriter out) {
    // GLFW's errors go into our own one-line message, not LWJGL's printout with a stack trace
    StringBuilder glfwError = new StringBuilder();
    GLFWErrorCallback errors = GLFWErrorCallback.create((code, description) -> {
      if (glfwError.length() == 0) {
        glfwError.append(GLFWErrorCallback.getDescription(description));
      }
    }).set();
    if (System.getenv("WAYLAND_DISPLAY") == null) { // no Wayland session: skip GLFW's Wayland probe and its stderr line
      glfwInitHint(GLFW_PLATFORM, GLFW_PLATFORM_X11);
    }
    if (!glfwInit()) {
      errors.free();
      throw new IllegalStateException("cannot open a window: GLFW found no display (" + glfwError
          + "; set DISPLAY, or run under Xvfb: xvfb-run -a zeroshot play ...)");
    }
    long window = NULL;
    try {
      glfwDefaultWindowHints();
      glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
      int size = 64 * scale;
      window = glfwCreateWindow(size, size, title, NULL, NULL);
      if (window == NULL) {
        throw new IllegalStateException("cannot open a " + size + "x" + size + " OpenGL window");
      }
      glfwMakeContextCurrent(window);
      glfwSwapInterval(1);
      GL.createCapabilities();
      glViewport(0, 0, size, size);
      glEnable(GL_TEXTURE_2D);
      glBindTexture(GL_TEXTURE_2D, glGenTextures());
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
      glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
      return loop(window, seed, maxFrames, out);
    } finally {
      if (window != NULL) {
        glfwDestroyWindow(window);
      }
      glfwTerminate();
      errors.free();
    }
  }

  private long loop(long window, long seed, long maxFrames, PrintWriter out) {
    StepBuffers b = StepBuffers.allocate(env);
    ByteBuffer rgb = BufferUtils.createByteBuffer(64 * 64 * 3);
    ByteBuffer readBack = BufferUtils.createByteBuffer(3 * 64 * scale * 64 * scale);
    boolean[] specials = new boolean[PlayKeys.SPECIAL_KEYS.length()];
    env.reset(seed, b, 0);
    long frames = 0;
    int episodes = 0;
    long period = 1_000_000_000L / fps;
    long next = System.nanoTime();
    while (!glfwWindowShouldClose(window) && glfwGetKey(window, GLFW_KEY_ESCAPE) != GLFW_PRESS
        && (maxFrames == 0 || frames < maxFrames)) {
      glfwPollEvents();
      for (int i = 0; i < specials.length; i++) {
        specials[i] = glfwGetKey(window, PlayKeys.SPECIAL_KEYS.charAt(i)) == GLFW_PRESS;
      }
      int action = PlayKeys.action(pressed(window, GLFW_KEY_LEFT), pressed(window, GLFW_KEY_RIGHT),
          pressed(window, GLFW_KEY_UP), pressed(window, GLFW_KEY_DOWN), specials);
      b.setDiscreteAction(0, action);
      env.step(b, 0);
      frames++;
      if (b.episodeEnded(0)) {
        episodes++;
        out.printf("episode %d: return %.2f in %d steps%s%n", episodes, b.episodeReturn(0), b.episodeLength(0),
            b.truncated(0) ? " (time limit)" : "");
        out.flush();
        env.reset(b, 0);
      }
      if (env.env() instanceof LevelInfo info) {
        glfwSetWindowTitle(window, title + "  level " + info.levelSeed());
      }
      draw(window, b.observations(), rgb);
      check(b.observations(), readBack);
      glfwSwapBuffers(window);
      next += period;
      long sleep = next - System.nanoTime();
      if (sleep > 0) {
        try {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      } else {
        next = System.nanoTime();
      }
    }
    return frames;
  }

  private static boolean pressed(long window, int key) {
    return glfwGetKey(window, key) == GLFW_PRESS;
  }

  /**
   * After {@link #run}: how many of the last frame's 64x64 observation pixels the window
   * showed wrongly (read back from OpenGL at each scaled pixel's centre); -1 before any frame.
   */
  public int mismatchedPixels() {
    return mismatchedPixels;
  }

  private void check(ByteBuffer obs, ByteBuffer readBack) {
    int size = 64 * scale;
    glReadPixels(0, 0, size, size, GL_RGB, GL_UNSIGNED_BYTE, readBack);
    int bad = 0;
    for (int y = 0; y < 64; y++) {
      int row = size - 1 - (y * scale + scale / 2); // OpenGL rows run bottom-up
      for (int x = 0; x < 64; x++) {
        int i = 3 * (row * size + x * scale + scale / 2);
        int o = y * 64 + x;
        if (readBack.get(i) != obs.get(o) || readBack.get(i + 1) != obs.get(4096 + o)
            || readBack.get(i + 2) != obs.get(8192 + o)) {
          bad++;
        }
      }
    }
    mismatchedPixels = bad;
  }

  private static void draw(long window, ByteBuffer obs, ByteBuffer rgb) {
    PlayKeys.interleave(obs, 0, 64, 64, rgb);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB, 64, 64, 0, GL_RGB, GL_UNSIGNED_BYTE, rgb);
    // Texture row 0 is the frame's top row.
    glBegin(GL_QUADS);
    glTexCoord2f(0, 1);
    glVertex2f(-1, -1);
    glTexCoord2f(1, 1);
    glVertex2f(1, -1);
    glTexCoord2f(1, 0);
    glVertex2f(1, 1);
    glTexCoord2f(0, 0);
    glVertex2f(-1, 1);
    glEnd();
  }
}
