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
 * A window to play a game by hand (GLFW + OpenGL via LWJGL): a frame scaled up with
 * nearest-neighbour filtering, the keys read at a fixed rate, a new episode after each one ends;
 * Escape quits. Needs a display. For a Procgen game the frame is the 64x64 observation and it
 * steps every frame with the keys held ({@link PlayKeys}); other games give their own
 * {@link Frames} and {@link Controls}.
 */
public final class PlayWindow {

  /** What the window shows: a {@code width x height} RGB frame of the env's current state. */
  public interface Frames {
    int width();

    int height();

    /** Writes the frame as interleaved RGB rows, top row first. */
    void write(GymEnv env, ByteBuffer observations, ByteBuffer rgb);
  }

  /** Which action the keys ask for this frame, or -1 for none (the env then does not step). */
  public interface Controls {
    int action(long window);
  }

  /** A Procgen game: the observation itself, 64 x 64. */
  private static final Frames OBSERVATION = new Frames() {
    public int width() {
      return 64;
    }

    public int height() {
      return 64;
    }

    public void write(GymEnv env, ByteBuffer observations, ByteBuffer rgb) {
      PlayKeys.interleave(observations, 0, 64, 64, rgb);
    }
  };

  private final GymEnv env;
  private final String title;
  private final int scale;
  private final int fps;
  private final Frames frames;
  private final Controls controls;
  private int mismatchedPixels = -1;
  private long steps;

  /** A Procgen game: the observation shown, a step every frame with the keys held. */
  public PlayWindow(GymEnv env, String title, int scale, int fps) {
    this(env, title, scale, fps, OBSERVATION, null);
  }

  /** Any game: {@code frames} shown, {@code controls} choosing the actions (null: Procgen's held keys). */
  public PlayWindow(GymEnv env, String title, int scale, int fps, Frames frames, Controls controls) {
    this.env = env;
    this.title = title;
    this.scale = scale;
    this.fps = fps;
    this.frames = frames;
    this.controls = controls;
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
      int w = frames.width() * scale;
      int h = frames.height() * scale;
      window = glfwCreateWindow(w, h, title, NULL, NULL);
      if (window == NULL) {
        throw new IllegalStateException("cannot open a " + w + "x" + h + " OpenGL window");
      }
      glfwMakeContextCurrent(window);
      glfwSwapInterval(1);
      GL.createCapabilities();
      glViewport(0, 0, w, h);
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
    ByteBuffer rgb = BufferUtils.createByteBuffer(frames.width() * frames.height() * 3);
    ByteBuffer readBack = BufferUtils.createByteBuffer(3 * frames.width() * scale * frames.height() * scale);
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
      int action = controls != null ? controls.action(window)
          : PlayKeys.action(pressed(window, GLFW_KEY_LEFT), pressed(window, GLFW_KEY_RIGHT),
              pressed(window, GLFW_KEY_UP), pressed(window, GLFW_KEY_DOWN), specials);
      if (action >= 0) {
        b.setDiscreteAction(0, action);
        env.step(b, 0);
        steps++;
      }
      frames++;
      if (action >= 0 && b.episodeEnded(0)) {
        episodes++;
        out.printf("episode %d: return %.2f in %d steps%s%n", episodes, b.episodeReturn(0), b.episodeLength(0),
            b.truncated(0) ? " (time limit)" : "");
        out.flush();
        env.reset(b, 0);
      }
      if (env.env() instanceof LevelInfo info) {
        glfwSetWindowTitle(window, title + "  level " + info.levelSeed());
      }
      this.frames.write(env, b.observations(), rgb);
      draw(rgb, this.frames.width(), this.frames.height());
      check(rgb, readBack);
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
   * After {@link #run}: how many of the last frame's pixels the window showed wrongly (read back
   * from OpenGL at each scaled pixel's centre); -1 before any frame.
   */
  public int mismatchedPixels() {
    return mismatchedPixels;
  }

  /** After {@link #run}: the steps the env took (a Procgen game steps every frame; XLand on key presses). */
  public long steps() {
    return steps;
  }

  /** The number of pixels in a frame. */
  public int framePixels() {
    return frames.width() * frames.height();
  }

  private void check(ByteBuffer rgb, ByteBuffer readBack) {
    int fw = frames.width();
    int fh = frames.height();
    int w = fw * scale;
    glReadPixels(0, 0, w, fh * scale, GL_RGB, GL_UNSIGNED_BYTE, readBack);
    int bad = 0;
    for (int y = 0; y < fh; y++) {
      int row = fh * scale - 1 - (y * scale + scale / 2); // OpenGL rows run bottom-up
      for (int x = 0; x < fw; x++) {
        int i = 3 * (row * w + x * scale + scale / 2);
        int o = 3 * (y * fw + x);
        if (readBack.get(i) != rgb.get(o) || readBack.get(i + 1) != rgb.get(o + 1) || readBack.get(i + 2) != rgb.get(o + 2)) {
          bad++;
        }
      }
    }
    mismatchedPixels = bad;
  }

  private static void draw(ByteBuffer rgb, int w, int h) {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB, w, h, 0, GL_RGB, GL_UNSIGNED_BYTE, rgb);
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
