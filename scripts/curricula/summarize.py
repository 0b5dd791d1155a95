#!/usr/bin/env python3
"""Summarizes scripts/curricula/cartpole.sh's runs: per method, over seeds, the mean over the 20
grid tasks and the mean over the worst 10% of them (the 2 lowest), raw and divided by 500 (the
normalized return MBTL's reports use). Writes OUT/summary.csv and prints a Markdown table."""
import csv
import glob
import math
import os
import sys

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

    def stat(xs):
        m = sum(xs) / len(xs)
        sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0.0
        return m, sd

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
