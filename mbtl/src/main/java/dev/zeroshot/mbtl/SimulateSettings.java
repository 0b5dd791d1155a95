package dev.zeroshot.mbtl;

import java.util.List;

/**
 * Everything a simulate-mode sweep runs with, checked ({@link SweepSpec.Simulate} builds it).
 *
 * @param matrix the N x N transfer matrix (normalized; row = source, column = target)
 * @param shape the tasks' layout: a line of N, or a grid over several features
 * @param steps K, the budget (1..N)
 * @param strategies the strategies to run, in order ({@link Strategies#parse})
 * @param options the settings the strategies share
 */
public record SimulateSettings(TransferMatrix matrix, GridShape shape, int steps, List<String> strategies,
                               Strategies.Options options) {

  public SimulateSettings {
    strategies = List.copyOf(strategies);
  }
}
