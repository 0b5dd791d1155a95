package dev.zeroshot.env.procgen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zeroshot.env.EnvRegistry;
import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSpace;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every valid context works: random contexts across each game's bounds (extremes included)
 * generate levels and step without error. Contexts the rules refuse are skipped.
 */
class ContextFuzzTest {

  static java.util.stream.Stream<String> procgenIds() {
    return ProcgenDeterminismTest.procgenIds();
  }

  private static double draw(ContextFeature f, SplittableRandom r, boolean integer) {
    double lo = f.lower();
    double hi = Math.min(f.upper(), f.name().endsWith("_level") || f.name().equals("num_levels") ? 1000 : f.upper());
    double v = switch (r.nextInt(4)) {
      case 0 -> lo;
      case 1 -> hi;
      default -> lo + (hi - lo) * r.nextDouble();
    };
    return integer ? Math.rint(v) : v;
  }

  @ParameterizedTest
  @MethodSource("procgenIds")
  void randomValidContextsGenerateAndStep(String id) {
    ContextSpace space = EnvRegistry.builtin().spec(id).contextSpace();
    Context defaults = space.defaults();
    SplittableRandom r = new SplittableRandom(id.hashCode());
    int valid = 0;
    for (int k = 0; k < 200 && valid < 25; k++) {
      Map<String, Double> values = new LinkedHashMap<>();
      for (ContextFeature f : space.features()) {
        if (r.nextInt(3) > 0) {
          boolean integer = defaults.get(f.name()) == Math.rint(defaults.get(f.name()))
              && !f.name().endsWith("_fraction") && !f.name().endsWith("_prob") && !f.name().endsWith("_speed")
              && !f.name().endsWith("_scale") && !f.name().equals("gravity") && !f.name().equals("max_jump")
              && !f.name().equals("air_control") && !f.name().equals("patrol_range") && !f.name().equals("start_radius");
          double v = draw(f, r, integer);
          if (integer && f.name().contains("maze_dim") && v % 2 == 0) {
            v = v - 1 >= f.lower() ? v - 1 : v + 1;
          }
          values.put(f.name(), v);
        }
      }
      Context c;
      try {
        c = space.with(values);
      } catch (IllegalArgumentException refused) {
        continue;
      }
      valid++;
      GameDriver d = new GameDriver(id, c.toMap());
      SplittableRandom policy = new SplittableRandom(k);
      for (int level = 0; level < 3; level++) {
        d.level(k * 10L + level);
        for (int t = 0; t < 40 && !d.game.terminated(); t++) {
          d.step(policy.nextInt(15));
        }
      }
    }
    assertTrue(valid >= 10, id + ": only " + valid + " valid random contexts");
  }
}
