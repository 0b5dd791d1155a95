package dev.zeroshot.mbtl;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What parallel picks cost: for each MBTL mode run with batch Q (Q tasks picked per round, before
 * their rows are known), the same mode run sequentially (Q = 1) and random picks (Q random tasks
 * per round, i.e. the seeded random orderings cut into rounds), compared at the same number of
 * trainings. Written by {@code mbtl simulate --batch Q} as {@code batch.csv} (per training),
 * {@code batch-rounds.csv} (after each round) and {@code batch.png}.
 *
 * @param batch Q
 * @param budget K
 * @param batched the MBTL modes as run with batch Q
 * @param sequential the same modes with Q = 1, in the same order
 * @param random the random baseline (mean and std over its orderings)
 */
public record BatchComparison(int batch, int budget, List<StrategyResult> batched, List<StrategyResult> sequential,
                              StrategyResult random) {

  /** The MBTL modes among {@code results} (run with {@code options.batch()}), their Q = 1 runs and random. */
  static BatchComparison of(TransferMatrix m, GridShape shape, int budget, List<StrategyResult> results,
                            Strategies.Options options) {
    List<StrategyResult> batched = new ArrayList<>();
    List<StrategyResult> sequential = new ArrayList<>();
    StrategyResult random = null;
    for (StrategyResult r : results) {
      if (r.steps() != null) {
        batched.add(r);
        sequential.add(Strategies.run(r.name(), m, shape, budget, options.withBatch(1), Progress.NONE));
      } else if (r.name().equals("random")) {
        random = r;
      }
    }
    if (random == null) {
      random = Strategies.run("random", m, shape, budget, options, Progress.NONE);
    }
    return new BatchComparison(options.batch(), budget, batched, sequential, random);
  }

  /** Number of rounds R = ceil(K / Q). */
  public int rounds() {
    return (budget + batch - 1) / batch;
  }

  /** Trainings done after round r (1-based): min(r Q, K). */
  public int trainingsAfter(int round) {
    return Math.min(round * batch, budget);
  }

  private String header(String first) {
    StringBuilder h = new StringBuilder(first);
    for (StrategyResult r : batched) {
      h.append(',').append(r.name()).append(',').append(r.name()).append("-sequential");
    }
    return h.append(",random,random_std\n").toString();
  }

  private String values(int k) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < batched.size(); i++) {
      b.append(',').append(num(batched.get(i).values()[k - 1])).append(',').append(num(sequential.get(i).values()[k - 1]));
    }
    return b.append(',').append(num(random.values()[k - 1])).append(',').append(num(random.std()[k - 1])).toString();
  }

  /** {@code k,round,<mode>,<mode>-sequential,...,random,random_std}: V_k after each training. */
  void writePerTraining(Writer w) throws IOException {
    w.write(header("k,round"));
    for (int k = 1; k <= budget; k++) {
      w.write(k + "," + ((k - 1) / batch + 1) + values(k) + "\n");
    }
  }

  /** {@code round,trainings,<mode>,<mode>-sequential,...,random,random_std}: V after each round. */
  void writePerRound(Writer w) throws IOException {
    w.write(header("round,trainings"));
    for (int r = 1; r <= rounds(); r++) {
      w.write(r + "," + trainingsAfter(r) + values(trainingsAfter(r)) + "\n");
    }
  }

  /** Writes batch.csv, batch-rounds.csv and batch.png into {@code dir}; returns them. */
  List<Path> write(Path dir, String title) throws IOException {
    List<Path> out = new ArrayList<>();
    out.add(Simulation.atomicWrite(dir.resolve("batch.csv"), this::writePerTraining));
    out.add(Simulation.atomicWrite(dir.resolve("batch-rounds.csv"), this::writePerRound));
    List<StrategyResult> curves = new ArrayList<>();
    for (int i = 0; i < batched.size(); i++) {
      curves.add(renamed(batched.get(i), batched.get(i).name() + " (Q = " + batch + ")"));
      curves.add(renamed(sequential.get(i), sequential.get(i).name() + " (Q = 1)"));
    }
    curves.add(renamed(random, "random (Q = " + batch + " per round)"));
    Path png = dir.resolve("batch.png");
    Charts.curves(curves, budget, title, "k (tasks trained; " + batch + " per round)", png);
    out.add(png);
    return out;
  }

  /** The table {@code mbtl simulate --batch Q} prints: V after each round, then mean V over k = 1..K. */
  public String table() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "batch Q = %d: V after each round (%d rounds); the sequential selector "
        + "(Q = 1) and random picks at the same number of trainings%n", batch, rounds()));
    b.append(String.format(Locale.ROOT, "%5s %9s", "round", "trainings"));
    for (StrategyResult r : batched) {
      b.append(String.format(Locale.ROOT, " %14s %14s", r.name() + " Q=" + batch, r.name() + " Q=1"));
    }
    b.append(String.format(Locale.ROOT, " %9s%n", "random"));
    for (int r = 1; r <= rounds(); r++) {
      int k = trainingsAfter(r);
      b.append(String.format(Locale.ROOT, "%5d %9d", r, k));
      for (int i = 0; i < batched.size(); i++) {
        b.append(String.format(Locale.ROOT, " %14.4f %14.4f", batched.get(i).values()[k - 1],
            sequential.get(i).values()[k - 1]));
      }
      b.append(String.format(Locale.ROOT, " %9.4f%n", random.values()[k - 1]));
    }
    b.append(String.format(Locale.ROOT, "%15s", "mean V (k=1..K)"));
    for (int i = 0; i < batched.size(); i++) {
      b.append(String.format(Locale.ROOT, " %14.4f %14.4f", batched.get(i).average(), sequential.get(i).average()));
    }
    b.append(String.format(Locale.ROOT, " %9.4f%n", random.average()));
    return b.toString();
  }

  private static StrategyResult renamed(StrategyResult r, String name) {
    return new StrategyResult(name, r.description(), r.kind(), r.picks(), r.values(), r.std(), r.sets(), r.steps(),
        r.orderings());
  }


  private static String num(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }
}
