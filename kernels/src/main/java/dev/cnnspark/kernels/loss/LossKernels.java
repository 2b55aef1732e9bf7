package dev.cnnspark.kernels.loss;

import dev.cnnspark.kernels.norm.BatchNormKernels;

/**
 * OpenCL kernels of the losses and the metric accumulator; reference (formulas): {@link LossReference}.
 * One work item per row: predictions at xOff (WORK), labels at yOff (IO), gradient at dxOff (WORK, -1: none),
 * four row statistics at aux0 (WORK); kind in fn ({@link dev.cnnspark.kernels.LossKind#code}), eps in f0.
 */
public abstract class LossKernels extends BatchNormKernels {

  protected final void lossOp(int gid) {
    if (gid < total) {
      int p0 = xOff + gid * cols;
      int y0 = yOff + gid * cols;
      int g0 = dxOff + gid * cols;
      float eps = f0;
      float loss = 0f;
      float binaryScale = 1f / ((float) rows * cols);
      if (fn == 0) {
        float max = work[p0];
        for (int j = 1; j < cols; j++) {
          max = max(max, work[p0 + j]);
        }
        float sum = 0f;
        float ySum = 0f;
        for (int j = 0; j < cols; j++) {
          sum += exp(work[p0 + j] - max);
          ySum += io[y0 + j];
        }
        float lse = max + log(sum);
        for (int j = 0; j < cols; j++) {
          loss += io[y0 + j] * (lse - work[p0 + j]);
          if (dxOff >= 0) {
            work[g0 + j] = (exp(work[p0 + j] - lse) * ySum - io[y0 + j]) / rows;
          }
        }
      } else if (fn == 1) {
        float pSum = 0f;
        float ySum = 0f;
        for (int j = 0; j < cols; j++) {
          pSum += work[p0 + j];
          ySum += io[y0 + j];
        }
        for (int j = 0; j < cols; j++) {
          float q = work[p0 + j] / pSum;
          loss -= io[y0 + j] * log(min(max(q, eps), 1f - eps));
          if (dxOff >= 0) {
            float inside = 0f;
            if (q > eps && q < 1f - eps) {
              inside = -io[y0 + j] / work[p0 + j];
            }
            work[g0 + j] = (inside + ySum / pSum) / rows;
          }
        }
      } else if (fn == 2) {
        for (int j = 0; j < cols; j++) {
          float z = work[p0 + j];
          float y = io[y0 + j];
          loss += max(z, 0f) - z * y + log1p(exp(-abs(z)));
          if (dxOff >= 0) {
            work[g0 + j] = (1f / (1f + exp(-z)) - y) * binaryScale;
          }
        }
        loss = loss / cols;
      } else if (fn == 3) {
        for (int j = 0; j < cols; j++) {
          float p = work[p0 + j];
          float pc = min(max(p, eps), 1f - eps);
          float y = io[y0 + j];
          loss -= y * log(pc) + (1f - y) * log(1f - pc);
          if (dxOff >= 0) {
            float inside = 0f;
            if (p > eps && p < 1f - eps) {
              inside = (p - y) / (p * (1f - p));
            }
            work[g0 + j] = inside * binaryScale;
          }
        }
        loss = loss / cols;
      } else {
        for (int j = 0; j < cols; j++) {
          float d = work[p0 + j] - io[y0 + j];
          loss += d * d;
          if (dxOff >= 0) {
            work[g0 + j] = 2f * d * binaryScale;
          }
        }
        loss = loss / cols;
      }
      int s = aux0 + gid * 4;
      work[s] = loss;
      writeAccuracy(p0, y0, s);
    }
  }

  protected final void writeAccuracy(int p0, int y0, int s) {
    if (fn == 2 || fn == 3 || (fn == 4 && cols == 1)) {
      float threshold = 0.5f;
      if (fn == 2) {
        threshold = 0f;
      }
      int right = 0;
      for (int j = 0; j < cols; j++) {
        int p = work[p0 + j] > threshold ? 1 : 0;
        int y = io[y0 + j] > 0.5f ? 1 : 0;
        if (p == y) {
          right++;
        }
      }
      work[s + 1] = (float) right / cols;
      work[s + 2] = work[p0] > threshold ? 1f : 0f;
      work[s + 3] = io[y0] > 0.5f ? 1f : 0f;
    } else {
      int pc = 0;
      int yc = 0;
      for (int j = 1; j < cols; j++) {
        if (work[p0 + j] > work[p0 + pc]) {
          pc = j;
        }
        if (io[y0 + j] > io[y0 + yc]) {
          yc = j;
        }
      }
      work[s + 1] = pc == yc ? 1f : 0f;
      work[s + 2] = pc;
      work[s + 3] = yc;
    }
  }

  /** out[yOff] += sum of row losses, out[yOff + 1] += sum of correct; a single work item over rows at xOff. */
  protected final void accumulateMetrics(int gid) {
    if (gid == 0) {
      float loss = 0f;
      float correct = 0f;
      for (int r = 0; r < rows; r++) {
        loss += work[xOff + r * 4];
        correct += work[xOff + r * 4 + 1];
      }
      out[yOff] += loss;
      out[yOff + 1] += correct;
    }
  }
}
