package dev.zeroshot.env.xland;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.EnvSpec;

/**
 * Registers XLand-MiniGrid's grid worlds under its ids ({@code XLand-MiniGrid-R1-9x9} and so on)
 * with a {@code -v0} version, view size 5 and time limit {@code 3 * width * height}, as its defaults;
 * and two variants of each: {@code -Meta} (meta-RL trials of several episodes on one hidden ruleset,
 * {@link XLandTrialEnv}) and {@code -RulesetObs} (the ruleset visible in the observation,
 * {@link XLandRulesetObservationEnv}).
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

  /** The registered id of a variant ({@code Meta} or {@code RulesetObs}) of a layout at a size. */
  public static String id(Layout layout, int side, String variant) {
    return "XLand-MiniGrid-" + layout + "-" + side + "x" + side + "-" + variant + "-v0";
  }

  private static void register(EnvRegistry registry, Layout layout, int side, String rooms) {
    String id = id(layout, side);
    registry.register(new EnvSpec(id, "XLand-MiniGrid " + side + "x" + side + ", " + rooms
        + ": meet a goal through hidden production rules over coloured objects (symbolic 5x5 view)",
        XLandEnv.contextSpace(id), c -> new XLandEnv(c, layout, side, side, VIEW),
        XLandEnv.maxSteps(side, side), null));
    String meta = id(layout, side, "Meta");
    registry.register(new EnvSpec(meta, "XLand-MiniGrid " + side + "x" + side + ", " + rooms
        + ": meta-RL trials of trial_episodes episodes on one hidden ruleset (symbolic 5x5 view)",
        XLandTrialEnv.contextSpace(meta), c -> new XLandTrialEnv(c, layout, side, side, VIEW),
        XLandTrialEnv.maxTrialSteps(side, side), null));
    String visible = id(layout, side, "RulesetObs");
    registry.register(new EnvSpec(visible, "XLand-MiniGrid " + side + "x" + side + ", " + rooms
        + ": the goal and rules visible (5x5 view and XLand-MiniGrid's ruleset encoding in one uint8 vector)",
        XLandEnv.contextSpace(visible), c -> new XLandRulesetObservationEnv(c, layout, side, side, VIEW),
        XLandEnv.maxSteps(side, side), null));
  }
}
