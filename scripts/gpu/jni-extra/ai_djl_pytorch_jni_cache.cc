// JNI_OnLoad and the cached exception classes (used when the DJL checkout lacks this file).
#include "ai_djl_pytorch_jni_cache.h"
jclass ENGINE_EXCEPTION_CLASS;
jclass NULL_PTR_EXCEPTION_CLASS;
jclass ILLEGAL_STATE_EXCEPTION_CLASS;
static jclass global(JNIEnv* env, const char* name) {
  jclass local = env->FindClass(name);
  jclass g = (jclass)env->NewGlobalRef(local);
  env->DeleteLocalRef(local);
  return g;
}
JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void*) {
  JNIEnv* env;
  if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
  ENGINE_EXCEPTION_CLASS = global(env, "ai/djl/engine/EngineException");
  NULL_PTR_EXCEPTION_CLASS = global(env, "java/lang/NullPointerException");
  ILLEGAL_STATE_EXCEPTION_CLASS = global(env, "java/lang/IllegalStateException");
  return JNI_VERSION_1_8;
}
