package dev.cnnspark.kernels.depthwise;

import dev.cnnspark.kernels.embedding.EmbeddingKernels;

/**
 * OpenCL kernels of depthwise convolution (geometry in n..oc with oc = c * m; x xOff, kernel wOff and bias bOff in
 * PARAMS, y yOff, dy dyOff, dx dxOff, dw dwOff in GRADS; activation code fn); reference: {@link DepthwiseReference}.
 * Forward: one item per output element. Data gradient: one item per input element gathering from the windows that
 * cover it (no atomics). Kernel gradient: one item per weight summing over every output pixel; a layer of a few
 * hundred weights then has few items, each with a long loop, which is correct and simple and the first thing to
 * split if a GPU profile says so.
 */
public abstract class DepthwiseKernels extends EmbeddingKernels {

  protected final void depthwiseForward(int gid) {
    if (gid < total) {
      int o = gid % oc;
      int t = gid / oc;
      int ox = t % ow;
      t = t / ow;
      int oy = t % oh;
      int b = t / oh;
      int m = oc / c;
      int ch = o / m;
      float acc = 0f;
      if (bOff >= 0) {
        acc = params[bOff + o];
      }
      for (int ky = 0; ky < kh; ky++) {
        int iy = oy * sh + ky - pt;
        for (int kx = 0; kx < kw; kx++) {
          int ix = ox * sw + kx - pl;
          if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
            acc += work[xOff + ((b * h + iy) * w + ix) * c + ch] * params[wOff + (ky * kw + kx) * oc + o];
          }
        }
      }
      work[yOff + gid] = activate(fn, acc);
    }
  }

  protected final void depthwiseBackwardData(int gid) {
    if (gid < total) {
      int ch = gid % c;
      int t = gid / c;
      int ix = t % w;
      t = t / w;
      int iy = t % h;
      int b = t / h;
      int m = oc / c;
      float acc = 0f;
      for (int oy = firstWindow(iy + pt, kh, sh); oy <= lastWindow(iy + pt, sh, oh); oy++) {
        int ky = iy + pt - oy * sh;
        for (int ox = firstWindow(ix + pl, kw, sw); ox <= lastWindow(ix + pl, sw, ow); ox++) {
          int kx = ix + pl - ox * sw;
          for (int k = 0; k < m; k++) {
            int o = ch * m + k;
            acc += work[dyOff + ((b * oh + oy) * ow + ox) * oc + o] * params[wOff + (ky * kw + kx) * oc + o];
          }
        }
      }
      work[dxOff + gid] = acc;
    }
  }

  protected final void depthwiseBackwardFilter(int gid) {
    if (gid < total) {
      int o = gid % oc;
      int t = gid / oc;
      int kx = t % kw;
      int ky = t / kw;
      int ch = o / (oc / c);
      float acc = 0f;
      for (int b = 0; b < n; b++) {
        for (int oy = 0; oy < oh; oy++) {
          int iy = oy * sh + ky - pt;
          if (iy >= 0 && iy < h) {
            for (int ox = 0; ox < ow; ox++) {
              int ix = ox * sw + kx - pl;
              if (ix >= 0 && ix < w) {
                acc += work[xOff + ((b * h + iy) * w + ix) * c + ch]
                    * work[dyOff + ((b * oh + oy) * ow + ox) * oc + o];
              }
            }
          }
        }
      }
      grads[dwOff + gid] += acc;
    }
  }
}
