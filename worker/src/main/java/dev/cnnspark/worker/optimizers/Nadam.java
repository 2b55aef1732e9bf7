package dev.cnnspark.worker.optimizers;

import dev.cnnspark.kernels.OptimizerRule;
import dev.cnnspark.kernels.StepHyper;

/**
 * Nadam, Keras 3's formulation (defaults: lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7):
 * <pre>
 * mu_t = b1 (1 - 0.5 * 0.96^(0.004 t));   u_t = prod_{i<=t} mu_i
 * m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
 * p -= lr * (mu_{t+1} m / (1 - u_t mu_{t+1}) + (1 - mu_t) g / (1 - u_t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 * The products are a pure function of t, so the only state besides m and v is t. u_t is kept from the previous
 * step (one multiplication a step, as Keras keeps {@code u_product}) and rebuilt from 1 only when t jumps, after a
 * resume or an averaging round; both give the same bits, the product being taken in the same order.
 */
public final class Nadam extends AdamFamily {
  private long productAt;
  private double product = 1.0;

  public Nadam(double learningRate, double beta1, double beta2, double epsilon, double decay) {
    super(learningRate, beta1, beta2, epsilon, decay);
  }

  public Nadam() {
    this(0.001, 0.9, 0.999, 1e-7, 0);
  }

  @Override
  public OptimizerRule rule() {
    return OptimizerRule.NADAM;
  }

  private double mu(long t) {
    return beta1 * (1.0 - 0.5 * Math.pow(0.96, 0.004 * t));
  }

  /** u_t = prod_{i<=t} mu_i. */
  private double product(long t) {
    if (t < productAt) {
      productAt = 0;
      product = 1.0;
    }
    for (long i = productAt + 1; i <= t; i++) {
      product *= mu(i);
    }
    productAt = t;
    return product;
  }

  @Override
  protected StepHyper hyper(long t, float lr) {
    double uT = product(t);
    double muT = mu(t);
    double muNext = mu(t + 1);
    double uNext = uT * muNext;
    double c0 = (1 - muT) / (1 - uT);
    double c1 = muNext / (1 - uNext);
    double c2 = 1 / (1 - Math.pow(beta2, t));
    return new StepHyper(lr, beta1, beta2, epsilon, (float) c0, (float) c1, (float) c2, false);
  }
}
