#!/usr/bin/env python3
"""Summarizes scripts/curricula/cartpole.sh's runs: per method, over seeds, the mean over the 20
grid tasks and the mean over the worst 10% of them (the 2 lowest), raw and divided by 500 (the
normalized return MBTL's reports use). Writes OUT/summary.csv and prints a Markdown table.

With --procgen, summarizes scripts/curricula/procgen.sh's runs instead (procgen_summary below)."""
import csv
import glob
import math
import os
import sys


def stat(xs):
    """Mean and sample standard deviation (0 for one value)."""
    m = sum(xs) / len(xs)
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0.0
    return m, sd


def procgen_summary(out):
    """Per method, mean and standard deviation over seeds of each run's gap.csv: return on the
    training levels, return on the unseen levels, the unseen levels' worst-10% mean (CVaR over
    episodes) and share solved, and the gap (train - unseen). Writes OUT/summary.csv, prints a
    Markdown table and, beside it, each seed's numbers."""
    cols = ["train_return", "test_return", "test_cvar10", "test_solved", "gap"]
    rows = []
    for method in ["dr", "plr", "robust-plr", "sfl"]:
        per_seed = []
        for path in sorted(glob.glob(os.path.join(out, method + "-*", "gap.csv"))):
            with open(path) as f:
                split = {r["split"]: r for r in csv.DictReader(f)}
            tr, te = split["train"], split["test"]
            seed = os.path.basename(os.path.dirname(path)).rsplit("-", 1)[1]
            per_seed.append((seed, [float(tr["mean_return"]), float(te["mean_return"]), float(te["cvar10_return"]),
                                    float(te["solved_share"]), float(tr["mean_return"]) - float(te["mean_return"])]))
        if per_seed:
            rows.append((method, per_seed, [stat([v[i] for _, v in per_seed]) for i in range(len(cols))]))
    with open(os.path.join(out, "summary.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["method", "seeds"] + [c + s for c in cols for s in ("", "_sd")] + ["per_seed_" + c for c in cols])
        for method, per_seed, stats in rows:
            w.writerow([method, len(per_seed)] + [f"{x:.4f}" for m_sd in stats for x in m_sd]
                       + [" ".join(f"{v[i]:.4f}" for _, v in per_seed) for i in range(len(cols))])
    print("| method | seeds | train return (0:200) | test return (1000:) | test worst-10% | test solved | gap (train - test) |")
    print("|---|---|---|---|---|---|---|")
    for method, per_seed, s in rows:
        print(f"| {method} | {len(per_seed)} | {s[0][0]:.2f} ± {s[0][1]:.2f} | {s[1][0]:.2f} ± {s[1][1]:.2f} | "
              f"{s[2][0]:.2f} ± {s[2][1]:.2f} | {100 * s[3][0]:.1f}% ± {100 * s[3][1]:.1f} | {s[4][0]:+.2f} ± {s[4][1]:.2f} |")
    print()
    for method, per_seed, _ in rows:
        print(f"{method} per seed (train / test / gap): "
              + ", ".join(f"seed {seed} {v[0]:.2f} / {v[1]:.2f} / {v[4]:+.2f}" for seed, v in per_seed))
    print()
    print("What each curriculum handed out (curriculum.csv, mean over seeds): episodes, distinct levels, the share")
    print("of episodes PPO trained on, and over the last quarter of training the episodes' mean return and length")
    print("and the share replayed")
    for method, per_seed, _ in rows:
        stats = [played(os.path.join(out, f"{method}-{seed}", "curriculum.csv")) for seed, _ in per_seed]
        n = len(stats)
        print(f"{method}: " + ", ".join(f"{name} {sum(x[i] for x in stats) / n:.{d}f}" for i, (name, d) in enumerate(
            [("episodes", 0), ("levels", 0), ("trained", 2), ("late return", 2), ("late length", 0),
             ("late replayed", 2)])))


def played(path):
    """Episodes, distinct level seeds, the share trained on, and the last quarter's mean return, mean
    length and replayed share of one run's curriculum.csv."""
    with open(path) as f:
        eps = list(csv.DictReader(f))
    last = max(int(e["global_step"]) for e in eps)
    late = [e for e in eps if int(e["global_step"]) >= 0.75 * last]
    return (len(eps), len({e["seed"] for e in eps}), sum(1 for e in eps if e["trained"] in ("1", "true")) / len(eps),
            sum(float(e["return"]) for e in late) / len(late),
            sum(int(e["length"]) for e in late) / len(late),
            sum(1 for e in late if e["replay"] in ("1", "true")) / len(late))


if sys.argv[1] == "--procgen":
    procgen_summary(sys.argv[2])
    sys.exit(0)
out = sys.argv[1]
rows = []
for method in ["dr", "plr", "robust-plr", "accel", "sfl", "multi-task"]:
    means, tails, solved, seeds = [], [], [], []
    for path in sorted(glob.glob(os.path.join(out, method + "-*", "eval.csv"))):
        with open(path) as f:
            task = [float(r["mean_return"]) for r in csv.DictReader(f)]
        task.sort()
        k = max(1, math.ceil(0.1 * len(task) - 1e-9))
        means.append(sum(task) / len(task))
        tails.append(sum(task[:k]) / k)
        solved.append(sum(1 for t in task if t >= 475) / len(task))
        seeds.append(os.path.basename(os.path.dirname(path)).rsplit("-", 1)[1])
    if not means:
        continue

    (m, msd), (t, tsd), (s, _) = stat(means), stat(tails), stat(solved)
    rows.append([method, len(means), m, msd, t, tsd, m / 500, t / 500, s, " ".join(f"{x:.1f}" for x in means),
                 " ".join(f"{x:.1f}" for x in tails)])

with open(os.path.join(out, "summary.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["method", "seeds", "mean_return", "mean_sd", "worst10_return", "worst10_sd", "mean_normalized",
                "worst10_normalized", "tasks_solved", "per_seed_mean", "per_seed_worst10"])
    for r in rows:
        w.writerow([r[0], r[1]] + [f"{x:.4f}" for x in r[2:9]] + r[9:])
print("| method | seeds | mean return (20 tasks) | worst-10% mean | normalized mean / worst-10% | tasks solved |")
print("|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r[0]} | {r[1]} | {r[2]:.1f} ± {r[3]:.1f} | {r[4]:.1f} ± {r[5]:.1f} | {r[6]:.3f} / {r[7]:.3f} | {100 * r[8]:.0f}% |")
