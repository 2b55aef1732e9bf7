package dev.cnnspark.kernels.norm;

import dev.cnnspark.kernels.dropout.DropoutKernels;

/**
 * OpenCL kernels of batch normalization over the channel axis of rows x c (WORK); reference:
 * {@link BatchNormReference}. Per-channel reductions run one work item per channel (two passes for the variance);
 * element-wise parts one work item per element. Offsets: x xOff, y yOff, dy dyOff, dx dxOff, gamma wOff (beta at
 * wOff + c), batch mean aux0, invStd aux1, moving stats aux2 (MOVING), batch sums aux3, dgamma dwOff (GRADS);
 * momentum f0, eps f1.
 */
public abstract class BatchNormKernels extends DropoutKernels {

  protected final void batchNormStats(int gid) {
    if (gid < total) {
      float sum = 0f;
      for (int r = 0; r < rows; r++) {
        sum += work[xOff + r * c + gid];
      }
      float mean = sum / rows;
      float sq = 0f;
      for (int r = 0; r < rows; r++) {
        float d = work[xOff + r * c + gid] - mean;
        sq += d * d;
      }
      float var = sq / rows;
      work[aux0 + gid] = mean;
      work[aux1 + gid] = 1f / sqrt(var + f1);
      moving[aux2 + gid] = f0 * moving[aux2 + gid] + (1f - f0) * mean;
      moving[aux2 + c + gid] = f0 * moving[aux2 + c + gid] + (1f - f0) * var;
    }
  }

  protected final void batchNormMovingStats(int gid) {
    if (gid < total) {
      work[aux0 + gid] = moving[aux2 + gid];
      work[aux1 + gid] = 1f / sqrt(moving[aux2 + c + gid] + f1);
    }
  }

  protected final void batchNormApply(int gid) {
    if (gid < total) {
      int ch = gid % c;
      float xhat = (work[xOff + gid] - work[aux0 + ch]) * work[aux1 + ch];
      work[yOff + gid] = params[wOff + ch] * xhat + params[wOff + c + ch];
    }
  }

  /** Per channel: dgamma = sum dy xhat, dbeta = sum dy, into GRADS (+=) and WORK[aux3] (this batch's sums). */
  protected final void batchNormBackwardReduce(int gid) {
    if (gid < total) {
      float mean = work[aux0 + gid];
      float invStd = work[aux1 + gid];
      float dBeta = 0f;
      float dGamma = 0f;
      for (int r = 0; r < rows; r++) {
        float d = work[dyOff + r * c + gid];
        dBeta += d;
        dGamma += d * (work[xOff + r * c + gid] - mean) * invStd;
      }
      grads[dwOff + gid] += dGamma;
      grads[dwOff + c + gid] += dBeta;
      work[aux3 + gid] = dGamma;
      work[aux3 + c + gid] = dBeta;
    }
  }

  protected final void batchNormBackwardData(int gid) {
    if (gid < total) {
      int ch = gid % c;
      float invStd = work[aux1 + ch];
      float xhat = (work[xOff + gid] - work[aux0 + ch]) * invStd;
      float k = params[wOff + ch] * invStd / rows;
      work[dxOff + gid] = k * (rows * work[dyOff + gid] - work[aux3 + c + ch] - xhat * work[aux3 + ch]);
    }
  }

  /** Frozen layer (inference mode): dx = dy * gamma * invStd; gamma wOff, invStd aux1. */
  protected final void batchNormBackwardInference(int gid) {
    if (gid < total) {
      int ch = gid % c;
      work[dxOff + gid] = work[dyOff + gid] * params[wOff + ch] * work[aux1 + ch];
    }
  }
}
