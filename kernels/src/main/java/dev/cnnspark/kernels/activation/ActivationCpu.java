package dev.cnnspark.kernels.activation;

import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.cpu.CpuContext;
import dev.cnnspark.kernels.cpu.Lanes;

/**
 * CPU activations: float loops split over threads (softmax, which is tiny, runs the reference). Reference:
 * {@link ActivationReference}.
 */
public final class ActivationCpu {
  private static final int GRAIN = 1 << 15;

  private ActivationCpu() {
  }

  public static void forward(CpuContext ctx, Activation act, int len, float[] x, int xOff, float[] y, int yOff) {
    ctx.parallel().forRange(len, GRAIN, (chunk, from, to) -> {
      if (act == Activation.RELU) {
        for (int i = from; i < to; i++) {
          float v = x[xOff + i];
          y[yOff + i] = v > 0f ? v : 0f;
        }
      } else {
        for (int i = from; i < to; i++) {
          y[yOff + i] = Activation.apply(act.code, x[xOff + i]);
        }
      }
    });
  }

  public static void backward(CpuContext ctx, Activation act, int len, float[] y, int yOff, float[] dy, int dyOff,
                              float[] dx, int dxOff) {
    Lanes lanes = Lanes.instance();
    ctx.parallel().forRange(len, GRAIN, (chunk, from, to) -> {
      if (act == Activation.RELU) {
        lanes.reluBackward(from, to, y, yOff, dy, dyOff, dx, dxOff);
      } else {
        for (int i = from; i < to; i++) {
          dx[dxOff + i] = dy[dyOff + i] * Activation.derivativeFromOutput(act.code, y[yOff + i]);
        }
      }
    });
  }

  public static void reluForward(CpuContext ctx, int len, float maxValue, float negativeSlope, float[] x, int xOff,
                                 float[] y, int yOff) {
    ctx.parallel().forRange(len, GRAIN, (chunk, from, to) -> {
      // branch-free (min/max are vector intrinsics): for v > 0 the first term is min(v, max) and the second 0;
      // for v <= 0 the first is 0 and the second slope * v
      for (int i = from; i < to; i++) {
        float v = x[xOff + i];
        y[yOff + i] = Math.max(Math.min(v, maxValue), 0f) + negativeSlope * Math.min(v, 0f);
      }
    });
  }

  public static void reluBackward(CpuContext ctx, int len, float maxValue, float negativeSlope, float[] y, int yOff,
                                  float[] dy, int dyOff, float[] dx, int dxOff) {
    ctx.parallel().forRange(len, GRAIN, (chunk, from, to) -> {
      for (int i = from; i < to; i++) {
        float out = y[yOff + i];
        float slope = out > 0f ? (out < maxValue ? 1f : 0f) : negativeSlope;
        dx[dxOff + i] = dy[dyOff + i] * slope;
      }
    });
  }
}
