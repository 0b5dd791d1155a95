#!/bin/bash
# Packs what device-check.sh needs on a GPU machine that has Python's CUDA torch but no Java
# and no network: a jlink'd JRE and the zeroshot jar without the CPU libtorch (bundle.txz), the
# JNI header generated from pytorch-engine 0.33.0, DJL's native sources, and the build script.
# usage: scripts/gpu/prepare-bundle.sh DJL_CHECKOUT OUT_DIR   (run from the repo root, after
#        ./mvnw -DskipTests package; DJL_CHECKOUT is a deepjavalibrary/djl clone, tag v0.33.0)
set -eu
DJL=$1; OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd); ROOT=$(cd "$HERE/../.." && pwd)
JAR=$ROOT/env-server/target/zeroshot.jar
[ -f "$JAR" ] || { echo "no $JAR: run ./mvnw -DskipTests package first" >&2; exit 2; }
W=$(mktemp -d); mkdir -p "$OUT"
jlink --add-modules java.base,java.logging,java.management,java.naming,java.desktop,jdk.unsupported,java.sql,java.xml,jdk.crypto.ec,java.net.http,jdk.zipfs,java.instrument,java.security.jgss,jdk.management \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output $W/jre
# libfontmanager (charts) links to the system's harfbuzz and freetype, which a GPU image may lack
# (seen there: "libharfbuzz.so.0: cannot open shared object file"): carry them and their needs.
mkdir -p $W/jre/lib/syslibs
ldd $W/jre/lib/libfontmanager.so | awk '/=> \//{print $3}' \
  | grep -v -E '/(libc|libm|libstdc\+\+|libgcc_s|libpthread|libdl|ld-linux[^/]*)\.so' | grep -v "$W/jre" \
  | while read -r l; do cp -L "$l" $W/jre/lib/syslibs/; done
# The jar without what a CUDA machine doesn't need: the CPU libtorch (440 MB) and other platforms' natives.
mkdir $W/x && (cd $W/x && unzip -q "$JAR" && rm -rf pytorch/cpu jnilib/linux-aarch64 jnilib/osx-aarch64 jnilib/win-x86_64 \
  META-INF/native/*windows* META-INF/native/*osx* META-INF/native/*aarch* && zip -q -0 -r $W/zeroshot-gpu.jar .)
tar cJf "$OUT/bundle.txz" -C $W jre zeroshot-gpu.jar
# The JNI header that matches the Java side (pytorch-engine 0.33.0), from its sources jar.
M=https://repo1.maven.org/maven2/ai/djl
curl -sf -o $W/eng-src.jar $M/pytorch/pytorch-engine/0.33.0/pytorch-engine-0.33.0-sources.jar
curl -sf -o $W/eng.jar $M/pytorch/pytorch-engine/0.33.0/pytorch-engine-0.33.0.jar
curl -sf -o $W/api.jar $M/api/0.33.0/api-0.33.0.jar
(cd $W && unzip -q -o eng-src.jar ai/djl/pytorch/jni/PyTorchLibrary.java)
SLF=$(ls ~/.m2/repository/org/slf4j/slf4j-api/*/slf4j-api-*.jar | head -1)
mkdir -p "$OUT/jni-include" && javac -h "$OUT/jni-include" -d $W/cls -cp $W/eng.jar:$W/api.jar:$SLF $W/ai/djl/pytorch/jni/PyTorchLibrary.java
JH=$(dirname "$(dirname "$(readlink -f "$(which javac)")")")/include
cp -r $JH/jni.h $JH/linux "$OUT/jni-include/"
rm -rf "$OUT/djl-native" && cp -r "$DJL/engines/pytorch/pytorch-native/src/main/native" "$OUT/djl-native"
mkdir -p "$OUT/djl-native/djl" && cp "$DJL/api/src/main/native/djl/utils.h" "$OUT/djl-native/djl/" 2>/dev/null || true
cp -r "$HERE/build-djl-jni.sh" "$HERE/device-check.sh" "$HERE/ppo-speed.sh" "$HERE/jni-extra" "$OUT/"
rm -rf $W
du -sh "$OUT"
