package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.Padding;
import dev.cnnspark.worker.Shape;

/** Keras' {@code MaxPooling2D}: the gradient goes to each window's first maximum. */
public final class MaxPooling2D extends Pooling2D {
  public MaxPooling2D(int ph, int pw, int sh, int sw, Padding padding, Shape inputShape) {
    super("MaxPooling2D", ph, pw, sh, sw, padding, inputShape);
  }

  private MaxPooling2D(String type, int pool, int stride, Padding padding, Shape inputShape) {
    super(type, 1, pool, 1, stride, padding, inputShape);
  }

  /** Keras' {@code MaxPooling1D(pool_size, strides, padding)} over {@code (steps, channels)}. */
  public static MaxPooling2D pooling1D(int pool, int stride, Padding padding, Shape inputShape) {
    return new MaxPooling2D("MaxPooling1D", pool, stride, padding, inputShape);
  }

  /** {@code MaxPooling2D(pool_size=(k, k))}: strides k, valid padding. */
  public MaxPooling2D(int poolSize) {
    this(poolSize, poolSize, poolSize, poolSize, Padding.VALID, null);
  }

  @Override
  public void forward(Pass p) {
    p.backend().maxPoolForward(geometry.withBatch(p.rows()), inOff, outOff);
  }

  @Override
  public void backward(Pass p) {
    if (inDeltaOff >= 0) {
      p.backend().maxPoolBackward(geometry.withBatch(p.rows()), inOff, deltaOff, inDeltaOff);
    }
  }
}
