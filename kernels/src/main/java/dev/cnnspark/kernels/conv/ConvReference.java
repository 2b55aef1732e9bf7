package dev.cnnspark.kernels.conv;

import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.ConvGeometry;

/**
 * Plain-Java reference of 2-D convolution: the loops of the definition, double accumulators. Ground truth for the
 * OpenCL kernels and the fast CPU path; never on a hot path.
 *
 * <pre>
 * x  [n, h, w, c]      NHWC input
 * w  [kh, kw, c, oc]   HWIO kernel
 * y  [n, oh, ow, oc]   y[n,oy,ox,o] = act(b[o] + sum_{ky,kx,i} x[n, oy*sh+ky-pt, ox*sw+kx-pl, i] * w[ky,kx,i,o])
 * </pre>
 */
public final class ConvReference {
  private ConvReference() {
  }

  public static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                             float[] y, int yOff, Activation act) {
    for (int n = 0; n < g.n(); n++) {
      for (int oy = 0; oy < g.oh(); oy++) {
        for (int ox = 0; ox < g.ow(); ox++) {
          for (int o = 0; o < g.oc(); o++) {
            double acc = bOff >= 0 ? b[bOff + o] : 0.0;
            for (int ky = 0; ky < g.kh(); ky++) {
              int iy = oy * g.sh() + ky - g.pt();
              for (int kx = 0; kx < g.kw(); kx++) {
                int ix = ox * g.sw() + kx - g.pl();
                if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) {
                  continue;
                }
                for (int i = 0; i < g.c(); i++) {
                  acc += (double) x[xOff + ((n * g.h() + iy) * g.w() + ix) * g.c() + i]
                      * w[wOff + ((ky * g.kw() + kx) * g.c() + i) * g.oc() + o];
                }
              }
            }
            y[yOff + ((n * g.oh() + oy) * g.ow() + ox) * g.oc() + o] = Activation.apply(act.code, (float) acc);
          }
        }
      }
    }
  }

  /** {@code dx[n,iy,ix,i] = sum over the outputs whose window covers (iy,ix) of dy * w}. Overwrites dx. */
  public static void backwardData(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
    double[] acc = new double[g.inputSize()];
    for (int n = 0; n < g.n(); n++) {
      for (int oy = 0; oy < g.oh(); oy++) {
        for (int ox = 0; ox < g.ow(); ox++) {
          for (int o = 0; o < g.oc(); o++) {
            double d = dy[dyOff + ((n * g.oh() + oy) * g.ow() + ox) * g.oc() + o];
            for (int ky = 0; ky < g.kh(); ky++) {
              int iy = oy * g.sh() + ky - g.pt();
              for (int kx = 0; kx < g.kw(); kx++) {
                int ix = ox * g.sw() + kx - g.pl();
                if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) {
                  continue;
                }
                for (int i = 0; i < g.c(); i++) {
                  acc[((n * g.h() + iy) * g.w() + ix) * g.c() + i] += d * w[wOff + ((ky * g.kw() + kx) * g.c() + i) * g.oc() + o];
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

  /** {@code dw[ky,kx,i,o] += sum_{n,oy,ox} x[n, oy*sh+ky-pt, ox*sw+kx-pl, i] * dy[n,oy,ox,o]}. */
  public static void backwardFilter(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw, int dwOff) {
    for (int ky = 0; ky < g.kh(); ky++) {
      for (int kx = 0; kx < g.kw(); kx++) {
        for (int i = 0; i < g.c(); i++) {
          for (int o = 0; o < g.oc(); o++) {
            double acc = 0;
            for (int n = 0; n < g.n(); n++) {
              for (int oy = 0; oy < g.oh(); oy++) {
                int iy = oy * g.sh() + ky - g.pt();
                if (iy < 0 || iy >= g.h()) {
                  continue;
                }
                for (int ox = 0; ox < g.ow(); ox++) {
                  int ix = ox * g.sw() + kx - g.pl();
                  if (ix < 0 || ix >= g.w()) {
                    continue;
                  }
                  acc += (double) x[xOff + ((n * g.h() + iy) * g.w() + ix) * g.c() + i]
                      * dy[dyOff + ((n * g.oh() + oy) * g.ow() + ox) * g.oc() + o];
                }
              }
            }
            dw[dwOff + ((ky * g.kw() + kx) * g.c() + i) * g.oc() + o] += (float) acc;
          }
        }
      }
    }
  }

  /** {@code db[j] += sum_r dy[r, j]}. */
  public static void biasGrad(int rows, int cols, float[] dy, int dyOff, float[] db, int dbOff) {
    for (int j = 0; j < cols; j++) {
      double acc = 0;
      for (int r = 0; r < rows; r++) {
        acc += dy[dyOff + r * cols + j];
      }
      db[dbOff + j] += (float) acc;
    }
  }
}
