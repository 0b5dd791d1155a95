#!/usr/bin/env bash
# The Procgen curriculum experiment of docs/curricula.md, at CPU scale: one PPO policy on the
# symbolic maze (procgen/maze-easy-symbolic-v0, mazes shrunk to at most 9x9 cells by the context
# world_dim=9,max_maze_dim=9) trained on levels 0-199 with each curriculum choosing the level of
# every episode (DR, PLR, robust PLR, SFL), the same step budget for all; then 'zeroshot gap' on
# the 200 training levels against unseen levels 1000 on (EPISODES sampled episodes per split).
#
#   scripts/curricula/procgen.sh [OUT]     (env: STEPS, SEEDS, METHODS, EPISODES, JOBS, ZEROSHOT)
#
# Runs whose gap.csv exists are skipped, so a stopped experiment resumes where it was. JOBS runs
# go at once (default 2). Scaled for a small CPU: 32 envs x 128 steps per rollout and a quarter-width
# IMPALA CNN (8,16,16,64); every other PPO setting is the procgen preset's. The PLR family's
# buffer holds all 200 training levels; robust PLR scores with positive value loss, not its
# preset's MaxMC (the procgen preset normalizes rewards, which MaxMC's raw best return does not
# match); SFL draws 16 candidates x 3 episodes and keeps the 4 most learnable.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-runs/curricula-procgen}"
steps="${STEPS:-65536}"
seeds="${SEEDS:-1 2 3}"
methods="${METHODS:-dr plr robust-plr sfl}"
episodes="${EPISODES:-300}"
jobs="${JOBS:-2}"
zs="${ZEROSHOT:-$here/../../zeroshot}"
env=procgen/maze-easy-symbolic-v0
context=world_dim=9,max_maze_dim=9
mkdir -p "$out"

opts_for() {
  case "$1" in
    dr) echo "" ;;
    plr) echo "capacity=200" ;;
    robust-plr) echo "capacity=200,score=pvl" ;;
    sfl) echo "candidates=16,candidate-episodes=3,buffer-size=4" ;;
  esac
}

one_run() {
  local method="$1" seed="$2"
  local run="$out/$method-$seed"
  local opts
  opts="$(opts_for "$method")"
  rm -rf "$run"
  $zs train ppo --env "$env" --levels 0:200 --context "$context" --steps "$steps" --seed "$seed" --out "$run" \
      --num-envs 32 --num-steps 128 --hidden 8,16,16,64 --device cpu --no-progress \
      --curriculum "$method" ${opts:+--curriculum-opt "$opts"} > "$run.train.log" 2>&1
  $zs gap --checkpoint "$run" --context "$context" --train-levels 0:200 --test-levels 1000: \
      --episodes "$episodes" --out "$run/gap.csv.tmp" > "$run.gap.log" 2>&1
  mv "$run/gap.csv.tmp" "$run/gap.csv"
  $zs curriculum show "$run" --by seed > /dev/null
}

for seed in $seeds; do
  for method in $methods; do
    if [ -f "$out/$method-$seed/gap.csv" ]; then
      continue
    fi
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
      wait -n || true
    done
    one_run "$method" "$seed" &
  done
done
wait
python3 "$here/summarize.py" --procgen "$out"
