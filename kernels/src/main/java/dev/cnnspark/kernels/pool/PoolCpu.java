package dev.cnnspark.kernels.pool;

import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.cpu.CpuContext;
import java.util.Arrays;

/**
 * Fast CPU pooling: the reference's loops with the channel loop innermost (contiguous in NHWC) and images split
 * over threads; backward passes scatter within one image, so threads never share an output. Reference:
 * {@link PoolReference}.
 */
public final class PoolCpu {
  private PoolCpu() {
  }

  public static void maxForward(CpuContext ctx, ConvGeometry g, float[] x, int xOff, float[] y, int yOff) {
    ctx.parallel().forRange(g.n(), 1, (chunk, from, to) -> {
      for (int n = from; n < to; n++) {
        for (int oy = 0; oy < g.oh(); oy++) {
          for (int ox = 0; ox < g.ow(); ox++) {
            int yo = yOff + ((n * g.oh() + oy) * g.ow() + ox) * g.c();
            boolean first = true;
            for (int ky = 0; ky < g.kh(); ky++) {
              int iy = oy * g.sh() + ky - g.pt();
              for (int kx = 0; kx < g.kw(); kx++) {
                int ix = ox * g.sw() + kx - g.pl();
                if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) {
                  continue;
                }
                int xo = xOff + ((n * g.h() + iy) * g.w() + ix) * g.c();
                if (first) {
                  System.arraycopy(x, xo, y, yo, g.c());
                  first = false;
                } else {
                  for (int ch = 0; ch < g.c(); ch++) {
                    if (x[xo + ch] > y[yo + ch]) {
                      y[yo + ch] = x[xo + ch];
                    }
                  }
                }
              }
            }
          }
        }
      }
    });
  }

  /**
   * Each window's first maximum, per channel with the channel loop innermost (contiguous), then a scatter of dy to
   * it; the windows of one image scatter only into that image, so images split over threads safely.
   */
  public static void maxBackward(CpuContext ctx, ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff,
                                 float[] dx, int dxOff) {
    int c = g.c();
    int imageSize = g.h() * g.w() * c;
    ctx.parallel().forRange(g.n(), 1, (chunk, from, to) -> {
      float[] best = new float[c];
      int[] where = new int[c];
      for (int n = from; n < to; n++) {
        Arrays.fill(dx, dxOff + n * imageSize, dxOff + (n + 1) * imageSize, 0f);
        for (int oy = 0; oy < g.oh(); oy++) {
          for (int ox = 0; ox < g.ow(); ox++) {
            boolean first = true;
            for (int ky = 0; ky < g.kh(); ky++) {
              int iy = oy * g.sh() + ky - g.pt();
              for (int kx = 0; kx < g.kw(); kx++) {
                int ix = ox * g.sw() + kx - g.pl();
                if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) {
                  continue;
                }
                int xo = ((n * g.h() + iy) * g.w() + ix) * c;
                for (int ch = 0; ch < c; ch++) {
                  float v = x[xOff + xo + ch];
                  if (first || v > best[ch]) {
                    best[ch] = v;
                    where[ch] = xo + ch;
                  }
                }
                first = false;
              }
            }
            int yo = dyOff + ((n * g.oh() + oy) * g.ow() + ox) * c;
            for (int ch = 0; ch < c; ch++) {
              dx[dxOff + where[ch]] += dy[yo + ch];
            }
          }
        }
      }
    });
  }

  public static void avgForward(CpuContext ctx, ConvGeometry g, float[] x, int xOff, float[] y, int yOff) {
    ctx.parallel().forRange(g.n(), 1, (chunk, from, to) -> PoolReference.avgForward(sub(g, from, to), x,
        xOff + from * g.h() * g.w() * g.c(), y, yOff + from * g.oh() * g.ow() * g.c()));
  }

  public static void avgBackward(CpuContext ctx, ConvGeometry g, float[] dy, int dyOff, float[] dx, int dxOff) {
    ctx.parallel().forRange(g.n(), 1, (chunk, from, to) -> PoolReference.avgBackward(sub(g, from, to), dy,
        dyOff + from * g.oh() * g.ow() * g.c(), dx, dxOff + from * g.h() * g.w() * g.c()));
  }

  private static ConvGeometry sub(ConvGeometry g, int from, int to) {
    return g.withBatch(to - from);
  }
}
