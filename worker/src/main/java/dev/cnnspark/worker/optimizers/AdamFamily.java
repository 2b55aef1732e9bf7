package dev.cnnspark.worker.optimizers;

import java.util.Map;

/** What Adam and Nadam share: the two moment decay rates and epsilon, their checks and their configuration. */
abstract class AdamFamily extends Optimizer {
  protected final float beta1;
  protected final float beta2;
  protected final float epsilon;

  AdamFamily(double learningRate, double beta1, double beta2, double epsilon, double decay) {
    super(learningRate, decay);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(name() + " betas must be in [0, 1), got beta_1=" + beta1 + " beta_2="
          + beta2);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException(name() + " epsilon must be positive, got " + epsilon);
    }
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    this.epsilon = (float) epsilon;
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
