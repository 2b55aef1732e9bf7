package dev.cnnspark.kernels.globalpool;

import dev.cnnspark.kernels.cpu.CpuContext;
import java.util.Arrays;

/**
 * CPU global pooling: per image, positions in order with the channel loop innermost (contiguous in NHWC), images
 * split over threads; the max backward keeps each channel's first-maximum position from one pass and scatters once.
 * Reference: {@link GlobalPoolReference}.
 */
public final class GlobalPoolCpu {
  private GlobalPoolCpu() {
  }

  public static void forward(CpuContext ctx, boolean max, int n, int s, int c, float[] x, int xOff, float[] y,
                             int yOff) {
    ctx.parallel().forRange(n, 1, (chunk, from, to) -> {
      float[] acc = new float[c];
      for (int b = from; b < to; b++) {
        int x0 = xOff + b * s * c;
        System.arraycopy(x, x0, acc, 0, c);
        for (int p = 1; p < s; p++) {
          int xp = x0 + p * c;
          for (int ch = 0; ch < c; ch++) {
            float v = x[xp + ch];
            acc[ch] = max ? (v > acc[ch] ? v : acc[ch]) : acc[ch] + v;
          }
        }
        for (int ch = 0; ch < c; ch++) {
          y[yOff + b * c + ch] = max ? acc[ch] : acc[ch] / s;
        }
      }
    });
  }

  public static void backward(CpuContext ctx, boolean max, int n, int s, int c, float[] x, int xOff, float[] dy,
                              int dyOff, float[] dx, int dxOff) {
    ctx.parallel().forRange(n, 1, (chunk, from, to) -> {
      int[] where = new int[c];
      float[] best = new float[c];
      for (int b = from; b < to; b++) {
        int base = b * s * c;
        if (!max) {
          for (int p = 0; p < s; p++) {
            for (int ch = 0; ch < c; ch++) {
              dx[dxOff + base + p * c + ch] = dy[dyOff + b * c + ch] / s;
            }
          }
          continue;
        }
        System.arraycopy(x, xOff + base, best, 0, c);
        Arrays.fill(where, 0);
        for (int p = 1; p < s; p++) {
          for (int ch = 0; ch < c; ch++) {
            float v = x[xOff + base + p * c + ch];
            if (v > best[ch]) {
              best[ch] = v;
              where[ch] = p;
            }
          }
        }
        Arrays.fill(dx, dxOff + base, dxOff + base + s * c, 0f);
        for (int ch = 0; ch < c; ch++) {
          dx[dxOff + base + where[ch] * c + ch] = dy[dyOff + b * c + ch];
        }
      }
    });
  }
}
