package dev.cnnspark.kernels.depthwise;

import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.cpu.CpuContext;
import java.util.Arrays;

/**
 * CPU depthwise convolution: per output pixel, the window's taps in order with the output-channel loop innermost
 * (contiguous in NHWC and in the kernel's {@code [kh, kw, c, m]} layout), images split over threads. The data
 * gradient scatters within one image; the kernel gradient splits the channels over threads, so each thread owns its
 * weights and sums images in order (the same bits with any thread count). Reference: {@link DepthwiseReference}.
 */
public final class DepthwiseCpu {
  private DepthwiseCpu() {
  }

  public static void forward(CpuContext ctx, ConvGeometry g, float[] x, int xOff, float[] w, int wOff, float[] b,
                             int bOff, float[] y, int yOff, Activation act) {
    int oc = g.oc();
    int m = oc / g.c();
    ctx.parallel().forRange(g.n(), 1, (chunk, from, to) -> {
      for (int n = from; n < to; n++) {
        for (int oy = 0; oy < g.oh(); oy++) {
          for (int ox = 0; ox < g.ow(); ox++) {
            int y0 = yOff + ((n * g.oh() + oy) * g.ow() + ox) * oc;
            if (bOff >= 0) {
              System.arraycopy(b, bOff, y, y0, oc);
            } else {
              Arrays.fill(y, y0, y0 + oc, 0f);
            }
            window(g, n, oy, ox, (pixel, tap) -> {
              int x0 = xOff + pixel * g.c();
              int w0 = wOff + tap * oc;
              if (m == 1) { // MobileNet's case: a plain element-wise product the JIT vectorizes
                for (int o = 0; o < oc; o++) {
                  y[y0 + o] += x[x0 + o] * w[w0 + o];
                }
              } else {
                for (int o = 0; o < oc; o++) {
                  y[y0 + o] += x[x0 + o / m] * w[w0 + o];
                }
              }
            });
            if (act != Activation.LINEAR) {
              for (int o = 0; o < oc; o++) {
                y[y0 + o] = Activation.apply(act.code, y[y0 + o]);
              }
            }
          }
        }
      }
    });
  }

  public static void backwardData(CpuContext ctx, ConvGeometry g, float[] dy, int dyOff, float[] w, int wOff,
                                  float[] dx, int dxOff) {
    int oc = g.oc();
    int m = oc / g.c();
    int image = g.h() * g.w() * g.c();
    ctx.parallel().forRange(g.n(), 1, (chunk, from, to) -> {
      for (int n = from; n < to; n++) {
        Arrays.fill(dx, dxOff + n * image, dxOff + (n + 1) * image, 0f);
        for (int oy = 0; oy < g.oh(); oy++) {
          for (int ox = 0; ox < g.ow(); ox++) {
            int d0 = dyOff + ((n * g.oh() + oy) * g.ow() + ox) * oc;
            window(g, n, oy, ox, (pixel, tap) -> {
              int x0 = dxOff + pixel * g.c();
              int w0 = wOff + tap * oc;
              if (m == 1) {
                for (int o = 0; o < oc; o++) {
                  dx[x0 + o] += dy[d0 + o] * w[w0 + o];
                }
              } else {
                for (int o = 0; o < oc; o++) {
                  dx[x0 + o / m] += dy[d0 + o] * w[w0 + o];
                }
              }
            });
          }
        }
      }
    });
  }

  /** Kernel gradient (+=); the bias gradient is {@code ConvCpu.biasGrad} over the output pixels. */
  public static void backwardFilter(CpuContext ctx, ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff,
                                    float[] dw, int dwOff) {
    int oc = g.oc();
    int m = oc / g.c();
    ctx.parallel().forRange(oc, 1, (chunk, from, to) -> {
      for (int n = 0; n < g.n(); n++) {
        for (int oy = 0; oy < g.oh(); oy++) {
          for (int ox = 0; ox < g.ow(); ox++) {
            int d0 = dyOff + ((n * g.oh() + oy) * g.ow() + ox) * oc;
            window(g, n, oy, ox, (pixel, tap) -> {
              int x0 = xOff + pixel * g.c();
              int w0 = dwOff + tap * oc;
              if (m == 1) {
                for (int o = from; o < to; o++) {
                  dw[w0 + o] += x[x0 + o] * dy[d0 + o];
                }
              } else {
                for (int o = from; o < to; o++) {
                  dw[w0 + o] += x[x0 + o / m] * dy[d0 + o];
                }
              }
            });
          }
        }
      }
    });
  }

  /** One tap of an output pixel's window inside the input: the input pixel's index (n, iy, ix) and the tap (ky, kx). */
  @FunctionalInterface
  private interface Tap {
    void at(int inputPixel, int tap);
  }

  /** Calls {@code t} for each tap of output pixel (n, oy, ox) whose input pixel lies inside the image, in order. */
  private static void window(ConvGeometry g, int n, int oy, int ox, Tap t) {
    for (int ky = 0; ky < g.kh(); ky++) {
      int iy = oy * g.sh() + ky - g.pt();
      if (iy < 0 || iy >= g.h()) {
        continue;
      }
      for (int kx = 0; kx < g.kw(); kx++) {
        int ix = ox * g.sw() + kx - g.pl();
        if (ix >= 0 && ix < g.w()) {
          t.at((n * g.h() + iy) * g.w() + ix, ky * g.kw() + kx);
        }
      }
    }
  }
}
