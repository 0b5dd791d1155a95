package dev.zeroshot.agents.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;

/** Copies between tensors and Java arrays without leaving tensors in long-lived managers. */
public final class Tensors {

  private Tensors() {}

  /** Reads a float32 tensor (any device) into {@code dst}. */
  public static void read(NDArray a, float[] dst) {
    if (a.getDevice().isGpu()) {
      try (NDArray cpu = a.toDevice(Device.cpu(), true)) {
        cpu.toByteBuffer(true).asFloatBuffer().get(dst, 0, (int) a.size());
      }
    } else {
      a.toByteBuffer(true).asFloatBuffer().get(dst, 0, (int) a.size());
    }
  }

  public static float[] read(NDArray a) {
    float[] f = new float[(int) a.size()];
    read(a, f);
    return f;
  }
}
