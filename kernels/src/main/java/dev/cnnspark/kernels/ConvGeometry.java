package dev.cnnspark.kernels;

/**
 * Shape of one 2-D convolution or pooling window pass over an NHWC batch.
 * Input {@code [n, h, w, c]}, kernel {@code [kh, kw, c, oc]} (HWIO, Keras' layout), output {@code [n, oh, ow, oc]}.
 * For pooling {@code oc == c}. {@code pt}/{@code pl} are the top/left padding.
 */
public record ConvGeometry(int n, int h, int w, int c, int kh, int kw, int sh, int sw, int pt, int pl,
                           int oh, int ow, int oc) {

  public ConvGeometry {
    if (n <= 0 || h <= 0 || w <= 0 || c <= 0 || kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || oc <= 0) {
      throw new IllegalArgumentException("conv geometry needs positive sizes: " + this);
    }
    if (oh <= 0 || ow <= 0) {
      throw new IllegalArgumentException("window " + kh + "x" + kw + " with strides " + sh + "x" + sw
          + " leaves no output on a " + h + "x" + w + " input");
    }
    if (pt < 0 || pl < 0 || pt >= kh || pl >= kw) {
      throw new IllegalArgumentException("padding must be in [0, kernel size): " + this);
    }
  }

  /** Keras' output size and padding for the given input, window, strides and padding mode. */
  public static ConvGeometry of(int n, int h, int w, int c, int kh, int kw, int sh, int sw, Padding padding, int oc) {
    if (padding == Padding.VALID) {
      int oh = h >= kh ? (h - kh) / sh + 1 : 0;
      int ow = w >= kw ? (w - kw) / sw + 1 : 0;
      return new ConvGeometry(n, h, w, c, kh, kw, sh, sw, 0, 0, oh, ow, oc);
    }
    int oh = (h + sh - 1) / sh;
    int ow = (w + sw - 1) / sw;
    int padH = Math.max((oh - 1) * sh + kh - h, 0);
    int padW = Math.max((ow - 1) * sw + kw - w, 0);
    return new ConvGeometry(n, h, w, c, kh, kw, sh, sw, padH / 2, padW / 2, oh, ow, oc);
  }

  /** The same geometry for another batch size. */
  public ConvGeometry withBatch(int batch) {
    return new ConvGeometry(batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow, oc);
  }

  public int inputSize() {
    return n * h * w * c;
  }

  public int outputSize() {
    return n * oh * ow * oc;
  }

  public int kernelSize() {
    return kh * kw * c * oc;
  }

  /** Multiply-adds of the forward pass; backward-data and backward-filter cost the same each. */
  public long macs() {
    return (long) n * oh * ow * oc * kh * kw * c;
  }
}
