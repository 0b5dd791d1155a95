package dev.zeroshot.mbtl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SD-MBTL's aggregated metric: a strategy's V_K rescaled so that the random order scores 0 and
 * the myopic oracle ({@code sequential-oracle}: greedy on the true matrix) scores 1, i.e.
 * (V_K - V_K(random)) / (V_K(oracle) - V_K(random)). Averaged over task families it is the number
 * the SD-MBTL paper compares strategies by (M/GP-MBTL 0.293, GP-MBTL 0.168 over its benchmarks).
 * Undefined (NaN) when the oracle is no better than random, as on a flat matrix.
 */
public final class AggregatedMetric {

  private AggregatedMetric() {}

  public static double of(double value, double random, double oracle) {
    double span = oracle - random;
    return span > 1e-12 ? (value - random) / span : Double.NaN;
  }

  /**
   * The metric of every result at budget K on {@code m}; random and the myopic oracle are taken
   * from {@code results} when there, else computed with {@code options}.
   */
  public static Map<String, Double> compute(List<StrategyResult> results, TransferMatrix m, GridShape shape,
                                            int budget, Strategies.Options options) {
    double random = last(find(results, "random", m, shape, budget, options));
    double oracle = last(find(results, "sequential-oracle", m, shape, budget, options));
    Map<String, Double> out = new LinkedHashMap<>();
    for (StrategyResult r : results) {
      out.put(r.name(), of(last(r), random, oracle));
    }
    return out;
  }

  private static StrategyResult find(List<StrategyResult> results, String name, TransferMatrix m, GridShape shape,
                                     int budget, Strategies.Options options) {
    for (StrategyResult r : results) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return Strategies.run(name, m, shape, budget, options, Progress.NONE);
  }

  private static double last(StrategyResult r) {
    return r.values()[r.values().length - 1];
  }
}
