package dev.cnnspark.kernels.optim;

import dev.cnnspark.kernels.loss.LossKernels;

/**
 * OpenCL kernel of the optimizer updates over the flat parameter vector; reference (formulas):
 * {@link OptimizerReference}. One work item per parameter of the range starting at xOff; rule in fn
 * ({@link dev.cnnspark.kernels.OptimizerRule#code}), nesterov in fn2; lr f0, a1 f1, a2 f2, eps f3, c0 f4, c1 f5,
 * c2 f6.
 */
public abstract class OptimizerKernels extends LossKernels {

  protected final void optimizerStep(int gid) {
    if (gid < total) {
      int i = xOff + gid;
      float g = grads[i];
      float lr = f0;
      float a1 = f1;
      float a2 = f2;
      float eps = f3;
      if (fn == 0) {
        params[i] = params[i] - lr * g;
      } else if (fn == 1) {
        float v = a1 * opt1[i] - lr * g;
        opt1[i] = v;
        if (fn2 == 1) {
          params[i] = params[i] + a1 * v - lr * g;
        } else {
          params[i] = params[i] + v;
        }
      } else if (fn == 2) {
        float m = a1 * opt1[i] + (1f - a1) * g;
        float v = a2 * opt2[i] + (1f - a2) * g * g;
        opt1[i] = m;
        opt2[i] = v;
        params[i] = params[i] - lr * m / (sqrt(v) + eps);
      } else if (fn == 3) {
        float m = a1 * opt1[i] + (1f - a1) * g;
        float v = a2 * opt2[i] + (1f - a2) * g * g;
        opt1[i] = m;
        opt2[i] = v;
        params[i] = params[i] - lr * (f5 * m + f4 * g) / (sqrt(f6 * v) + eps);
      } else if (fn == 4) {
        float ag = a1 * opt1[i] + (1f - a1) * g * g;
        float d = -sqrt(opt2[i] + eps) / sqrt(ag + eps) * g;
        opt1[i] = ag;
        opt2[i] = a1 * opt2[i] + (1f - a1) * d * d;
        params[i] = params[i] + lr * d;
      } else if (fn == 5) {
        float acc = opt1[i] + g * g;
        opt1[i] = acc;
        params[i] = params[i] - lr * g / sqrt(acc + eps);
      } else {
        float v = a1 * opt1[i] + (1f - a1) * g * g;
        opt1[i] = v;
        float inc = lr * g / sqrt(v + eps);
        if (fn == 6) {
          params[i] = params[i] - inc;
        } else {
          float m = a2 * opt2[i] + inc;
          opt2[i] = m;
          params[i] = params[i] - m;
        }
      }
    }
  }
}
