#!/bin/bash
# The GPU check of docs/agents.md, on a machine with Python's CUDA torch but no Java and no
# network: builds DJL's JNI bridge against that torch, then PPO on CartPole (GPU and CPU, same
# seed), the IMPALA CNN learner's steps/s on coinrun, a coinrun-easy training run sized to
# BUDGET seconds, and its train-vs-unseen-levels gap. Run it from the folder prepare-bundle.sh
# wrote; results go to $OUT (default ./out).
# usage: BUDGET=480 OUT=DIR bash device-check.sh
set -u
OUT=${OUT:-$PWD/out}; mkdir -p "$OUT"
T0=$(date +%s)
el() { echo "[+$(( $(date +%s) - T0 ))s] $*"; }
HERE=$(cd "$(dirname "$0")" && pwd)
exec > >(tee $OUT/log.txt) 2>&1
W=/tmp/zs; mkdir -p $W
tar xJf "$HERE/bundle.txz" -C $W || { echo "untar failed"; exit 1; }
el "unpacked"
if command -v java >/dev/null; then java -version 2>&1 | head -1; else echo "no system java"; fi
JAVA=$W/jre/bin/java
$JAVA -version 2>&1 | head -1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
nproc; free -g | head -2
TL=$(python3 -c 'import torch,os;print(os.path.dirname(torch.__file__)+"/lib")')
python3 -c 'import torch;print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.is_available(), "cxx11abi", torch.compiled_with_cxx11_abi())'
ls $TL
el "building libdjl_torch.so against this torch"
bash "$HERE/build-djl-jni.sh" "$HERE/djl-native" "$(dirname $TL)" "$HERE/jni-include" "$TL/libdjl_torch.so" || exit 2
el "built"
export PYTORCH_LIBRARY_PATH=$TL PYTORCH_VERSION=$(python3 -c 'import torch;print(torch.__version__.split("+")[0])') PYTORCH_FLAVOR=cu130 LD_LIBRARY_PATH=$TL:$W/jre/lib/syslibs
J="$JAVA -Xmx24g -jar $W/zeroshot-gpu.jar"
el "smoke: CartPole PPO (CleanRL settings), same seed on the GPU and on the CPU"
timeout 120 $J bench-ppo --env CartPole-v1 --steps 49152 --seeds 1 --device gpu > /tmp/smoke.txt 2>&1
rc=$?; grep -v "^\s*at \|WARN\|INFO" /tmp/smoke.txt | tail -12; echo "smoke rc=$rc"
[ $rc -eq 0 ] || exit 3
timeout 60 $J bench-ppo --env CartPole-v1 --steps 49152 --seeds 1 --device cpu 2>&1 | grep -v "^\s*at \|WARN\|INFO" | tail -3
nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used --format=csv -l 5 > $OUT/smi.csv 2>&1 &
el "CNN learner on the GPU: coinrun-easy, procgen preset (64 envs x 256 steps, IMPALA 16-32-32 fc 256)"
timeout 150 $J bench-ppo --env procgen/coinrun-easy-v0 --preset procgen --steps 49152 --seeds 1 --device gpu \
  > /tmp/bench.txt 2>&1
grep -v "^\s*at \|WARN\|INFO" /tmp/bench.txt | tail -6
RATE=$(awk '/^median/{print $2}' /tmp/bench.txt)
[ -n "$RATE" ] || exit 4
LEFT=$(( ${BUDGET:-470} - ($(date +%s) - T0) - 75 ))
STEPS=$(python3 -c "import sys; r=float('$RATE'); s=int(r*$LEFT*0.9)//16384*16384; print(max(s,16384))")
el "training coinrun-easy 0:200 for $STEPS steps (rate $RATE, $LEFT s left)"
timeout $(( LEFT + 30 )) $J train ppo --env procgen/coinrun-easy-v0 --levels 0:200 --steps $STEPS --seed 1 --device gpu \
  --checkpoint-every 5 --out $W/coinrun > /tmp/train.txt 2>&1
rc=$?; echo "train rc=$rc"; [ $rc -eq 0 ] || tr '\r' '\n' < /tmp/train.txt | grep -v "^\s*at " | tail -15
tr '\r' '\n' < /tmp/train.txt | grep -v "^\s*at \|WARN\|INFO" | awk 'NR%20==0' | tail -12; tr '\r' '\n' < /tmp/train.txt | tail -4
cp $W/coinrun/metrics.csv $W/coinrun/learning_curve.png $W/coinrun/config.json $OUT/ 2>/dev/null
cp $W/coinrun/checkpoint* $OUT/ 2>/dev/null
el "gap: train levels 0:200 vs unseen 1000:"
timeout 60 $J gap --checkpoint $W/coinrun --train-levels 0:200 --test-levels 1000: --episodes 64 --device gpu \
  --out $OUT/gap.csv 2>&1 | grep -v "^\s*at \|WARN\|INFO" | tail -10
el "done"
