#!/usr/bin/env bash
# The contextual-control curriculum experiment of docs/curricula.md: one PPO policy on CartPole-v1
# whose pole length (half-length, m) is chosen in [0.1, 2.0] by each curriculum (DR, PLR, robust
# PLR, ACCEL, SFL) and, as the multi-task baseline, uniformly over MBTL's 20-task grid; the same
# step budget for all; then zero-shot on the 20-task grid of 'zeroshot mbtl run' (length 0.1..2.0,
# step 0.1; 10 greedy episodes per task, seed 1000000), mean and worst-10% over the 20 tasks.
#
#   scripts/curricula/cartpole.sh [OUT]        (env: STEPS, SEEDS, ZEROSHOT)
#
# Scaled for a small CPU: the buffers are smaller than the presets' (PLR family capacity 200,
# SFL 24 candidates x 3 episodes keeping the top 6); every other setting is the preset's.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-runs/curricula-cartpole}"
steps="${STEPS:-98304}"
seeds="${SEEDS:-1 2 3}"
zs="${ZEROSHOT:-$here/../../zeroshot}"
mkdir -p "$out"

opts_for() {
  case "$1" in
    dr|multi-task) echo "" ;;
    plr) echo "capacity=200" ;;
    robust-plr|accel) echo "capacity=200" ;;
    sfl) echo "candidates=24,candidate-episodes=3,buffer-size=6" ;;
  esac
}

for method in dr plr robust-plr accel sfl multi-task; do
  for seed in $seeds; do
    run="$out/$method-$seed"
    if [ -f "$run/eval.csv" ]; then
      continue
    fi
    rm -rf "$run"
    curriculum="$method"
    features="length=0.1:2.0"
    if [ "$method" = multi-task ]; then
      curriculum=dr
      features="length=0.1:2.0:20"
    fi
    opts="$(opts_for "$method")"
    $zs train ppo --env CartPole-v1 --steps "$steps" --seed "$seed" --out "$run" --device cpu --no-progress \
        --curriculum "$curriculum" --curriculum-features "$features" ${opts:+--curriculum-opt "$opts"} \
        > "$run.train.log" 2>&1
    $zs eval --checkpoint "$run" --contexts length=0.1:2.0:20 --episodes 10 --greedy --out "$run/eval.csv.tmp" \
        > "$run.eval.log" 2>&1
    mv "$run/eval.csv.tmp" "$run/eval.csv"
    $zs curriculum show "$run" > /dev/null
  done
done
python3 "$here/summarize.py" "$out"
