package dev.cnnspark.kernels.norm;

/**
 * Plain-Java reference of batch normalization over the channel (last) axis of {@code rows x c}, double accumulators.
 * <pre>
 * mean_c = (1/N) sum_r x[r,c]          var_c = (1/N) sum_r (x[r,c] - mean_c)^2   (biased, as Keras)
 * invStd_c = 1 / sqrt(var_c + eps)     xhat = (x - mean) invStd
 * y = gamma xhat + beta
 * moving_mean = m moving_mean + (1 - m) mean      moving_var = m moving_var + (1 - m) var
 * dbeta = sum_r dy      dgamma = sum_r dy xhat
 * dx = gamma invStd / N (N dy - dbeta - xhat dgamma)
 * </pre>
 * gamma is at {@code params[gammaOff .. +c)} and beta right after it; moving mean at {@code moving[movingOff .. +c)}
 * and moving variance right after it.
 */
public final class BatchNormReference {
  private BatchNormReference() {
  }

  public static void stats(int rows, int c, float[] x, int xOff, float[] work, int meanOff, int invStdOff,
                           float[] moving, int movingOff, float momentum, float eps) {
    for (int ch = 0; ch < c; ch++) {
      double sum = 0;
      for (int r = 0; r < rows; r++) {
        sum += x[xOff + r * c + ch];
      }
      double mean = sum / rows;
      double sq = 0;
      for (int r = 0; r < rows; r++) {
        double d = x[xOff + r * c + ch] - mean;
        sq += d * d;
      }
      double var = sq / rows;
      work[meanOff + ch] = (float) mean;
      work[invStdOff + ch] = (float) (1.0 / Math.sqrt(var + eps));
      moving[movingOff + ch] = (float) (momentum * moving[movingOff + ch] + (1 - momentum) * mean);
      moving[movingOff + c + ch] = (float) (momentum * moving[movingOff + c + ch] + (1 - momentum) * var);
    }
  }

  public static void movingStats(int c, float[] moving, int movingOff, float[] work, int meanOff, int invStdOff,
                                 float eps) {
    for (int ch = 0; ch < c; ch++) {
      work[meanOff + ch] = moving[movingOff + ch];
      work[invStdOff + ch] = (float) (1.0 / Math.sqrt(moving[movingOff + c + ch] + (double) eps));
    }
  }

  public static void apply(int rows, int c, float[] x, int xOff, float[] y, int yOff, float[] params, int gammaOff,
                           float[] work, int meanOff, int invStdOff) {
    for (int r = 0; r < rows; r++) {
      for (int ch = 0; ch < c; ch++) {
        double xhat = (x[xOff + r * c + ch] - (double) work[meanOff + ch]) * work[invStdOff + ch];
        y[yOff + r * c + ch] = (float) (params[gammaOff + ch] * xhat + params[gammaOff + c + ch]);
      }
    }
  }

  public static void backward(int rows, int c, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff,
                              float[] params, int gammaOff, float[] work, int meanOff, int invStdOff,
                              float[] grads, int dGammaOff, int sumsOff) {
    for (int ch = 0; ch < c; ch++) {
      double mean = work[meanOff + ch];
      double invStd = work[invStdOff + ch];
      double dBeta = 0;
      double dGamma = 0;
      for (int r = 0; r < rows; r++) {
        double d = dy[dyOff + r * c + ch];
        dBeta += d;
        dGamma += d * (x[xOff + r * c + ch] - mean) * invStd;
      }
      grads[dGammaOff + ch] += (float) dGamma;
      grads[dGammaOff + c + ch] += (float) dBeta;
      work[sumsOff + ch] = (float) dGamma;
      work[sumsOff + c + ch] = (float) dBeta;
      double k = params[gammaOff + ch] * invStd / rows;
      for (int r = 0; r < rows; r++) {
        double xhat = (x[xOff + r * c + ch] - mean) * invStd;
        dx[dxOff + r * c + ch] = (float) (k * (rows * dy[dyOff + r * c + ch] - dBeta - xhat * dGamma));
      }
    }
  }

  /** A frozen layer's backward (inference statistics): dx = dy * gamma * invStd. */
  public static void backwardInference(int rows, int c, float[] dy, int dyOff, float[] dx, int dxOff, float[] params,
                                       int gammaOff, float[] work, int invStdOff) {
    for (int r = 0; r < rows; r++) {
      for (int ch = 0; ch < c; ch++) {
        dx[dxOff + r * c + ch] = (float) ((double) dy[dyOff + r * c + ch] * params[gammaOff + ch]
            * work[invStdOff + ch]);
      }
    }
  }
}
