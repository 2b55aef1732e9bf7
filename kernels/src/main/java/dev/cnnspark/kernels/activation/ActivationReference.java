package dev.cnnspark.kernels.activation;

import dev.cnnspark.kernels.Activation;

/**
 * Plain-Java reference of element-wise activations and row-wise softmax, computed in double.
 * <pre>
 * relu y = max(x, 0)          dx = dy * (y > 0)
 * sigmoid y = 1/(1+e^-x)      dx = dy * y * (1 - y)
 * tanh                        dx = dy * (1 - y^2)
 * relu6 y = min(max(x, 0), 6)  dx = dy * (0 < y < 6)
 * relu(max m, slope a) y = x > 0 ? min(x, m) : a x     dx = dy * (y > 0 ? (y < m) : a)
 * softmax y_j = e^(x_j - m) / sum_k e^(x_k - m), m = max_k x_k
 *                             dx_j = y_j * (dy_j - sum_k dy_k y_k)
 * </pre>
 */
public final class ActivationReference {
  private ActivationReference() {
  }

  public static void forward(Activation act, int len, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < len; i++) {
      double v = x[xOff + i];
      double r = switch (act) {
        case LINEAR -> v;
        case RELU -> v > 0 ? v : 0;
        case SIGMOID -> 1.0 / (1.0 + Math.exp(-v));
        case TANH -> Math.tanh(v);
        case RELU6 -> Math.min(Math.max(v, 0), 6);
      };
      y[yOff + i] = (float) r;
    }
  }

  public static void backward(Activation act, int len, float[] y, int yOff, float[] dy, int dyOff,
                              float[] dx, int dxOff) {
    for (int i = 0; i < len; i++) {
      double out = y[yOff + i];
      double d = switch (act) {
        case LINEAR -> 1;
        case RELU -> out > 0 ? 1 : 0;
        case SIGMOID -> out * (1 - out);
        case TANH -> 1 - out * out;
        case RELU6 -> out > 0 && out < 6 ? 1 : 0;
      };
      dx[dxOff + i] = (float) (dy[dyOff + i] * d);
    }
  }

  public static void softmaxForward(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, x[xOff + o + j]);
      }
      double sum = 0;
      for (int j = 0; j < cols; j++) {
        sum += Math.exp(x[xOff + o + j] - max);
      }
      for (int j = 0; j < cols; j++) {
        y[yOff + o + j] = (float) (Math.exp(x[xOff + o + j] - max) / sum);
      }
    }
  }

  public static void softmaxBackward(int rows, int cols, float[] y, int yOff, float[] dy, int dyOff,
                                     float[] dx, int dxOff) {
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      double dot = 0;
      for (int j = 0; j < cols; j++) {
        dot += (double) dy[dyOff + o + j] * y[yOff + o + j];
      }
      for (int j = 0; j < cols; j++) {
        dx[dxOff + o + j] = (float) (y[yOff + o + j] * (dy[dyOff + o + j] - dot));
      }
    }
  }

  public static void reluForward(int len, float maxValue, float negativeSlope, float[] x, int xOff, float[] y,
                                 int yOff) {
    for (int i = 0; i < len; i++) {
      double v = x[xOff + i];
      y[yOff + i] = (float) (v > 0 ? Math.min(v, maxValue) : negativeSlope * v);
    }
  }

  public static void reluBackward(int len, float maxValue, float negativeSlope, float[] y, int yOff, float[] dy,
                                  int dyOff, float[] dx, int dxOff) {
    for (int i = 0; i < len; i++) {
      double out = y[yOff + i];
      double slope = out > 0 ? (out < maxValue ? 1 : 0) : negativeSlope;
      dx[dxOff + i] = (float) (dy[dyOff + i] * slope);
    }
  }
}
