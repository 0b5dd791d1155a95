package dev.zeroshot.env.procgen;

import java.util.Locale;

/** Procgen's distribution modes, with the integer codes its C++ and Python sides use. */
public enum DistributionMode {
  EASY(0),
  HARD(1),
  EXTREME(2),
  MEMORY(10);

  public final int code;

  DistributionMode(int code) {
    this.code = code;
  }

  /** The lower-case name used in env ids and on the command line. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DistributionMode parse(String s) {
    for (DistributionMode m : values()) {
      if (m.id().equalsIgnoreCase(s.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown distribution mode '" + s + "'; expected easy, hard, extreme or memory");
  }
}
