package dev.zeroshot.env.xland;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;

/**
 * Registers XLand-MiniGrid's grid worlds under its ids ({@code XLand-MiniGrid-R1-9x9} and so on)
 * with a {@code -v0} version, view size 5 and time limit {@code 3 * width * height}, as its defaults.
 */
public final class XLandSuite {

  /** XLand-MiniGrid's default view: 5 x 5 cells. */
  public static final int VIEW = 5;

  private XLandSuite() {}

  public static void registerAll(EnvRegistry registry) {
    register(registry, Layout.R1, 9, "one room");
    register(registry, Layout.R1, 13, "one room");
    register(registry, Layout.R2, 9, "two rooms joined by a door");
    register(registry, Layout.R4, 13, "four rooms joined by doors");
    register(registry, Layout.R9, 16, "nine rooms joined by doors");
  }

  /** The registered id of a layout at a size. */
  public static String id(Layout layout, int side) {
    return "XLand-MiniGrid-" + layout + "-" + side + "x" + side + "-v0";
  }

  private static void register(EnvRegistry registry, Layout layout, int side, String rooms) {
    String id = id(layout, side);
    registry.register(new EnvSpec(id, "XLand-MiniGrid " + side + "x" + side + ", " + rooms
        + ": meet a goal through hidden production rules over coloured objects (symbolic 5x5 view)",
        XLandEnv.contextSpace(id), c -> new XLandEnv(c, layout, side, side, VIEW),
        XLandEnv.maxSteps(side, side), null));
  }
}
