package dev.zeroshot.env.space;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Named sub-spaces, keys sorted as Gymnasium's Dict sorts them. An element is the sub-elements
 * laid end to end in key order; {@link #offsetOf(String)} says where each one starts.
 */
public record DictSpace(Map<String, Space> spaces) implements Space {

  public DictSpace {
    if (spaces.isEmpty()) {
      throw new IllegalArgumentException("Dict space needs at least one entry");
    }
    Map<String, Space> sorted = new TreeMap<>();
    for (Map.Entry<String, Space> e : spaces.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank()) {
        throw new IllegalArgumentException("Dict space keys must be non-empty strings");
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("Dict space entry '" + e.getKey() + "' has no space");
      }
      sorted.put(e.getKey(), e.getValue());
    }
    spaces = Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
  }

  /** Byte offset of a key's sub-element inside one Dict element. */
  public int offsetOf(String key) {
    int off = 0;
    for (Map.Entry<String, Space> e : spaces.entrySet()) {
      if (e.getKey().equals(key)) {
        return off;
      }
      off += e.getValue().byteSize();
    }
    throw new IllegalArgumentException("no key '" + key + "' in " + this + "; keys: " + spaces.keySet());
  }

  @Override
  public int byteSize() {
    int n = 0;
    for (Space s : spaces.values()) {
      n += s.byteSize();
    }
    return n;
  }

  @Override
  public int[] shape() {
    return new int[] {byteSize()};
  }

  @Override
  public String check(ByteBuffer buf, int offset) {
    int off = offset;
    for (Map.Entry<String, Space> e : spaces.entrySet()) {
      String problem = e.getValue().check(buf, off);
      if (problem != null) {
        return "'" + e.getKey() + "': " + problem;
      }
      off += e.getValue().byteSize();
    }
    return null;
  }

  @Override
  public void sample(SplittableRandom rng, ByteBuffer buf, int offset) {
    int off = offset;
    for (Space s : spaces.values()) {
      s.sample(rng, buf, off);
      off += s.byteSize();
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Dict(");
    String sep = "";
    for (Map.Entry<String, Space> e : spaces.entrySet()) {
      sb.append(sep).append('\'').append(e.getKey()).append("': ").append(e.getValue());
      sep = ", ";
    }
    return sb.append(')').toString();
  }
}
