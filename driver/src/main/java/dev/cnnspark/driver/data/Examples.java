package dev.cnnspark.driver.data;

import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.data.DataFormatException;
import dev.cnnspark.worker.data.Dataset;

/**
 * Builds a {@link Dataset} from decoded examples, one at a time: the input row (already scaled) and the integer
 * class, which becomes a one-hot row over the classes or, for a binary source, one 0/1 column. A class outside the
 * source's classes is refused with the record named.
 */
final class Examples {
  private final Shape shape;
  private final int size;
  private final int classes;
  private final boolean binary;
  private final float[] x;
  private final float[] y;
  private int n;

  Examples(Shape shape, int classes, boolean binary, int capacity) {
    this.shape = shape;
    this.size = shape.size();
    this.classes = classes;
    this.binary = binary;
    this.x = new float[Math.multiplyExact(capacity, size)];
    this.y = new float[capacity * (binary ? 1 : classes)];
  }

  /** The input row of the next example, to be filled by the caller (then {@link #label}). */
  int nextOffset() {
    return n * size;
  }

  float[] x() {
    return x;
  }

  /** Completes the current example with its class. */
  void label(int cls, String file, String record) {
    if (cls < 0 || cls >= classes) {
      throw new DataFormatException(file, record + ": label " + cls + " is outside the " + classes + " classes (0.."
          + (classes - 1) + ")");
    }
    if (binary) {
      y[n] = cls;
    } else {
      y[n * classes + cls] = 1f;
    }
    n++;
  }

  Dataset build() {
    if (n * size != x.length) {
      throw new IllegalStateException(n + " examples built, " + x.length / size + " expected");
    }
    return new Dataset(x, y, shape, binary ? 1 : classes, n);
  }
}
