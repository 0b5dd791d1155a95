package dev.zeroshot.env.context;

import java.util.HashMap;
import java.util.Map;

/**
 * A range of Procgen level seeds: {@code START:END} (END exclusive), {@code START:} (every level
 * from START on, as gen_dgrl's test split {@code start_level=250, num_levels=0} means "unseen
 * levels"; here it is the seeds [START, 2^31 - 1), so no training level can recur) or {@code N}
 * (Procgen's {@code num_levels=N}: levels 0 to N-1). Applied to a context it sets
 * {@code start_level} and {@code num_levels}.
 */
public record LevelRange(long start, long count) {

  static final long MAX_INT = Integer.MAX_VALUE;

  /** The one message for every malformed range, naming the three allowed forms. */
  public static String usage(String text) {
    return "level range '" + text + "' must be START:END (END > START, e.g. 0:200), START: (every level from START on,"
        + " e.g. 250:) or N (levels 0 to N-1, e.g. 200)";
  }

  public LevelRange {
    if (start < 0 || count < 1 || start + count > MAX_INT) {
      throw new IllegalArgumentException("level range needs 0 <= START < END <= " + MAX_INT + ", got start "
          + start + " and count " + count);
    }
  }

  public static LevelRange parse(String text) {
    String s = text.strip();
    try {
      int colon = s.indexOf(':');
      long a;
      long b;
      if (colon < 0) {
        a = 0;
        b = Long.parseLong(s);
      } else {
        if (s.substring(0, colon).isBlank() || s.indexOf(':', colon + 1) >= 0) {
          throw new NumberFormatException();
        }
        a = Long.parseLong(s.substring(0, colon).strip());
        String end = s.substring(colon + 1).strip();
        b = end.isEmpty() ? MAX_INT : Long.parseLong(end);
      }
      if (a < 0 || b <= a || b > MAX_INT) {
        throw new NumberFormatException();
      }
      return new LevelRange(a, b - a);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(usage(text));
    }
  }

  public long end() {
    return start + count;
  }

  /**
   * {@code base} with its level features set to this range; fails for envs without levels.
   */
  public Context apply(Context base) {
    ContextSpace space = base.space();
    if (!space.names().contains("num_levels") || !space.names().contains("start_level")) {
      throw new IllegalArgumentException(space.owner() + " has no levels (no num_levels/start_level context features)");
    }
    Map<String, Double> v = new HashMap<>();
    v.put("start_level", (double) start);
    v.put("num_levels", (double) count);
    return base.with(v);
  }

  /** {@code START:END}, or {@code START:} for an open range; parses back to an equal range. */
  @Override
  public String toString() {
    return start + ":" + (end() == MAX_INT ? "" : Long.toString(end()));
  }
}
