package dev.cnnspark.kernels.pool;

import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.cpu.CpuContext;
import dev.cnnspark.kernels.cpu.Lanes;
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
    int c = g.c();
    if (pairs(g)) {
      ctx.parallel().forRange(g.n(), 1, (chunk, from, to) -> pairsForward(g, x, xOff, y, yOff, from, to));
      return;
    }
    ctx.parallel().forRange(g.n(), 1, (chunk, from, to) -> {
      float[] best = new float[c];
      for (int n = from; n < to; n++) {
        for (int oy = 0; oy < g.oh(); oy++) {
          for (int ox = 0; ox < g.ow(); ox++) {
            windowMax(g, x, xOff, n, oy, ox, best, null);
            System.arraycopy(best, 0, y, yOff + ((n * g.oh() + oy) * g.ow() + ox) * c, c);
          }
        }
      }
    });
  }

  /**
   * The window's first maximum, per channel, with a scatter of dy to it; the windows of one image scatter only into
   * that image, so images split over threads safely.
   */
  public static void maxBackward(CpuContext ctx, ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff,
                                 float[] dx, int dxOff) {
    int c = g.c();
    int imageSize = g.h() * g.w() * c;
    if (pairs(g)) {
      ctx.parallel().forRange(g.n(), 1, (chunk, from, to) -> pairsBackward(g, x, xOff, dy, dyOff, dx, dxOff, from,
          to));
      return;
    }
    ctx.parallel().forRange(g.n(), 1, (chunk, from, to) -> {
      float[] best = new float[c];
      int[] where = new int[c];
      for (int n = from; n < to; n++) {
        Arrays.fill(dx, dxOff + n * imageSize, dxOff + (n + 1) * imageSize, 0f);
        for (int oy = 0; oy < g.oh(); oy++) {
          for (int ox = 0; ox < g.ow(); ox++) {
            windowMax(g, x, xOff, n, oy, ox, best, where);
            int yo = dyOff + ((n * g.oh() + oy) * g.ow() + ox) * c;
            for (int ch = 0; ch < c; ch++) {
              dx[dxOff + where[ch]] += dy[yo + ch];
            }
          }
        }
      }
    });
  }

  /**
   * Keras' default {@code MaxPooling2D(2)}: 2x2 windows at stride 2 inside the image (VALID, or SAME on even
   * sizes), so windows never overlap or leave the image. Its loops below read the four taps of a channel directly;
   * the general loop's per-window set-up (tap loops, bounds tests, first-tap flag) cost as much as the compares on
   * a few-channel layer.
   */
  private static boolean pairs(ConvGeometry g) {
    return g.kh() == 2 && g.kw() == 2 && g.sh() == 2 && g.sw() == 2 && g.pt() == 0 && g.pl() == 0
        && 2 * g.oh() <= g.h() && 2 * g.ow() <= g.w();
  }

  /** Images {@code [from, to)} of a {@link #pairs} pool: the first maximum of taps (0,0), (0,1), (1,0), (1,1). */
  private static void pairsForward(ConvGeometry g, float[] x, int xOff, float[] y, int yOff, int from, int to) {
    int c = g.c();
    int row = g.w() * c;
    Lanes lanes = Lanes.instance();
    for (int n = from; n < to; n++) {
      for (int oy = 0; oy < g.oh(); oy++) {
        lanes.pairsMaxRow(x, xOff + (n * g.h() + 2 * oy) * row, row, g.ow(), c, y,
            yOff + (n * g.oh() + oy) * g.ow() * c);
      }
    }
  }

  /** The backward of {@link #pairsForward}: dy goes to the first maximum of its window; other inputs get 0. */
  private static void pairsBackward(ConvGeometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff,
                                    int from, int to) {
    int c = g.c();
    int row = g.w() * c;
    int imageSize = g.h() * row;
    Lanes lanes = Lanes.instance();
    for (int n = from; n < to; n++) {
      // the windows cover every input of the image except a last odd row or column, which must read 0
      Arrays.fill(dx, dxOff + n * imageSize, dxOff + (n + 1) * imageSize, 0f);
      for (int oy = 0; oy < g.oh(); oy++) {
        lanes.pairsMaxRowBackward(x, xOff, (n * g.h() + 2 * oy) * row, row, g.ow(), c, dy,
            dyOff + (n * g.oh() + oy) * g.ow() * c, dx, dxOff);
      }
    }
  }

  /**
   * Each channel's first maximum over window (oy, ox) of image n into {@code best}, and, unless {@code where} is
   * null (the forward pass: tracking it costs 15% there), its index relative to xOff into {@code where}; the channel
   * loop is innermost (contiguous in NHWC).
   */
  private static void windowMax(ConvGeometry g, float[] x, int xOff, int n, int oy, int ox, float[] best,
                                int[] where) {
    int c = g.c();
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
            if (where != null) {
              where[ch] = xo + ch;
            }
          }
        }
        first = false;
      }
    }
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
