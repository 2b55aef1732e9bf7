package dev.cnnspark.kernels.dense;

import dev.cnnspark.kernels.Activation;

/**
 * Plain-Java reference of the dense layer's three products, double accumulators.
 * <pre>
 * x [rows, in], w [in, out] (Keras' layout), b [out], y [rows, out]
 * forward         y  = act(x . w + b)
 * backward data   dx = dy . w^T
 * backward filter dw += x^T . dy
 * </pre>
 */
public final class DenseReference {
  private DenseReference() {
  }

  public static void forward(int rows, int in, int out, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                             float[] y, int yOff, Activation act) {
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < out; j++) {
        double acc = bOff >= 0 ? b[bOff + j] : 0.0;
        for (int k = 0; k < in; k++) {
          acc += (double) x[xOff + r * in + k] * w[wOff + k * out + j];
        }
        y[yOff + r * out + j] = Activation.apply(act.code, (float) acc);
      }
    }
  }

  public static void backwardData(int rows, int in, int out, float[] dy, int dyOff, float[] w, int wOff,
                                  float[] dx, int dxOff) {
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < in; k++) {
        double acc = 0;
        for (int j = 0; j < out; j++) {
          acc += (double) dy[dyOff + r * out + j] * w[wOff + k * out + j];
        }
        dx[dxOff + r * in + k] = (float) acc;
      }
    }
  }

  public static void backwardFilter(int rows, int in, int out, float[] x, int xOff, float[] dy, int dyOff,
                                    float[] dw, int dwOff) {
    for (int k = 0; k < in; k++) {
      for (int j = 0; j < out; j++) {
        double acc = 0;
        for (int r = 0; r < rows; r++) {
          acc += (double) x[xOff + r * in + k] * dy[dyOff + r * out + j];
        }
        dw[dwOff + k * out + j] += (float) acc;
      }
    }
  }
}
