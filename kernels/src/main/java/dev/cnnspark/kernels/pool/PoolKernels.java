package dev.cnnspark.kernels.pool;

import dev.cnnspark.kernels.activation.ActivationKernels;

/**
 * OpenCL kernels of 2-D max and average pooling (NHWC in WORK, oc == c); reference: {@link PoolReference}.
 * Backward passes gather per input element (each input visits the windows that cover it), so overlapping windows
 * need no atomics; a max window's gradient goes to its first maximum, recomputed rather than stored.
 */
public abstract class PoolKernels extends ActivationKernels {

  /** y = max over the window: x at xOff, y at yOff, one work item per output. */
  protected final void maxPoolForward(int gid) {
    if (gid < total) {
      int ch = gid % c;
      int t = gid / c;
      int ox = t % ow;
      t = t / ow;
      int oy = t % oh;
      int b = t / oh;
      work[yOff + gid] = work[xOff + windowArgmax(b, oy, ox, ch)];
    }
  }

  /** dx: each input sums dy of the windows whose first maximum it is; x at xOff, dy at dyOff, dx at dxOff. */
  protected final void maxPoolBackward(int gid) {
    if (gid < total) {
      int ch = gid % c;
      int t = gid / c;
      int ix = t % w;
      t = t / w;
      int iy = t % h;
      int b = t / h;
      int self = ((b * h + iy) * w + ix) * c + ch;
      float acc = 0f;
      for (int oy = firstWindow(iy + pt, kh, sh); oy <= lastWindow(iy + pt, sh, oh); oy++) {
        for (int ox = firstWindow(ix + pl, kw, sw); ox <= lastWindow(ix + pl, sw, ow); ox++) {
          if (windowArgmax(b, oy, ox, ch) == self) {
            acc += work[dyOff + ((b * oh + oy) * ow + ox) * c + ch];
          }
        }
      }
      work[dxOff + gid] = acc;
    }
  }

  /** y = mean over the window's in-bounds elements. */
  protected final void avgPoolForward(int gid) {
    if (gid < total) {
      int ch = gid % c;
      int t = gid / c;
      int ox = t % ow;
      t = t / ow;
      int oy = t % oh;
      int b = t / oh;
      float sum = 0f;
      int count = 0;
      for (int ky = 0; ky < kh; ky++) {
        int iy = oy * sh + ky - pt;
        for (int kx = 0; kx < kw; kx++) {
          int ix = ox * sw + kx - pl;
          if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
            sum += work[xOff + ((b * h + iy) * w + ix) * c + ch];
            count++;
          }
        }
      }
      work[yOff + gid] = sum / count;
    }
  }

  /** dx: each input sums dy / count of the windows that cover it. */
  protected final void avgPoolBackward(int gid) {
    if (gid < total) {
      int ch = gid % c;
      int t = gid / c;
      int ix = t % w;
      t = t / w;
      int iy = t % h;
      int b = t / h;
      float acc = 0f;
      for (int oy = firstWindow(iy + pt, kh, sh); oy <= lastWindow(iy + pt, sh, oh); oy++) {
        for (int ox = firstWindow(ix + pl, kw, sw); ox <= lastWindow(ix + pl, sw, ow); ox++) {
          acc += work[dyOff + ((b * oh + oy) * ow + ox) * c + ch] / windowCount(oy, ox);
        }
      }
      work[dxOff + gid] = acc;
    }
  }

  /** First output index whose window [o*s, o*s + k) covers padded position p. */
  protected final int firstWindow(int p, int k, int s) {
    int lo = p - k + 1;
    int r = 0;
    if (lo > 0) {
      r = (lo + s - 1) / s;
    }
    return r;
  }

  /** Last output index whose window covers padded position p, clipped to the output size. */
  protected final int lastWindow(int p, int s, int outSize) {
    return min(p / s, outSize - 1);
  }

  /** Index into x (relative to xOff) of the first maximum of window (oy, ox) in channel ch of image b. */
  protected final int windowArgmax(int b, int oy, int ox, int ch) {
    int best = -1;
    float bestValue = 0f;
    for (int ky = 0; ky < kh; ky++) {
      int iy = oy * sh + ky - pt;
      for (int kx = 0; kx < kw; kx++) {
        int ix = ox * sw + kx - pl;
        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
          int idx = ((b * h + iy) * w + ix) * c + ch;
          float v = work[xOff + idx];
          if (best < 0 || v > bestValue) {
            best = idx;
            bestValue = v;
          }
        }
      }
    }
    return best;
  }

  protected final int windowCount(int oy, int ox) {
    int count = 0;
    for (int ky = 0; ky < kh; ky++) {
      int iy = oy * sh + ky - pt;
      for (int kx = 0; kx < kw; kx++) {
        int ix = ox * sw + kx - pl;
        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
          count++;
        }
      }
    }
    return count;
  }
}
