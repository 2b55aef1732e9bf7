package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.Arena;
import dev.cnnspark.worker.Shape;
import java.util.Map;

/**
 * Keras' {@code Dropout}: in training each element is kept with probability {@code 1 - rate} and scaled by
 * {@code 1/(1 - rate)}; in inference it is the identity. The mask comes from the step's seed and the layer index,
 * so forward and backward (and a re-executed task) see the same mask without storing it.
 */
public final class Dropout extends Layer {
  private final float rate;

  public Dropout(double rate) {
    super("Dropout", null);
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("Dropout rate must be in [0, 1), got " + rate);
    }
    this.rate = (float) rate;
  }

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public void forward(Pass p) {
    int len = p.rows() * in.size();
    if (p.training() && rate > 0f) {
      p.backend().dropoutForward(len, rate, p.layerSeed(index), inOff, outOff);
    } else {
      p.backend().copy(Arena.WORK, inOff, Arena.WORK, outOff, len);
    }
  }

  @Override
  public void backward(Pass p) {
    if (inDeltaOff < 0) {
      return;
    }
    int len = p.rows() * in.size();
    if (rate > 0f) {
      p.backend().dropoutBackward(len, rate, p.layerSeed(index), deltaOff, inDeltaOff);
    } else {
      p.backend().copy(Arena.WORK, deltaOff, Arena.WORK, inDeltaOff, len);
    }
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("rate", (double) rate);
    return c;
  }
}
