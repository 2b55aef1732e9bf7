package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.Padding;
import dev.cnnspark.worker.Shape;

/** Keras' {@code AveragePooling2D}: with 'same' padding the average counts only elements inside the input. */
public final class AveragePooling2D extends Pooling2D {
  public AveragePooling2D(int ph, int pw, int sh, int sw, Padding padding, Shape inputShape) {
    super("AveragePooling2D", ph, pw, sh, sw, padding, inputShape);
  }

  private AveragePooling2D(String type, int pool, int stride, Padding padding, Shape inputShape) {
    super(type, 1, pool, 1, stride, padding, inputShape);
  }

  /** Keras' {@code AveragePooling1D(pool_size, strides, padding)} over {@code (steps, channels)}. */
  public static AveragePooling2D pooling1D(int pool, int stride, Padding padding, Shape inputShape) {
    return new AveragePooling2D("AveragePooling1D", pool, stride, padding, inputShape);
  }

  public AveragePooling2D(int poolSize) {
    this(poolSize, poolSize, poolSize, poolSize, Padding.VALID, null);
  }

  @Override
  public void forward(Pass p) {
    p.backend().avgPoolForward(geometry.withBatch(p.rows()), inOff, outOff);
  }

  @Override
  public void backward(Pass p) {
    if (inDeltaOff >= 0) {
      p.backend().avgPoolBackward(geometry.withBatch(p.rows()), deltaOff, inDeltaOff);
    }
  }
}
