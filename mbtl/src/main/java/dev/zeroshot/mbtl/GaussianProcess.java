package dev.zeroshot.mbtl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Gaussian-process regression on 1-D inputs with the kernel MBTL uses,
 * {@code k(x, x') = c * exp(-(x - x')^2 / (2 l^2))} (sklearn's {@code C(c) * RBF(l)}), a fixed
 * noise {@code alpha} added to the diagonal of the training covariance, and a zero prior mean.
 *
 * <p>Behaves like sklearn's {@code GaussianProcessRegressor(kernel=C(1.0, (1e-3, 1e3)) *
 * RBF(1.0, (1e-2, 1e2)), alpha=0.01, n_restarts_optimizer=9)}: the hyperparameters {@code
 * theta = (ln c, ln l)} maximize the log marginal likelihood within the log-space bounds; the
 * first optimizer run starts at the kernel's initial values (c = 1, l = 1), each restart at a
 * point drawn uniformly in log space within the bounds, and the best run wins (the earliest on a
 * tie). sklearn optimizes with L-BFGS-B; this class uses Commons Math's bounded BOBYQA, so
 * optima agree but the restart draws (numpy's RNG) cannot, and where the likelihood is flat (one
 * training point: the length scale is unidentifiable) the chosen length scale depends on the
 * seeded restarts, deterministically for a given {@link Random} seed. With {@code normalizeY}
 * the targets are standardized before fitting and predictions scaled back (sklearn's
 * {@code normalize_y=True}); MBTL leaves it off.
 */
public final class GaussianProcess {

  /** Bounds and settings; {@link #mbtl()} gives the reference's values. */
  public record Config(double constantInit, double constantLow, double constantHigh,
                       double lengthInit, double lengthLow, double lengthHigh,
                       double alpha, int restarts, boolean normalizeY, boolean optimize,
                       boolean preferLongerScale, boolean warmStart, double tolerance, boolean randomTies) {

    /** Without random tie-breaking (every config but the paper mode's). */
    public Config(double constantInit, double constantLow, double constantHigh, double lengthInit, double lengthLow,
                  double lengthHigh, double alpha, int restarts, boolean normalizeY, boolean optimize,
                  boolean preferLongerScale, boolean warmStart, double tolerance) {
      this(constantInit, constantLow, constantHigh, lengthInit, lengthLow, lengthHigh, alpha, restarts, normalizeY,
          optimize, preferLongerScale, warmStart, tolerance, false);
    }

    public Config {
      if (!(constantLow > 0 && constantLow <= constantInit && constantInit <= constantHigh)
          || !(lengthLow > 0 && lengthLow <= lengthInit && lengthInit <= lengthHigh)) {
        throw new IllegalArgumentException("GP bounds must be positive and contain the initial values");
      }
      if (!(alpha >= 0) || restarts < 0) {
        throw new IllegalArgumentException("GP alpha must be >= 0 and restarts >= 0");
      }
      if (!(tolerance > 0 && tolerance < 0.5)) {
        throw new IllegalArgumentException("GP optimizer tolerance must be in (0, 0.5), got " + tolerance);
      }
    }

    /** C(1.0, (1e-3, 1e3)) * RBF(1.0, (1e-2, 1e2)), alpha = 0.1^2, 9 restarts, normalize_y=False. */
    public static Config mbtl() {
      return new Config(1.0, 1e-3, 1e3, 1.0, 1e-2, 1e2, 0.01, 9, false, true, false, false, 1e-7);
    }

    public Config withRestarts(int r) {
      return new Config(constantInit, constantLow, constantHigh, lengthInit, lengthLow, lengthHigh, alpha, r,
          normalizeY, optimize, preferLongerScale, warmStart, tolerance, randomTies);
    }

    /**
     * A higher lower bound on the length scale (raised to at least the current one; the initial
     * value and the upper bound are raised to it where below).
     */
    public Config withLengthFloor(double floor) {
      double lo = Math.max(lengthLow, floor);
      return new Config(constantInit, constantLow, constantHigh, Math.max(lengthInit, lo), lo, Math.max(lengthHigh, lo),
          alpha, restarts, normalizeY, optimize, preferLongerScale, warmStart, tolerance, randomTies);
    }

    /** The noise variance added to the diagonal (of the normalized targets when {@code normalizeY}). */
    public Config withAlpha(double a) {
      return new Config(constantInit, constantLow, constantHigh, lengthInit, lengthLow, lengthHigh, a, restarts,
          normalizeY, optimize, preferLongerScale, warmStart, tolerance, randomTies);
    }

    public Config withNormalizeY(boolean b) {
      return new Config(constantInit, constantLow, constantHigh, lengthInit, lengthLow, lengthHigh, alpha, restarts,
          b, optimize, preferLongerScale, warmStart, tolerance, randomTies);
    }

    /**
     * Among optimizer runs whose likelihoods tie (within 1e-9 relative), keep the longest length
     * scale, the smoothest model the data allow, instead of the first run (sklearn). Decides the
     * unidentifiable one-point case, where the length scale would otherwise be whatever the
     * restarts left it at. Zeroshot's default selector uses it; the paper mode does not.
     */
    public Config withPreferLongerScale(boolean b) {
      return new Config(constantInit, constantLow, constantHigh, lengthInit, lengthLow, lengthHigh, alpha, restarts,
          normalizeY, optimize, b, warmStart, tolerance, randomTies);
    }

    /**
     * Also start one optimizer run at the previous fit's hyperparameters (the caller passes them to
     * {@link GaussianProcess#fit(double[], double[], Config, Random, double[])}): in a sequential
     * loop the likelihood surface moves little from one step to the next, so that run usually lands
     * on the optimum and few random restarts are needed. Deterministic: the start is the previous
     * step's result, itself deterministic under the seed. The paper mode does not use it.
     */
    public Config withWarmStart(boolean b) {
      return new Config(constantInit, constantLow, constantHigh, lengthInit, lengthLow, lengthHigh, alpha, restarts,
          normalizeY, optimize, preferLongerScale, b, tolerance, randomTies);
    }

    /**
     * The optimizer's final trust-region radius in log space (BOBYQA's stopping radius): 1e-7 for
     * the paper mode (sklearn's L-BFGS-B converges about as tightly); 1e-4 (hyperparameters to
     * 0.01%, far below what changes a pick) is about a third fewer likelihood evaluations.
     */
    public Config withTolerance(double t) {
      return new Config(constantInit, constantLow, constantHigh, lengthInit, lengthLow, lengthHigh, alpha, restarts,
          normalizeY, optimize, preferLongerScale, warmStart, t, randomTies);
    }

    /**
     * Among optimizer runs whose likelihoods tie (within 1e-9 relative), keep one drawn uniformly
     * with the fit's {@link Random} (after the restarts are drawn). This is what sklearn does in
     * effect: with one training point the length scale is unidentifiable, every run ends where it
     * started, and the winner is decided by the optimizer's rounding noise, so the authors' second
     * pick varies with numpy's seed. The paper mode uses it, so that over {@code --seed}s its picks
     * spread as theirs do; Zeroshot's modes do not.
     */
    public Config withRandomTies(boolean b) {
      return new Config(constantInit, constantLow, constantHigh, lengthInit, lengthLow, lengthHigh, alpha, restarts,
          normalizeY, optimize, preferLongerScale, warmStart, tolerance, b);
    }

    /** Fixed hyperparameters (no optimization): the kernel stays at its initial values. */
    public Config fixed(double constant, double length) {
      return new Config(constant, Math.min(constantLow, constant), Math.max(constantHigh, constant), length,
          Math.min(lengthLow, length), Math.max(lengthHigh, length), alpha, restarts, normalizeY, false,
          preferLongerScale, warmStart, tolerance, randomTies);
    }
  }

  /** Training-set size from which the optimizer runs go to the common fork-join pool. */
  private static final int PARALLEL_FROM = 24;

  private final Config config;
  private final double[] x;
  private final double yMean;
  private final double yStd;
  private final double constant;
  private final double length;
  private final double logMarginalLikelihood;
  private final double[] chol; // lower-triangular factor of K + alpha I, row-major n x n
  private final double[] targets; // y as fitted (normalized when normalizeY)
  private final double[] weights; // (K + alpha I)^-1 y (normalized y)
  private final int optimizerEvaluations;

  private GaussianProcess(Config config, double[] x, double[] targets, double yMean, double yStd, double constant,
                          double length, double lml, double[] chol, double[] weights, int evals) {
    this.config = config;
    this.x = x;
    this.targets = targets;
    this.yMean = yMean;
    this.yStd = yStd;
    this.constant = constant;
    this.length = length;
    this.logMarginalLikelihood = lml;
    this.chol = chol;
    this.weights = weights;
    this.optimizerEvaluations = evals;
  }

  /** Fits the GP to {@code (x, y)}, drawing optimizer restarts from {@code rng}. */
  public static GaussianProcess fit(double[] x, double[] y, Config config, Random rng) {
    return fit(x, y, config, rng, null);
  }

  /**
   * As {@link #fit(double[], double[], Config, Random)}, plus, when {@code config.warmStart()} and
   * {@code warm} is not null, one more optimizer run started at {@code warm = (ln c, ln l)} (the
   * previous step's {@link #theta()}), after all the others.
   */
  public static GaussianProcess fit(double[] x, double[] y, Config config, Random rng, double[] warm) {
    int n = x.length;
    if (n == 0 || y.length != n) {
      throw new IllegalArgumentException("GP needs at least one point and as many targets as inputs");
    }
    Targets t = Targets.of(y, config.normalizeY());
    double mean = t.mean();
    double std = t.std();
    double[] yn = t.values();
    double[] xs = x.clone();
    double[] theta = {Math.log(config.constantInit()), Math.log(config.lengthInit())};
    int evals = 0;
    if (config.optimize()) {
      double[] lo = {Math.log(config.constantLow()), Math.log(config.lengthLow())};
      double[] hi = {Math.log(config.constantHigh()), Math.log(config.lengthHigh())};
      double bestValue = Double.NEGATIVE_INFINITY;
      double[] best = theta;
      boolean useWarm = config.warmStart() && warm != null;
      int runs = config.restarts() + 1 + (config.preferLongerScale() ? 1 : 0) + (useWarm ? 1 : 0);
      double[][] starts = new double[runs][];
      for (int r = 0; r < runs; r++) { // drawn in order, so the result does not depend on threads
        starts[r] = r == 0 ? theta.clone()
            : r <= config.restarts()
            ? new double[] {lo[0] + rng.nextDouble() * (hi[0] - lo[0]), lo[1] + rng.nextDouble() * (hi[1] - lo[1])}
            : r == config.restarts() + 1 && config.preferLongerScale()
            ? new double[] {theta[0], hi[1]} // preferLongerScale: also start at the longest scale
            : warm.clone(); // warmStart: the previous step's optimum
      }
      Optimum[] optima = new Optimum[runs];
      IntStream range = IntStream.range(0, runs);
      // the runs are independent: in parallel once a run costs more than handing it to a thread
      (n >= PARALLEL_FROM ? range.parallel() : range).forEach(r ->
          optima[r] = maximize(xs, yn, config.alpha(), starts[r], lo, hi, config.tolerance(),
              useWarm && r == runs - 1 ? WARM_RADIUS : 0.5));
      for (Optimum o : optima) {
        evals += o.evaluations;
        boolean tie = config.preferLongerScale()
            && Math.abs(o.value - bestValue) <= 1e-9 * Math.max(1, Math.abs(bestValue));
        if (tie ? o.point[1] > best[1] : o.value > bestValue) { // sklearn: the strictly best run
          bestValue = o.value;
          best = o.point;
        }
      }
      if (config.randomTies()) {
        List<double[]> tied = new ArrayList<>();
        for (Optimum o : optima) {
          if (Math.abs(o.value - bestValue) <= 1e-9 * Math.max(1, Math.abs(bestValue))) {
            tied.add(o.point);
          }
        }
        best = tied.get(rng.nextInt(tied.size()));
      }
      theta = best;
    }
    double c = Math.exp(theta[0]);
    double l = Math.exp(theta[1]);
    double[] kmat = covariance(xs, c, l, config.alpha());
    if (!cholesky(kmat, n)) {
      throw new IllegalStateException("GP covariance is not positive definite (alpha = " + config.alpha() + ")");
    }
    double[] w = solve(kmat, n, yn);
    double lml = lml(kmat, n, yn, w);
    return new GaussianProcess(config, xs, yn, mean, std, c, l, lml, kmat, w, evals);
  }

  /**
   * This GP with one more observation {@code (xNew, yNew)}: the same hyperparameters and the same
   * target scaling (no refit), the posterior conditioned on the extra point. Batch selection uses
   * it to add a believed (fantasized) observation.
   */
  public GaussianProcess condition(double xNew, double yNew) {
    int n = x.length + 1;
    double[] xs = Arrays.copyOf(x, n);
    xs[n - 1] = xNew;
    double[] yn = Arrays.copyOf(targets, n);
    yn[n - 1] = (yNew - yMean) / yStd;
    double[] kmat = covariance(xs, constant, length, config.alpha());
    if (!cholesky(kmat, n)) {
      throw new IllegalStateException("GP covariance is not positive definite (alpha = " + config.alpha() + ")");
    }
    double[] w = solve(kmat, n, yn);
    return new GaussianProcess(config, xs, yn, yMean, yStd, constant, length, lml(kmat, n, yn, w), kmat, w, 0);
  }

  private record Optimum(double[] point, double value, int evaluations) {}

  /**
   * BOBYQA's initial trust-region radius for the warm-started run: the previous optimum is usually
   * close, so a small first step saves evaluations (the other runs start at 0.5 in log space).
   */
  private static final double WARM_RADIUS = 0.1;

  private static Optimum maximize(double[] x, double[] y, double alpha, double[] start, double[] lo, double[] hi,
                                  double tolerance, double radius) {
    double[] s = start.clone();
    for (int i = 0; i < s.length; i++) {
      s[i] = Math.min(hi[i], Math.max(lo[i], s[i]));
    }
    // Track the best point evaluated: BOBYQA can stop with "trust region step has failed to reduce
    // Q" on flat or ill-conditioned surfaces, and the best point seen is then the answer.
    double[] best = s.clone();
    double[] bestValue = {logMarginalLikelihood(x, y, Math.exp(s[0]), Math.exp(s[1]), alpha)};
    int[] count = {1};
    ObjectiveFunction f = new ObjectiveFunction(p -> {
      count[0]++;
      double v = logMarginalLikelihood(x, y, Math.exp(p[0]), Math.exp(p[1]), alpha);
      if (v > bestValue[0] && p[0] >= lo[0] && p[0] <= hi[0] && p[1] >= lo[1] && p[1] <= hi[1]) {
        bestValue[0] = v;
        System.arraycopy(p, 0, best, 0, 2);
      }
      return Double.isFinite(v) ? v : -1e300;
    });
    // 2n+1 interpolation points; a trust region small enough for the narrowest bound (ln 1e4).
    BOBYQAOptimizer opt = new BOBYQAOptimizer(5, radius, tolerance);
    try {
      opt.optimize(new MaxEval(4000), f, GoalType.MAXIMIZE, new InitialGuess(s), new SimpleBounds(lo, hi));
    } catch (MathIllegalStateException e) {
      // keep the best point evaluated so far (see above)
    }
    return new Optimum(best, bestValue[0], count[0]);
  }

  /**
   * The log marginal likelihood of targets {@code y} at inputs {@code x} under kernel {@code c *
   * RBF(l)} with noise {@code alpha}: {@code -1/2 y' K^-1 y - sum ln diag(L) - n/2 ln(2 pi)}.
   */
  public static double logMarginalLikelihood(double[] x, double[] y, double c, double l, double alpha) {
    int n = x.length;
    double[] k = covariance(x, c, l, alpha);
    if (!cholesky(k, n)) {
      return Double.NEGATIVE_INFINITY;
    }
    return lml(k, n, y, solve(k, n, y));
  }

  /** The log marginal likelihood from the Cholesky factor of K and the weights K^-1 y (ARD's too). */
  static double lml(double[] chol, int n, double[] y, double[] w) {
    double fit = 0;
    double logDet = 0;
    for (int i = 0; i < n; i++) {
      fit += y[i] * w[i];
      logDet += Math.log(chol[i * n + i]);
    }
    return -0.5 * fit - logDet - 0.5 * n * Math.log(2 * Math.PI);
  }

  /** Largest index distance for which {@link #covariance} tabulates the kernel. */
  private static final int TABLE_MAX = 4096;

  private static double[] covariance(double[] x, double c, double l, double alpha) {
    int n = x.length;
    double[] k = new double[n * n];
    double inv = 1.0 / (2 * l * l);
    double[] table = integerDistanceTable(x, c, inv);
    if (table != null) {
      // Task indices: the kernel depends only on |i - j|, so each distance's exp is computed once.
      // The same arithmetic as below ((-d) * (-d) == d * d exactly), so the same bits.
      for (int i = 0; i < n; i++) {
        k[i * n + i] = c + alpha;
        for (int j = 0; j < i; j++) {
          double v = table[(int) Math.abs(x[i] - x[j])];
          k[i * n + j] = v;
          k[j * n + i] = v;
        }
      }
      return k;
    }
    for (int i = 0; i < n; i++) {
      k[i * n + i] = c + alpha;
      for (int j = 0; j < i; j++) {
        double d = x[i] - x[j];
        double v = c * Math.exp(-d * d * inv);
        k[i * n + j] = v;
        k[j * n + i] = v;
      }
    }
    return k;
  }

  /**
   * {@code c exp(-d^2 inv)} for d = 0, 1, 2, ... when every input is an integer (task indices)
   * spanning at most {@link #TABLE_MAX}; else null.
   */
  private static double[] integerDistanceTable(double[] x, double c, double inv) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      if (v != Math.rint(v) || Math.abs(v) > 1e9) {
        return null;
      }
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (x.length < 8 || hi - lo > TABLE_MAX) {
      return null;
    }
    double[] t = new double[(int) (hi - lo) + 1];
    for (int d = 0; d < t.length; d++) {
      double dd = d;
      t[d] = c * Math.exp(-dd * dd * inv);
    }
    return t;
  }

  /**
   * In-place Cholesky of a symmetric row-major matrix; the lower triangle becomes L. Below the
   * diagonal, four rows are reduced together against row j: four independent sums sharing row
   * j's loads, each summed in the same order as one row at a time (so the same bits).
   */
  static boolean cholesky(double[] a, int n) {
    for (int j = 0; j < n; j++) {
      int rj = j * n;
      double s = a[rj + j];
      for (int k = 0; k < j; k++) {
        s -= a[rj + k] * a[rj + k];
      }
      if (!(s > 0)) {
        return false;
      }
      double d = Math.sqrt(s);
      a[rj + j] = d;
      int i = j + 1;
      for (; i + 3 < n; i += 4) {
        int r0 = i * n;
        int r1 = r0 + n;
        int r2 = r1 + n;
        int r3 = r2 + n;
        double t0 = a[r0 + j];
        double t1 = a[r1 + j];
        double t2 = a[r2 + j];
        double t3 = a[r3 + j];
        for (int k = 0; k < j; k++) {
          double b = a[rj + k];
          t0 -= a[r0 + k] * b;
          t1 -= a[r1 + k] * b;
          t2 -= a[r2 + k] * b;
          t3 -= a[r3 + k] * b;
        }
        a[r0 + j] = t0 / d;
        a[r1 + j] = t1 / d;
        a[r2 + j] = t2 / d;
        a[r3 + j] = t3 / d;
      }
      for (; i < n; i++) {
        int ri = i * n;
        double t = a[ri + j];
        for (int k = 0; k < j; k++) {
          t -= a[ri + k] * a[rj + k];
        }
        a[ri + j] = t / d;
      }
    }
    return true;
  }

  static double[] forward(double[] l, int n, double[] b) {
    double[] z = b.clone();
    for (int i = 0; i < n; i++) {
      double s = z[i];
      for (int k = 0; k < i; k++) {
        s -= l[i * n + k] * z[k];
      }
      z[i] = s / l[i * n + i];
    }
    return z;
  }

  static double[] solve(double[] l, int n, double[] b) {
    double[] z = forward(l, n, b);
    for (int i = n - 1; i >= 0; i--) {
      double s = z[i];
      for (int k = i + 1; k < n; k++) {
        s -= l[k * n + i] * z[k];
      }
      z[i] = s / l[i * n + i];
    }
    return z;
  }

  /** GP targets as fitted: standardized to mean 0, std 1 when {@code normalize} (sklearn's normalize_y), else as given. */
  record Targets(double mean, double std, double[] values) {
    static Targets of(double[] y, boolean normalize) {
      if (!normalize) {
        return new Targets(0, 1, y.clone());
      }
      double mean = Arrays.stream(y).average().orElse(0);
      double var = 0;
      for (double v : y) {
        var += (v - mean) * (v - mean);
      }
      double std = Math.sqrt(var / y.length);
      if (std == 0) {
        std = 1; // sklearn's _handle_zeros_in_scale
      }
      double[] yn = new double[y.length];
      for (int i = 0; i < y.length; i++) {
        yn[i] = (y[i] - mean) / std;
      }
      return new Targets(mean, std, yn);
    }
  }

  /** Posterior mean at {@code q}. */
  public double mean(double q) {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      double d = q - x[i];
      s += constant * Math.exp(-d * d / (2 * length * length)) * weights[i];
    }
    return s * yStd + yMean;
  }

  /** Posterior standard deviation at {@code q} (of the latent function, without the noise alpha). */
  public double std(double q) {
    int n = x.length;
    double[] ks = new double[n];
    for (int i = 0; i < n; i++) {
      double d = q - x[i];
      ks[i] = constant * Math.exp(-d * d / (2 * length * length));
    }
    double[] v = forward(chol, n, ks);
    double var = constant;
    for (double vi : v) {
      var -= vi * vi;
    }
    return Math.sqrt(Math.max(var, 0)) * yStd; // sklearn clips negative variances to 0
  }

  /** Posterior means and standard deviations at each query point: {@code {mean[], std[]}}. */
  public double[][] predict(double[] queries) {
    double[] mu = new double[queries.length];
    double[] sd = new double[queries.length];
    for (int i = 0; i < queries.length; i++) {
      mu[i] = mean(queries[i]);
      sd[i] = std(queries[i]);
    }
    return new double[][] {mu, sd};
  }

  /** The fitted hyperparameters in log space, {@code (ln c, ln l)}: a warm start for the next fit. */
  public double[] theta() {
    return new double[] {Math.log(constant), Math.log(length)};
  }

  /** The fitted constant c of {@code C(c) * RBF(l)}. */
  public double constant() {
    return constant;
  }

  /** The fitted RBF length scale l (in the units of x: task indices in MBTL). */
  public double lengthScale() {
    return length;
  }

  /** Log marginal likelihood of the (normalized) targets at the fitted hyperparameters. */
  public double logMarginalLikelihood() {
    return logMarginalLikelihood;
  }

  /** Likelihood evaluations the optimizer spent, all restarts together. */
  public int optimizerEvaluations() {
    return optimizerEvaluations;
  }

  public Config config() {
    return config;
  }
}
