package dev.cnnspark.worker.optimizers;

import dev.cnnspark.kernels.OptimizerRule;
import dev.cnnspark.kernels.StepHyper;
import java.util.Map;

/**
 * RMSprop, Keras 3's formulation (defaults: lr 0.001, rho 0.9, momentum 0, epsilon 1e-7; not centered).
 * <pre>
 * v = rho v + (1-rho) g^2;  inc = lr g / sqrt(v + eps)
 * momentum 0: p -= inc;  else m = momentum m + inc, p -= m
 * </pre>
 */
public final class RMSprop extends Optimizer {
  private final float rho;
  private final float momentum;
  private final float epsilon;

  public RMSprop(double learningRate, double rho, double momentum, double epsilon, double decay) {
    super(learningRate, decay);
    if (!(rho >= 0 && rho < 1) || !(momentum >= 0 && momentum < 1) || !(epsilon > 0)) {
      throw new IllegalArgumentException("RMSprop needs rho and momentum in [0, 1) and epsilon > 0, got rho=" + rho
          + " momentum=" + momentum + " epsilon=" + epsilon);
    }
    this.rho = (float) rho;
    this.momentum = (float) momentum;
    this.epsilon = (float) epsilon;
  }

  public RMSprop() {
    this(0.001, 0.9, 0, 1e-7, 0);
  }

  @Override
  public OptimizerRule rule() {
    return momentum == 0f ? OptimizerRule.RMSPROP : OptimizerRule.RMSPROP_MOMENTUM;
  }

  @Override
  protected StepHyper hyper(long t, float lr) {
    return new StepHyper(lr, rho, momentum, epsilon, 0, 0, 0, false);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("rho", (double) rho);
    c.put("momentum", (double) momentum);
    c.put("epsilon", (double) epsilon);
    return c;
  }
}
