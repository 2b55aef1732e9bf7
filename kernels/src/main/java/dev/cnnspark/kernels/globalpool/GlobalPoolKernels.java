package dev.cnnspark.kernels.globalpool;

import dev.cnnspark.kernels.pad.PadKernels;

/**
 * OpenCL kernels of global pooling over {@code x[n, s, c]} (WORK); reference: {@link GlobalPoolReference}. One work
 * item per (image, channel): neighbouring items read neighbouring channels (coalesced), and the backward pass
 * finds the first maximum once and then writes every position of its column, O(s) per item, never O(s^2).
 * Sizes in n, c and {@link #positions}; x xOff, y yOff, dy dyOff, dx dxOff.
 */
public abstract class GlobalPoolKernels extends PadKernels {
  /** Spatial positions per image (h * w). */
  public int positions;
  /** 1: max, 0: mean. */
  public int poolMax;

  protected final void globalPoolForward(int gid) {
    if (gid < total) {
      int ch = gid % c;
      int b = gid / c;
      int x0 = xOff + b * positions * c + ch;
      float acc = work[x0];
      for (int p = 1; p < positions; p++) {
        float v = work[x0 + p * c];
        if (poolMax == 1) {
          acc = v > acc ? v : acc;
        } else {
          acc += v;
        }
      }
      if (poolMax != 1) {
        acc = acc / positions;
      }
      work[yOff + gid] = acc;
    }
  }

  protected final void globalPoolBackward(int gid) {
    if (gid < total) {
      int ch = gid % c;
      int b = gid / c;
      int base = b * positions * c + ch;
      float d = work[dyOff + gid];
      if (poolMax == 1) {
        int best = 0;
        float bestValue = work[xOff + base];
        for (int p = 1; p < positions; p++) {
          float v = work[xOff + base + p * c];
          if (v > bestValue) {
            bestValue = v;
            best = p;
          }
        }
        for (int p = 0; p < positions; p++) {
          work[dxOff + base + p * c] = p == best ? d : 0f;
        }
      } else {
        float share = d / positions;
        for (int p = 0; p < positions; p++) {
          work[dxOff + base + p * c] = share;
        }
      }
    }
  }
}
