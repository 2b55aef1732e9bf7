package dev.cnnspark.kernels.cpu;

import dev.cnnspark.kernels.dropout.DropoutMask;

/** {@link Lanes} as plain loops, for JVMs without the Vector API module. */
final class ScalarLanes extends Lanes {

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
