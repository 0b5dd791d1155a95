#!/usr/bin/env bash
# The Procgen curriculum experiment of docs/curricula.md, at CPU scale: one PPO policy on the
# symbolic maze (procgen/maze-easy-symbolic-v0, mazes shrunk to at most 9x9 cells by the context
# world_dim=9,max_maze_dim=9) trained on levels 0-199 with each curriculum choosing the level of
# every episode (DR, PLR, robust PLR, SFL), the same step budget for all; then 'zeroshot gap' on
# the 200 training levels against unseen levels 1000 on (EPISODES sampled episodes per split).
#
#   scripts/curricula/procgen.sh [OUT]     (env: STEPS, SEEDS, METHODS, EPISODES, JOBS, ZEROSHOT, SCALE, DRY)
#
# SCALE=paper runs the paper-scale pixel version instead, for a GPU: procgen/maze-easy-v0 (64x64
# frames, easy mode's mazes up to 15x15), the procgen preset unchanged (64 envs x 256 steps,
# IMPALA 16,32,32,256; the Procgen paper's PPO), 25M steps per run, one run at a time, 500
# episodes per split, --device gpu; SFL then draws all 200 levels x 4 episodes and keeps 20.
# DRY=1 prints the commands instead of running them.
#
# A run's training is skipped once it finished (RUN/trained is written after it), its evaluation
# once RUN/gap.csv exists, so a stopped experiment resumes where it was. JOBS runs
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
episodes="${EPISODES:-64}"
jobs="${JOBS:-2}"
zs="${ZEROSHOT:-$here/../../zeroshot}"
env=procgen/maze-easy-symbolic-v0
train_args=(--context world_dim=9,max_maze_dim=9 --num-envs 32 --num-steps 128 --hidden 8,16,16,64 --device cpu)
gap_args=(--context world_dim=9,max_maze_dim=9)
stats_args=(--context world_dim=9,max_maze_dim=9)
title="symbolic maze (world 9), PPO per curriculum, $steps steps: mean return over seeds"
sfl_opts=candidates=16,candidate-episodes=3,buffer-size=4
if [ "${SCALE:-cpu}" = paper ]; then
  env=procgen/maze-easy-v0
  steps="${STEPS:-25000000}"
  episodes="${EPISODES:-500}"
  jobs="${JOBS:-1}"
  train_args=(--device gpu)
  gap_args=(--device gpu)
  stats_args=()
  title="maze (easy, pixels), PPO per curriculum, $steps steps: mean return over seeds"
  sfl_opts=candidates=200,candidate-episodes=4,buffer-size=20
elif [ "${SCALE:-cpu}" != cpu ]; then
  echo "SCALE must be cpu or paper, got '$SCALE'" >&2
  exit 2
fi
mkdir -p "$out"

opts_for() {
  case "$1" in
    dr) echo "" ;;
    plr) echo "capacity=200" ;;
    robust-plr) echo "capacity=200,score=pvl" ;;
    sfl) echo "$sfl_opts" ;;
  esac
}

one_run() {
  local method="$1" seed="$2"
  local run="$out/$method-$seed"
  local opts
  opts="$(opts_for "$method")"
  if [ -n "${DRY:-}" ]; then
    echo $zs train ppo --env "$env" --levels 0:200 "${train_args[@]}" --steps "$steps" --seed "$seed" --out "$run" \
        --no-progress --curriculum "$method" ${opts:+--curriculum-opt "$opts"}
    echo $zs gap --checkpoint "$run" "${gap_args[@]}" --train-levels 0:200 --test-levels 1000: --episodes "$episodes" \
        --out "$run/gap.csv"
    return
  fi
  if [ ! -f "$run/trained" ]; then
    rm -rf "$run"
    $zs train ppo --env "$env" --levels 0:200 "${train_args[@]}" --steps "$steps" --seed "$seed" --out "$run" \
        --no-progress --curriculum "$method" ${opts:+--curriculum-opt "$opts"} > "$run.train.log" 2>&1
    touch "$run/trained"
  fi
  $zs gap --checkpoint "$run" "${gap_args[@]}" --train-levels 0:200 --test-levels 1000: \
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
if [ -z "${DRY:-}" ]; then
  if [ ! -f "$out/random-policy.txt" ]; then
    # the uniformly random policy on the same splits (the pixel twin: the same levels and dynamics)
    for levels in 0:200 1000:; do
      $zs procgen-stats "${env/-symbolic/}" --levels "$levels" --episodes 1000 "${stats_args[@]}"
    done > "$out/random-policy.txt.tmp"
    mv "$out/random-policy.txt.tmp" "$out/random-policy.txt"
  fi
  python3 "$here/summarize.py" --procgen "$out"
  java -cp "$here/../../env-server/target/zeroshot.jar" "$here/ProcgenChart.java" "$out" "$title"
fi
