package dev.zeroshot.env.curriculum;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A curriculum's {@code k=v,...} options, parsed once: each taken by name with its type and
 * range, and any left untaken refused with the names that are allowed.
 */
final class Options {

  private final String curriculum;
  private final Map<String, String> values = new LinkedHashMap<>();

  Options(String curriculum, String text) {
    this.curriculum = curriculum;
    if (text == null || text.isBlank()) {
      return;
    }
    for (String part : text.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
        throw new IllegalArgumentException(curriculum + " option '" + part.strip() + "' must be KEY=VALUE");
      }
      if (values.put(kv[0].strip(), kv[1].strip()) != null) {
        throw new IllegalArgumentException(curriculum + " option '" + kv[0].strip() + "' is given twice");
      }
    }
  }

  double number(String key, double dflt, double lo, double hi) {
    String v = values.remove(key);
    if (v == null) {
      return dflt;
    }
    double x;
    try {
      x = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      x = Double.NaN;
    }
    if (!(x >= lo && x <= hi)) {
      throw new IllegalArgumentException(curriculum + " option " + key + " must be a number in [" + lo + ", " + hi
          + "], got '" + v + "'");
    }
    return x;
  }

  int integer(String key, int dflt, int lo, int hi) {
    String v = values.remove(key);
    if (v == null) {
      return dflt;
    }
    try {
      int x = Integer.parseInt(v);
      if (x >= lo && x <= hi) {
        return x;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(curriculum + " option " + key + " must be a whole number in [" + lo + ", "
        + hi + "], got '" + v + "'");
  }

  boolean flag(String key, boolean dflt) {
    String v = values.remove(key);
    if (v == null) {
      return dflt;
    }
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new IllegalArgumentException(curriculum + " option " + key + " must be true or false, got '" + v + "'");
  }

  String choice(String key, String dflt, String... allowed) {
    String v = values.remove(key);
    if (v == null) {
      return dflt;
    }
    for (String a : allowed) {
      if (a.equals(v)) {
        return v;
      }
    }
    throw new IllegalArgumentException(curriculum + " option " + key + " must be one of " + String.join(", ", allowed)
        + ", got '" + v + "'");
  }

  /** Refuses any option not taken; {@code known} lists the ones this curriculum has. */
  void requireAllUsed(String known) {
    if (!values.isEmpty()) {
      throw new IllegalArgumentException("unknown " + curriculum + " option" + (values.size() > 1 ? "s " : " ")
          + String.join(", ", values.keySet()) + "; " + curriculum + " takes: "
          + (known.isEmpty() ? "no options" : known));
    }
  }
}
