package dev.cnnspark.kernels.dense;

import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.conv.ConvCpu;
import dev.cnnspark.kernels.cpu.CpuContext;
import dev.cnnspark.kernels.cpu.Gemm;

/**
 * Fast CPU dense layer: the three products as GEMMs split over threads by output rows (disjoint writes, no
 * reduction). Backward-data transposes w once per call. Reference: {@link DenseReference}.
 */
public final class DenseCpu {
  private static final int WT = 4;

  private DenseCpu() {
  }

  public static void forward(CpuContext ctx, int rows, int in, int out, float[] x, int xOff, float[] w, int wOff,
                             float[] b, int bOff, float[] y, int yOff, Activation act) {
    Gemm gemm = Gemm.instance();
    boolean fused = act == Activation.LINEAR || act == Activation.RELU;
    ctx.parallel().forRange(rows, 6, (chunk, from, to) -> {
      if (fused) {
        gemm.multiply(to - from, out, in, x, xOff + from * in, in, 1, w, wOff, out, y, yOff + from * out, out, false,
            bOff >= 0 ? b : null, bOff, act == Activation.RELU);
      } else {
        gemm.multiply(to - from, out, in, x, xOff + from * in, in, 1, w, wOff, out, y, yOff + from * out, out, false);
        ConvCpu.epilogue(y, yOff + from * out, to - from, out, b, bOff, act);
      }
    });
  }

  public static void backwardData(CpuContext ctx, int rows, int in, int out, float[] dy, int dyOff, float[] w,
                                  int wOff, float[] dx, int dxOff) {
    float[] wt = ctx.scratch(0, WT, in * out);
    Gemm.transpose(in, out, w, wOff, wt);
    Gemm gemm = Gemm.instance();
    ctx.parallel().forRange(rows, 6, (chunk, from, to) ->
        gemm.multiply(to - from, in, out, dy, dyOff + from * out, out, 1, wt, 0, in, dx, dxOff + from * in, in, false));
  }

  public static void backwardFilter(CpuContext ctx, int rows, int in, int out, float[] x, int xOff, float[] dy,
                                    int dyOff, float[] dw, int dwOff) {
    Gemm gemm = Gemm.instance();
    // dw[in, out] += x^T . dy, split over the rows of dw (= columns of x)
    ctx.parallel().forRange(in, 6, (chunk, from, to) ->
        gemm.multiply(to - from, out, rows, x, xOff + from, 1, in, dy, dyOff, out, dw, dwOff + from * out, out, true));
  }
}
