package dev.zeroshot.env.curriculum;

import dev.zeroshot.env.context.Context;
import dev.zeroshot.env.context.ContextFeature;
import dev.zeroshot.env.context.ContextSampler;
import dev.zeroshot.env.context.ContextSpace;
import dev.zeroshot.env.context.LevelRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a curriculum chooses among: levels, each a {@link Context} of one env. A level is a
 * Procgen level seed (the context's {@code start_level}, with {@code num_levels = 1}), a point
 * of some continuous context features (CartPole's pole length in [0.1, 2.0]), or both. The
 * generator draws levels uniformly (domain randomization) and ACCEL's edit changes one a little.
 *
 * <p>Edits, as chosen here: for features, one feature (chosen uniformly) moves by a uniform step
 * in [-scale, scale] times its range, clamped to the range; for seeds, the level gets a new seed
 * drawn from the range (Procgen has no notion of a nearby seed) and, if there are features, one
 * feature moves as above, so an edited level is a new seed with a nearby context.
 */
public final class LevelSpace {

  /**
   * One varied feature: its index in the context and the range levels are drawn from; with
   * {@code points >= 2}, only the {@code points} evenly spaced values from lower to upper (MBTL's
   * task grid), else any value.
   */
  public record Axis(int index, String name, double lower, double upper, boolean integral, int points) {

    /** {@code x} as a value this axis takes: rounded for whole-valued features, snapped to the grid. */
    double value(double x) {
      if (points >= 2) {
        long k = Math.round((x - lower) / (upper - lower) * (points - 1));
        return ContextSampler.gridValue(lower, upper, (int) Math.max(0, Math.min(points - 1, k)), points);
      }
      return integral ? Math.min(Math.floor(upper), Math.max(Math.ceil(lower), Math.rint(x))) : x;
    }

    /** A uniform draw: a grid point, or a value in [lower, upper). */
    double draw(CurriculumRandom rng) {
      if (points >= 2) {
        return ContextSampler.gridValue(lower, upper, rng.nextInt(points), points);
      }
      return value(lower + rng.nextDouble() * (upper - lower));
    }
  }

  private final Context base;
  private final LevelRange seeds; // null: levels carry no seed
  private final List<Axis> axes;

  private LevelSpace(Context base, LevelRange seeds, List<Axis> axes) {
    if (seeds == null && axes.isEmpty()) {
      throw new IllegalArgumentException(base.space().owner() + " has no level seeds (no start_level/num_levels "
          + "features) and no curriculum features were named: name some as feature or feature=LOW:HIGH; known: "
          + base.space().names());
    }
    this.base = base;
    this.seeds = seeds;
    this.axes = List.copyOf(axes);
  }

  /**
   * The levels of {@code base}'s env: its level seeds when it has them (the range {@code base}'s
   * {@code start_level}/{@code num_levels} give; {@code num_levels = 0} is every seed), crossed
   * with the features {@code features} names ({@code "length=0.1:2.0,masspole"}: a feature with
   * no range uses its bounds, which must be finite). Empty text: seeds only.
   */
  public static LevelSpace of(Context base, String features) {
    ContextSpace space = base.space();
    LevelRange seeds = null;
    if (space.names().contains("start_level") && space.names().contains("num_levels")) {
      long start = (long) base.get("start_level");
      long count = (long) base.get("num_levels");
      seeds = count == 0 ? new LevelRange(0, Integer.MAX_VALUE) : new LevelRange(start, count);
    }
    List<Axis> axes = new ArrayList<>();
    if (features != null && !features.isBlank()) {
      for (String part : features.split(",")) {
        axes.add(axis(base, part.strip()));
      }
    }
    return new LevelSpace(base, seeds, axes);
  }

  private static Axis axis(Context base, String part) {
    String usage = "curriculum feature '" + part + "' must be NAME, NAME=LOW:HIGH (e.g. length=0.1:2.0) or "
        + "NAME=LOW:HIGH:N (N >= 2 grid points, e.g. length=0.1:2.0:20)";
    String[] kv = part.split("=", 2);
    String name = kv[0].strip();
    ContextFeature f = base.space().feature(name); // unknown names are refused with the known ones
    if (name.equals("start_level") || name.equals("num_levels")) {
      throw new IllegalArgumentException("curriculum feature '" + name + "': level seeds are chosen from --levels, "
          + "not as a feature");
    }
    double lo = f.lower();
    double hi = f.upper();
    int points = 0;
    if (kv.length == 2) {
      String[] r = kv[1].split(":");
      if (r.length != 2 && r.length != 3) {
        throw new IllegalArgumentException(usage);
      }
      try {
        lo = Double.parseDouble(r[0].strip());
        hi = Double.parseDouble(r[1].strip());
        points = r.length == 3 ? Integer.parseInt(r[2].strip()) : 0;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(usage);
      }
      if (r.length == 3 && points < 2) {
        throw new IllegalArgumentException(usage);
      }
      for (double v : new double[] {lo, hi}) {
        String problem = f.check(v);
        if (problem != null) {
          throw new IllegalArgumentException("curriculum feature range: " + problem);
        }
      }
      if (!(lo < hi)) {
        throw new IllegalArgumentException(usage + "; LOW < HIGH, got " + lo + ":" + hi);
      }
    } else if (!f.isBounded()) {
      throw new IllegalArgumentException("curriculum feature '" + name + "' has the unbounded range " + f.range()
          + ": give one, as " + name + "=LOW:HIGH");
    }
    boolean integral = rejectsFractions(base, name, lo, hi);
    return new Axis(base.space().indexOf(name), name, lo, hi, integral, points);
  }

  /** Whether the env takes only whole values of this feature (Procgen's knobs do). */
  private static boolean rejectsFractions(Context base, String name, double lo, double hi) {
    double probe = Math.floor(lo) + 0.5;
    if (probe > hi) {
      return false;
    }
    try {
      base.with(name, probe);
      return false;
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  public Context base() {
    return base;
  }

  /** The seed range, or null when levels carry no seed. */
  public LevelRange seeds() {
    return seeds;
  }

  public List<Axis> axes() {
    return axes;
  }

  /** How many distinct levels there are (seeds times grid points), or Long.MAX_VALUE when unbounded. */
  public long size() {
    long n = seeds == null ? 1 : seeds.count();
    for (Axis a : axes) {
      if (a.points < 2) {
        return Long.MAX_VALUE;
      }
      n = Math.multiplyHigh(n, a.points) != 0 ? Long.MAX_VALUE : n * a.points;
    }
    return n;
  }

  /** Draws refused by the env's own rules (e.g. odd maze sides) before giving up. */
  private static final int TRIES = 100;

  /**
   * A level drawn uniformly: a seed from the range and each feature from its range. A draw the
   * env's rules refuse (Procgen's maze sides must be odd) is drawn again.
   */
  public Context random(CurriculumRandom rng) {
    for (int t = 1; ; t++) {
      try {
        return randomOnce(rng);
      } catch (IllegalArgumentException e) {
        if (t == TRIES) {
          throw new IllegalArgumentException("curriculum levels " + this + ": " + TRIES + " draws in a row were refused"
              + " by the env, the last with: " + e.getMessage());
        }
      }
    }
  }

  private Context randomOnce(CurriculumRandom rng) {
    Map<String, Double> v = new HashMap<>();
    if (seeds != null) {
      v.put("start_level", (double) (seeds.start() + rng.nextLong(seeds.count())));
      v.put("num_levels", 1.0);
    }
    for (Axis a : axes) {
      v.put(a.name, a.draw(rng));
    }
    return base.with(v);
  }

  /** ACCEL's edit of {@code level}, repeated {@code edits} times (see the class comment). */
  public Context edit(Context level, int edits, double scale, CurriculumRandom rng) {
    Context c = level;
    for (int e = 0; e < edits; e++) {
      Map<String, Double> v = new HashMap<>();
      if (seeds != null) {
        v.put("start_level", (double) (seeds.start() + rng.nextLong(seeds.count())));
      }
      if (!axes.isEmpty()) {
        Axis a = axes.get(rng.nextInt(axes.size()));
        double step = (2 * rng.nextDouble() - 1) * scale * (a.upper - a.lower);
        v.put(a.name, a.value(Math.min(a.upper, Math.max(a.lower, c.get(a.index) + step))));
      }
      try {
        c = c.with(v);
      } catch (IllegalArgumentException refused) {
        // the env's rules refuse this change (e.g. an even maze side): this edit leaves the level as it was
      }
    }
    return c;
  }

  /** Whether {@code level} is one of this space's levels. */
  public boolean contains(Context level) {
    if (level.space() != base.space()) {
      return false;
    }
    if (seeds != null) {
      double s = level.get("start_level");
      if (level.get("num_levels") != 1 || s < seeds.start() || s >= seeds.end()) {
        return false;
      }
    }
    for (Axis a : axes) {
      double x = level.get(a.index);
      if (x < a.lower || x > a.upper || (a.points >= 2 && a.value(x) != x)) {
        return false;
      }
    }
    return true;
  }

  /** The names of a level's coordinates: {@code seed} (if any), then the features. */
  public List<String> coordinateNames() {
    List<String> names = new ArrayList<>();
    if (seeds != null) {
      names.add("seed");
    }
    for (Axis a : axes) {
      names.add(a.name);
    }
    return names;
  }

  /** A level's coordinates, in {@link #coordinateNames} order. */
  public double[] coordinates(Context level) {
    double[] x = new double[(seeds != null ? 1 : 0) + axes.size()];
    int k = 0;
    if (seeds != null) {
      x[k++] = level.get("start_level");
    }
    for (Axis a : axes) {
      x[k++] = level.get(a.index);
    }
    return x;
  }

  /** {@code seeds 0:200 x length=[0.1, 2.0]}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (seeds != null) {
      parts.add("seeds " + seeds);
    }
    for (Axis a : axes) {
      parts.add(a.name + "=[" + a.lower + ", " + a.upper + "]" + (a.points >= 2 ? " (" + a.points + " points)"
          : a.integral ? " (whole values)" : ""));
    }
    return String.join(" x ", parts);
  }
}
