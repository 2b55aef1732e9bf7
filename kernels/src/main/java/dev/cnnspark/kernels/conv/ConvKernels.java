package dev.cnnspark.kernels.conv;

import dev.cnnspark.kernels.opencl.NarrowTiledKernels;
import dev.cnnspark.kernels.opencl.TiledKernels;

/**
 * OpenCL kernels of 2-D convolution (NHWC input in WORK, HWIO kernel in PARAMS); reference: {@link ConvReference}.
 * The {@link dev.cnnspark.kernels.opencl.Products#DIRECT} products (the default tiled ones are in
 * {@link TiledKernels} and {@link NarrowTiledKernels}).
 * Direct convolution, one work item per output element; the weight and bias gradients are split reductions (partial
 * sums into scratch, then added in split order). Gathers only (no atomics), so every result is deterministic. Geometry fields: n,h,w,c, kh,kw, sh,sw, pt,pl, oh,ow,oc.
 */
public abstract class ConvKernels extends NarrowTiledKernels {

  /** y = act(conv(x, w) + b): x at xOff, w at wOff, b at bOff (-1: none), y at yOff, activation fn. */
  protected final void conv2dForward(int gid) {
    if (gid < total) {
      int o = gid % oc;
      int t = gid / oc;
      int ox = t % ow;
      t = t / ow;
      int oy = t % oh;
      int b = t / oh;
      float acc = 0f;
      if (bOff >= 0) {
        acc = params[bOff + o];
      }
      for (int ky = 0; ky < kh; ky++) {
        int iy = oy * sh + ky - pt;
        if (iy >= 0 && iy < h) {
          for (int kx = 0; kx < kw; kx++) {
            int ix = ox * sw + kx - pl;
            if (ix >= 0 && ix < w) {
              int xBase = xOff + ((b * h + iy) * w + ix) * c;
              int wBase = wOff + (ky * kw + kx) * c * oc + o;
              for (int i = 0; i < c; i++) {
                acc += work[xBase + i] * params[wBase + i * oc];
              }
            }
          }
        }
      }
      work[yOff + gid] = activate(fn, acc);
    }
  }

  /** dx = conv_transpose(dy, w): one work item per input element, dy at dyOff, w at wOff, dx at dxOff. */
  protected final void conv2dBackwardData(int gid) {
    if (gid < total) {
      int i = gid % c;
      int t = gid / c;
      int ix = t % w;
      t = t / w;
      int iy = t % h;
      int b = t / h;
      float acc = 0f;
      for (int ky = 0; ky < kh; ky++) {
        int oyNum = iy + pt - ky;
        if (oyNum >= 0 && oyNum % sh == 0 && oyNum / sh < oh) {
          int oy = oyNum / sh;
          for (int kx = 0; kx < kw; kx++) {
            int oxNum = ix + pl - kx;
            if (oxNum >= 0 && oxNum % sw == 0 && oxNum / sw < ow) {
              int ox = oxNum / sw;
              int dyBase = dyOff + ((b * oh + oy) * ow + ox) * oc;
              int wBase = wOff + ((ky * kw + kx) * c + i) * oc;
              for (int o = 0; o < oc; o++) {
                acc += work[dyBase + o] * params[wBase + o];
              }
            }
          }
        }
      }
      work[dxOff + gid] = acc;
    }
  }

  /**
   * First half of the split backward-filter: work item (s, k) sums kernel element k over images
   * [s*n/splits, (s+1)*n/splits) into scratch[s*K + k]; {@link #addSplits} adds the splits into dw in split order.
   * Spreads the batch reduction over splits x K work items instead of K (18,432 for model (a)'s conv2, too few to fill a
   * GPU), and stays deterministic.
   */
  protected final void conv2dBackwardFilterPartial(int gid) {
    if (gid < total) {
      int kernelSize = kh * kw * c * oc;
      int s = gid / kernelSize;
      int k = gid - s * kernelSize;
      int o = k % oc;
      int t = k / oc;
      int i = t % c;
      t = t / c;
      int kx = t % kw;
      int ky = t / kw;
      int b0 = s * n / splits;
      int b1 = (s + 1) * n / splits;
      float acc = 0f;
      for (int b = b0; b < b1; b++) {
        for (int oy = 0; oy < oh; oy++) {
          int iy = oy * sh + ky - pt;
          if (iy >= 0 && iy < h) {
            for (int ox = 0; ox < ow; ox++) {
              int ix = ox * sw + kx - pl;
              if (ix >= 0 && ix < w) {
                acc += work[xOff + ((b * h + iy) * w + ix) * c + i] * work[dyOff + ((b * oh + oy) * ow + ox) * oc + o];
              }
            }
          }
        }
      }
      scratch[gid] = acc;
    }
  }

  /** Bias gradient, first half: work item (s, j) sums column j over rows [s*rows/splits, (s+1)*rows/splits). */
  protected final void biasGradPartial(int gid) {
    if (gid < total) {
      int s = gid / cols;
      int j = gid - s * cols;
      int r0 = s * rows / splits;
      int r1 = (s + 1) * rows / splits;
      float acc = 0f;
      for (int r = r0; r < r1; r++) {
        acc += work[dyOff + r * cols + j];
      }
      scratch[gid] = acc;
    }
  }

  /** Second half of a split reduction: grads[dwOff + k] += sum over s (in order) of scratch[s*len + k]. */
  protected final void addSplits(int gid) {
    if (gid < total) {
      float acc = 0f;
      for (int s = 0; s < splits; s++) {
        acc += scratch[s * len + gid];
      }
      grads[dwOff + gid] += acc;
    }
  }
}
