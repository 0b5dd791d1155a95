#!/usr/bin/env bash
# The offline generalization-gap experiment of docs/offline.md ("The Procgen experiment"):
# planner-expert datasets on 200 training levels of two Procgen games (maze, heist), BC vs CQL vs
# IQL vs BCQ with seeds, normalized return on the training levels and on unseen ones, and the
# diversity sweep (the same number of transitions from 20, 200 and 5000 levels, BC).
#
#   docs/examples/offline/run-experiment.sh [OUT]          # CPU scale (the defaults below)
#   SCALE=20 MODEL=impala HIDDEN=16,32,32,256 BATCH=256 LR=5e-4 EPISODES=100 DEVICE=gpu \
#     docs/examples/offline/run-experiment.sh runs/offline-gpu   # gen_dgrl's scale, on a GPU
#
# SCALE multiplies the transitions per dataset (50,000) and the gradient steps (2,000).
# Every knob is an environment variable (defaults in brackets):
#   ZEROSHOT [java -jar env-server/target/zeroshot.jar]  JOBS [2] runs at a time
#   DEVICE [auto]  MODEL [impala/4]  HIDDEN [16,32,32,128]  BATCH [128]  LR [1e-3]
#   TARGET_EVERY [250] (CQL, BCQ; IQL keeps its 100)  EPISODES [50] per split
#   SEEDS ["1 2"]  ALGOS ["bc cql iql bcq"]  GAMES ["maze heist"]  DIVERSITY ["20 5000"] (BC, maze)
#   TEST_LEVELS [100000:] unseen levels for every run (no dataset here reaches them)
# Order: the random baselines; the first seed of BC, CQL and IQL on each game; BC's other seeds
# and the diversity sweep; the other seeds of CQL and IQL; BCQ last. A finished run (its gap CSV
# exists) is skipped when the script is run again, so a stopped experiment can be continued. Results: OUT/results.csv (one row per run
# and split), OUT/summary.md, and OUT/*.png (drawn by Plot.java with the jar's JFreeChart).
set -euo pipefail
cd "$(dirname "$0")/../../.."
OUT=${1:-runs/offline-experiment}
SCALE=${SCALE:-1}
ZEROSHOT=${ZEROSHOT:-java -jar env-server/target/zeroshot.jar}
JOBS=${JOBS:-2}
DEVICE=${DEVICE:-auto}
MODEL=${MODEL:-impala/4}
HIDDEN=${HIDDEN:-16,32,32,128}
BATCH=${BATCH:-128}
LR=${LR:-1e-3}
TARGET_EVERY=${TARGET_EVERY:-250}
EPISODES=${EPISODES:-50}
SEEDS=${SEEDS:-1 2}
ALGOS=${ALGOS:-bc cql iql bcq}
GAMES=${GAMES:-maze heist}
DIVERSITY=${DIVERSITY:-20 5000}
TEST_LEVELS=${TEST_LEVELS:-100000:}
N=$((50000 * SCALE))
STEPS=$((2000 * SCALE))
ROOT=$OUT/datasets
mkdir -p "$OUT/runs" "$OUT/gap" "$OUT/logs"
export OUT ROOT ZEROSHOT DEVICE MODEL HIDDEN BATCH LR TARGET_EVERY EPISODES TEST_LEVELS STEPS

# The games at CPU scale: maze on a 9-cell world (mazes 3x3 to 9x9 instead of up to 15x15),
# heist in plain easy mode (world 9). R_min/R_max stay Procgen easy mode's.
env_of() { echo "procgen/$1-easy-v0"; }
ctx_of() { case $1 in maze) echo "world_dim=9,max_maze_dim=9" ;; *) echo "" ;; esac; }
export -f env_of ctx_of

collect() { # game levels
  local id="procgen/$1-expert$2-v0" ctx
  ctx=$(ctx_of "$1")
  if [ ! -f "$ROOT/$id/data/metadata.json" ]; then
    nice -n 5 $ZEROSHOT collect --env "$(env_of "$1")" ${ctx:+--context $ctx} --levels "0:$2" --policy planner \
      --transitions "$N" --dataset "$id" --root "$ROOT" --no-progress --seed 1 2>&1 | grep -v WARN | tee "$OUT/logs/collect-$1-$2.log"
  fi
}

# one run: train, then the gap on its training levels and unseen ones. Skipped if its gap CSV
# exists, or while another driver on the same OUT runs it (the PID in its .running file lives).
run() { # game algo levels seed
  local game=$1 algo=$2 levels=$3 seed=$4 name="$1-$2-L$3-s$4" ctx steps=$STEPS extra=() t0 t1
  ctx=$(ctx_of "$game")
  [ -f "$OUT/gap/$name.csv" ] && return 0
  if [ -f "$OUT/gap/$name.running" ] && kill -0 "$(cat "$OUT/gap/$name.running")" 2>/dev/null; then return 0; fi
  echo "$BASHPID" >"$OUT/gap/$name.running"
  [ "$algo" = random ] && { steps=1; algo=bc; }
  case $algo in cql|bcq) extra=(--target-update-every "$TARGET_EVERY") ;; esac
  t0=$(date +%s)
  rm -rf "$OUT/runs/$name"
  nice -n 5 $ZEROSHOT train "$algo" --dataset "procgen/$game-expert$levels-v0" --root "$ROOT" --out "$OUT/runs/$name" \
    --model "$MODEL" --hidden "$HIDDEN" --steps "$steps" --batch-size "$BATCH" --lr "$LR" "${extra[@]}" --seed "$seed" \
    --eval-every 0 --eval-episodes 1 --log-every 100 --device "$DEVICE" --no-progress >"$OUT/logs/$name.log" 2>&1
  t1=$(date +%s)
  nice -n 5 $ZEROSHOT gap --checkpoint "$OUT/runs/$name" --env "$(env_of "$game")" ${ctx:+--context $ctx} \
    --train-levels "0:$levels" --test-levels "$TEST_LEVELS" --episodes "$EPISODES" --device "$DEVICE" \
    --out "$OUT/gap/$name.tmp" >>"$OUT/logs/$name.log" 2>&1
  echo "$(( t1 - t0 )) $(( $(date +%s) - t1 ))" >"$OUT/gap/$name.seconds"
  mv "$OUT/gap/$name.tmp" "$OUT/gap/$name.csv"
  rm -f "$OUT/gap/$name.running"
  echo "done $name: train $(( t1 - t0 )) s, gap $(( $(date +%s) - t1 )) s"
}
export -f run

for g in $GAMES; do collect "$g" 200; done
for l in $DIVERSITY; do collect maze "$l"; done

FIRST=${SEEDS%% *}
REST=${SEEDS#"$FIRST"}
{
  # the untrained network (one BC step, logits ~0: nearly uniform over the 15 actions) as the random baseline
  for g in $GAMES; do echo "$g random 200 1"; done
  # the first seed of every algorithm but BCQ, then BC's other seeds and the diversity sweep (cheap),
  # then the other seeds of the offline RL algorithms, then BCQ (the costliest per step after IQL)
  has() { [[ " $ALGOS " == *" $1 "* ]]; }
  for g in $GAMES; do for a in $ALGOS; do if [ "$a" != bcq ]; then echo "$g $a 200 $FIRST"; fi; done; done
  for s in $SEEDS; do
    if [ "$s" != "$FIRST" ] && has bc; then for g in $GAMES; do echo "$g bc 200 $s"; done; fi
    for l in $DIVERSITY; do echo "maze bc $l $s"; done
  done
  for s in $REST; do for g in $GAMES; do for a in $ALGOS; do
    if [ "$a" != bc ] && [ "$a" != bcq ]; then echo "$g $a 200 $s"; fi
  done; done; done
  if has bcq; then for s in $SEEDS; do for g in $GAMES; do echo "$g bcq 200 $s"; done; done; fi
} | xargs -P "$JOBS" -L 1 bash -c 'run "$@"' _

# results.csv: one row per run and split
{
  echo "game,algo,train_levels,seed,split,levels,episodes,mean_return,std_return,normalized,train_seconds,gap_seconds"
  for f in "$OUT"/gap/*-s*.csv; do
    n=$(basename "$f" .csv); IFS=- read -r game algo lv sd <<<"$n"
    read -r ts gs <"$OUT/gap/$n.seconds"
    tail -n +2 "$f" | while IFS=, read -r split levels eps mean std norm; do
      echo "$game,$algo,${lv#L},${sd#s},$split,$levels,$eps,$mean,$std,$norm,$ts,$gs"
    done
  done
} >"$OUT/results.csv"
JAR=$(echo "$ZEROSHOT" | awk '{print $NF}')
java -cp "$JAR" docs/examples/offline/Plot.java "$OUT/results.csv" "$OUT"
cat "$OUT/summary.md"
