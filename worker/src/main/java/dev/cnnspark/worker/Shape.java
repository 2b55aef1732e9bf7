package dev.cnnspark.worker;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A per-example tensor shape (no batch axis): {@code (h, w, c)} for images, {@code (n)} for vectors. */
public record Shape(int[] dims) {
  public Shape {
    if (dims.length == 0) {
      throw new IllegalArgumentException("a shape needs at least one dimension");
    }
    for (int d : dims) {
      if (d <= 0) {
        throw new IllegalArgumentException("shape dimensions must be positive: " + Arrays.toString(dims));
      }
    }
    dims = dims.clone();
  }

  public static Shape of(int... dims) {
    return new Shape(dims);
  }

  public int rank() {
    return dims.length;
  }

  public int dim(int i) {
    return dims[i];
  }

  /** Elements per example. */
  public int size() {
    long s = 1;
    for (int d : dims) {
      s *= d;
    }
    if (s > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape too large: " + this);
    }
    return (int) s;
  }

  /** The last axis: channels of an image, features of a vector. */
  public int channels() {
    return dims[dims.length - 1];
  }

  @Override
  public int[] dims() {
    return dims.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** Keras' notation with the batch axis: {@code (None, 26, 26, 32)}. */
  public String withBatch() {
    return "(None, " + Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(", ")) + ")";
  }

  @Override
  public String toString() {
    return "(" + Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(", "))
        + (dims.length == 1 ? ",)" : ")");
  }
}
