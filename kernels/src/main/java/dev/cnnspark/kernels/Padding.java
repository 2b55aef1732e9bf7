package dev.cnnspark.kernels;

/** Keras/TensorFlow padding modes for convolution and pooling. */
public enum Padding {
  /** No padding: only windows fully inside the input. */
  VALID,
  /** Output size ceil(in / stride); the odd padding element goes to the bottom/right, as in TensorFlow. */
  SAME;

  public static Padding parse(String s) {
    for (Padding p : values()) {
      if (p.name().equalsIgnoreCase(s)) {
        return p;
      }
    }
    throw new IllegalArgumentException("padding must be 'valid' or 'same', got '" + s + "'");
  }
}
