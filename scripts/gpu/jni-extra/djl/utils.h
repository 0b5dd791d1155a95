// Minimal JNI helpers (used when the DJL checkout has no api/src/main/native/djl/utils.h).
#ifndef DJL_UTILS_H
#define DJL_UTILS_H
#include <jni.h>
#include <cstdint>
#include <string>
#include <vector>
namespace djl {
namespace utils {
namespace jni {
static constexpr const jint RELEASE_MODE = JNI_ABORT;
static constexpr const jlong NULL_PTR = 0;

inline std::string GetStringFromJString(JNIEnv* env, jstring jstr) {
  if (jstr == nullptr) return std::string();
  const char* c = env->GetStringUTFChars(jstr, nullptr);
  std::string s(c);
  env->ReleaseStringUTFChars(jstr, c);
  return s;
}
template <typename T>
inline std::vector<T> GetObjectVecFromJHandles(JNIEnv* env, jlongArray jhandles) {
  jsize n = env->GetArrayLength(jhandles);
  jlong* p = env->GetLongArrayElements(jhandles, JNI_FALSE);
  std::vector<T> v;
  v.reserve(n);
  for (jsize i = 0; i < n; ++i) v.emplace_back(*reinterpret_cast<T*>(p[i]));
  env->ReleaseLongArrayElements(jhandles, p, RELEASE_MODE);
  return v;
}
template <typename T1, typename T2>
inline jlongArray GetPtrArrayFromContainer(JNIEnv* env, T1 list) {
  size_t n = list.size();
  jlongArray a = env->NewLongArray(static_cast<jsize>(n));
  std::vector<jlong> ptrs(n);
  for (size_t i = 0; i < n; ++i) ptrs[i] = reinterpret_cast<uintptr_t>(new T2(list[i]));
  env->SetLongArrayRegion(a, 0, static_cast<jsize>(n), ptrs.data());
  return a;
}
inline std::vector<int64_t> GetVecFromJLongArray(JNIEnv* env, jlongArray a) {
  jsize n = env->GetArrayLength(a);
  jlong* p = env->GetLongArrayElements(a, JNI_FALSE);
  std::vector<int64_t> v(p, p + n);
  env->ReleaseLongArrayElements(a, p, RELEASE_MODE);
  return v;
}
inline std::vector<int32_t> GetVecFromJIntArray(JNIEnv* env, jintArray a) {
  jsize n = env->GetArrayLength(a);
  jint* p = env->GetIntArrayElements(a, JNI_FALSE);
  std::vector<int32_t> v(p, p + n);
  env->ReleaseIntArrayElements(a, p, RELEASE_MODE);
  return v;
}
inline std::vector<float> GetVecFromJFloatArray(JNIEnv* env, jfloatArray a) {
  jsize n = env->GetArrayLength(a);
  jfloat* p = env->GetFloatArrayElements(a, JNI_FALSE);
  std::vector<float> v(p, p + n);
  env->ReleaseFloatArrayElements(a, p, RELEASE_MODE);
  return v;
}
inline std::vector<std::string> GetVecFromJStringArray(JNIEnv* env, jobjectArray a) {
  jsize n = env->GetArrayLength(a);
  std::vector<std::string> v;
  for (jsize i = 0; i < n; ++i) {
    jstring s = (jstring)env->GetObjectArrayElement(a, i);
    v.emplace_back(GetStringFromJString(env, s));
    env->DeleteLocalRef(s);
  }
  return v;
}
inline jobjectArray GetStringArrayFromVec(JNIEnv* env, const std::vector<std::string>& v) {
  jobjectArray a = env->NewObjectArray(static_cast<jsize>(v.size()), env->FindClass("java/lang/String"), nullptr);
  for (size_t i = 0; i < v.size(); ++i) {
    jstring s = env->NewStringUTF(v[i].c_str());
    env->SetObjectArrayElement(a, static_cast<jsize>(i), s);
    env->DeleteLocalRef(s);
  }
  return a;
}
inline jintArray GetIntArrayFromVec(JNIEnv* env, const std::vector<int>& v) {
  jintArray a = env->NewIntArray(static_cast<jsize>(v.size()));
  env->SetIntArrayRegion(a, 0, static_cast<jsize>(v.size()), reinterpret_cast<const jint*>(v.data()));
  return a;
}
inline jlongArray GetLongArrayFromVec(JNIEnv* env, const std::vector<size_t>& v) {
  jlongArray a = env->NewLongArray(static_cast<jsize>(v.size()));
  env->SetLongArrayRegion(a, 0, static_cast<jsize>(v.size()), reinterpret_cast<const jlong*>(v.data()));
  return a;
}
}  // namespace jni
}  // namespace utils
}  // namespace djl
#endif
