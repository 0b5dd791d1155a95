package dev.zeroshot.env.context;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Chooses the context an environment runs in at a reset. Pure: the choice depends only on
 * the env's index in its batch, how many resets that env has done, and the env's own
 * random stream, so results never depend on threads.
 */
public interface ContextSampler {

  /** The context for env {@code envIndex} at its {@code resetCount}-th reset (0 = first). */
  Context sample(int envIndex, long resetCount, SplittableRandom rng);

  /** The context used to describe the env (spaces) before any reset. */
  Context base();

  /**
   * Whether the sampler has state of its own (a curriculum) and must be asked on one thread, in
   * env order: a {@link dev.zeroshot.env.VectorEnv} then draws contexts before stepping in parallel.
   */
  default boolean sequential() {
    return false;
  }

  /** Always the same context. */
  static ContextSampler fixed(Context context) {
    return new ContextSampler() {
      @Override
      public Context sample(int envIndex, long resetCount, SplittableRandom rng) {
        return context;
      }

      @Override
      public Context base() {
        return context;
      }

      @Override
      public String toString() {
        return "fixed(" + context + ")";
      }
    };
  }

  /**
   * {@code base} with each named feature drawn uniformly from its bounds at every reset.
   * The features must have finite bounds.
   */
  static ContextSampler uniform(Context base, List<String> features) {
    ContextSpace space = base.space();
    if (features.isEmpty()) {
      throw new IllegalArgumentException("uniform context sampler needs at least one feature; known: " + space.names());
    }
    int[] idx = new int[features.size()];
    for (int k = 0; k < idx.length; k++) {
      idx[k] = space.indexOf(features.get(k));
      ContextFeature f = space.features().get(idx[k]);
      if (!f.isBounded()) {
        throw new IllegalArgumentException("cannot sample context feature '" + f.name()
            + "' uniformly: its range " + f.range() + " is unbounded; use a grid or a list instead");
      }
    }
    return new ContextSampler() {
      @Override
      public Context sample(int envIndex, long resetCount, SplittableRandom rng) {
        double[] v = base.values();
        for (int i : idx) {
          ContextFeature f = space.features().get(i);
          v[i] = f.lower() + rng.nextDouble() * (f.upper() - f.lower());
        }
        return space.of(v);
      }

      @Override
      public Context base() {
        return base;
      }

      @Override
      public String toString() {
        return "uniform(" + features + ")";
      }
    };
  }

  /**
   * One of an explicit list of contexts: round-robin (env i at its k-th reset gets entry
   * (i + k) mod size, CARL's default selector) or uniformly at random.
   */
  static ContextSampler list(List<Context> contexts, boolean roundRobin) {
    if (contexts.isEmpty()) {
      throw new IllegalArgumentException("context list is empty");
    }
    List<Context> copy = List.copyOf(contexts);
    ContextSpace space = copy.get(0).space();
    for (Context c : copy) {
      if (c.space() != space) {
        throw new IllegalArgumentException("context list mixes contexts of " + space.owner() + " and " + c.space().owner());
      }
    }
    return new ContextSampler() {
      @Override
      public Context sample(int envIndex, long resetCount, SplittableRandom rng) {
        if (roundRobin) {
          return copy.get((int) ((envIndex + resetCount) % copy.size()));
        }
        return copy.get(rng.nextInt(copy.size()));
      }

      @Override
      public Context base() {
        return copy.get(0);
      }

      @Override
      public String toString() {
        return (roundRobin ? "round-robin" : "random") + " list of " + copy.size() + " contexts";
      }
    };
  }

  /**
   * MBTL's task grid: {@code n} contexts equal to {@code base} except {@code feature}, which
   * takes n evenly spaced values from {@code from} to {@code to} inclusive (numpy's linspace).
   * Each value is computed in decimal from the ends as typed and rounded to a double once, so a
   * grid whose values are short decimals holds exactly them (0.1:2.0 over 20 gives 1.4, where
   * {@code from + (to - from) * i / (n - 1)} in doubles gives 1.4000000000000001).
   */
  static List<Context> grid(Context base, String feature, double from, double to, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a context grid needs at least 1 value, got " + n);
    }
    ContextFeature f = base.space().feature(feature);
    for (double end : new double[] {from, to}) {
      String problem = f.check(end);
      if (problem != null) {
        throw new IllegalArgumentException("grid end: " + problem);
      }
    }
    List<Context> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(base.with(feature, n == 1 ? from : gridValue(from, to, i, n)));
    }
    return out;
  }

  /**
   * The i-th of n evenly spaced values from {@code from} to {@code to}: the ends in decimal as
   * they print ({@link BigDecimal#valueOf(double)}: 0.1 is 0.1), {@code from + (to - from) i /
   * (n - 1)} to 34 digits, then the nearest double.
   */
  public static double gridValue(double from, double to, int i, int n) {
    BigDecimal a = BigDecimal.valueOf(from);
    BigDecimal span = BigDecimal.valueOf(to).subtract(a);
    return a.add(span.multiply(BigDecimal.valueOf(i)).divide(BigDecimal.valueOf(n - 1), MathContext.DECIMAL128))
        .doubleValue();
  }
}
