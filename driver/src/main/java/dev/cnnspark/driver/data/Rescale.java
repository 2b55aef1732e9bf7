package dev.cnnspark.driver.data;

import java.io.Serializable;

/**
 * The spec's {@code data.rescale}: a factor every input value is multiplied by (Keras' {@code rescale} of
 * {@code ImageDataGenerator}), or {@code auto}: 8-bit pixel data (IDX, CIFAR, images, uint8 arrays) divided by 255,
 * so it lands in [0, 1] with the same bits the MNIST reader always produced, and other numbers (float arrays, table
 * columns) as they are.
 */
record Rescale(boolean auto, float factor) implements Serializable {
  static Rescale parse(String spec) {
    if (spec == null || spec.isBlank() || spec.equals("auto")) {
      return new Rescale(true, 1f);
    }
    return new Rescale(false, (float) Double.parseDouble(spec));
  }

  /** A pixel value (0..255, or between two after a resize) scaled. */
  float pixel(float v) {
    return auto ? v / 255f : v * factor;
  }

  /** Any other number scaled. */
  float value(double v) {
    return auto ? (float) v : (float) (v * factor);
  }
}
