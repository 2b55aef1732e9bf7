package dev.cnnspark.worker.layers;

import dev.cnnspark.worker.Shape;
import java.util.List;
import java.util.Map;

/**
 * Keras' {@code GlobalMaxPooling2D}, {@code GlobalAveragePooling2D}, {@code GlobalMaxPooling1D} and
 * {@code GlobalAveragePooling1D}: the max or mean of each channel over all positions, {@code (channels)} out, or
 * {@code (1, 1, channels)} / {@code (1, channels)} with {@code keepdims}.
 */
public final class GlobalPooling extends Layer {
  private final boolean max;
  private final boolean oneD;
  private final boolean keepDims;

  public GlobalPooling(String type, boolean keepDims, Shape inputShape) {
    super(type, inputShape);
    if (!List.of("GlobalMaxPooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalAveragePooling1D")
        .contains(type)) {
      throw new IllegalArgumentException("not a global pooling layer: " + type);
    }
    this.max = type.startsWith("GlobalMax");
    this.oneD = type.endsWith("1D");
    this.keepDims = keepDims;
  }

  @Override
  public Shape outputShape(Shape input) {
    requireSpatial(input, oneD);
    int c = input.channels();
    return !keepDims ? Shape.of(c) : oneD ? Shape.of(1, c) : Shape.of(1, 1, c);
  }

  private int positions() {
    return in.size() / in.channels();
  }

  @Override
  public void forward(Pass p) {
    p.backend().globalPoolForward(max, p.rows(), positions(), in.channels(), inOff, outOff);
  }

  @Override
  public void backward(Pass p) {
    if (inDeltaOff >= 0) {
      p.backend().globalPoolBackward(max, p.rows(), positions(), in.channels(), inOff, deltaOff, inDeltaOff);
    }
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    if (keepDims) {
      c.put("keepdims", true);
    }
    return c;
  }
}
