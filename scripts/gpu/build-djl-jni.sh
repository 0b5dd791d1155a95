#!/bin/bash
# Builds DJL's PyTorch JNI bridge (libdjl_torch.so) for pytorch-engine 0.33.0 against a libtorch
# other than the 2.5.1 that Maven Central ships it for: e.g. the CUDA 13 torch of a GPU machine's
# Python. The 0.33.0 binary must not be used with another libtorch: its inline code sees the
# wrong TensorImpl layout (tried: torchFromBlob failed with "set_stride is not allowed").
#
# usage: build-djl-jni.sh DJL_NATIVE_DIR TORCH_DIR JNI_HEADER_DIR OUT_LIB
#   DJL_NATIVE_DIR  engines/pytorch/pytorch-native/src/main/native of a deepjavalibrary/djl
#                   checkout (Apache-2.0; v0.33.0 matches the Java side)
#   TORCH_DIR       a torch package folder with include/ and lib/
#                   (python3 -c 'import torch,os;print(os.path.dirname(torch.__file__))')
#   JNI_HEADER_DIR  holds jni.h, linux/jni_md.h and ai_djl_pytorch_jni_PyTorchLibrary.h
#                   (prepare-bundle.sh makes it with javac -h from pytorch-engine 0.33.0's sources)
#   OUT_LIB         the library to write; put it in TORCH_DIR/lib, where DJL looks first
# env: USE_CUDA=1 (default) or 0; CUDA_INC (default /usr/local/cuda/include)
set -eu
DJL=$1; P=$2; HDR=$3; OUTLIB=$4
HERE=$(cd "$(dirname "$0")" && pwd)
B=$(mktemp -d); mkdir -p $B/src $B/obj
cp "$DJL"/*.cc "$DJL"/*.h $B/src/
# Files a partial checkout may lack: ours stand in (utils.h lives in DJL's api module).
for f in ai_djl_pytorch_jni_cache.h ai_djl_pytorch_jni_cache.cc djl_pytorch_jni_log.cc; do
  [ -f $B/src/$f ] || cp "$HERE/jni-extra/$f" $B/src/
done
mkdir -p $B/src/djl
for u in "$DJL/djl/utils.h" "$DJL/../../../../../api/src/main/native/djl/utils.h" "$HERE/jni-extra/djl/utils.h"; do
  if [ -f "$u" ]; then cp "$u" $B/src/djl/; break; fi
done
cp "$HERE/jni-extra/djl_missing_ops.cc" $B/src/   # weak symbols: DJL's own definitions win
# libtorch >= 2.6 API fixes (each a no-op where the source already has the new form):
sed -i 's|#include <c10/util/variant.h>|#include <variant>|; s|torch::variant<|std::variant<|g' $B/src/djl_pytorch_utils.h
sed -i 's|^#include <c10/cuda/CUDACachingAllocator.h>|#ifdef USE_CUDA\n#include <c10/cuda/CUDACachingAllocator.h>\n#endif|' $B/src/djl_pytorch_utils.h
python3 - $B/src <<'PY'
import re, sys, pathlib
src = pathlib.Path(sys.argv[1])
p = src / 'ai_djl_pytorch_jni_PyTorchLibrary_system.cc'
s = p.read_text()
s = s.replace('PyTorchLibrary_torchCudaEmptyCache(){', 'PyTorchLibrary_torchCudaEmptyCache(JNIEnv* env, jobject jthis) {')
s = re.sub(r'(\n\s*if \(torch::cuda::is_available\(\)\) \{\n\s*c10::cuda::CUDACachingAllocator::emptyCache\(\);\n\s*\})',
           r'\n#ifdef USE_CUDA\1\n#endif', s)
p.write_text(s)
p = src / 'ai_djl_pytorch_jni_PyTorchLibrary_torch_other.cc'
s = p.read_text()
s = s.replace('torch::fft_fft2(*tensor_ptr, js, jdims)',
              'torch::fft_fft2(*tensor_ptr, djl::utils::jni::GetVecFromJLongArray(env, js), '
              'djl::utils::jni::GetVecFromJLongArray(env, jdims))')
p.write_text(s)
PY
DEFS=""; LIBS="-lc10 -ltorch_cpu -ltorch"
if [ "${USE_CUDA:-1}" = 1 ]; then DEFS="-DUSE_CUDA"; LIBS="-lc10 -lc10_cuda -ltorch_cpu -ltorch_cuda -ltorch"; fi
FLAGS="-O2 -std=c++17 -fPIC -D_GLIBCXX_USE_CXX11_ABI=1 $DEFS -I$HDR -I$HDR/linux -I$B/src -I$P/include \
  -I$P/include/torch/csrc/api/include -I${CUDA_INC:-/usr/local/cuda/include} -w"
ls $B/src/*.cc | xargs -P "$(nproc)" -I{} sh -c 'g++ '"$FLAGS"' -c {} -o '"$B"'/obj/$(basename {} .cc).o || echo "FAILED {}"'
n_cc=$(ls $B/src/*.cc | wc -l); n_o=$(ls $B/obj/*.o 2>/dev/null | wc -l)
echo "compiled $n_o of $n_cc"
[ "$n_o" -eq "$n_cc" ] || exit 5
g++ -shared -o "$OUTLIB" $B/obj/*.o -L$P/lib -Wl,--no-as-needed $LIBS -Wl,-rpath,'$ORIGIN'
rm -rf $B
ls -la "$OUTLIB"
