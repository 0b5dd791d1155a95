package dev.zeroshot.env.space;

import java.nio.ByteBuffer;

/**
 * Element types of tensors, with numpy's names. Values are stored little-endian in
 * {@link ByteBuffer}s; callers set {@code ByteOrder.LITTLE_ENDIAN} on the buffers they pass.
 */
public enum DType {
  UINT8("uint8", 1, true),
  INT32("int32", 4, true),
  INT64("int64", 8, true),
  FLOAT32("float32", 4, false),
  FLOAT64("float64", 8, false);

  private final String numpyName;
  private final int byteSize;
  private final boolean integral;

  DType(String numpyName, int byteSize, boolean integral) {
    this.numpyName = numpyName;
    this.byteSize = byteSize;
    this.integral = integral;
  }

  /** The numpy dtype name, as on the wire ({@code "float32"}). */
  public String numpyName() {
    return numpyName;
  }

  public int byteSize() {
    return byteSize;
  }

  public boolean isIntegral() {
    return integral;
  }

  /** Reads one element at byte offset {@code offset} as a double (uint8 as 0..255). */
  public double read(ByteBuffer buf, int offset) {
    switch (this) {
      case UINT8: return buf.get(offset) & 0xFF;
      case INT32: return buf.getInt(offset);
      case INT64: return buf.getLong(offset);
      case FLOAT32: return buf.getFloat(offset);
      default: return buf.getDouble(offset);
    }
  }

  /** Writes one element at byte offset {@code offset}, converting from double as numpy's astype would. */
  public void write(ByteBuffer buf, int offset, double value) {
    switch (this) {
      case UINT8: buf.put(offset, (byte) (long) value); break;
      case INT32: buf.putInt(offset, (int) value); break;
      case INT64: buf.putLong(offset, (long) value); break;
      case FLOAT32: buf.putFloat(offset, (float) value); break;
      default: buf.putDouble(offset, value);
    }
  }

  /** Looks a dtype up by its numpy name; the error lists the allowed names. */
  public static DType fromNumpyName(String name) {
    for (DType t : values()) {
      if (t.numpyName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown dtype '" + name + "'; allowed: uint8, int32, int64, float32, float64");
  }
}
