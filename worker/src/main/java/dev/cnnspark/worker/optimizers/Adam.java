package dev.cnnspark.worker.optimizers;

import dev.cnnspark.kernels.OptimizerRule;
import dev.cnnspark.kernels.StepHyper;

/**
 * Adam (Keras 3 defaults: lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7).
 * <pre>
 * m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
 * p -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)
 * </pre>
 * The bias correction is folded into the step's learning rate on the host.
 */
public final class Adam extends AdamFamily {

  public Adam(double learningRate, double beta1, double beta2, double epsilon, double decay) {
    super(learningRate, beta1, beta2, epsilon, decay);
  }

  public Adam(double learningRate) {
    this(learningRate, 0.9, 0.999, 1e-7, 0);
  }

  public Adam() {
    this(0.001);
  }

  @Override
  public OptimizerRule rule() {
    return OptimizerRule.ADAM;
  }

  @Override
  protected StepHyper hyper(long t, float lr) {
    double alpha = lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
    return new StepHyper((float) alpha, beta1, beta2, epsilon, 0, 0, 0, false);
  }
}
