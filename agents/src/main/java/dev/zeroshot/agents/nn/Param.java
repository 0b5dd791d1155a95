package dev.zeroshot.agents.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * One trainable tensor. The Java array {@link #value} is the master copy (the optimizer updates
 * it); {@link #array} is the torch tensor the network computes with, rewritten from the master
 * copy after every update. A parameter the network never sees (a Gaussian policy's log standard
 * deviations, whose gradient the loss computes in Java) has no tensor.
 */
public final class Param {

  public final String name;
  public final int[] shape;
  public final float[] value;
  /** The gradient of the last backward pass (or set by the loss for Java-only params). */
  public final float[] grad;
  private NDArray array;
  private ByteBuffer staging;


  Param(String name, int[] shape, float[] value) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (value.length != n) {
      throw new IllegalArgumentException("param " + name + ": " + value.length + " values for shape " + java.util.Arrays.toString(shape));
    }
    this.name = name;
    this.shape = shape.clone();
    this.value = value;
    this.grad = new float[n];
  }

  public int size() {
    return value.length;
  }

  /** The tensor, or null for a Java-only parameter. */
  public NDArray array() {
    return array;
  }

  /** Makes this parameter's tensor in {@code manager} on {@code device}, requiring gradients. */
  void attach(NDManager manager, Device device) {
    staging = ByteBuffer.allocateDirect(4 * value.length).order(ByteOrder.nativeOrder());
    staging.asFloatBuffer().put(value);
    // create() copies the staging buffer's content; toDevice copies again for a GPU.
    NDArray cpu = manager.create(copyOf(staging), new Shape(toLong(shape)), ai.djl.ndarray.types.DataType.FLOAT32);
    array = device.isGpu() ? cpu.toDevice(device, false) : cpu;
    if (array != cpu) {
      cpu.close();
    }
    array.setRequiresGradient(true);
  }

  private static ByteBuffer copyOf(ByteBuffer b) {
    ByteBuffer c = ByteBuffer.allocateDirect(b.capacity()).order(ByteOrder.nativeOrder());
    c.put(b.duplicate().rewind());
    return c.rewind();
  }

  /** Copies the master value into the tensor. */
  void push() {
    if (array == null) {
      return;
    }
    FloatBuffer fb = staging.asFloatBuffer();
    fb.put(value);
    JniUtils.set((PtNDArray) array, staging);
  }

  /** Copies the tensor's accumulated gradient into {@link #grad} and zeroes it in torch. */
  void pullGradient() {
    if (array == null) {
      return;
    }
    try (NDArray g = array.getGradient()) {
      Tensors.read(g, grad);
    }
    JniUtils.zeroGrad((PtNDArray) array);
  }

  static long[] toLong(int[] shape) {
    long[] s = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      s[i] = shape[i];
    }
    return s;
  }
}
