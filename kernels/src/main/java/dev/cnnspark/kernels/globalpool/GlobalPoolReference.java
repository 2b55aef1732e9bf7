package dev.cnnspark.kernels.globalpool;

/**
 * Plain-Java reference of global pooling over {@code x[n, s, c]} (s = h * w positions, NHWC): max takes the first
 * maximum, mean sums in double. Backward: max routes {@code dy[b, ch]} to the first maximum and writes 0 at every
 * other position; mean writes {@code dy[b, ch] / s} everywhere.
 */
public final class GlobalPoolReference {
  private GlobalPoolReference() {
  }

  public static void forward(boolean max, int n, int s, int c, float[] x, int xOff, float[] y, int yOff) {
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        if (max) {
          y[yOff + b * c + ch] = x[xOff + argmax(s, c, x, xOff, b, ch)];
        } else {
          double sum = 0;
          for (int p = 0; p < s; p++) {
            sum += x[xOff + (b * s + p) * c + ch];
          }
          y[yOff + b * c + ch] = (float) (sum / s);
        }
      }
    }
  }

  public static void backward(boolean max, int n, int s, int c, float[] x, int xOff, float[] dy, int dyOff,
                              float[] dx, int dxOff) {
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        float d = dy[dyOff + b * c + ch];
        int best = max ? argmax(s, c, x, xOff, b, ch) : -1;
        for (int p = 0; p < s; p++) {
          int i = (b * s + p) * c + ch;
          dx[dxOff + i] = max ? (i == best ? d : 0f) : (float) ((double) d / s);
        }
      }
    }
  }

  /** Index (relative to xOff) of the first maximum of channel ch of image b. */
  static int argmax(int s, int c, float[] x, int xOff, int b, int ch) {
    int best = b * s * c + ch;
    for (int p = 1; p < s; p++) {
      int i = (b * s + p) * c + ch;
      if (x[xOff + i] > x[xOff + best]) {
        best = i;
      }
    }
    return best;
  }
}
