package dev.cnnspark.worker.optimizers;

import dev.cnnspark.kernels.OptimizerRule;
import dev.cnnspark.kernels.StepHyper;
import java.util.Map;

/**
 * Adadelta (Keras 3 defaults: lr 0.001, rho 0.95, epsilon 1e-7; the classic Keras MNIST example uses lr 1.0).
 * <pre>
 * a = rho a + (1-rho) g^2;  d = -sqrt(s + eps) / sqrt(a + eps) g;  s = rho s + (1-rho) d^2;  p += lr d
 * </pre>
 */
public final class Adadelta extends Optimizer {
  private final float rho;
  private final float epsilon;

  public Adadelta(double learningRate, double rho, double epsilon, double decay) {
    super(learningRate, decay);
    if (!(rho >= 0 && rho < 1) || !(epsilon > 0)) {
      throw new IllegalArgumentException("Adadelta needs rho in [0, 1) and epsilon > 0, got rho=" + rho
          + " epsilon=" + epsilon);
    }
    this.rho = (float) rho;
    this.epsilon = (float) epsilon;
  }

  public Adadelta(double learningRate, double rho, double epsilon) {
    this(learningRate, rho, epsilon, 0);
  }

  public Adadelta() {
    this(0.001, 0.95, 1e-7, 0);
  }

  @Override
  public OptimizerRule rule() {
    return OptimizerRule.ADADELTA;
  }

  @Override
  protected StepHyper hyper(long t, float lr) {
    return new StepHyper(lr, rho, 0, epsilon, 0, 0, 0, false);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("rho", (double) rho);
    c.put("epsilon", (double) epsilon);
    return c;
  }
}
