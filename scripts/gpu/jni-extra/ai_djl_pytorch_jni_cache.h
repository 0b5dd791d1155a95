// Java classes the JNI code throws, looked up once in JNI_OnLoad (used when the DJL checkout lacks this file).
#ifndef DJL_TORCH_AI_DJL_PYTORCH_JNI_CACHE_H
#define DJL_TORCH_AI_DJL_PYTORCH_JNI_CACHE_H
#include <jni.h>
#include "djl_pytorch_jni_log.h"
extern jclass ENGINE_EXCEPTION_CLASS;
extern jclass NULL_PTR_EXCEPTION_CLASS;
extern jclass ILLEGAL_STATE_EXCEPTION_CLASS;
#endif
