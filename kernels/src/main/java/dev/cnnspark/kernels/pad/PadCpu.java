package dev.cnnspark.kernels.pad;

import dev.cnnspark.kernels.PadGeometry;
import dev.cnnspark.kernels.cpu.CpuContext;
import java.util.Arrays;

/**
 * CPU padding / cropping: per output row, one zero fill for the margins and one {@code arraycopy} of the overlapping
 * span (all channels of a pixel are contiguous in NHWC); images split over threads. Reference: {@link PadReference}.
 */
public final class PadCpu {
  private PadCpu() {
  }

  public static void forward(CpuContext ctx, PadGeometry g, float[] x, int xOff, float[] y, int yOff) {
    ctx.parallel().forRange(g.n(), 1, (chunk, from, to) -> {
      for (int b = from; b < to; b++) {
        for (int oy = 0; oy < g.oh(); oy++) {
          rowCopy(g.c(), b, oy, oy - g.top(), g.ow(), g.oh(), g.w(), g.h(), g.left(), y, yOff, x, xOff);
        }
      }
    });
  }

  public static void backward(CpuContext ctx, PadGeometry g, float[] dy, int dyOff, float[] dx, int dxOff) {
    ctx.parallel().forRange(g.n(), 1, (chunk, from, to) -> {
      for (int b = from; b < to; b++) {
        for (int iy = 0; iy < g.h(); iy++) {
          rowCopy(g.c(), b, iy, iy + g.top(), g.w(), g.h(), g.ow(), g.oh(), -g.left(), dx, dxOff, dy, dyOff);
        }
      }
    });
  }

  /**
   * Row {@code row} of destination image b ({@code dstW} x {@code dstH} pixels of c channels) from row {@code srcRow}
   * of the source ({@code srcW} x {@code srcH}), the source placed at column {@code shift}; the rest zero.
   */
  private static void rowCopy(int c, int b, int row, int srcRow, int dstW, int dstH, int srcW, int srcH, int shift,
                              float[] dst, int dstOff, float[] src, int srcOff) {
    int d0 = dstOff + ((b * dstH + row) * dstW) * c;
    Arrays.fill(dst, d0, d0 + dstW * c, 0f);
    if (srcRow < 0 || srcRow >= srcH) {
      return;
    }
    int from = Math.max(0, shift);
    int to = Math.min(dstW, srcW + shift);
    if (to > from) {
      System.arraycopy(src, srcOff + ((b * srcH + srcRow) * srcW + from - shift) * c, dst, d0 + from * c,
          (to - from) * c);
    }
  }
}
