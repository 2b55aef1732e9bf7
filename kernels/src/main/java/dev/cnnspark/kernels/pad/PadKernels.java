package dev.cnnspark.kernels.pad;

import dev.cnnspark.kernels.optim.OptimizerKernels;

/**
 * OpenCL kernels of zero padding / cropping (NHWC in WORK); reference: {@link PadReference}. Both directions gather
 * (one work item per element written), so no item shares an output. Geometry in n, h, w, c, oh, ow; offsets
 * xOff/yOff forward, dyOff/dxOff backward.
 */
public abstract class PadKernels extends OptimizerKernels {
  /** Where the input's first row and column sit in the output (negative: cropped). */
  public int padTop;
  public int padLeft;

  protected final void padForward(int gid) {
    if (gid < total) {
      int ch = gid % c;
      int t = gid / c;
      int ox = t % ow;
      t = t / ow;
      int oy = t % oh;
      int b = t / oh;
      int iy = oy - padTop;
      int ix = ox - padLeft;
      float v = 0f;
      if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
        v = work[xOff + ((b * h + iy) * w + ix) * c + ch];
      }
      work[yOff + gid] = v;
    }
  }

  protected final void padBackward(int gid) {
    if (gid < total) {
      int ch = gid % c;
      int t = gid / c;
      int ix = t % w;
      t = t / w;
      int iy = t % h;
      int b = t / h;
      int oy = iy + padTop;
      int ox = ix + padLeft;
      float v = 0f;
      if (oy >= 0 && oy < oh && ox >= 0 && ox < ow) {
        v = work[dyOff + ((b * oh + oy) * ow + ox) * c + ch];
      }
      work[dxOff + gid] = v;
    }
  }
}
