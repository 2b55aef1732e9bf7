package dev.cnnspark.kernels.optim;

import dev.cnnspark.kernels.OptimizerRule;
import dev.cnnspark.kernels.StepHyper;
import dev.cnnspark.kernels.cpu.CpuContext;

/**
 * CPU optimizer updates: the float formulas of the OpenCL kernel, split over threads by parameter range. Reference:
 * {@link OptimizerReference}.
 */
public final class OptimizerCpu {
  private OptimizerCpu() {
  }

  public static void step(CpuContext ctx, OptimizerRule rule, int off, int len, StepHyper h, float[] p, float[] g, float[] s1,
                          float[] s2) {
    float lr = h.lr();
    float a1 = h.a1();
    float a2 = h.a2();
    float eps = h.eps();
    ctx.parallel().forRange(len, 1 << 14, (chunk, start, end) -> {
      int from = off + start;
      int to = off + end;
      switch (rule) {
        case SGD -> {
          for (int i = from; i < to; i++) {
            p[i] -= lr * g[i];
          }
        }
        case SGD_MOMENTUM -> {
          for (int i = from; i < to; i++) {
            float v = a1 * s1[i] - lr * g[i];
            s1[i] = v;
            p[i] += h.nesterov() ? a1 * v - lr * g[i] : v;
          }
        }
        case ADAM -> {
          for (int i = from; i < to; i++) {
            float gi = g[i];
            float m = a1 * s1[i] + (1f - a1) * gi;
            float v = a2 * s2[i] + (1f - a2) * gi * gi;
            s1[i] = m;
            s2[i] = v;
            p[i] -= lr * m / ((float) Math.sqrt(v) + eps);
          }
        }
        case NADAM -> {
          for (int i = from; i < to; i++) {
            float gi = g[i];
            float m = a1 * s1[i] + (1f - a1) * gi;
            float v = a2 * s2[i] + (1f - a2) * gi * gi;
            s1[i] = m;
            s2[i] = v;
            p[i] -= lr * (h.c1() * m + h.c0() * gi) / ((float) Math.sqrt(h.c2() * v) + eps);
          }
        }
        case ADADELTA -> {
          for (int i = from; i < to; i++) {
            float gi = g[i];
            float ag = a1 * s1[i] + (1f - a1) * gi * gi;
            float d = -(float) Math.sqrt(s2[i] + eps) / (float) Math.sqrt(ag + eps) * gi;
            s1[i] = ag;
            s2[i] = a1 * s2[i] + (1f - a1) * d * d;
            p[i] += lr * d;
          }
        }
        case ADAGRAD -> {
          for (int i = from; i < to; i++) {
            float gi = g[i];
            float acc = s1[i] + gi * gi;
            s1[i] = acc;
            p[i] -= lr * gi / (float) Math.sqrt(acc + eps);
          }
        }
        case RMSPROP, RMSPROP_MOMENTUM -> {
          for (int i = from; i < to; i++) {
            float gi = g[i];
            float v = a1 * s1[i] + (1f - a1) * gi * gi;
            s1[i] = v;
            float inc = lr * gi / (float) Math.sqrt(v + eps);
            if (rule == OptimizerRule.RMSPROP) {
              p[i] -= inc;
            } else {
              float m = a2 * s2[i] + inc;
              s2[i] = m;
              p[i] -= m;
            }
          }
        }
      }
    });
  }
}
