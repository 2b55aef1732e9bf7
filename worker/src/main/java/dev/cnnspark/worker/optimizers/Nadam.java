package dev.cnnspark.worker.optimizers;

import dev.cnnspark.kernels.OptimizerRule;
import dev.cnnspark.kernels.StepHyper;
import java.util.Map;

/**
 * Nadam, Keras 3's formulation (defaults: lr 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7):
 * <pre>
 * mu_t = b1 (1 - 0.5 * 0.96^(0.004 t));   u_t = prod_{i<=t} mu_i
 * m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
 * p -= lr * (mu_{t+1} m / (1 - u_t mu_{t+1}) + (1 - mu_t) g / (1 - u_t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 * The products are a pure function of t, recomputed on the host, so the only state besides m and v is t.
 */
public final class Nadam extends Optimizer {
  private final float beta1;
  private final float beta2;
  private final float epsilon;

  public Nadam(double learningRate, double beta1, double beta2, double epsilon, double decay) {
    super(learningRate, decay);
    Betas.check("Nadam", beta1, beta2, epsilon);
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    this.epsilon = (float) epsilon;
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

  @Override
  protected StepHyper hyper(long t, float lr) {
    double uT = 1.0;
    for (long i = 1; i <= t; i++) {
      uT *= mu(i);
    }
    double muT = mu(t);
    double muNext = mu(t + 1);
    double uNext = uT * muNext;
    double c0 = (1 - muT) / (1 - uT);
    double c1 = muNext / (1 - uNext);
    double c2 = 1 / (1 - Math.pow(beta2, t));
    return new StepHyper(lr, beta1, beta2, epsilon, (float) c0, (float) c1, (float) c2, false);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("beta_1", (double) beta1);
    c.put("beta_2", (double) beta2);
    c.put("epsilon", (double) epsilon);
    return c;
  }
}
