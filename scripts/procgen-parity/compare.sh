#!/usr/bin/env bash
# Compares procgen-java's levels and dynamics with Procgen 0.10.7's C++, game by game.
#
#   scripts/procgen-parity/compare.sh PROCGEN_DIR GAME MODE [LEVELS] [STEPS]
#
# PROCGEN_DIR is a checkout of openai/procgen at v0.10.7 (the C++ sources and data/assets)
# with gym3's libenv.h copied to its top level (Procgen's vecoptions.h includes it),
# GAME a Procgen game name, MODE easy, hard, extreme or memory. Builds the C++ game with
# dump.cpp (needs g++ and Qt 5: Debian's qtbase5-dev) and procgen-java's classes (run
# `./mvnw -pl procgen-java compile` first), dumps levels 0..LEVELS-1 (default 1000), each with
# its first STEPS steps (default 1000) under the same random actions, and diffs the two dumps.
# Prints "identical" or the first differences. Not run in CI.
set -euo pipefail
src=$1/procgen/src
assets=$1/procgen/data/assets/
game=$2
mode=$3
levels=${4:-1000}
steps=${5:-1000}
case $mode in
  easy) code=0; id=procgen/$game-easy-v0 ;;
  hard) code=1; id=procgen/$game-v0 ;;
  extreme) code=2; id=procgen/$game-extreme-v0 ;;
  memory) code=10; id=procgen/$game-memory-v0 ;;
  *) echo "mode must be easy, hard, extreme or memory, got '$mode'" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
qt=$(pkg-config --cflags Qt5Gui)
objs=()
for f in assetgen basic-abstract-game cpp-utils entity game game-registry mazegen randgen roomgen resources vecoptions games/$game; do
  g++ -O1 -std=c++17 -fPIC $qt -I"$src" -I"$1" -c "$src/$f.cpp" -o "$work/$(basename $f).o"
  objs+=("$work/$(basename $f).o")
done
g++ -O1 -std=c++17 -fPIC $qt -I"$src" -I"$1" -c "$here/dump.cpp" -o "$work/dump.o"
g++ -o "$work/dump" "$work/dump.o" "${objs[@]}" $(pkg-config --libs Qt5Gui)
cp=$repo/procgen-java/target/classes:$(ls ~/.m2/repository/com/google/code/gson/gson/*/gson-*.jar | head -1)
javac -cp "$cp" -d "$work" "$here/Dump.java"
"$work/dump" "$assets" "$game" "$code" 0 "$levels" "$steps" > "$work/cpp.txt"
java -cp "$cp:$work" Dump "$id" 0 "$levels" "$steps" > "$work/java.txt"
echo "$id: $(grep -c '^level' "$work/cpp.txt") levels, $(grep -c '^s ' "$work/cpp.txt") steps compared"
if diff -q "$work/cpp.txt" "$work/java.txt" > /dev/null; then
  echo identical
else
  diff "$work/cpp.txt" "$work/java.txt" | head -20
  exit 1
fi
