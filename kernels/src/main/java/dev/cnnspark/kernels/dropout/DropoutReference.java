package dev.cnnspark.kernels.dropout;

/**
 * Plain-Java reference of inverted dropout: {@code y = x * mask / (1 - rate)}, {@code dx = dy * mask / (1 - rate)},
 * with the mask of {@link DropoutMask}.
 */
public final class DropoutReference {
  private DropoutReference() {
  }

  public static void forward(int len, float rate, long seed, float[] x, int xOff, float[] y, int yOff) {
    apply(len, rate, seed, x, xOff, y, yOff);
  }

  public static void backward(int len, float rate, long seed, float[] dy, int dyOff, float[] dx, int dxOff) {
    apply(len, rate, seed, dy, dyOff, dx, dxOff);
  }

  private static void apply(int len, float rate, long seed, float[] in, int inOff, float[] out, int outOff) {
    int lo = DropoutMask.lo(seed);
    int hi = DropoutMask.hi(seed);
    for (int i = 0; i < len; i++) {
      boolean keep = DropoutMask.uniform(lo, hi, i) >= rate;
      out[outOff + i] = keep ? (float) (in[inOff + i] / (1.0 - rate)) : 0f;
    }
  }
}
