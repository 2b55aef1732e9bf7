package dev.cnnspark.worker.layers;

import dev.cnnspark.worker.Shape;

/** Keras' {@code Flatten}: NHWC is already contiguous per example, so it is a view, no op and no copy. */
public final class Flatten extends ViewLayer {
  public Flatten() {
    super("Flatten", null);
  }

  public Flatten(Shape inputShape) {
    super("Flatten", inputShape);
  }

  @Override
  public Shape outputShape(Shape input) {
    return Shape.of(input.size());
  }
}
