// Logs from native code through SLF4J (used when the DJL checkout lacks this file).
#include "djl_pytorch_jni_log.h"
static jobject get_logger(JNIEnv* env) {
  jclass factory = env->FindClass("org/slf4j/LoggerFactory");
  jmethodID get = env->GetStaticMethodID(factory, "getLogger", "(Ljava/lang/String;)Lorg/slf4j/Logger;");
  jstring name = env->NewStringUTF("ai.djl.pytorch.jni.native");
  jobject logger = env->CallStaticObjectMethod(factory, get, name);
  env->DeleteLocalRef(name);
  env->DeleteLocalRef(factory);
  return logger;
}
Log::Log(JNIEnv* env) : env(env), logger(get_logger(env)) {}
static void call(JNIEnv* env, jobject logger, const char* level, const std::string& message) {
  if (logger == nullptr) return;
  jclass cls = env->GetObjectClass(logger);
  jmethodID m = env->GetMethodID(cls, level, "(Ljava/lang/String;)V");
  jstring s = env->NewStringUTF(message.c_str());
  env->CallVoidMethod(logger, m, s);
  env->DeleteLocalRef(s);
  env->DeleteLocalRef(cls);
}
void Log::info(const std::string& message) { call(env, logger, "info", message); }
void Log::debug(const std::string& message) { call(env, logger, "debug", message); }
void Log::error(const std::string& message) { call(env, logger, "error", message); }
