package dev.zeroshot.agents;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Locale;

/**
 * DJL's PyTorch engine, set up once for training: offline (the CPU natives come from the
 * {@code pytorch-native-cpu} jar on the class path, nothing is downloaded at run time), a chosen
 * number of intra-op threads, and the device picked from {@code cpu|gpu|auto}.
 */
public final class Torch {

  private static boolean initialized;

  private Torch() {}

  /**
   * Loads the engine (once) with {@code threads} intra-op threads (1 is fastest for small MLPs
   * on a 2-core machine and leaves a core to the envs; 0 keeps torch's default).
   */
  public static synchronized Engine init(int threads) {
    if (!initialized) {
      // Must be set before the engine loads: never fetch natives from the network.
      if (System.getProperty("ai.djl.offline") == null) {
        System.setProperty("ai.djl.offline", "true");
      }
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
      initialized = true;
    }
    Engine engine = Engine.getEngine("PyTorch");
    if (threads > 0 && JniUtils.getNumThreads() != threads) {
      JniUtils.setNumThreads(threads);
    }
    return engine;
  }

  /** The torch intra-op thread count now in effect. */
  public static int threads() {
    return JniUtils.getNumThreads();
  }

  /**
   * The device for {@code choice}: {@code cpu}; {@code gpu} (fails fast with the reason when
   * this build or machine has no usable GPU); {@code auto} (the GPU if there is one, else the
   * CPU, saying why on {@code log}).
   */
  public static Device device(String choice, java.io.PrintStream log) {
    String c = choice == null ? "auto" : choice.toLowerCase(Locale.ROOT);
    Engine engine = Engine.getEngine("PyTorch");
    int gpus = engine.getGpuCount();
    switch (c) {
      case "cpu":
        return Device.cpu();
      case "gpu":
      case "cuda":
        if (gpus == 0) {
          throw new IllegalStateException("--device gpu: no CUDA GPU is usable (" + whyNoGpu()
              + "); use --device cpu or --device auto");
        }
        return Device.gpu();
      case "auto":
        if (gpus == 0) {
          if (log != null) {
            log.println("device auto: no CUDA GPU usable (" + whyNoGpu() + "); training on the CPU");
          }
          return Device.cpu();
        }
        return Device.gpu();
      default:
        throw new IllegalArgumentException("--device must be cpu, gpu or auto, got '" + choice + "'");
    }
  }

  private static String whyNoGpu() {
    String path = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
    if (!path.contains("-cu")) {
      return "the libtorch loaded is the CPU build (" + path + "); build with the Maven profile -Pcuda for CUDA natives";
    }
    return "the CUDA libtorch is loaded (" + path + ") but CUDA sees no device";
  }
}
