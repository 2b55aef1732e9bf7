package dev.cnnspark.kernels.optim;

import dev.cnnspark.kernels.loss.LossKernels;

/**
 * OpenCL kernel of the optimizer updates over the flat parameter vector; reference (formulas):
 * {@link OptimizerReference}. One work item per parameter; rule in fn
 * ({@link dev.cnnspark.kernels.OptimizerRule#code}), nesterov in fn2; lr f0, a1 f1, a2 f2, eps f3, c0 f4, c1 f5,
 * c2 f6.
 */
public abstract class OptimizerKernels extends LossKernels {

  protected final void optimizerStep(int gid) {
    if (gid < total) {
      float g = grads[gid];
      float lr = f0;
      float a1 = f1;
      float a2 = f2;
      float eps = f3;
      if (fn == 0) {
        params[gid] = params[gid] - lr * g;
      } else if (fn == 1) {
        float v = a1 * opt1[gid] - lr * g;
        opt1[gid] = v;
        if (fn2 == 1) {
          params[gid] = params[gid] + a1 * v - lr * g;
        } else {
          params[gid] = params[gid] + v;
        }
      } else if (fn == 2) {
        float m = a1 * opt1[gid] + (1f - a1) * g;
        float v = a2 * opt2[gid] + (1f - a2) * g * g;
        opt1[gid] = m;
        opt2[gid] = v;
        params[gid] = params[gid] - lr * m / (sqrt(v) + eps);
      } else if (fn == 3) {
        float m = a1 * opt1[gid] + (1f - a1) * g;
        float v = a2 * opt2[gid] + (1f - a2) * g * g;
        opt1[gid] = m;
        opt2[gid] = v;
        params[gid] = params[gid] - lr * (f5 * m + f4 * g) / (sqrt(f6 * v) + eps);
      } else if (fn == 4) {
        float ag = a1 * opt1[gid] + (1f - a1) * g * g;
        float d = -sqrt(opt2[gid] + eps) / sqrt(ag + eps) * g;
        opt1[gid] = ag;
        opt2[gid] = a1 * opt2[gid] + (1f - a1) * d * d;
        params[gid] = params[gid] + lr * d;
      } else if (fn == 5) {
        float acc = opt1[gid] + g * g;
        opt1[gid] = acc;
        params[gid] = params[gid] - lr * g / sqrt(acc + eps);
      } else {
        float v = a1 * opt1[gid] + (1f - a1) * g * g;
        opt1[gid] = v;
        float inc = lr * g / sqrt(v + eps);
        if (fn == 6) {
          params[gid] = params[gid] - inc;
        } else {
          float m = a2 * opt2[gid] + inc;
          opt2[gid] = m;
          params[gid] = params[gid] - m;
        }
      }
    }
  }
}
