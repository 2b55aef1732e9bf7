package dev.cnnspark.worker.data;

import dev.cnnspark.worker.Shape;

/**
 * Examples in memory: {@code x} holds {@code count} examples of {@code shape} (NHWC, float32, contiguous), {@code y}
 * holds {@code count} label rows of {@code labelWidth} floats (one-hot for categorical losses).
 */
public record Dataset(float[] x, float[] y, Shape shape, int labelWidth, int count) implements Rows {

  public Dataset {
    if (count < 0 || labelWidth <= 0) {
      throw new IllegalArgumentException("dataset needs count >= 0 and labelWidth > 0");
    }
    if ((long) count * shape.size() != x.length) {
      throw new IllegalArgumentException("inputs hold " + x.length + " floats, expected " + count + " examples of "
          + shape + " = " + (long) count * shape.size());
    }
    if ((long) count * labelWidth != y.length) {
      throw new IllegalArgumentException("labels hold " + y.length + " floats, expected " + count + " rows of "
          + labelWidth);
    }
  }

  /** Examples {@code [from, to)} as a new dataset (copies). */
  public Dataset slice(int from, int to) {
    if (from < 0 || to > count || from > to) {
      throw new IllegalArgumentException("slice [" + from + ", " + to + ") outside [0, " + count + ")");
    }
    int s = shape.size();
    float[] xs = java.util.Arrays.copyOfRange(x, from * s, to * s);
    float[] ys = java.util.Arrays.copyOfRange(y, from * labelWidth, to * labelWidth);
    return new Dataset(xs, ys, shape, labelWidth, to - from);
  }

  /** The first {@code n} examples (or all, if fewer). */
  public Dataset take(int n) {
    return slice(0, Math.min(n, count));
  }

  /** One-hot rows of {@code classes} columns from integer labels. */
  public static float[] oneHot(int[] labels, int classes) {
    float[] y = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " outside [0, " + classes + ")");
      }
      y[i * classes + labels[i]] = 1f;
    }
    return y;
  }

  @Override
  public void copyX(int index, float[] dst, int off) {
    int n = shape.size();
    System.arraycopy(x, index * n, dst, off, n);
  }

  @Override
  public void copyY(int index, float[] dst, int off) {
    System.arraycopy(y, index * labelWidth, dst, off, labelWidth);
  }
}
