package dev.cnnspark.kernels.norm;

import dev.cnnspark.kernels.cpu.CpuContext;
import dev.cnnspark.kernels.cpu.Parallel;

/**
 * CPU batch normalization: per-channel sums as per-thread partials over row chunks (double), element-wise parts
 * split by rows. Reference: {@link BatchNormReference}.
 */
public final class BatchNormCpu {
  private BatchNormCpu() {
  }

  /**
   * Column sums over fixed row groups, combined in group order (independent of the thread count): per channel the sum
   * of {@code a[r, ch] - shift[ch]} (shift null: 0), squared when {@code square}, or times {@code b[r, ch]}'s
   * normalized value when {@code b} is given. Written out per case, with float products and double accumulators:
   * a lambda per element cost more than the arithmetic (a MobileNet block's BatchNorm took 40% of its step).
   */
  private static double[] columnSums(CpuContext ctx, int rows, int c, float[] a, int aOff, double[] shift,
                                     boolean square, float[] b, int bOff, float[] invStd) {
    double[][] partial = new double[Parallel.GROUPS][];
    int groups = ctx.parallel().forGroups(rows, (slot, group, from, to) -> {
      double[] s = new double[c];
      float[] sh = new float[c];
      if (shift != null) {
        for (int ch = 0; ch < c; ch++) {
          sh[ch] = (float) shift[ch];
        }
      }
      for (int r = from; r < to; r++) {
        int row = r * c;
        if (b != null) {
          for (int ch = 0; ch < c; ch++) {
            s[ch] += a[aOff + row + ch] * ((b[bOff + row + ch] - sh[ch]) * invStd[ch]);
          }
        } else if (square) {
          for (int ch = 0; ch < c; ch++) {
            float d = a[aOff + row + ch] - sh[ch];
            s[ch] += d * d;
          }
        } else {
          for (int ch = 0; ch < c; ch++) {
            s[ch] += a[aOff + row + ch];
          }
        }
      }
      partial[group] = s;
    });
    double[] sum = new double[c];
    for (int g = 0; g < groups; g++) {
      for (int ch = 0; ch < c; ch++) {
        sum[ch] += partial[g][ch];
      }
    }
    return sum;
  }

  public static void stats(CpuContext ctx, int rows, int c, float[] x, int xOff, float[] work, int meanOff,
                           int invStdOff, float[] moving, int movingOff, float momentum, float eps) {
    double[] sum = columnSums(ctx, rows, c, x, xOff, null, false, null, 0, null);
    double[] mean = new double[c];
    for (int ch = 0; ch < c; ch++) {
      mean[ch] = sum[ch] / rows;
    }
    double[] sq = columnSums(ctx, rows, c, x, xOff, mean, true, null, 0, null);
    for (int ch = 0; ch < c; ch++) {
      double var = sq[ch] / rows;
      work[meanOff + ch] = (float) mean[ch];
      work[invStdOff + ch] = (float) (1.0 / Math.sqrt(var + eps));
      moving[movingOff + ch] = (float) (momentum * moving[movingOff + ch] + (1 - momentum) * mean[ch]);
      moving[movingOff + c + ch] = (float) (momentum * moving[movingOff + c + ch] + (1 - momentum) * var);
    }
  }

  public static void apply(CpuContext ctx, int rows, int c, float[] x, int xOff, float[] y, int yOff,
                           float[] params, int gammaOff, float[] work, int meanOff, int invStdOff) {
    ctx.parallel().forRange(rows, 64, (chunk, from, to) -> {
      for (int r = from; r < to; r++) {
        for (int ch = 0; ch < c; ch++) {
          float xhat = (x[xOff + r * c + ch] - work[meanOff + ch]) * work[invStdOff + ch];
          y[yOff + r * c + ch] = params[gammaOff + ch] * xhat + params[gammaOff + c + ch];
        }
      }
    });
  }

  public static void backward(CpuContext ctx, int rows, int c, float[] x, int xOff, float[] dy, int dyOff,
                              float[] dx, int dxOff, float[] params, int gammaOff, float[] work, int meanOff,
                              int invStdOff, float[] grads, int dGammaOff, int sumsOff) {
    double[] dBeta = columnSums(ctx, rows, c, dy, dyOff, null, false, null, 0, null);
    double[] mean = new double[c];
    float[] inv = new float[c];
    for (int ch = 0; ch < c; ch++) {
      mean[ch] = work[meanOff + ch];
      inv[ch] = work[invStdOff + ch];
    }
    double[] dGamma = columnSums(ctx, rows, c, dy, dyOff, mean, false, x, xOff, inv);
    for (int ch = 0; ch < c; ch++) {
      grads[dGammaOff + ch] += (float) dGamma[ch];
      grads[dGammaOff + c + ch] += (float) dBeta[ch];
      work[sumsOff + ch] = (float) dGamma[ch];
      work[sumsOff + c + ch] = (float) dBeta[ch];
    }
    ctx.parallel().forRange(rows, 64, (chunk, from, to) -> {
      for (int r = from; r < to; r++) {
        for (int ch = 0; ch < c; ch++) {
          float invStd = work[invStdOff + ch];
          float xhat = (x[xOff + r * c + ch] - work[meanOff + ch]) * invStd;
          float k = params[gammaOff + ch] * invStd / rows;
          dx[dxOff + r * c + ch] = k * (rows * dy[dyOff + r * c + ch] - (float) dBeta[ch] - xhat * (float) dGamma[ch]);
        }
      }
    });
  }

  /** A frozen layer's backward: dx = dy * gamma * invStd, rows split over threads. */
  public static void backwardInference(CpuContext ctx, int rows, int c, float[] dy, int dyOff, float[] dx, int dxOff,
                                       float[] params, int gammaOff, float[] work, int invStdOff) {
    ctx.parallel().forRange(rows, 64, (chunk, from, to) -> {
      for (int r = from; r < to; r++) {
        for (int ch = 0; ch < c; ch++) {
          dx[dxOff + r * c + ch] = dy[dyOff + r * c + ch] * params[gammaOff + ch] * work[invStdOff + ch];
        }
      }
    });
  }
}
