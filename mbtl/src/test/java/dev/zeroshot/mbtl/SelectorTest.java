package dev.zeroshot.mbtl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SelectorTest {

  private static TransferMatrix randomMatrix(int n, long seed) {
    Random r = new Random(seed);
    double[][] m = new double[n][n];
    for (double[] row : m) {
      for (int j = 0; j < n; j++) {
        row[j] = r.nextDouble();
      }
    }
    return TransferMatrix.of(m);
  }

  @Test
  void firstPickIsTheMiddleTask() {
    assertEquals(49, MbtlSelector.middle(100));
    assertEquals(24, MbtlSelector.middle(50));
    assertEquals(19, MbtlSelector.middle(40));
    assertEquals(2, MbtlSelector.middle(5));
    TransferMatrix m = SyntheticMatrices.generate("smooth", 40, 0, 1);
    MbtlSelector.Result r = new MbtlSelector(MbtlSelector.Config.paper(0.005, 0)).run(m, 1, Progress.NONE);
    assertArrayEquals(new int[] {19}, r.picks());
  }

  @Test
  void neverRepeatsAndCoversAllTasksAtKEqualsN() {
    for (String kind : SyntheticMatrices.KINDS) {
      TransferMatrix m = SyntheticMatrices.generate(kind, 15, 0.02, 3);
      for (String mode : List.of("mbtl", "mbtl-paper", "mbtl-ucb", "mbtl-ei")) {
        MbtlSelector.Result r = new MbtlSelector(Strategies.selectorConfig(mode, Strategies.Options.defaults()))
            .run(m, 15, Progress.NONE);
        int[] sorted = r.picks().clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 15; i++) {
          assertEquals(i, sorted[i], kind + " " + mode + " picks " + Arrays.toString(r.picks()));
        }
      }
    }
  }

  @Test
  void tiesGoToTheLowestIndex() {
    // All-zero matrix, theta = 10: only the j = i term of the acquisition survives, and the GP is
    // symmetric around the middle task 2, so tasks 0 and 4 tie exactly: 0 wins; later 1 and 3 tie.
    TransferMatrix zero = TransferMatrix.of(new double[5][5]);
    MbtlSelector.Result r = new MbtlSelector(MbtlSelector.Config.paper(10, 0)).run(zero, 5, Progress.NONE);
    assertEquals(2, r.picks()[0]);
    assertEquals(0, r.picks()[1]);
    // an acquisition that is 0 everywhere (perfect transfer already observed): lowest untrained index
    double[][] ones = new double[5][5];
    for (double[] row : ones) {
      Arrays.fill(row, 1.0);
    }
    MbtlSelector.Result s = new MbtlSelector(new MbtlSelector.Config(Acquisition.UCB_FIXED, 0, false, 10,
        GaussianProcess.Config.mbtl(), false, 0, 0)).run(TransferMatrix.of(ones), 4, Progress.NONE);
    for (MbtlSelector.Step st : s.steps().subList(1, 4)) {
      assertEquals(0, st.acquisitionValue(), 0);
    }
    assertArrayEquals(new int[] {2, 0, 1, 3}, s.picks());
  }

  @Test
  void gpTargetsAreTheBestObservedPerformanceAtThePickWhenTrained() {
    // the authors' quirk: y_l = max(J[x_l,x_l], max_{m<l} J[x_m,x_l])
    double[][] m = {
        {0.2, 0.1, 0.1},
        {0.9, 0.5, 0.1},
        {0.1, 0.1, 0.3}};
    MbtlSelector.Result r = new MbtlSelector(MbtlSelector.Config.paper(0.005, 0)).run(TransferMatrix.of(m), 3,
        Progress.NONE);
    assertEquals(1, r.picks()[0]);
    for (MbtlSelector.Step s : r.steps()) {
      double expected = m[s.pick()][s.pick()];
      for (int l = 0; l < s.k(); l++) {
        expected = Math.max(expected, m[r.picks()[l]][s.pick()]);
      }
      assertEquals(expected, s.target(), 0, "step " + s.k());
    }
  }

  @Test
  void curveIsNondecreasingAndMatchesAHandComputation() {
    double[][] m = {
        {0.9, 0.2, 0.1},
        {0.5, 0.8, 0.4},
        {0.0, 0.3, 1.0}};
    TransferMatrix tm = TransferMatrix.of(m);
    assertArrayEquals(new double[] {1.7 / 3, 2.3 / 3, 2.7 / 3}, tm.curve(new int[] {1, 2, 0}), 1e-12);
    assertEquals(2.7 / 3, tm.oracleTransfer(), 1e-12);
    assertEquals(2.7 / 3, tm.diagonalMean(), 1e-12);
    StrategyResult r = Strategies.run("mbtl-paper", tm, 3, Strategies.Options.defaults(), Progress.NONE);
    assertEquals(1, r.picks()[0]);
    assertArrayEquals(tm.curve(r.picks()), r.values(), 0);
    assertEquals(1.7 / 3, r.values()[0], 1e-12);
    assertEquals(2.7 / 3, r.values()[2], 1e-12);
  }

  @Test
  void everyStrategyIsNondecreasingAndNeverAboveTheOracle() {
    for (long seed = 0; seed < 4; seed++) {
      TransferMatrix m = randomMatrix(12, seed);
      double oracle = m.oracleTransfer();
      for (String s : Strategies.ALL.keySet()) {
        StrategyResult r = Strategies.run(s, m, 12, Strategies.Options.defaults(), Progress.NONE);
        for (int k = 0; k < 12; k++) {
          assertTrue(r.values()[k] <= oracle + 1e-12, s + " above oracle at k=" + (k + 1));
          if (k > 0 && !s.equals("equidistant")) { // per-budget sets are not nested
            assertTrue(r.values()[k] >= r.values()[k - 1] - 1e-12, s + " decreases at k=" + (k + 1));
          }
        }
      }
      // with every task trained, each sequential strategy reaches the oracle
      assertEquals(oracle, Strategies.run("mbtl", m, 12, Strategies.Options.defaults(), Progress.NONE).values()[11], 1e-12);
    }
  }

  @Test
  void sameSeedSamePicks() {
    TransferMatrix m = SyntheticMatrices.generate("two-peaked", 30, 0.03, 11);
    for (String mode : List.of("mbtl", "mbtl-paper", "mbtl-ei", "random")) {
      StrategyResult a = Strategies.run(mode, m, 10, Strategies.Options.defaults(), Progress.NONE);
      StrategyResult b = Strategies.run(mode, m, 10, Strategies.Options.defaults(), Progress.NONE);
      assertArrayEquals(a.picks(), b.picks(), mode);
      assertArrayEquals(a.values(), b.values(), 0, mode);
    }
  }

  @Test
  void sameSeedSamePicksWhenTheRestartsRunInParallel() {
    // from 24 trained tasks on, the GP's optimizer runs go to the fork-join pool
    TransferMatrix m = SyntheticMatrices.generate("smooth", 40, 0.03, 5);
    StrategyResult a = Strategies.run("mbtl", m, 32, Strategies.Options.defaults(), Progress.NONE);
    StrategyResult b = Strategies.run("mbtl", m, 32, Strategies.Options.defaults(), Progress.NONE);
    assertArrayEquals(a.picks(), b.picks());
    for (int k = 24; k < 32; k++) {
      assertEquals(a.steps().get(k).gpLengthScale(), b.steps().get(k).gpLengthScale(), 0);
      assertEquals(a.steps().get(k).gpConstant(), b.steps().get(k).gpConstant(), 0);
    }
  }

  @Test
  void onlyThePickedRowsAreAsked() {
    TransferMatrix m = SyntheticMatrices.generate("asymmetric", 25, 0.0, 1);
    List<Integer> asked = new ArrayList<>();
    TransferSource counting = new TransferSource() {
      @Override
      public int size() {
        return m.size();
      }

      @Override
      public double[] row(int source) {
        asked.add(source);
        return m.row(source);
      }
    };
    MbtlSelector.Result r = new MbtlSelector(MbtlSelector.Config.paper(0.005, 0)).run(counting, 6, Progress.NONE);
    assertEquals(Arrays.stream(r.picks()).boxed().toList(), asked);
  }

  @Test
  void aLongerRunReplaysTheShorterOneSoSavedRowsMakeResumeFree() {
    // run mode's resume: the selector is deterministic given the seed and the rows, so a source
    // that keeps the rows it has produced only "trains" the picks a crashed sweep had not reached
    TransferMatrix m = SyntheticMatrices.generate("cliff", 30, 0.02, 2);
    java.util.Map<Integer, double[]> saved = new java.util.HashMap<>();
    List<Integer> trained = new ArrayList<>();
    TransferSource caching = new TransferSource() {
      @Override
      public int size() {
        return m.size();
      }

      @Override
      public double[] row(int source) {
        return saved.computeIfAbsent(source, s -> {
          trained.add(s);
          return m.row(s);
        });
      }
    };
    MbtlSelector selector = new MbtlSelector(Strategies.selectorConfig("mbtl", Strategies.Options.defaults()));
    int[] first = selector.run(caching, 5, Progress.NONE).picks();
    assertEquals(5, trained.size());
    int[] resumed = selector.run(caching, 9, Progress.NONE).picks();
    assertArrayEquals(first, Arrays.copyOf(resumed, 5));
    assertEquals(9, trained.size(), "only the 4 new picks were trained");
    assertEquals(Arrays.stream(resumed).boxed().toList(), trained);
  }

  @Test
  void budgetOutOfRangeIsAnError() {
    TransferMatrix m = SyntheticMatrices.generate("smooth", 5, 0, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Strategies.run("mbtl", m, 6, Strategies.Options.defaults(), Progress.NONE));
    assertTrue(e.getMessage().contains("1..5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Strategies.parse("mbtl,bogus"));
  }
}
