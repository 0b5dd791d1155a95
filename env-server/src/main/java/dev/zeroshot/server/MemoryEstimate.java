package dev.zeroshot.server;

import java.util.Locale;

/**
 * What a Make's envs are estimated to hold in memory, for the server's memory budget
 * ({@code --max-memory}), known before any env is made. Per env: its observation
 * {@link #OBSERVATION_COPIES} times (the env's own frame and render state, the session's step
 * buffers, the reply in gRPC's buffers), its action twice, and {@link #STATE_BYTES} of state.
 * Calibrated on the built-in envs (256 envs, 50 steps, heap measured after GC): a Procgen env
 * (64x64x3 frames, 12,288 bytes) held 44-45 KB of heap besides its step buffers, a CartPole env
 * under 1 KB; so a Procgen env is estimated at 78 KB, a CartPole env at 4.2 KB.
 */
final class MemoryEstimate {

  static final int OBSERVATION_COPIES = 6;
  static final int STATE_BYTES = 4096;

  private MemoryEstimate() {}

  /** The estimate for {@code numEnvs} envs whose observation and action take these many bytes. */
  static long bytes(int numEnvs, long observationBytes, long actionBytes) {
    return numEnvs * (OBSERVATION_COPIES * observationBytes + 2 * actionBytes + STATE_BYTES);
  }

  /** Bytes as a person reads them: "78.1 MiB". */
  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " bytes";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes / 1024.0;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
