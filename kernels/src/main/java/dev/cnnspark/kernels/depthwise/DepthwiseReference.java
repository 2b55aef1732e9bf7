package dev.cnnspark.kernels.depthwise;

import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.ConvGeometry;

/**
 * Plain-Java reference of depthwise convolution, double accumulators. Input {@code [n, h, w, c]}, kernel
 * {@code [kh, kw, c, m]} (Keras' depthwise layout, m = depth multiplier = {@code g.oc() / g.c()}), output
 * {@code [n, oh, ow, c * m]}, output channel {@code ch * m + k} from input channel ch:
 * <pre>
 * y[b, oy, ox, ch*m+k] = act(sum_{ky,kx} x[b, oy*sh+ky-pt, ox*sw+kx-pl, ch] w[ky, kx, ch, k] + bias[ch*m+k])
 * dx[b, iy, ix, ch]    = sum over windows (oy, ox) covering (iy, ix) and k of dy[b, oy, ox, ch*m+k] w[ky, kx, ch, k]
 * dw[ky, kx, ch, k]   += sum_{b, oy, ox} x[b, iy, ix, ch] dy[b, oy, ox, ch*m+k]
 * </pre>
 */
public final class DepthwiseReference {
  private DepthwiseReference() {
  }

  public static void forward(ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b, int bOff,
                             float[] y, int yOff, Activation act) {
    int m = g.oc() / g.c();
    for (int n = 0; n < g.n(); n++) {
      for (int oy = 0; oy < g.oh(); oy++) {
        for (int ox = 0; ox < g.ow(); ox++) {
          for (int ch = 0; ch < g.c(); ch++) {
            for (int k = 0; k < m; k++) {
              double acc = bOff >= 0 ? b[bOff + ch * m + k] : 0;
              for (int ky = 0; ky < g.kh(); ky++) {
                int iy = oy * g.sh() + ky - g.pt();
                for (int kx = 0; kx < g.kw(); kx++) {
                  int ix = ox * g.sw() + kx - g.pl();
                  if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                    acc += (double) x[xOff + ((n * g.h() + iy) * g.w() + ix) * g.c() + ch]
                        * w[wOff + ((ky * g.kw() + kx) * g.c() + ch) * m + k];
                  }
                }
              }
              y[yOff + ((n * g.oh() + oy) * g.ow() + ox) * g.oc() + ch * m + k] = Activation.apply(act.code,
                  (float) acc);
            }
          }
        }
      }
    }
  }

  public static void backwardData(ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff, float[] dx,
                                  int dxOff) {
    int m = g.oc() / g.c();
    double[] acc = new double[g.inputSize()];
    for (int n = 0; n < g.n(); n++) {
      for (int oy = 0; oy < g.oh(); oy++) {
        for (int ox = 0; ox < g.ow(); ox++) {
          for (int ky = 0; ky < g.kh(); ky++) {
            int iy = oy * g.sh() + ky - g.pt();
            for (int kx = 0; kx < g.kw(); kx++) {
              int ix = ox * g.sw() + kx - g.pl();
              if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) {
                continue;
              }
              for (int ch = 0; ch < g.c(); ch++) {
                for (int k = 0; k < m; k++) {
                  acc[((n * g.h() + iy) * g.w() + ix) * g.c() + ch] +=
                      (double) dy[dyOff + ((n * g.oh() + oy) * g.ow() + ox) * g.oc() + ch * m + k]
                      * w[wOff + ((ky * g.kw() + kx) * g.c() + ch) * m + k];
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

  /** Kernel gradient only; the bias gradient is {@code ConvReference.biasGrad} over the output pixels. */
  public static void backwardFilter(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dw,
                                    int dwOff) {
    int m = g.oc() / g.c();
    for (int ky = 0; ky < g.kh(); ky++) {
      for (int kx = 0; kx < g.kw(); kx++) {
        for (int ch = 0; ch < g.c(); ch++) {
          for (int k = 0; k < m; k++) {
            double acc = 0;
            for (int n = 0; n < g.n(); n++) {
              for (int oy = 0; oy < g.oh(); oy++) {
                int iy = oy * g.sh() + ky - g.pt();
                for (int ox = 0; ox < g.ow(); ox++) {
                  int ix = ox * g.sw() + kx - g.pl();
                  if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                    acc += (double) x[xOff + ((n * g.h() + iy) * g.w() + ix) * g.c() + ch]
                        * dy[dyOff + ((n * g.oh() + oy) * g.ow() + ox) * g.oc() + ch * m + k];
                  }
                }
              }
            }
            dw[dwOff + ((ky * g.kw() + kx) * g.c() + ch) * m + k] += (float) acc;
          }
        }
      }
    }
  }
}
