package dev.zeroshot.mbtl;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Gaussian-process regression on d-dimensional inputs (a task grid over several context
 * features) with one length scale per feature (automatic relevance determination):
 * {@code k(x, x') = c * exp(-sum_f (x_f - x'_f)^2 / (2 l_f^2))}, sklearn's {@code C(c) * RBF([l_1,
 * ..., l_d])}. Otherwise as {@link GaussianProcess}: fixed noise alpha, zero prior mean (or
 * standardized targets with {@code normalizeY}), {@code theta = (ln c, ln l_1, ..., ln l_d)}
 * maximizing the log marginal likelihood within the log-space bounds of a {@link
 * GaussianProcess.Config} (every length scale has the same bounds), by BOBYQA from the initial
 * values, seeded restarts, the longest scales ({@code preferLongerScale}, which also breaks
 * likelihood ties toward the larger sum of log length scales) and the previous fit ({@code
 * warmStart}). With d = 1 it is the same model as {@link GaussianProcess} (not the same bits:
 * MBTL's paper mode stays on that class).
 */
public final class ArdGaussianProcess {

  private final double[][] x;
  private final int d;
  private final double yMean;
  private final double yStd;
  private final double constant;
  private final double[] lengths;
  private final double logMarginalLikelihood;
  private final double[] chol;
  private final double[] targets; // y as fitted (normalized when normalizeY)
  private final double[] weights;
  private final double alpha;
  private final int evaluations;

  private ArdGaussianProcess(double[][] x, double[] targets, double yMean, double yStd, double constant,
                             double[] lengths, double alpha, double lml, double[] chol, double[] weights,
                             int evaluations) {
    this.x = x;
    this.targets = targets;
    this.alpha = alpha;
    this.d = lengths.length;
    this.yMean = yMean;
    this.yStd = yStd;
    this.constant = constant;
    this.lengths = lengths;
    this.logMarginalLikelihood = lml;
    this.chol = chol;
    this.weights = weights;
    this.evaluations = evaluations;
  }

  /**
   * Fits the GP to inputs {@code x} (n rows of d features) and targets {@code y}; restarts are
   * drawn from {@code rng}; {@code warm} is the previous fit's {@link #theta()} or null.
   */
  public static ArdGaussianProcess fit(double[][] x, double[] y, GaussianProcess.Config config, Random rng,
                                       double[] warm) {
    int n = x.length;
    if (n == 0 || y.length != n) {
      throw new IllegalArgumentException("GP needs at least one point and as many targets as inputs");
    }
    int d = x[0].length;
    for (double[] row : x) {
      if (row.length != d || d == 0) {
        throw new IllegalArgumentException("every GP input needs the same number (>= 1) of features");
      }
    }
    if (warm != null && warm.length != d + 1) {
      throw new IllegalArgumentException("warm start needs " + (d + 1) + " values (ln c and one ln l per feature)");
    }
    GaussianProcess.Targets t = GaussianProcess.Targets.of(y, config.normalizeY());
    double mean = t.mean();
    double std = t.std();
    double[] yn = t.values();
    double[][] xs = new double[n][];
    for (int i = 0; i < n; i++) {
      xs[i] = x[i].clone();
    }
    double[] theta = new double[d + 1];
    theta[0] = Math.log(config.constantInit());
    Arrays.fill(theta, 1, d + 1, Math.log(config.lengthInit()));
    int evals = 0;
    if (config.optimize()) {
      double[] lo = new double[d + 1];
      double[] hi = new double[d + 1];
      lo[0] = Math.log(config.constantLow());
      hi[0] = Math.log(config.constantHigh());
      Arrays.fill(lo, 1, d + 1, Math.log(config.lengthLow()));
      Arrays.fill(hi, 1, d + 1, Math.log(config.lengthHigh()));
      java.util.List<double[]> starts = new java.util.ArrayList<>();
      starts.add(theta.clone());
      for (int r = 0; r < config.restarts(); r++) {
        double[] s = new double[d + 1];
        for (int p = 0; p <= d; p++) {
          s[p] = lo[p] + rng.nextDouble() * (hi[p] - lo[p]);
        }
        starts.add(s);
      }
      if (config.preferLongerScale()) {
        double[] s = hi.clone();
        s[0] = theta[0];
        starts.add(s);
      }
      if (config.warmStart() && warm != null) {
        starts.add(warm.clone());
      }
      double bestValue = Double.NEGATIVE_INFINITY;
      double[] best = theta;
      for (double[] start : starts) {
        double[] value = new double[1];
        int[] count = new int[1];
        double[] point = maximize(xs, yn, config.alpha(), start, lo, hi, config.tolerance(), value, count);
        evals += count[0];
        boolean tie = config.preferLongerScale()
            && Math.abs(value[0] - bestValue) <= 1e-9 * Math.max(1, Math.abs(bestValue));
        if (tie ? sum(point, 1) > sum(best, 1) : value[0] > bestValue) {
          bestValue = value[0];
          best = point;
        }
      }
      theta = best;
    }
    double c = Math.exp(theta[0]);
    double[] l = new double[d];
    for (int f = 0; f < d; f++) {
      l[f] = Math.exp(theta[f + 1]);
    }
    double[] k = covariance(xs, c, l, config.alpha());
    if (!GaussianProcess.cholesky(k, n)) {
      throw new IllegalStateException("GP covariance is not positive definite (alpha = " + config.alpha() + ")");
    }
    double[] w = GaussianProcess.solve(k, n, yn);
    return new ArdGaussianProcess(xs, yn, mean, std, c, l, config.alpha(), GaussianProcess.lml(k, n, yn, w), k, w, evals);
  }

  /**
   * This GP with one more observation {@code (xNew, yNew)}: the same hyperparameters and target
   * scaling (no refit), the posterior conditioned on the extra point (as {@link
   * GaussianProcess#condition}).
   */
  public ArdGaussianProcess condition(double[] xNew, double yNew) {
    int n = x.length + 1;
    double[][] xs = Arrays.copyOf(x, n);
    xs[n - 1] = xNew.clone();
    double[] yn = Arrays.copyOf(targets, n);
    yn[n - 1] = (yNew - yMean) / yStd;
    double[] k = covariance(xs, constant, lengths, alpha);
    if (!GaussianProcess.cholesky(k, n)) {
      throw new IllegalStateException("GP covariance is not positive definite (alpha = " + alpha + ")");
    }
    double[] w = GaussianProcess.solve(k, n, yn);
    return new ArdGaussianProcess(xs, yn, yMean, yStd, constant, lengths, alpha, GaussianProcess.lml(k, n, yn, w), k, w, 0);
  }

  private static double sum(double[] a, int from) {
    double s = 0;
    for (int i = from; i < a.length; i++) {
      s += a[i];
    }
    return s;
  }

  private static double[] maximize(double[][] x, double[] y, double alpha, double[] start, double[] lo, double[] hi,
                                   double tolerance, double[] valueOut, int[] countOut) {
    int p = start.length;
    double[] s = start.clone();
    for (int i = 0; i < p; i++) {
      s[i] = Math.min(hi[i], Math.max(lo[i], s[i]));
    }
    double[] best = s.clone();
    double[] bestValue = {logMarginalLikelihood(x, y, s, alpha)};
    int[] count = {1};
    ObjectiveFunction f = new ObjectiveFunction(q -> {
      count[0]++;
      double v = logMarginalLikelihood(x, y, q, alpha);
      boolean inside = true;
      for (int i = 0; i < p; i++) {
        inside &= q[i] >= lo[i] && q[i] <= hi[i];
      }
      if (v > bestValue[0] && inside) {
        bestValue[0] = v;
        System.arraycopy(q, 0, best, 0, p);
      }
      return Double.isFinite(v) ? v : -1e300;
    });
    BOBYQAOptimizer opt = new BOBYQAOptimizer(2 * p + 1, 0.5, tolerance);
    try {
      opt.optimize(new MaxEval(4000), f, GoalType.MAXIMIZE, new InitialGuess(s), new SimpleBounds(lo, hi));
    } catch (MathIllegalStateException e) {
      // keep the best point evaluated (see GaussianProcess)
    }
    valueOut[0] = bestValue[0];
    countOut[0] = count[0];
    return best;
  }

  /** The log marginal likelihood at {@code theta = (ln c, ln l_1, ..., ln l_d)}. */
  static double logMarginalLikelihood(double[][] x, double[] y, double[] theta, double alpha) {
    int n = x.length;
    double[] l = new double[theta.length - 1];
    for (int f = 0; f < l.length; f++) {
      l[f] = Math.exp(theta[f + 1]);
    }
    double[] k = covariance(x, Math.exp(theta[0]), l, alpha);
    if (!GaussianProcess.cholesky(k, n)) {
      return Double.NEGATIVE_INFINITY;
    }
    return GaussianProcess.lml(k, n, y, GaussianProcess.solve(k, n, y));
  }

  private static double[] covariance(double[][] x, double c, double[] l, double alpha) {
    int n = x.length;
    double[] k = new double[n * n];
    for (int i = 0; i < n; i++) {
      k[i * n + i] = c + alpha;
      for (int j = 0; j < i; j++) {
        double v = kernel(x[i], x[j], c, l);
        k[i * n + j] = v;
        k[j * n + i] = v;
      }
    }
    return k;
  }

  private static double kernel(double[] a, double[] b, double c, double[] l) {
    double s = 0;
    for (int f = 0; f < a.length; f++) {
      double z = (a[f] - b[f]) / l[f];
      s += z * z;
    }
    return c * Math.exp(-0.5 * s);
  }

  /** Posterior mean and standard deviation (latent, without alpha) at each query: {@code {mean[], std[]}}. */
  public double[][] predict(double[][] queries) {
    int n = x.length;
    double[] mu = new double[queries.length];
    double[] sd = new double[queries.length];
    double[] ks = new double[n];
    for (int q = 0; q < queries.length; q++) {
      if (queries[q].length != d) {
        throw new IllegalArgumentException("query has " + queries[q].length + " features, the GP " + d);
      }
      double m = 0;
      for (int i = 0; i < n; i++) {
        ks[i] = kernel(queries[q], x[i], constant, lengths);
        m += ks[i] * weights[i];
      }
      double[] v = GaussianProcess.forward(chol, n, ks);
      double var = constant;
      for (double vi : v) {
        var -= vi * vi;
      }
      mu[q] = m * yStd + yMean;
      sd[q] = Math.sqrt(Math.max(var, 0)) * yStd;
    }
    return new double[][] {mu, sd};
  }

  /** {@code (ln c, ln l_1, ..., ln l_d)}: a warm start for the next fit. */
  public double[] theta() {
    double[] t = new double[d + 1];
    t[0] = Math.log(constant);
    for (int f = 0; f < d; f++) {
      t[f + 1] = Math.log(lengths[f]);
    }
    return t;
  }

  public double constant() {
    return constant;
  }

  /** The fitted length scale per feature, in index units of that feature. */
  public double[] lengthScales() {
    return lengths.clone();
  }

  public double logMarginalLikelihood() {
    return logMarginalLikelihood;
  }

  public int optimizerEvaluations() {
    return evaluations;
  }
}
