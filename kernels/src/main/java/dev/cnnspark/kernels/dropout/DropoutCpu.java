package dev.cnnspark.kernels.dropout;

import dev.cnnspark.kernels.cpu.CpuContext;
import dev.cnnspark.kernels.cpu.Lanes;

/** CPU inverted dropout, split over threads; same mask function as every backend. Reference: {@link DropoutReference}. */
public final class DropoutCpu {
  private DropoutCpu() {
  }

  /** Forward and backward alike: {@code out[i] = in[i] * scale(i)}. */
  public static void apply(CpuContext ctx, int len, float rate, long seed, float[] in, int inOff, float[] out,
                           int outOff) {
    int lo = DropoutMask.lo(seed);
    int hi = DropoutMask.hi(seed);
    int threshold = DropoutMask.threshold(rate);
    float scale = 1f / (1f - rate);
    Lanes lanes = Lanes.instance();
    ctx.parallel().forRange(len, 1 << 15, (chunk, from, to) -> lanes.dropout(from, to, lo, hi, threshold, scale, in,
        inOff, out, outOff));
  }
}
