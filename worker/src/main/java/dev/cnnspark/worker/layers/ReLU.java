package dev.cnnspark.worker.layers;

import dev.cnnspark.worker.Shape;
import java.util.Map;

/**
 * Keras' {@code ReLU(max_value, negative_slope)} layer (MobileNet's {@code ReLU(6.)}) and {@code LeakyReLU(alpha)}:
 * {@code y = x > 0 ? min(x, max_value) : negative_slope * x}. Keras' {@code threshold} other than 0 is refused by
 * the config parser.
 */
public final class ReLU extends Layer {
  private final Double maxValue;
  private final float negativeSlope;
  private final boolean leaky;

  /**
   * @param maxValue the clip, or null for none
   * @param leaky whether this is Keras' {@code LeakyReLU} (its config names the slope {@code negative_slope})
   */
  public ReLU(Double maxValue, double negativeSlope, boolean leaky, Shape inputShape) {
    super(leaky ? "LeakyReLU" : "ReLU", inputShape);
    if (maxValue != null && !(maxValue >= 0)) {
      throw new IllegalArgumentException(type() + " max_value must be >= 0 or null, got " + maxValue);
    }
    if (!(negativeSlope >= 0) || Double.isInfinite(negativeSlope)) {
      throw new IllegalArgumentException(type() + " negative_slope must be a finite number >= 0, got "
          + negativeSlope);
    }
    this.maxValue = maxValue;
    this.negativeSlope = (float) negativeSlope;
    this.leaky = leaky;
  }

  private float clip() {
    return maxValue == null ? Float.MAX_VALUE : maxValue.floatValue();
  }

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public void forward(Pass p) {
    p.backend().reluForward(p.rows() * in.size(), clip(), negativeSlope, inOff, outOff);
  }

  @Override
  public void backward(Pass p) {
    if (inDeltaOff >= 0) {
      p.backend().reluBackward(p.rows() * in.size(), clip(), negativeSlope, outOff, deltaOff, inDeltaOff);
    }
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    if (!leaky) {
      c.put("max_value", maxValue);
    }
    c.put("negative_slope", (double) negativeSlope);
    return c;
  }
}
