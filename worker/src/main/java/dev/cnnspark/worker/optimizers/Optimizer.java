package dev.cnnspark.worker.optimizers;

import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.OptimizerRule;
import dev.cnnspark.kernels.StepHyper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of the optimizers: owns the step loop (iteration count, Keras-2 style inverse-time learning-rate decay,
 * {@code lr_t = lr / (1 + decay * iterations)}) and launches one update over the flat parameter vector. A subclass
 * names its rule, its slots' initial value and the per-step scalars; the per-element formula is the rule's (see
 * {@code dev.cnnspark.kernels.optim.OptimizerReference}).
 *
 * <p>State beyond the slot arenas is only {@link #iterations()}, so averaging slots across workers and carrying the
 * iteration count is the whole distributed optimizer state.
 */
public abstract class Optimizer {
  protected final float learningRate;
  protected final float decay;
  private long iterations;
  /** The rate callbacks set for the current epoch (a schedule, a plateau reduction); the configured one otherwise. */
  private float currentRate;

  protected Optimizer(double learningRate, double decay) {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(getClass().getSimpleName() + " learning_rate must be positive, got "
          + learningRate);
    }
    if (!(decay >= 0)) {
      throw new IllegalArgumentException("decay must be >= 0, got " + decay);
    }
    this.learningRate = (float) learningRate;
    this.decay = (float) decay;
    this.currentRate = this.learningRate;
  }

  /** The configured learning rate (Keras' {@code learning_rate}). */
  public final float baseLearningRate() {
    return learningRate;
  }

  /** The rate updates use from now on (callbacks: schedules, ReduceLROnPlateau); the config keeps the base rate. */
  public final void setLearningRate(float rate) {
    if (!(rate > 0) || Float.isInfinite(rate)) {
      throw new IllegalArgumentException("learning rate must be positive and finite, got " + rate);
    }
    this.currentRate = rate;
  }

  public final float learningRate() {
    return currentRate;
  }

  /** Keras' name, e.g. {@code Adam}. */
  public String name() {
    return getClass().getSimpleName();
  }

  public abstract OptimizerRule rule();

  /** The per-step scalars for update number {@code t} (1-based) at learning rate {@code lr}. */
  protected abstract StepHyper hyper(long t, float lr);

  /** Initial value of the slots (Adagrad starts its accumulator at 0.1). */
  public float initialSlotValue() {
    return 0f;
  }

  /** Updates taken so far. */
  public long iterations() {
    return iterations;
  }

  public void setIterations(long iterations) {
    if (iterations < 0) {
      throw new IllegalArgumentException("iterations must be >= 0");
    }
    this.iterations = iterations;
  }

  /**
   * One update of the trainable parameters on the backend: {@code ranges} holds {@code [offset, length]} pairs of the
   * flat vector (the trainable layers'; a frozen layer's weights and slots are outside every range and never move).
   */
  public final void step(Backend backend, int[] ranges) {
    iterations++;
    float lr = (float) (currentRate / (1.0 + decay * (iterations - 1)));
    StepHyper h = hyper(iterations, lr);
    for (int i = 0; i < ranges.length; i += 2) {
      backend.optimizerStep(rule(), ranges[i], ranges[i + 1], h);
    }
  }

  /** Keras-style configuration. */
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("learning_rate", (double) learningRate);
    if (decay != 0f) {
      c.put("decay", (double) decay);
    }
    return c;
  }
}
