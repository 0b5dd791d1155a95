package dev.zeroshot.mbtl;

/**
 * How MBTL scores an untrained task i from the GP posterior (mu_i, sigma_i), the gap model g and
 * the observed generalized performance V^obs (max over trained rows, clipped at 0):
 * <ul>
 * <li>{@link #UCB_LOG}: the authors' {@code new_ucb_beta_log}, a_i = mean_j max(mu_i +
 *     sqrt(c ln(k+1)) sigma_i - g(i,j) - V^obs_j, 0), k = tasks trained so far, with the paper's
 *     c = 1 (its "beta = c_2 log(k+1)"; Zeroshot's default uses c = 4);</li>
 * <li>{@link #UCB_FIXED}: the same with a fixed beta, sqrt(beta) sigma_i;</li>
 * <li>{@link #EI}: true expected improvement of the generalized performance, a_i = mean_j
 *     E[max(f_i - g(i,j) - V^obs_j, 0)] with f_i ~ N(mu_i, sigma_i^2) (closed form). The authors'
 *     option called {@code EI} is just mu and is not this.</li>
 * </ul>
 */
public enum Acquisition {
  UCB_LOG, UCB_FIXED, EI;

  /**
   * The multiplier of sigma for the UCB variants at step k (k tasks already trained): sqrt(beta)
   * for {@link #UCB_FIXED}, sqrt(beta ln(k+1)) for {@link #UCB_LOG} (beta = c_2, 1 in the paper).
   */
  double kappa(int k, double beta) {
    return this == UCB_FIXED ? Math.sqrt(beta) : Math.sqrt(beta * Math.log(k + 1.0));
  }

  /** E[max(Z - c, 0)] for Z ~ N(mu, sigma^2). */
  static double expectedExcess(double mu, double sigma, double c) {
    double diff = mu - c;
    if (!(sigma > 1e-300)) {
      return Math.max(diff, 0);
    }
    double z = diff / sigma;
    return diff * normalCdf(z) + sigma * normalPdf(z);
  }

  static double normalPdf(double z) {
    return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  }

  static double normalCdf(double z) {
    return 0.5 * org.apache.commons.math3.special.Erf.erfc(-z / Math.sqrt(2));
  }
}
