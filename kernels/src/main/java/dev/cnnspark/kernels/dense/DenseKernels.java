package dev.cnnspark.kernels.dense;

import dev.cnnspark.kernels.conv.ConvKernels;

/**
 * OpenCL kernels of the dense layer's products (x, y in WORK; w [in, out] and b in PARAMS); reference:
 * {@link DenseReference}. One work item per output element; rows, len = in, cols = out. These are the
 * {@link dev.cnnspark.kernels.opencl.Products#DIRECT} products; the default tiled ones are in
 * {@link dev.cnnspark.kernels.opencl.TiledKernels}.
 */
public abstract class DenseKernels extends ConvKernels {

  /** y[r, j] = act(b[j] + sum_k x[r, k] w[k, j]). */
  protected final void denseForward(int gid) {
    if (gid < total) {
      int j = gid % cols;
      int r = gid / cols;
      float acc = 0f;
      if (bOff >= 0) {
        acc = params[bOff + j];
      }
      int xBase = xOff + r * len;
      int wBase = wOff + j;
      for (int k = 0; k < len; k++) {
        acc += work[xBase + k] * params[wBase + k * cols];
      }
      work[yOff + gid] = activate(fn, acc);
    }
  }

  /** dx[r, k] = sum_j dy[r, j] w[k, j]. */
  protected final void denseBackwardData(int gid) {
    if (gid < total) {
      int k = gid % len;
      int r = gid / len;
      float acc = 0f;
      int dyBase = dyOff + r * cols;
      int wBase = wOff + k * cols;
      for (int j = 0; j < cols; j++) {
        acc += work[dyBase + j] * params[wBase + j];
      }
      work[dxOff + gid] = acc;
    }
  }

  /** dw[k, j] += sum_r x[r, k] dy[r, j]. */
  protected final void denseBackwardFilter(int gid) {
    if (gid < total) {
      int j = gid % cols;
      int k = gid / cols;
      float acc = 0f;
      for (int r = 0; r < rows; r++) {
        acc += work[xOff + r * len + k] * work[dyOff + r * cols + j];
      }
      grads[dwOff + gid] += acc;
    }
  }
}
