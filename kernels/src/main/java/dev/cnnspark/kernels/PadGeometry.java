package dev.cnnspark.kernels;

/**
 * Zero padding or cropping of an NHWC batch: input {@code [n, h, w, c]} placed at row {@code top} and column
 * {@code left} of an output {@code [n, h + top + bottom, w + left + right, c]}. Negative amounts crop (Keras'
 * {@code Cropping2D}); a 1-D layer is {@code h = 1}.
 */
public record PadGeometry(int n, int h, int w, int c, int top, int bottom, int left, int right) {

  public PadGeometry {
    if (n <= 0 || h <= 0 || w <= 0 || c <= 0) {
      throw new IllegalArgumentException("padding needs positive sizes: " + this);
    }
    if (h + top + bottom <= 0 || w + left + right <= 0) {
      throw new IllegalArgumentException("cropping " + (-top) + "+" + (-bottom) + " rows and " + (-left) + "+"
          + (-right) + " columns leaves nothing of a " + h + "x" + w + " input");
    }
  }

  public int oh() {
    return h + top + bottom;
  }

  public int ow() {
    return w + left + right;
  }

  public int inputSize() {
    return n * h * w * c;
  }

  public int outputSize() {
    return n * oh() * ow() * c;
  }

  public PadGeometry withBatch(int batch) {
    return new PadGeometry(batch, h, w, c, top, bottom, left, right);
  }
}
