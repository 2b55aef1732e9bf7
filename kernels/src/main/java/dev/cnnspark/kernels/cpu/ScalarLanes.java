package dev.cnnspark.kernels.cpu;

import dev.cnnspark.kernels.dropout.DropoutMask;

/** {@link Lanes} as plain loops, for JVMs without the Vector API module. */
final class ScalarLanes extends Lanes {

  @Override
  public void pairsMaxRow(float[] x, int in, int row, int ow, int c, float[] y, int out) {
    for (int ox = 0; ox < ow; ox++, in += 2 * c, out += c) {
      for (int ch = 0; ch < c; ch++) {
        float m = x[in + ch];
        float v = x[in + c + ch];
        m = v > m ? v : m;
        v = x[in + row + ch];
        m = v > m ? v : m;
        v = x[in + row + c + ch];
        y[out + ch] = v > m ? v : m;
      }
    }
  }

  @Override
  public void pairsMaxRowBackward(float[] x, int xOff, int in, int row, int ow, int c, float[] dy, int out,
                                  float[] dx, int dxOff) {
    for (int ox = 0; ox < ow; ox++, in += 2 * c, out += c) {
      for (int ch = 0; ch < c; ch++) {
        int at = in + ch;
        float m = x[xOff + at];
        int t = in + c + ch;
        float v = x[xOff + t];
        if (v > m) {
          m = v;
          at = t;
        }
        t = in + row + ch;
        v = x[xOff + t];
        if (v > m) {
          m = v;
          at = t;
        }
        t = in + row + c + ch;
        if (x[xOff + t] > m) {
          at = t;
        }
        dx[dxOff + at] = dy[out + ch];
      }
    }
  }

  @Override
  public void columnSums(int from, int to, int cols, float[] dy, int dyOff, double[] sum) {
    for (int r = from; r < to; r++) {
      int o = dyOff + r * cols;
      for (int j = 0; j < cols; j++) {
        sum[j] += dy[o + j];
      }
    }
  }

  @Override
  public void reluBackward(int from, int to, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    for (int i = from; i < to; i++) {
      dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : 0f;
    }
  }

  @Override
  public void dropout(int from, int to, int seedLo, int seedHi, int threshold, float scale, float[] in, int inOff,
                      float[] out, int outOff) {
    for (int i = from; i < to; i++) {
      out[outOff + i] = in[inOff + i] * (DropoutMask.bits(seedLo, seedHi, i) >= threshold ? scale : 0f);
    }
  }
}
