package dev.zeroshot.offline;

import dev.zeroshot.env.EnvSpec;
import dev.zeroshot.env.context.Context;
import java.util.HashMap;
import java.util.Map;

/**
 * A range of Procgen level seeds, {@code START:END} (END exclusive) or {@code START:} (every
 * level from START on, as gen_dgrl's test split {@code start_level=250, num_levels=0} means
 * "unseen levels"; here it is the seeds [START, 2^31 - 1), so no training level can recur).
 */
public record LevelRange(long start, long count) {

  static final long MAX_INT = Integer.MAX_VALUE;

  public static LevelRange parse(String s) {
    String[] p = s.split(":", -1);
    try {
      if (p.length != 2 || p[0].isEmpty()) {
        throw new NumberFormatException();
      }
      long a = Long.parseLong(p[0]);
      long b = p[1].isEmpty() ? MAX_INT : Long.parseLong(p[1]);
      if (a < 0 || b <= a || b > MAX_INT) {
        throw new NumberFormatException();
      }
      return new LevelRange(a, b - a);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("level range '" + s + "' must be START:END (END > START, e.g. 0:200) or START: (e.g. 250:)");
    }
  }

  public long end() {
    return start + count;
  }

  /**
   * {@code base} (a context of {@code spec}, or its defaults) with its level features set to
   * this range; fails for envs without levels.
   */
  public Context apply(EnvSpec spec, Context base) {
    if (!spec.contextSpace().names().contains("num_levels")) {
      throw new IllegalArgumentException(spec.id() + " has no levels (no num_levels/start_level context features)");
    }
    Map<String, Double> v = new HashMap<>();
    for (String n : base.space().names()) {
      v.put(n, base.get(n));
    }
    v.put("start_level", (double) start);
    v.put("num_levels", (double) count);
    return spec.contextSpace().with(v);
  }

  @Override
  public String toString() {
    return start + ":" + (end() == MAX_INT ? "" : Long.toString(end()));
  }
}
