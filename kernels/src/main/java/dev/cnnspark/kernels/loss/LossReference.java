package dev.cnnspark.kernels.loss;

import dev.cnnspark.kernels.LossKind;

/**
 * Plain-Java reference of the losses, per row, in double. The batch loss is the mean of the row losses; a row's
 * loss is a sum over classes for the categorical kinds and a mean over outputs for BCE and MSE (Keras' definitions).
 * <pre>
 * softmax+CE (logits z)  loss = sum_j y_j (lse(z) - z_j)                   dz = (softmax(z) sum(y) - y) / rows
 * CE (probabilities p)   q = clip(p / sum p); loss = -sum_j y_j log q_j     dp_k = (-y_k/p_k [unclipped] + sum(y)/sum(p)) / rows
 * sigmoid+BCE (logits)   loss = mean_j max(z,0) - z y + log(1 + e^-|z|)     dz = (sigmoid(z) - y) / (rows cols)
 * BCE (probabilities)    p = clip(p); loss = -mean_j y log p + (1-y) log(1-p)  dp = (p - y) / (p (1-p)) / (rows cols) [unclipped]
 * MSE                    loss = mean_j (p - y)^2                            dp = 2 (p - y) / (rows cols)
 * </pre>
 * Accuracy per row: categorical kinds and MSE with several outputs compare arg-maxes (first maximum); binary kinds
 * and single-output MSE give the fraction of outputs on the right side of 0.5.
 * Row statistics written: loss, correct, predicted class, true class.
 */
public final class LossReference {
  private LossReference() {
  }

  public static void loss(LossKind kind, int rows, int cols, float[] pred, int predOff, float[] labels, int labelOff,
                          float[] grad, int gradOff, float[] stats, int statsOff) {
    double eps = LossKind.EPSILON;
    for (int r = 0; r < rows; r++) {
      int p0 = predOff + r * cols;
      int y0 = labelOff + r * cols;
      int g0 = gradOff + r * cols;
      double loss = 0;
      switch (kind) {
        case SOFTMAX_CROSS_ENTROPY -> {
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < cols; j++) {
            max = Math.max(max, pred[p0 + j]);
          }
          double sum = 0;
          double ySum = 0;
          for (int j = 0; j < cols; j++) {
            sum += Math.exp(pred[p0 + j] - max);
            ySum += labels[y0 + j];
          }
          double lse = max + Math.log(sum);
          for (int j = 0; j < cols; j++) {
            loss += labels[y0 + j] * (lse - pred[p0 + j]);
            if (gradOff >= 0) {
              grad[g0 + j] = (float) ((Math.exp(pred[p0 + j] - lse) * ySum - labels[y0 + j]) / rows);
            }
          }
        }
        case CATEGORICAL_CROSS_ENTROPY -> {
          double pSum = 0;
          double ySum = 0;
          for (int j = 0; j < cols; j++) {
            pSum += pred[p0 + j];
            ySum += labels[y0 + j];
          }
          for (int j = 0; j < cols; j++) {
            double q = pred[p0 + j] / pSum;
            double qc = Math.min(Math.max(q, eps), 1 - eps);
            loss -= labels[y0 + j] * Math.log(qc);
            if (gradOff >= 0) {
              double inside = (q > eps && q < 1 - eps) ? -labels[y0 + j] / pred[p0 + j] : 0.0;
              grad[g0 + j] = (float) ((inside + ySum / pSum) / rows);
            }
          }
        }
        case SIGMOID_BINARY_CROSS_ENTROPY -> {
          for (int j = 0; j < cols; j++) {
            double z = pred[p0 + j];
            double y = labels[y0 + j];
            loss += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
            if (gradOff >= 0) {
              grad[g0 + j] = (float) ((1.0 / (1.0 + Math.exp(-z)) - y) / ((double) rows * cols));
            }
          }
          loss /= cols;
        }
        case BINARY_CROSS_ENTROPY -> {
          for (int j = 0; j < cols; j++) {
            double p = pred[p0 + j];
            double pc = Math.min(Math.max(p, eps), 1 - eps);
            double y = labels[y0 + j];
            loss -= y * Math.log(pc) + (1 - y) * Math.log(1 - pc);
            if (gradOff >= 0) {
              double inside = (p > eps && p < 1 - eps) ? (p - y) / (p * (1 - p)) : 0.0;
              grad[g0 + j] = (float) (inside / ((double) rows * cols));
            }
          }
          loss /= cols;
        }
        case MEAN_SQUARED_ERROR -> {
          for (int j = 0; j < cols; j++) {
            double d = pred[p0 + j] - labels[y0 + j];
            loss += d * d;
            if (gradOff >= 0) {
              grad[g0 + j] = (float) (2 * d / ((double) rows * cols));
            }
          }
          loss /= cols;
        }
      }
      int s = statsOff + r * LossKind.ROW_STATS;
      stats[s] = (float) loss;
      writeAccuracy(kind, cols, pred, p0, labels, y0, stats, s);
    }
  }

  private static void writeAccuracy(LossKind kind, int cols, float[] pred, int p0, float[] labels, int y0,
                                    float[] stats, int s) {
    boolean binary = kind == LossKind.SIGMOID_BINARY_CROSS_ENTROPY || kind == LossKind.BINARY_CROSS_ENTROPY
        || (kind == LossKind.MEAN_SQUARED_ERROR && cols == 1);
    if (binary) {
      double threshold = kind == LossKind.SIGMOID_BINARY_CROSS_ENTROPY ? 0.0 : 0.5;
      int right = 0;
      for (int j = 0; j < cols; j++) {
        boolean p = pred[p0 + j] > threshold;
        boolean y = labels[y0 + j] > 0.5;
        right += p == y ? 1 : 0;
      }
      stats[s + 1] = (float) ((double) right / cols);
      stats[s + 2] = pred[p0] > threshold ? 1f : 0f;
      stats[s + 3] = labels[y0] > 0.5 ? 1f : 0f;
    } else {
      int pc = argmax(pred, p0, cols);
      int yc = argmax(labels, y0, cols);
      stats[s + 1] = pc == yc ? 1f : 0f;
      stats[s + 2] = pc;
      stats[s + 3] = yc;
    }
  }

  static int argmax(float[] a, int off, int len) {
    int best = 0;
    for (int j = 1; j < len; j++) {
      if (a[off + j] > a[off + best]) {
        best = j;
      }
    }
    return best;
  }

  /** {@code out[outOff] += sum of row losses; out[outOff+1] += sum of correct}. */
  public static void accumulateMetrics(int rows, float[] stats, int statsOff, float[] out, int outOff) {
    double loss = 0;
    double correct = 0;
    for (int r = 0; r < rows; r++) {
      loss += stats[statsOff + r * LossKind.ROW_STATS];
      correct += stats[statsOff + r * LossKind.ROW_STATS + 1];
    }
    out[outOff] += (float) loss;
    out[outOff + 1] += (float) correct;
  }
}
