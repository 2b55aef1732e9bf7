package dev.cnnspark.kernels.pool;

import dev.cnnspark.kernels.ConvGeometry;

/**
 * Plain-Java reference of 2-D max and average pooling over NHWC ({@code g.oc() == g.c()}).
 * Windows clipped to the input (padding never wins a max and is not counted in an average, as in TensorFlow);
 * a max-pool gradient goes to the first maximum of its window in row-major order.
 */
public final class PoolReference {
  private PoolReference() {
  }

  public static void maxForward(ConvGeometry g, float[] x, int xOff, float[] y, int yOff) {
    for (int n = 0; n < g.n(); n++) {
      for (int oy = 0; oy < g.oh(); oy++) {
        for (int ox = 0; ox < g.ow(); ox++) {
          for (int ch = 0; ch < g.c(); ch++) {
            int best = argmax(g, x, xOff, n, oy, ox, ch);
            y[yOff + ((n * g.oh() + oy) * g.ow() + ox) * g.c() + ch] = x[xOff + best];
          }
        }
      }
    }
  }

  public static void maxBackward(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    double[] acc = new double[g.inputSize()];
    for (int n = 0; n < g.n(); n++) {
      for (int oy = 0; oy < g.oh(); oy++) {
        for (int ox = 0; ox < g.ow(); ox++) {
          for (int ch = 0; ch < g.c(); ch++) {
            acc[argmax(g, x, xOff, n, oy, ox, ch)] += dy[dyOff + ((n * g.oh() + oy) * g.ow() + ox) * g.c() + ch];
          }
        }
      }
    }
    for (int i = 0; i < acc.length; i++) {
      dx[dxOff + i] = (float) acc[i];
    }
  }

  /** Index (relative to xOff) of the first maximum of one window. */
  static int argmax(ConvGeometry g, float[] x, int xOff, int n, int oy, int ox, int ch) {
    int best = -1;
    float bestValue = 0f;
    for (int ky = 0; ky < g.kh(); ky++) {
      int iy = oy * g.sh() + ky - g.pt();
      for (int kx = 0; kx < g.kw(); kx++) {
        int ix = ox * g.sw() + kx - g.pl();
        if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) {
          continue;
        }
        int idx = ((n * g.h() + iy) * g.w() + ix) * g.c() + ch;
        if (best < 0 || x[xOff + idx] > bestValue) {
          best = idx;
          bestValue = x[xOff + idx];
        }
      }
    }
    return best;
  }

  public static void avgForward(ConvGeometry g, float[] x, int xOff, float[] y, int yOff) {
    for (int n = 0; n < g.n(); n++) {
      for (int oy = 0; oy < g.oh(); oy++) {
        for (int ox = 0; ox < g.ow(); ox++) {
          for (int ch = 0; ch < g.c(); ch++) {
            double sum = 0;
            int count = 0;
            for (int ky = 0; ky < g.kh(); ky++) {
              int iy = oy * g.sh() + ky - g.pt();
              for (int kx = 0; kx < g.kw(); kx++) {
                int ix = ox * g.sw() + kx - g.pl();
                if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                  sum += x[xOff + ((n * g.h() + iy) * g.w() + ix) * g.c() + ch];
                  count++;
                }
              }
            }
            y[yOff + ((n * g.oh() + oy) * g.ow() + ox) * g.c() + ch] = (float) (sum / count);
          }
        }
      }
    }
  }

  public static void avgBackward(ConvGeometry g, float[] dy, int dyOff, float[] dx, int dxOff) {
    double[] acc = new double[g.inputSize()];
    for (int n = 0; n < g.n(); n++) {
      for (int oy = 0; oy < g.oh(); oy++) {
        for (int ox = 0; ox < g.ow(); ox++) {
          int count = windowCount(g, oy, ox);
          for (int ch = 0; ch < g.c(); ch++) {
            double share = dy[dyOff + ((n * g.oh() + oy) * g.ow() + ox) * g.c() + ch] / (double) count;
            for (int ky = 0; ky < g.kh(); ky++) {
              int iy = oy * g.sh() + ky - g.pt();
              for (int kx = 0; kx < g.kw(); kx++) {
                int ix = ox * g.sw() + kx - g.pl();
                if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                  acc[((n * g.h() + iy) * g.w() + ix) * g.c() + ch] += share;
                }
              }
            }
          }
        }
      }
    }
    for (int i = 0; i < acc.length; i++) {
      dx[dxOff + i] = (float) acc[i];
    }
  }

  static int windowCount(ConvGeometry g, int oy, int ox) {
    int count = 0;
    for (int ky = 0; ky < g.kh(); ky++) {
      int iy = oy * g.sh() + ky - g.pt();
      for (int kx = 0; kx < g.kw(); kx++) {
        int ix = ox * g.sw() + kx - g.pl();
        if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
          count++;
        }
      }
    }
    return count;
  }
}
