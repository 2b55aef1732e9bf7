package dev.cnnspark.kernels.optim;

import dev.cnnspark.kernels.OptimizerRule;
import dev.cnnspark.kernels.StepHyper;

/**
 * Plain-Java reference of the per-element update rules (Keras 3's formulas; {@link StepHyper} carries the
 * scalars the host computed for this step). p: parameter, g: gradient, s1/s2: optimizer slots.
 * <pre>
 * SGD              p -= lr g
 * SGD momentum     s1 = mom s1 - lr g;  p += nesterov ? mom s1 - lr g : s1
 * Adam             s1 = b1 s1 + (1-b1) g;  s2 = b2 s2 + (1-b2) g^2;  p -= lr_t s1 / (sqrt(s2) + eps)
 *                  (lr_t = lr sqrt(1-b2^t) / (1-b1^t), folded into hyper.lr)
 * Nadam            s1 = b1 s1 + (1-b1) g;  s2 = b2 s2 + (1-b2) g^2
 *                  p -= lr (c1 s1 + c0 g) / (sqrt(c2 s2) + eps)
 * Adadelta         s1 = rho s1 + (1-rho) g^2;  d = -sqrt(s2 + eps) / sqrt(s1 + eps) g;
 *                  s2 = rho s2 + (1-rho) d^2;  p += lr d
 * Adagrad          s1 += g^2;  p -= lr g / sqrt(s1 + eps)
 * RMSprop          s1 = rho s1 + (1-rho) g^2;  inc = lr g / sqrt(s1 + eps)
 *                  momentum 0: p -= inc;  else s2 = mom s2 + inc, p -= s2   (rho in a1, momentum in a2)
 * </pre>
 */
public final class OptimizerReference {
  private OptimizerReference() {
  }

  public static void step(OptimizerRule rule, int off, int len, StepHyper h, float[] p, float[] g, float[] s1, float[] s2) {
    double lr = h.lr();
    double a1 = h.a1();
    double a2 = h.a2();
    double eps = h.eps();
    for (int i = off; i < off + len; i++) {
      double gi = g[i];
      switch (rule) {
        case SGD -> p[i] = (float) (p[i] - lr * gi);
        case SGD_MOMENTUM -> {
          double v = a1 * s1[i] - lr * gi;
          s1[i] = (float) v;
          p[i] = (float) (p[i] + (h.nesterov() ? a1 * v - lr * gi : v));
        }
        case ADAM -> {
          double m = a1 * s1[i] + (1 - a1) * gi;
          double v = a2 * s2[i] + (1 - a2) * gi * gi;
          s1[i] = (float) m;
          s2[i] = (float) v;
          p[i] = (float) (p[i] - lr * m / (Math.sqrt(v) + eps));
        }
        case NADAM -> {
          double m = a1 * s1[i] + (1 - a1) * gi;
          double v = a2 * s2[i] + (1 - a2) * gi * gi;
          s1[i] = (float) m;
          s2[i] = (float) v;
          double mHat = h.c1() * m + h.c0() * gi;
          p[i] = (float) (p[i] - lr * mHat / (Math.sqrt(h.c2() * v) + eps));
        }
        case ADADELTA -> {
          double ag = a1 * s1[i] + (1 - a1) * gi * gi;
          double d = -Math.sqrt(s2[i] + eps) / Math.sqrt(ag + eps) * gi;
          s1[i] = (float) ag;
          s2[i] = (float) (a1 * s2[i] + (1 - a1) * d * d);
          p[i] = (float) (p[i] + lr * d);
        }
        case ADAGRAD -> {
          double acc = s1[i] + gi * gi;
          s1[i] = (float) acc;
          p[i] = (float) (p[i] - lr * gi / Math.sqrt(acc + eps));
        }
        case RMSPROP, RMSPROP_MOMENTUM -> {
          double v = a1 * s1[i] + (1 - a1) * gi * gi;
          s1[i] = (float) v;
          double inc = lr * gi / Math.sqrt(v + eps);
          if (rule == OptimizerRule.RMSPROP) {
            p[i] = (float) (p[i] - inc);
          } else {
            double m = a2 * s2[i] + inc;
            s2[i] = (float) m;
            p[i] = (float) (p[i] - m);
          }
        }
      }
    }
  }
}
