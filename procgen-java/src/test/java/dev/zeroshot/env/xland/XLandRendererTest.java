package dev.zeroshot.env.xland;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The people's view of an XLand world: deterministic pixels, the agent and its facing, the pocket, objects. */
class XLandRendererTest {

  static final int T = 16;
  private final XLandRenderer renderer = new XLandRenderer(T, 5);

  /** The pixel at (u, v) of cell (x, y), u and v in [0, 1). */
  private static int pixel(BufferedImage img, int x, int y, double u, double v) {
    return img.getRGB(x * T + (int) (u * T), y * T + (int) (v * T)) & 0xFFFFFF;
  }

  private static int[] pixels(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  @Test
  void theSameWorldGivesTheSamePixels() {
    EnvSpec spec = EnvRegistry.builtin().spec("XLand-MiniGrid-R4-13x13-v0");
    int[][] frames = new int[2][];
    for (int k = 0; k < 2; k++) {
      XLandEnv env = (XLandEnv) spec.make(spec.contextSpace().parse("benchmark=3"));
      env.seed(11);
      env.reset(ByteBuffer.allocateDirect(50), 0);
      BufferedImage img = renderer.render(env.world());
      assertEquals(13 * T, img.getWidth());
      assertEquals(14 * T, img.getHeight(), "the grid and the pocket strip");
      frames[k] = pixels(img);
    }
    assertArrayEquals(frames[0], frames[1]);
  }

  @Test
  void theAgentPointsWhereItFaces() {
    World w = new World(9, 9);
    for (int d = 0; d < 4; d++) {
      w.clear();
      w.placeAgent(4, 4, d);
      BufferedImage img = renderer.render(w);
      double tipU = 0.5 + 0.3 * World.DX[d];
      double tipV = 0.5 + 0.3 * World.DY[d];
      double backU = 0.5 - 0.45 * World.DX[d];
      double backV = 0.5 - 0.45 * World.DY[d];
      assertEquals(XLandRenderer.AGENT, pixel(img, 4, 4, tipU, tipV), "the tip, direction " + d);
      assertNotEquals(XLandRenderer.AGENT, pixel(img, 4, 4, backU, backV), "behind the agent, direction " + d);
      int red = 0;
      for (int y = 0; y < 9; y++) {
        for (int x = 0; x < 9; x++) {
          red += pixel(img, x, y, 0.5, 0.5) == XLandRenderer.AGENT ? 1 : 0;
        }
      }
      assertEquals(1, red, "one agent");
    }
  }

  @Test
  void objectsThePocketAndTheViewShow() {
    World w = new World(9, 9);
    w.clear();
    w.placeAgent(4, 7, World.UP);
    w.set(2, 2, Tiles.cell(Tiles.BALL, Tiles.GREEN));
    w.set(4, 5, Tiles.cell(Tiles.SQUARE, Tiles.BLUE));
    BufferedImage img = renderer.render(w);
    assertEquals(0x00FF00, pixel(img, 2, 2, 0.5, 0.5));
    assertEquals(0, pixel(img, 2, 2, 0.1, 0.5), "a ball's corner is floor, out of view");
    assertEquals(0x3333FF, pixel(img, 4, 5, 0.5, 0.5), "in view: lightened 20% to white");
    assertEquals(0x646464, pixel(img, 0, 0, 0.5, 0.5), "the wall");
    assertEquals(0x333333, pixel(img, 3, 6, 0.5, 0.5), "floor in view");
    assertEquals(0, pixel(img, 0, 9, 0.5, 0.5), "an empty pocket");
    w.pocket = Tiles.cell(Tiles.HEX, Tiles.YELLOW);
    img = renderer.render(w);
    assertEquals(0xFFFF00, pixel(img, 0, 9, 0.5, 0.5), "the pocket holds a yellow hex");
  }

  @Test
  void findsTheWorldOfEveryXLandVariant() {
    for (String id : new String[] {"XLand-MiniGrid-R1-9x9-v0", "XLand-MiniGrid-R1-9x9-Meta-v0",
        "XLand-MiniGrid-R1-9x9-RulesetObs-v0"}) {
      EnvSpec spec = EnvRegistry.builtin().spec(id);
      var env = spec.make(spec.contextSpace().defaults());
      assertEquals(9, XLandRenderer.xland(env).world().width, id);
    }
    assertSame(null, XLandRenderer.xland(EnvRegistry.builtin().make("CartPole-v1").env()));
  }
}
