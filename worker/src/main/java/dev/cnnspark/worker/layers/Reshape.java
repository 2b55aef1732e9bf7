package dev.cnnspark.worker.layers;

import dev.cnnspark.worker.Shape;
import java.util.Arrays;
import java.util.Map;

/**
 * Keras' {@code Reshape(target_shape)}: a view of the same contiguous example (no op, no copy), one dimension may be
 * -1 (inferred).
 */
public final class Reshape extends ViewLayer {
  private final int[] target;

  public Reshape(int[] target, Shape inputShape) {
    super("Reshape", inputShape);
    int unknown = 0;
    for (int d : target) {
      if (d == -1) {
        unknown++;
      } else if (d <= 0) {
        throw new IllegalArgumentException("Reshape target_shape needs positive sizes or one -1, got "
            + Arrays.toString(target));
      }
    }
    if (target.length == 0 || unknown > 1) {
      throw new IllegalArgumentException("Reshape target_shape needs at least one size and at most one -1, got "
          + Arrays.toString(target));
    }
    this.target = target.clone();
  }

  @Override
  public Shape outputShape(Shape input) {
    int known = 1;
    int unknownAt = -1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        unknownAt = i;
      } else {
        known *= target[i];
      }
    }
    int[] dims = target.clone();
    if (unknownAt >= 0 && input.size() % known == 0) {
      dims[unknownAt] = input.size() / known;
    }
    Shape out = unknownAt >= 0 && dims[unknownAt] <= 0 ? null : Shape.of(dims);
    if (out == null || out.size() != input.size()) {
      throw new IllegalArgumentException(describe() + ": cannot reshape " + input + " (" + input.size()
          + " values) to " + Arrays.toString(target));
    }
    return out;
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("target_shape", target.clone());
    return c;
  }
}
