package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.Padding;
import dev.cnnspark.worker.Shape;
import java.util.Map;

/**
 * Keras' {@code Conv1D} over {@code (steps, channels)}: the 2-D op on an image of height 1, kernel
 * {@code [kernel_size, in_channels, filters]} (the HWIO layout with kh = 1, so Keras' weights load as they are).
 * Padding {@code valid}, {@code same}, or {@code causal}: {@code kernel_size - 1} zeros on the left only, so output t
 * sees inputs up to t.
 */
public final class Conv1D extends Conv2D {
  private final boolean causal;

  /** @param padding null for causal */
  public Conv1D(int filters, int kernelSize, int stride, Padding padding, ActivationFn activation, boolean useBias,
                Shape inputShape) {
    super("Conv1D", filters, 1, kernelSize, 1, stride, padding == null ? Padding.VALID : padding, activation, useBias,
        inputShape);
    this.causal = padding == null;
  }

  @Override
  protected ConvGeometry geometry(Shape input, int batch) {
    if (input.rank() != 2) {
      throw new IllegalArgumentException(describe() + " expects (steps, channels) input, got " + input);
    }
    try {
      if (causal) {
        int steps = input.dim(0);
        return new ConvGeometry(batch, 1, steps, input.dim(1), 1, kw, 1, sw, 0, kw - 1, 1, (steps - 1) / sw + 1,
            filters);
      }
      return ConvGeometry.of(batch, 1, input.dim(0), input.dim(1), 1, kw, 1, sw, padding, filters);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(describe() + ": " + e.getMessage());
    }
  }

  @Override
  public Shape outputShape(Shape input) {
    return Shape.of(geometry(input, 1).ow(), filters);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("kernel_size", new int[] {kw});
    c.put("strides", new int[] {sw});
    c.put("padding", causal ? "causal" : padding.name().toLowerCase(java.util.Locale.ROOT));
    return c;
  }
}
