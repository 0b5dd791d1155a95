package dev.zeroshot.mbtl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * The selectors of <i>Structure Detection for Contextual RL</i> (Zhou, Cho, Wu 2026; code
 * {@code mit-wu-lab/SD-MBTL}, {@code algs.py}), on tasks laid out as a {@link GridShape}, every
 * distance in index units per feature:
 * <ul>
 * <li><b>GP-MBTL</b> ({@code gp-mbtl}, their class {@code MBTL}): the middle first; then twice
 *     the untrained task whose best observed transfer is lowest; then GP-UCB with kappa =
 *     sqrt(ln(k+1)) (k trained) on a GP of the trained tasks' own values, and a gap that is
 *     linear and asymmetric per feature, its slopes fitted by least squares on every observed
 *     row.</li>
 * <li><b>M-MBTL</b> ({@code m-mbtl}, {@code sequential_clustering_sampling_fixed}): model-free,
 *     for the "mountain" structure (every source trains equally well and transfer falls with L1
 *     distance): sequential k-medians. Each step tries every candidate start (all tasks, or 400
 *     seeded ones when N > 400), moves the new centre to the mean of the tasks it takes from the
 *     old centres until it stops moving, keeps the start whose total L1 distance from every task
 *     to its nearest centre is least, and trains the task at the rounded centre.</li>
 * <li><b>M/GP-MBTL</b> ({@code mgp-mbtl}, {@code Combined_alg_mountain}): M-MBTL steps while the
 *     observed rows look like a mountain, GP-MBTL steps once they do not. The test runs after
 *     each row from the 6th on: <i>constant</i> training performance (the spread of the trained
 *     tasks' own values, column means removed, is below the mean spread within a row) and
 *     <i>mountain</i> slopes (on more than half of the features the least-squares slopes toward
 *     lower and higher indices have opposite signs: transfer falls both ways).</li>
 * </ul>
 *
 * <p>Deviations from their code, and why: GP-MBTL's GP is {@link ArdGaussianProcess} (one length
 * scale per feature, standardized targets, the optimizer Zeroshot's MBTL modes use) instead of
 * GPyTorch's isotropic RBF trained by Adam; a rounded M-MBTL centre that lands on a trained
 * task moves to the nearest untrained one (theirs can train a task twice); ties in the
 * k-medians assignment stay with the existing centre; and every pick is seeded by {@code seed}.
 */
public final class StructureDetection {

  /** Which of the three selectors. */
  public enum Mode { GP, MOUNTAIN, SWITCH }

  /** SD-MBTL's cap on M-MBTL's candidate starts. */
  public static final int MAX_CANDIDATES = 400;
  /** The step from which M/GP-MBTL tests the structure (their {@code k > 5}). */
  public static final int DETECT_FROM = 6;
  private static final int MAX_ITERATIONS = 300;
  private static final double TOLERANCE = 1e-6;

  /** What each step did: the pick, which selector made it, and the test's two verdicts (NaN-free booleans). */
  public record Step(int pick, boolean mountainStep, boolean constant, boolean mountain) {}

  public record Result(int[] picks, List<Step> steps) {}

  private final Mode mode;
  private final long seed;

  public StructureDetection(Mode mode, long seed) {
    this.mode = mode;
    this.seed = seed;
  }

  /** Runs K steps, asking {@code source} for the row of each pick. */
  public Result run(TransferSource source, GridShape shape, int budget, Progress progress) {
    int n = source.size();
    if (shape.size() != n) {
      throw new IllegalArgumentException("grid " + shape + " has " + shape.size() + " tasks, the matrix " + n);
    }
    Baselines.checkBudget(n, budget);
    double[][] points = points(shape);
    int[] candidates = candidates(n, new Random(seed));
    boolean[] trained = new boolean[n];
    List<Integer> picks = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    double[] vobs = new double[n];
    Arrays.fill(vobs, Double.NEGATIVE_INFINITY);
    boolean constant = true;
    boolean mountain = true;
    String name = switch (mode) {
      case GP -> "gp-mbtl";
      case MOUNTAIN -> "m-mbtl";
      case SWITCH -> "mgp-mbtl";
    };
    for (int k = 0; k < budget; k++) {
      boolean useMountain = mode == Mode.MOUNTAIN || (mode == Mode.SWITCH && constant && mountain);
      int pick = useMountain ? mountainPick(points, picks, candidates, trained)
          : gpPick(shape, points, picks, rows, vobs, trained);
      double[] row = source.row(pick);
      if (row.length != n) {
        throw new IllegalStateException("transfer source gave a row of length " + row.length + ", expected " + n);
      }
      trained[pick] = true;
      picks.add(pick);
      rows.add(row);
      for (int t = 0; t < n; t++) {
        vobs[t] = Math.max(vobs[t], row[t]);
      }
      if (mode == Mode.SWITCH && picks.size() >= DETECT_FROM) {
        constant = constantTrainingPerformance(picks, rows);
        mountain = mountainSlopes(points, picks, centredRows(rows));
      }
      steps.add(new Step(pick, useMountain, constant, mountain));
      progress.update(name, k + 1, budget);
    }
    return new Result(picks.stream().mapToInt(Integer::intValue).toArray(), steps);
  }

  // ---- M-MBTL: sequential k-medians in L1 ----

  /** The next centre: the best candidate start, refined, rounded to a task (an untrained one). */
  static int mountainPick(double[][] points, List<Integer> picks, int[] candidates, boolean[] trained) {
    int n = points.length;
    double[] nearest = new double[n];
    Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    for (int p : picks) {
      for (int x = 0; x < n; x++) {
        nearest[x] = Math.min(nearest[x], l1(points[x], points[p]));
      }
    }
    double bestCost = Double.POSITIVE_INFINITY;
    double[] bestCentre = null;
    for (int c : candidates) {
      double[] centre = refine(points, nearest, points[c].clone());
      double cost = cost(points, nearest, centre);
      if (cost < bestCost) {
        bestCost = cost;
        bestCentre = centre;
      }
    }
    double[] rounded = new double[bestCentre.length];
    for (int f = 0; f < rounded.length; f++) {
      rounded[f] = Math.rint(bestCentre[f]); // Python's round(): half to even
    }
    int pick = -1;
    double pickDistance = Double.POSITIVE_INFINITY;
    for (int x = 0; x < n; x++) {
      double d = l1(points[x], rounded);
      if (!trained[x] && d < pickDistance) {
        pick = x;
        pickDistance = d;
      }
    }
    return pick;
  }

  /**
   * Lloyd's iterations for the new centre alone (the old centres stay): it takes every task
   * strictly nearer to it than to any old centre, and moves to their mean, until it moves less
   * than 1e-6 on every feature.
   */
  static double[] refine(double[][] points, double[] nearest, double[] centre) {
    int d = centre.length;
    double[] sum = new double[d];
    for (int it = 0; it < MAX_ITERATIONS; it++) {
      Arrays.fill(sum, 0);
      int count = 0;
      for (int x = 0; x < points.length; x++) {
        if (l1(points[x], centre) < nearest[x]) {
          count++;
          for (int f = 0; f < d; f++) {
            sum[f] += points[x][f];
          }
        }
      }
      if (count == 0) {
        return centre;
      }
      boolean moved = false;
      for (int f = 0; f < d; f++) {
        double m = sum[f] / count;
        moved |= Math.abs(m - centre[f]) >= TOLERANCE;
        centre[f] = m;
      }
      if (!moved) {
        return centre;
      }
    }
    return centre;
  }

  /** Total L1 distance from every task to its nearest centre, the new one included. */
  static double cost(double[][] points, double[] nearest, double[] centre) {
    double s = 0;
    for (int x = 0; x < points.length; x++) {
      s += Math.min(nearest[x], l1(points[x], centre));
    }
    return s;
  }

  private static int[] candidates(int n, Random rng) {
    if (n <= MAX_CANDIDATES) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = 0; i < MAX_CANDIDATES; i++) { // partial Fisher-Yates: 400 distinct tasks
      int j = i + rng.nextInt(n - i);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    return Arrays.copyOf(perm, MAX_CANDIDATES);
  }

  // ---- GP-MBTL ----

  private int gpPick(GridShape shape, double[][] points, List<Integer> picks, List<double[]> rows, double[] vobs,
                     boolean[] trained) {
    int n = points.length;
    int k = picks.size();
    if (k == 0) {
      return untrainedNearest(points, points[shape.middle()], trained);
    }
    if (k <= 2) { // SD-MBTL's steps 2 and 3: the task served worst so far
      int pick = -1;
      for (int i = 0; i < n; i++) {
        if (!trained[i] && (pick < 0 || vobs[i] < vobs[pick])) {
          pick = i;
        }
      }
      return pick;
    }
    double[][] xs = new double[k][];
    double[] ys = new double[k];
    for (int l = 0; l < k; l++) {
      xs[l] = points[picks.get(l)];
      ys[l] = rows.get(l)[picks.get(l)];
    }
    GaussianProcess.Config gp = GaussianProcess.Config.mbtl().withNormalizeY(true)
        .withAlpha(Strategies.DEFAULT_ALPHA).withRestarts(0).withTolerance(1e-4);
    ArdGaussianProcess model = ArdGaussianProcess.fit(xs, ys, gp, new Random(MbtlSelector.stepSeed(seed, k)), null);
    double[][] post = model.predict(points);
    double[] slopes = sideSlopes(points, picks, rows); // [left_f..., right_f...]
    int d = points[0].length;
    double kappa = Math.sqrt(Math.log(k + 1));
    int pick = -1;
    double best = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (trained[i]) {
        continue;
      }
      double u = post[0][i] + kappa * post[1][i];
      double s = 0;
      for (int j = 0; j < n; j++) {
        double predicted = u;
        for (int f = 0; f < d; f++) {
          double diff = points[i][f] - points[j][f];
          predicted += diff < 0 ? slopes[f] * diff : slopes[d + f] * diff;
        }
        s += Math.max(predicted - vobs[j], 0);
      }
      if (s / n > best) {
        best = s / n;
        pick = i;
      }
    }
    return pick;
  }

  private static int untrainedNearest(double[][] points, double[] to, boolean[] trained) {
    int pick = -1;
    double best = Double.POSITIVE_INFINITY;
    for (int x = 0; x < points.length; x++) {
      double d = l1(points[x], to);
      if (!trained[x] && d < best) {
        pick = x;
        best = d;
      }
    }
    return pick;
  }

  // ---- the structure test ----

  /**
   * SD-MBTL's {@code constant_criteria}: with every column's mean over the observed rows removed,
   * the (population) spread of the trained tasks' own values is below the mean spread within a
   * row.
   */
  static boolean constantTrainingPerformance(List<Integer> picks, List<double[]> rows) {
    double[][] c = centredRows(rows);
    double rowSpread = 0;
    double[] own = new double[picks.size()];
    for (int l = 0; l < c.length; l++) {
      rowSpread += std(c[l]);
      own[l] = c[l][picks.get(l)];
    }
    rowSpread /= c.length;
    return std(own) / rowSpread < 1;
  }

  /**
   * SD-MBTL's {@code slope_criteria}: fit J[l, j] = w0 + sum_f left_f min(x_l - x_j, 0)_f +
   * right_f max(x_l - x_j, 0)_f by least squares on the column-centred rows; a mountain has the
   * two slopes of opposite signs on more than half of the features.
   */
  static boolean mountainSlopes(double[][] points, List<Integer> picks, double[][] centred) {
    List<double[]> rows = Arrays.asList(centred);
    double[] w = sideSlopes(points, picks, rows);
    int d = points[0].length;
    int opposite = 0;
    for (int f = 0; f < d; f++) {
      if ((w[f] > 0) != (w[d + f] > 0)) {
        opposite++;
      }
    }
    return opposite / (double) d > 0.5;
  }

  /**
   * The least-squares slopes of SD-MBTL's {@code get_slope}: regress every observed J[l, j] on
   * (1, min(x_l - x_j, 0) per feature, max(x_l - x_j, 0) per feature); returns the 2d slopes
   * (toward lower then higher source-minus-target differences), the intercept dropped. The normal
   * equations are solved with a pseudo-inverse (numpy's {@code pinv}).
   */
  static double[] sideSlopes(double[][] points, List<Integer> picks, List<double[]> rows) {
    int d = points[0].length;
    int p = 1 + 2 * d;
    double[][] ata = new double[p][p];
    double[] aty = new double[p];
    double[] b = new double[p];
    for (int l = 0; l < picks.size(); l++) {
      double[] src = points[picks.get(l)];
      double[] row = rows.get(l);
      for (int j = 0; j < points.length; j++) {
        b[0] = 1;
        for (int f = 0; f < d; f++) {
          double diff = src[f] - points[j][f];
          b[1 + f] = Math.min(diff, 0);
          b[1 + d + f] = Math.max(diff, 0);
        }
        for (int r = 0; r < p; r++) {
          aty[r] += b[r] * row[j];
          for (int c = 0; c < p; c++) {
            ata[r][c] += b[r] * b[c];
          }
        }
      }
    }
    // The pseudo-inverse solution (numpy's pinv): SVD's solver is least squares, minimum norm.
    double[] w = new SingularValueDecomposition(new Array2DRowRealMatrix(ata)).getSolver()
        .solve(new ArrayRealVector(aty)).toArray();
    return Arrays.copyOfRange(w, 1, p);
  }

  static double[][] centredRows(List<double[]> rows) {
    int k = rows.size();
    int n = rows.get(0).length;
    double[] mean = new double[n];
    for (double[] r : rows) {
      for (int j = 0; j < n; j++) {
        mean[j] += r[j] / k;
      }
    }
    double[][] out = new double[k][n];
    for (int l = 0; l < k; l++) {
      for (int j = 0; j < n; j++) {
        out[l][j] = rows.get(l)[j] - mean[j];
      }
    }
    return out;
  }

  private static double std(double[] v) {
    double m = 0;
    for (double x : v) {
      m += x;
    }
    m /= v.length;
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / v.length);
  }

  static double l1(double[] a, double[] b) {
    double s = 0;
    for (int f = 0; f < a.length; f++) {
      s += Math.abs(a[f] - b[f]);
    }
    return s;
  }

  static double[][] points(GridShape shape) {
    double[][] points = new double[shape.size()][];
    for (int i = 0; i < points.length; i++) {
      int[] c = shape.coordinates(i);
      points[i] = new double[c.length];
      for (int f = 0; f < c.length; f++) {
        points[i][f] = c[f];
      }
    }
    return points;
  }
}
