package dev.zeroshot.env.procgen;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Builds a game's context space: the options every game shares (level range, backgrounds,
 * themes) followed by the game's generator knobs. Integer knobs and 0/1 flags get a rule that
 * refuses fractional values, so a context never silently rounds.
 */
final class Features {

  static final double MAX_INT = Integer.MAX_VALUE;

  private final List<ContextFeature> features = new ArrayList<>();
  private final List<String> integers = new ArrayList<>();
  private final List<Function<Context, String>> rules = new ArrayList<>();

  /** The shared options; {@code velocityInfo} adds {@code paint_vel_info} for games where it means something. */
  static Features common(boolean velocityInfo) {
    Features f = new Features()
        .integer("num_levels", 0, 0, MAX_INT, "number of distinct levels (0 = unbounded)")
        .integer("start_level", 0, 0, MAX_INT, "first level seed")
        .flag("use_backgrounds", 1, "draw per-level backgrounds (0 = black)")
        .flag("restrict_themes", 0, "use colour theme 0 for every level (removes visual variation)");
    if (velocityInfo) {
      f.flag("paint_vel_info", 0, "paint the agent's velocity as two grey squares at the top left");
    }
    return f.rule(c -> c.get("start_level") + c.get("num_levels") <= MAX_INT ? null
        : "start_level + num_levels must not exceed " + (long) MAX_INT);
  }

  Features integer(String name, double def, double lower, double upper, String description) {
    features.add(new ContextFeature(name, def, lower, upper, description, true));
    integers.add(name);
    return this;
  }

  Features real(String name, double def, double lower, double upper, String description) {
    features.add(new ContextFeature(name, def, lower, upper, description));
    return this;
  }

  Features flag(String name, double def, String description) {
    return integer(name, def, 0, 1, description + " (0 or 1)");
  }

  Features rule(Function<Context, String> rule) {
    rules.add(rule);
    return this;
  }

  ContextSpace build(String owner) {
    List<Function<Context, String>> all = new ArrayList<>();
    for (String name : integers) {
      all.add(c -> {
        double v = c.get(name);
        return v == Math.rint(v) ? null : "context feature '" + name + "' = " + v + " must be a whole number";
      });
    }
    all.addAll(rules);
    return new ContextSpace(owner, features, all);
  }
}
