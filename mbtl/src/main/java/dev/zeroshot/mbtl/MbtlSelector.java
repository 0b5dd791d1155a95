package dev.zeroshot.mbtl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The MBTL source-task selector, as the authors' {@code MBTL()} with
 * {@code acquisition_function='new_ucb_beta_log', gap_function='linear'} computes it, plus the
 * alternatives of {@link Acquisition} and a fitted gap slope.
 *
 * <p>Step 0 trains the middle task (nearest (0 + N-1)/2, lower index on a tie). At step k >= 1
 * a GP is fitted on the trained indices with targets y_l = the best observed performance at x_l
 * when x_l was trained (max of its own diagonal entry and the earlier sources' transfer to it,
 * the authors' quirk); every untrained task is scored by the acquisition, and the best one is
 * trained next (lowest index on a tie; never a repeat). Rows are asked from the
 * {@link TransferSource} only for the picked tasks, so the same loop drives a real sweep.
 *
 * <p>Batch selection ({@code batch} Q > 1, for Q trainings in flight at once): each round picks Q
 * tasks before any of their rows is known, by the <em>kriging believer</em> heuristic. The GP and
 * the gap model are fitted once per round on the real rows; after each pick the selector believes
 * the model's mean: the GP is conditioned on the observation mu(p) at p (same hyperparameters, no
 * refit) and V_obs is raised to the row the acquisition predicts for p, max(mu(p) - gap(p, j)); the
 * next pick is scored against those, so the round's picks spread out instead of piling up at the
 * top of one acquisition. The first round has no data: its picks are the {@code greedy} baseline's
 * (the middle, then gap splitting on a line or greedy coverage on a grid). Q = 1 is the sequential
 * loop exactly.
 */
public final class MbtlSelector {

  /** The paper's gap slope for most datasets. */
  public static final double PAPER_THETA = 0.005;

  /**
   * @param acquisition how to score untrained tasks
   * @param beta the fixed beta for {@link Acquisition#UCB_FIXED}; for {@link Acquisition#UCB_LOG}
   *     the factor c_2 of beta_k = c_2 ln(k+1) (1 in the paper); ignored by EI
   * @param fitGap fit the gap slope per side from observed rows; else use {@code theta}
   * @param theta the fixed slope, or the prior used before any slope can be fitted
   * @param gp the GP settings
   * @param ownTaskTarget fit the GP to each trained task's own value J[x, x] (what training on a
   *     task gives, the quantity the acquisition predicts); false: the paper's target, the best
   *     value observed at x when it was trained (own value or an earlier source's transfer)
   * @param lengthFloor the GP's shortest length scale as a fraction of the number of tasks along
   *     a feature (of the smallest size on a grid); 0 keeps the GP config's bound (the paper's
   *     0.01). With 2-3 trained points that disagree, the likelihood alone favours a length scale
   *     shorter than their spacing, which makes the GP predict the prior everywhere between them;
   *     a floor says training performance varies smoothly across the context range.
   * @param seed seeds the GP optimizer's restarts (one stream per step)
   * @param batch Q, the tasks picked per round before their rows are known (1: sequential)
   */
  public record Config(Acquisition acquisition, double beta, boolean fitGap, double theta,
                       GaussianProcess.Config gp, boolean ownTaskTarget, double lengthFloor, long seed, int batch) {

    /** Sequential selection (Q = 1). */
    public Config(Acquisition acquisition, double beta, boolean fitGap, double theta, GaussianProcess.Config gp,
                  boolean ownTaskTarget, double lengthFloor, long seed) {
      this(acquisition, beta, fitGap, theta, gp, ownTaskTarget, lengthFloor, seed, 1);
    }

    public Config {
      if (batch < 1) {
        throw new IllegalArgumentException("batch Q must be >= 1, got " + batch);
      }
      if (!(theta >= 0) || Double.isInfinite(theta)) {
        throw new IllegalArgumentException("theta must be finite and >= 0, got " + theta);
      }
      if (!(beta >= 0) || Double.isInfinite(beta)) {
        throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
      }
      if (!(lengthFloor >= 0 && lengthFloor <= 1)) {
        throw new IllegalArgumentException("length floor must be a fraction in [0, 1], got " + lengthFloor);
      }
    }

    /** This config picking {@code q} tasks per round. */
    public Config withBatch(int q) {
      return new Config(acquisition, beta, fitGap, theta, gp, ownTaskTarget, lengthFloor, seed, q);
    }

    /** The authors' exact mode: UCB with beta = ln(k+1), fixed slope theta. */
    public static Config paper(double theta, long seed) {
      return new Config(Acquisition.UCB_LOG, 1.0, false, theta, GaussianProcess.Config.mbtl().withRandomTies(true), false, 0,
          seed);
    }
  }

  /**
   * What happened at one step: the pick and what the model looked like when it was chosen. On a
   * grid over several features, {@code gpLengthScale}, {@code gapLeft} and {@code gapRight} are the
   * first feature's and {@code gpLengthScales}, {@code gapLefts}, {@code gapRights} have one entry
   * per feature (on a line, one entry); null at step 0.
   */
  public record Step(int k, int pick, double acquisitionValue, double gpConstant, double gpLengthScale,
                     double gpLogMarginalLikelihood, double kappa, double gapLeft, double gapRight,
                     boolean gapFitted, double target, int gpEvaluations, double[] gpLengthScales,
                     double[] gapLefts, double[] gapRights) {

    Step withTarget(double t) {
      return new Step(k, pick, acquisitionValue, gpConstant, gpLengthScale, gpLogMarginalLikelihood, kappa, gapLeft,
          gapRight, gapFitted, t, gpEvaluations, gpLengthScales, gapLefts, gapRights);
    }
  }

  /** Picks in order, and one {@link Step} per pick. */
  public record Result(int[] picks, List<Step> steps) {}

  private final Config config;

  public MbtlSelector(Config config) {
    this.config = config;
  }

  public Config config() {
    return config;
  }

  /** The step-0 task: nearest the midpoint of 0..N-1, the lower index on a tie. */
  public static int middle(int n) {
    return (n - 1) / 2;
  }

  /** Runs K steps on a line of tasks (the paper's setting). */
  public Result run(TransferSource source, int budget, Progress progress) {
    return run(source, GridShape.line(source.size()), budget, progress);
  }

  /**
   * Runs K steps on tasks laid out as {@code shape}. On a grid over several features the GP is
   * {@link ArdGaussianProcess} on the per-feature indices (one length scale per feature) and the
   * gap model has a pair of slopes per feature ({@link GapModel#fitGrid}, or {@code theta} on every
   * one); a line runs exactly as the paper's loop.
   */
  public Result run(TransferSource source, GridShape shape, int budget, Progress progress) {
    int n = source.size();
    if (shape.size() != n) {
      throw new IllegalArgumentException("grid " + shape + " has " + shape.size() + " tasks, the matrix " + n);
    }
    boolean line = shape.dims() == 1;
    GaussianProcess.Config gpConfig = config.gp();
    if (config.lengthFloor() > 0) {
      int smallest = Arrays.stream(shape.sizes()).min().getAsInt();
      gpConfig = gpConfig.withLengthFloor(config.lengthFloor() * smallest);
    }
    if (budget < 1 || budget > n) {
      throw new IllegalArgumentException("budget K must be in 1.." + n + ", got " + budget);
    }
    boolean[] trained = new boolean[n];
    int[] picks = new int[budget];
    double[] targets = new double[budget];
    double[] best = new double[n]; // running max over trained rows (unclipped): J_transfer
    Arrays.fill(best, Double.NEGATIVE_INFINITY);
    double[] vobs = new double[n]; // max(0, max over trained rows)
    List<Integer> sources = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    double[] grid = new double[n];
    double[][] points = new double[n][]; // per-feature indices of every task (grids)
    for (int i = 0; i < n; i++) {
      grid[i] = i;
      int[] c = shape.coordinates(i);
      points[i] = new double[c.length];
      for (int f = 0; f < c.length; f++) {
        points[i][f] = c[f];
      }
    }
    double[] acq = new double[n];
    double[] previousTheta = null; // the last fit's hyperparameters: the warm start of the next
    GapModel previousGap = null; // the last fit's slopes: the warm start of the next (grids)
    int q = config.batch();
    if (q > budget) {
      throw new IllegalArgumentException("batch Q = " + q + " is more than the budget K = " + budget);
    }
    for (int k = 0; k < budget; k += q) { // one round: k tasks trained, up to Q picked
      int[] round = new int[Math.min(q, budget - k)];
      Step[] roundSteps = new Step[round.length];
      if (k == 0) {
        // no data yet: the model-free greedy spread, which starts at the middle (step 0's pick)
        round = line ? Baselines.greedySplit(n, round.length) : Baselines.greedyCoverage(shape, round.length);
        for (int b = 0; b < round.length; b++) {
          roundSteps[b] = new Step(b, round[b], Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
              Double.NaN, Double.NaN, false, Double.NaN, 0, null, null, null);
        }
      } else {
        Random rng = new Random(stepSeed(config.seed(), k));
        double[] y = Arrays.copyOf(targets, k);
        GaussianProcess lineGp = null;
        ArdGaussianProcess gridGp = null;
        double constant;
        double[] lengths;
        double lml;
        int evaluations;
        if (line) {
          double[] xs = new double[k];
          for (int l = 0; l < k; l++) {
            xs[l] = picks[l];
          }
          lineGp = GaussianProcess.fit(xs, y, gpConfig, rng, previousTheta);
          previousTheta = lineGp.theta();
          constant = lineGp.constant();
          lengths = new double[] {lineGp.lengthScale()};
          lml = lineGp.logMarginalLikelihood();
          evaluations = lineGp.optimizerEvaluations();
        } else {
          double[][] xs = new double[k][];
          for (int l = 0; l < k; l++) {
            xs[l] = points[picks[l]];
          }
          gridGp = ArdGaussianProcess.fit(xs, y, gpConfig, rng, previousTheta);
          previousTheta = gridGp.theta();
          constant = gridGp.constant();
          lengths = gridGp.lengthScales();
          lml = gridGp.logMarginalLikelihood();
          evaluations = gridGp.optimizerEvaluations();
        }
        GapModel gap = config.fitGap() ? GapModel.fitGrid(shape, sources, rows, config.theta(), previousGap)
            : GapModel.fixed(shape, config.theta());
        previousGap = config.fitGap() ? gap : null;
        boolean[] taken = trained.clone();
        double[] believed = vobs.clone(); // V_obs with the round's earlier picks believed at the GP mean
        for (int b = 0; b < round.length; b++) {
          double[][] post = line ? lineGp.predict(grid) : gridGp.predict(points);
          double kappa = config.acquisition() == Acquisition.EI ? Double.NaN
              : config.acquisition().kappa(k + b, config.beta());
          scores(post[0], post[1], gap, believed, kappa, acq);
          int pick = -1;
          for (int i = 0; i < n; i++) {
            if (!taken[i] && (pick < 0 || acq[i] > acq[pick])) {
              pick = i;
            }
          }
          round[b] = pick;
          taken[pick] = true;
          roundSteps[b] = new Step(k + b, pick, acq[pick], constant, lengths[0], lml, kappa, gap.left(), gap.right(),
              gap.fitted(), Double.NaN, b == 0 ? evaluations : 0, lengths, gap.lefts(), gap.rights());
          if (b + 1 < round.length) { // the kriging believer: take the model's mean as p's outcome
            double mu = post[0][pick];
            if (line) {
              lineGp = lineGp.condition(pick, mu);
            } else {
              gridGp = gridGp.condition(points[pick], mu);
            }
            for (int j = 0; j < n; j++) {
              believed[j] = Math.max(believed[j], mu - gap.loss(pick, j));
            }
          }
        }
      }
      double[][] got = source.rows(round);
      for (int b = 0; b < round.length; b++) {
        int pick = round[b];
        double[] row = got[b];
        if (row.length != n) {
          throw new IllegalStateException("transfer source gave a row of length " + row.length + " for source "
              + pick + ", expected " + n);
        }
        trained[pick] = true;
        picks[k + b] = pick;
        for (int t = 0; t < n; t++) {
          best[t] = Math.max(best[t], row[t]);
          vobs[t] = Math.max(vobs[t], row[t]);
        }
        targets[k + b] = config.ownTaskTarget() ? row[pick] : best[pick];
        sources.add(pick);
        rows.add(row);
        steps.add(roundSteps[b].withTarget(targets[k + b]));
        progress.update("mbtl", k + b + 1, budget);
      }
    }
    return new Result(picks, steps);
  }

  /** Acquisition values for all tasks (trained ones included; the caller skips them). */
  void scores(double[] mu, double[] sigma, GapModel gap, double[] vobs, double kappa, double[] out) {
    int n = mu.length;
    boolean ei = config.acquisition() == Acquisition.EI;
    for (int i = 0; i < n; i++) {
      double s = 0;
      if (ei) {
        for (int j = 0; j < n; j++) {
          s += Acquisition.expectedExcess(mu[i], sigma[i], gap.loss(i, j) + vobs[j]);
        }
      } else {
        double u = mu[i] + kappa * sigma[i];
        for (int j = 0; j < n; j++) {
          s += Math.max(u - gap.loss(i, j) - vobs[j], 0);
        }
      }
      out[i] = s / n;
    }
  }

  static long stepSeed(long seed, int k) {
    long z = seed * 0x9E3779B97F4A7C15L + k;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
