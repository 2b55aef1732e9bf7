package dev.cnnspark.kernels.activation;

import dev.cnnspark.kernels.dense.DenseKernels;

/** OpenCL kernels of activations and softmax (WORK); reference: {@link ActivationReference}. */
public abstract class ActivationKernels extends DenseKernels {
  /** Parametric ReLU: the clip ({@code max_value}, a huge value for none) and the slope below 0. */
  public float reluMax;
  public float reluSlope;

  /** y = x > 0 ? min(x, reluMax) : reluSlope * x. */
  protected final void reluForward(int gid) {
    if (gid < total) {
      float v = work[xOff + gid];
      work[yOff + gid] = v > 0f ? min(v, reluMax) : reluSlope * v;
    }
  }

  /** dx = dy * (y > 0 ? (y < reluMax ? 1 : 0) : reluSlope). */
  protected final void reluBackward(int gid) {
    if (gid < total) {
      float y = work[yOff + gid];
      float slope = reluSlope;
      if (y > 0f) {
        slope = y < reluMax ? 1f : 0f;
      }
      work[dxOff + gid] = work[dyOff + gid] * slope;
    }
  }

  /** y = act_fn(x), element-wise over total elements. */
  protected final void activationForward(int gid) {
    if (gid < total) {
      work[yOff + gid] = activate(fn, work[xOff + gid]);
    }
  }

  /** dx = dy * act_fn'(y). */
  protected final void activationBackward(int gid) {
    if (gid < total) {
      work[dxOff + gid] = work[dyOff + gid] * activationSlope(fn, work[yOff + gid]);
    }
  }

  /** Row-wise softmax, one work item per row of cols values. */
  protected final void softmaxForward(int gid) {
    if (gid < total) {
      int x0 = xOff + gid * cols;
      int y0 = yOff + gid * cols;
      float max = work[x0];
      for (int j = 1; j < cols; j++) {
        max = max(max, work[x0 + j]);
      }
      float sum = 0f;
      for (int j = 0; j < cols; j++) {
        float e = exp(work[x0 + j] - max);
        work[y0 + j] = e;
        sum += e;
      }
      float inv = 1f / sum;
      for (int j = 0; j < cols; j++) {
        work[y0 + j] = work[y0 + j] * inv;
      }
    }
  }

  /** dx_j = y_j (dy_j - sum_k dy_k y_k), one work item per row. */
  protected final void softmaxBackward(int gid) {
    if (gid < total) {
      int o = gid * cols;
      float dot = 0f;
      for (int j = 0; j < cols; j++) {
        dot += work[dyOff + o + j] * work[yOff + o + j];
      }
      for (int j = 0; j < cols; j++) {
        work[dxOff + o + j] = work[yOff + o + j] * (work[dyOff + o + j] - dot);
      }
    }
  }
}
