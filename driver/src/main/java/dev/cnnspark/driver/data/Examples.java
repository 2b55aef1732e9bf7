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
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Examples.class);
  private final float[] x;
  private final float[] y;
  private final boolean skipBad;
  private final DataSource.Sink sink;
  private int n;
  private int skipped;

  /**
   * @param mode bad records left out ({@link #bad}) or fatal; with a sink, examples are handed to it a chunk at a
   *             time (buffers of one chunk, reused)
   */
  Examples(Shape shape, int classes, boolean binary, int examples, DataSource.ReadMode mode) {
    this.skipBad = mode.skipBad();
    this.sink = mode.sink();
    int capacity = sink == null ? examples : Math.max(1, Math.min(examples, mode.chunk()));
    this.shape = shape;
    this.size = shape.size();
    this.classes = classes;
    this.binary = binary;
    this.x = new float[Math.multiplyExact(capacity, size)];
    this.y = new float[capacity * (width())];
  }

  /** Label columns: one-hot over the classes; one for a binary source, and a zero placeholder for an unlabelled one. */
  private int width() {
    return binary || classes == 0 ? 1 : classes;
  }

  /** The shape of one example. */
  Shape shape() {
    return shape;
  }

  /** The input row of the next example, to be filled by the caller (then {@link #label}). */
  int nextOffset() {
    return n * size;
  }

  float[] x() {
    return x;
  }

  /**
   * Writes the current example's features, scaled: a row of another length than the example's, or a value that is not
   * finite, is refused naming the record (the tables' rows).
   */
  void features(double[] values, Rescale rescale, String file, String record) {
    if (values.length != size) {
      throw new DataFormatException(file, record + ": " + values.length + " features, the first row has " + size);
    }
    int o = nextOffset();
    for (int k = 0; k < size; k++) {
      if (!Double.isFinite(values[k])) {
        throw new DataFormatException(file, record + ": feature " + k + " is " + values[k]);
      }
      x[o + k] = rescale.value(values[k]);
    }
  }

  /** Completes the current example of an unlabelled source (no classes: {@code data.label_mode: none}). */
  void unlabelled() {
    if (classes != 0 || binary) {
      throw new IllegalStateException("a labelled source's example needs its class");
    }
    n++;
    if (sink != null && n * size == x.length) {
      flush();
    }
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
    if (sink != null && n * size == x.length) {
      flush();
    }
  }

  private void flush() {
    if (n == 0) {
      return;
    }
    int w = width();
    try {
      sink.accept(new Dataset(java.util.Arrays.copyOf(x, n * size), java.util.Arrays.copyOf(y, n * w), shape, w, n));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    java.util.Arrays.fill(y, 0f);
    n = 0;
  }

  /**
   * A record the caller could not decode: rethrown, or with {@code on_bad_record: skip} logged and left out (the
   * next record takes its place).
   */
  void bad(dev.cnnspark.worker.data.DataFormatException e) {
    if (!skipBad) {
      throw e;
    }
    skipped++;
    LOG.warn("skipped a bad record (data.on_bad_record: skip): {}", e.getMessage());
  }

  Dataset build() {
    int w = width();
    if (sink != null) {
      flush();
      return new Dataset(new float[0], new float[0], shape, w, 0);
    }
    if (n * size == x.length) {
      return new Dataset(x, y, shape, w, n);
    }
    if (skipped == 0) {
      throw new IllegalStateException(n + " examples built, " + x.length / size + " expected");
    }
    return new Dataset(java.util.Arrays.copyOf(x, n * size), java.util.Arrays.copyOf(y, n * w), shape, w, n);
  }
}
