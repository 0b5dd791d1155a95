"""Cross-check of mbtl-paper: the paper-exact selection loop written independently in Python
(numpy + scikit-learn) from shared/reference/mbtl.md, section 1; not the authors' code.

    python mbtl_sklearn_reference.py MATRIX.csv K [THETA [SEED]]

prints the picks and V_k. On mbtl/src/test/resources/{steep,two-peaked}-40.csv with K = 20 it gave
(scikit-learn 1.9.1, numpy seed 42) the picks that PaperModeTest asserts; Zeroshot gives the same.
Where the GP's length scale is unidentifiable (one training point) the two can differ, because
sklearn's restarts come from numpy's RNG and its winner among equal likelihoods from rounding.
"""
import sys, numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel as C
M = np.loadtxt(sys.argv[1], delimiter=',')
K = int(sys.argv[2]); theta = float(sys.argv[3]) if len(sys.argv) > 3 else 0.005
np.random.seed(int(sys.argv[4]) if len(sys.argv) > 4 else 42)  # the authors' code seeds numpy with 42
N = M.shape[0]; idx = np.arange(N, dtype=float)
picks = []; y = []; best = np.full(N, -np.inf); vobs = np.zeros(N)
for k in range(K):
    if k == 0:
        p = int(np.abs(idx - (N - 1) / 2).argmin())
    else:
        gp = GaussianProcessRegressor(kernel=C(1.0, (1e-3, 1e3)) * RBF(1.0, (1e-2, 1e2)), alpha=0.01, n_restarts_optimizer=9)
        gp.fit(np.array(picks, float).reshape(-1, 1), np.array(y))
        mu, sd = gp.predict(idx.reshape(-1, 1), return_std=True)
        lam = np.sqrt(np.log(k + 1))
        a = np.array([np.mean(np.maximum(mu[i] + lam * sd[i] - theta * np.abs(i - idx) - vobs, 0)) for i in range(N)])
        order = np.argsort(-a)
        p = int(next(i for i in order if i not in picks))
    picks.append(p)
    best = np.maximum(best, M[p]); vobs = np.maximum(vobs, M[p]); y.append(best[p])
V = [np.mean(np.max(M[picks[:k + 1]], axis=0)) for k in range(K)]
print("picks", picks)
print("V", " ".join("%.4f" % v for v in V), "mean %.4f" % np.mean(V))
