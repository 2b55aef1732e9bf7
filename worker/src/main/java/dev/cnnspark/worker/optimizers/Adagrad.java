package dev.cnnspark.worker.optimizers;

import dev.cnnspark.kernels.OptimizerRule;
import dev.cnnspark.kernels.StepHyper;
import java.util.Map;

/**
 * Adagrad (Keras 3 defaults: lr 0.001, initial accumulator 0.1, epsilon 1e-7).
 * <pre>
 * a += g^2;  p -= lr g / sqrt(a + eps)
 * </pre>
 */
public final class Adagrad extends Optimizer {
  private final float initialAccumulator;
  private final float epsilon;

  public Adagrad(double learningRate, double initialAccumulator, double epsilon, double decay) {
    super(learningRate, decay);
    if (!(initialAccumulator >= 0) || !(epsilon > 0)) {
      throw new IllegalArgumentException("Adagrad needs initial_accumulator_value >= 0 and epsilon > 0");
    }
    this.initialAccumulator = (float) initialAccumulator;
    this.epsilon = (float) epsilon;
  }

  public Adagrad() {
    this(0.001, 0.1, 1e-7, 0);
  }

  @Override
  public OptimizerRule rule() {
    return OptimizerRule.ADAGRAD;
  }

  @Override
  public float initialSlotValue() {
    return initialAccumulator;
  }

  @Override
  protected StepHyper hyper(long t, float lr) {
    return new StepHyper(lr, 0, 0, epsilon, 0, 0, 0, false);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("initial_accumulator_value", (double) initialAccumulator);
    c.put("epsilon", (double) epsilon);
    return c;
  }
}
