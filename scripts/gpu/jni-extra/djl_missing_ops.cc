// Natives that pytorch-engine 0.33.0 declares but that were missing from the DJL native sources
// this GPU build was first made from (files of mixed revisions). Each is a weak symbol, so a
// complete DJL checkout's own definition wins at link time; written on libtorch's public C++ API.
#include <torch/torch.h>
#include "ai_djl_pytorch_jni_PyTorchLibrary.h"
#include "djl_pytorch_jni_exception.h"
#include "djl_pytorch_utils.h"

#define WEAK __attribute__((weak))

using Index = std::vector<torch::indexing::TensorIndex>;
static torch::Tensor* T(jlong h) { return reinterpret_cast<torch::Tensor*>(h); }
static jlong H(torch::Tensor t) { return reinterpret_cast<uintptr_t>(new torch::Tensor(std::move(t))); }
static jlongArray handles(JNIEnv* env, std::vector<torch::Tensor> ts) {
  std::vector<jlong> hs;
  for (auto& t : ts) hs.push_back(H(t));
  jlongArray a = env->NewLongArray(static_cast<jsize>(hs.size()));
  env->SetLongArrayRegion(a, 0, static_cast<jsize>(hs.size()), hs.data());
  return a;
}

WEAK JNIEXPORT jboolean JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIsContiguous(JNIEnv* env, jobject, jlong h) {
  API_BEGIN()
  return T(h)->is_contiguous();
  API_END_RETURN()
}
WEAK JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchToContiguous(JNIEnv* env, jobject, jlong h) {
  API_BEGIN()
  return H(T(h)->contiguous());
  API_END_RETURN()
}
WEAK JNIEXPORT jobject JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchDirectByteBuffer(JNIEnv* env, jobject, jlong h) {
  API_BEGIN()
  torch::Tensor* t = T(h);
  if (!t->device().is_cpu() || !t->is_contiguous()) {
    env->ThrowNew(ENGINE_EXCEPTION_CLASS, "torchDirectByteBuffer needs a contiguous CPU tensor");
    return nullptr;
  }
  return env->NewDirectByteBuffer(t->data_ptr(), static_cast<jlong>(t->nbytes()));
  API_END()
  return nullptr;
}
WEAK JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchDeleteIndex(JNIEnv* env, jobject, jlong h) {
  API_BEGIN()
  delete reinterpret_cast<Index*>(h);
  API_END()
}
WEAK JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexAdvGet(JNIEnv* env, jobject, jlong h, jlong idx) {
  API_BEGIN()
  return H(T(h)->index(*reinterpret_cast<Index*>(idx)));
  API_END_RETURN()
}
WEAK JNIEXPORT void JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIndexAdvPut(
    JNIEnv* env, jobject, jlong h, jlong idx, jlong data) {
  API_BEGIN()
  T(h)->index_put_(*reinterpret_cast<Index*>(idx), *T(data));
  API_END()
}
WEAK JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchPut(JNIEnv* env, jobject, jlong h, jlong idx, jlong v) {
  API_BEGIN()
  return H(T(h)->put(*T(idx), *T(v)));
  API_END_RETURN()
}
WEAK JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchScatter(
    JNIEnv* env, jobject, jlong h, jlong idx, jlong v, jint axis) {
  API_BEGIN()
  return H(T(h)->scatter(axis, *T(idx), *T(v)));
  API_END_RETURN()
}
WEAK JNIEXPORT jlongArray JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchTopK(
    JNIEnv* env, jobject, jlong h, jlong k, jlong axis, jboolean largest, jboolean sorted) {
  API_BEGIN()
  auto r = T(h)->topk(k, axis, largest, sorted);
  return handles(env, {std::get<0>(r), std::get<1>(r)});
  API_END()
  return nullptr;
}
WEAK JNIEXPORT jlongArray JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchUnique(
    JNIEnv* env, jobject, jlong h, jlong dim, jboolean sorted, jboolean inverse, jboolean counts) {
  API_BEGIN()
  auto r = dim == -1 ? torch::_unique2(*T(h), sorted, inverse, counts)
                     : torch::unique_dim(*T(h), dim, sorted, inverse, counts);
  return handles(env, {std::get<0>(r), std::get<1>(r), std::get<2>(r)});
  API_END()
  return nullptr;
}
WEAK JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchPad(
    JNIEnv* env, jobject, jlong h, jlongArray jpad, jdouble value) {
  API_BEGIN()
  return H(torch::constant_pad_nd(*T(h), djl::utils::jni::GetVecFromJLongArray(env, jpad), value));
  API_END_RETURN()
}
WEAK JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_conj(JNIEnv* env, jobject, jlong h) {
  API_BEGIN()
  return H(T(h)->conj().resolve_conj());
  API_END_RETURN()
}
WEAK JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchNNNormalize(
    JNIEnv* env, jobject, jlong h, jdouble p, jlong dim, jdouble eps) {
  API_BEGIN()
  namespace F = torch::nn::functional;
  return H(F::normalize(*T(h), F::NormalizeFuncOptions().p(p).dim(dim).eps(eps)));
  API_END_RETURN()
}
WEAK JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIfft(JNIEnv* env, jobject, jlong h, jlong n, jlong axis) {
  API_BEGIN()
  return H(torch::fft_ifft(*T(h), n, axis));
  API_END_RETURN()
}
WEAK JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchRfft(JNIEnv* env, jobject, jlong h, jlong n, jlong axis) {
  API_BEGIN()
  return H(torch::fft_rfft(*T(h), n, axis));
  API_END_RETURN()
}
WEAK JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIrfft(JNIEnv* env, jobject, jlong h, jlong n, jlong axis) {
  API_BEGIN()
  return H(torch::fft_irfft(*T(h), n, axis));
  API_END_RETURN()
}
WEAK JNIEXPORT jlong JNICALL Java_ai_djl_pytorch_jni_PyTorchLibrary_torchIfft2(
    JNIEnv* env, jobject, jlong h, jlongArray s, jlongArray dims) {
  API_BEGIN()
  return H(torch::fft_ifft2(*T(h), djl::utils::jni::GetVecFromJLongArray(env, s),
      djl::utils::jni::GetVecFromJLongArray(env, dims)));
  API_END_RETURN()
}
