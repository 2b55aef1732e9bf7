package dev.cnnspark.kernels.dropout;

import dev.cnnspark.kernels.pool.PoolKernels;

/**
 * OpenCL kernel of inverted dropout (WORK); reference: {@link DropoutReference}. Forward and backward are the same
 * op: {@code y[i] = x[i] * scale(i)} with the mask of {@link DropoutMask}, seeds in seedLo/seedHi, rate in f0.
 */
public abstract class DropoutKernels extends PoolKernels {

  protected final void dropoutOp(int gid) {
    if (gid < total) {
      work[yOff + gid] = work[xOff + gid] * DropoutMask.scale(seedLo, seedHi, gid, f0);
    }
  }
}
