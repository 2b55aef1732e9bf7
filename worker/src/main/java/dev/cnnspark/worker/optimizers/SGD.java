package dev.cnnspark.worker.optimizers;

import dev.cnnspark.kernels.OptimizerRule;
import dev.cnnspark.kernels.StepHyper;
import java.util.Map;

/**
 * Stochastic gradient descent (Keras defaults: learning rate 0.01, no momentum).
 * <pre>
 * momentum 0:  p -= lr g
 * else:        v = momentum v - lr g;  p += nesterov ? momentum v - lr g : v
 * </pre>
 */
public final class SGD extends Optimizer {
  private final float momentum;
  private final boolean nesterov;

  public SGD(double learningRate, double momentum, boolean nesterov, double decay) {
    super(learningRate, decay);
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("SGD momentum must be in [0, 1), got " + momentum);
    }
    this.momentum = (float) momentum;
    this.nesterov = nesterov;
  }

  public SGD() {
    this(0.01, 0, false, 0);
  }

  @Override
  public OptimizerRule rule() {
    return momentum == 0f ? OptimizerRule.SGD : OptimizerRule.SGD_MOMENTUM;
  }

  @Override
  protected StepHyper hyper(long t, float lr) {
    return new StepHyper(lr, momentum, 0, 0, 0, 0, 0, nesterov);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("momentum", (double) momentum);
    c.put("nesterov", nesterov);
    return c;
  }
}
