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

  /** Columns of dx per block of the backward-data pass. */
  private static final int DX_BLOCK = 256;

  public static void backwardData(CpuContext ctx, int rows, int in, int out, float[] dy, int dyOff, float[] w,
                                  int wOff, float[] dx, int dxOff) {
    // dx[:, c0..c0+cols) = dy . (W[c0..c0+cols, :])^T, one block of dx's columns at a time: the block's slice of W
    // is transposed into a small contiguous B (L2-resident) right before its product. Transposing all of W first
    // (1.2M floats for model (a), on one thread) left B's rows 36 KB apart, and the GEMM ran at a quarter of its
    // usual speed on TLB misses.
    Gemm gemm = Gemm.instance();
    int blocks = (in + DX_BLOCK - 1) / DX_BLOCK;
    ctx.parallel().forRange(blocks, 1, (chunk, from, to) -> {
      float[] wt = ctx.scratch(chunk, WT, DX_BLOCK * out);
      for (int blk = from; blk < to; blk++) {
        int c0 = blk * DX_BLOCK;
        int cols = Math.min(DX_BLOCK, in - c0);
        Gemm.transpose(cols, out, w, wOff + c0 * out, wt);
        gemm.multiply(rows, cols, out, dy, dyOff, out, 1, wt, 0, cols, dx, dxOff + c0, in, false);
      }
    });
  }

  public static void backwardFilter(CpuContext ctx, int rows, int in, int out, float[] x, int xOff, float[] dy,
                                    int dyOff, float[] dw, int dwOff) {
    Gemm gemm = Gemm.instance();
    // dw[in, out] += x^T . dy, split over the rows of dw (= columns of x)
    ctx.parallel().forRange(in, 6, (chunk, from, to) ->
        gemm.multiply(to - from, out, rows, x, xOff + from, 1, in, dy, dyOff, out, dw, dwOff + from * out, out, true));
  }
}
