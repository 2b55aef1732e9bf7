package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.Arena;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.PadGeometry;
import dev.cnnspark.kernels.Padding;
import dev.cnnspark.worker.Shape;
import java.util.Map;

/**
 * Keras' {@code Conv1D} over {@code (steps, channels)}: the 2-D op on an image of height 1, kernel
 * {@code [kernel_size, in_channels, filters]} (the HWIO layout with kh = 1, so Keras' weights load as they are).
 * Padding {@code valid}, {@code same}, or {@code causal}: {@code (kernel_size - 1) dilation} zeros on the left only,
 * so output t sees inputs up to t.
 *
 * <p>Dilation d > 1 runs the undilated op with the kernel expanded to {@code (k - 1) d + 1} taps, zeros between the
 * real ones (d times the multiply-adds of a dedicated kernel, with no new op to maintain). The expanded kernel lives
 * in PARAMS scratch past the model's parameters ({@link #paramScratch}): each forward pass writes it from the compact
 * kernel (a copy and a zero padding of each tap to d taps); the backward pass takes the expanded kernel's gradient
 * there and keeps every d-th tap (the padding op's backward) as the compact kernel's gradient.
 */
public final class Conv1D extends Conv2D {
  private final boolean causal;
  private final int dilation;
  private int compactOff;
  private int expandedOff;

  /** @param padding null for causal */
  public Conv1D(int filters, int kernelSize, int stride, Padding padding, ActivationFn activation, boolean useBias,
                Shape inputShape) {
    this(filters, kernelSize, stride, 1, padding, activation, useBias, inputShape);
  }

  /** With a dilation rate (Keras refuses strides > 1 with dilation > 1, and so does this). */
  public Conv1D(int filters, int kernelSize, int stride, int dilation, Padding padding, ActivationFn activation,
                boolean useBias, Shape inputShape) {
    super("Conv1D", filters, 1, (kernelSize - 1) * Math.max(dilation, 1) + 1, 1, stride,
        padding == null ? Padding.VALID : padding, activation, useBias, inputShape);
    if (dilation < 1 || (dilation > 1 && stride > 1)) {
      throw new IllegalArgumentException("Conv1D dilation_rate must be >= 1, and 1 when strides > 1; got dilation "
          + dilation + ", strides " + stride);
    }
    this.causal = padding == null;
    this.dilation = dilation;
    this.taps = kernelSize;
  }

  /** Real kernel taps (kw is the expanded width the op runs with). */
  private final int taps;

  @Override
  protected ConvGeometry geometry(Shape input, int batch) {
    return spatial(input, true, () -> causal
        ? new ConvGeometry(batch, 1, input.dim(0), input.dim(1), 1, kw, 1, sw, 0, kw - 1, 1,
            (input.dim(0) - 1) / sw + 1, filters)
        : ConvGeometry.of(batch, 1, input.dim(0), input.dim(1), 1, kw, 1, sw, padding, filters));
  }

  @Override
  public Shape outputShape(Shape input) {
    return Shape.of(geometry(input, 1).ow(), filters);
  }

  private int kernelFloats(Shape input) {
    return taps * input.channels() * filters;
  }

  @Override
  public int trainableCount(Shape input) {
    return super.trainableCount(input) - (kw - taps) * input.channels() * filters;
  }

  @Override
  public java.util.List<int[]> weightShapes(Shape input) {
    java.util.List<int[]> shapes = new java.util.ArrayList<>(super.weightShapes(input));
    shapes.set(0, new int[] {taps, input.channels(), filters});
    return shapes;
  }

  @Override
  protected int biasOffset() {
    return useBias() ? paramOffset + kernelFloats(in) : -1;
  }

  @Override
  protected int kernelOffset() {
    return dilation == 1 ? paramOffset : paramScratchOffset;
  }

  @Override
  public int paramScratch(Shape input) {
    return dilation == 1 ? 0 : taps * dilation * input.channels() * filters;
  }

  private PadGeometry taps() {
    // the compact kernel seen as [taps, 1, in * filters], padded on the right to [taps, dilation, in * filters]: the
    // first (taps - 1) dilation + 1 taps of that are the expanded kernel
    return new PadGeometry(1, taps, 1, in.channels() * filters, 0, 0, 0, dilation - 1);
  }

  @Override
  protected void reserve(WorkLayout work, int maxRows) {
    super.reserve(work, maxRows);
    if (dilation > 1) {
      compactOff = work.reserve(kernelFloats(in));
      expandedOff = work.reserve((long) kernelFloats(in) * dilation);
    }
  }

  @Override
  public void forward(Pass p) {
    if (dilation > 1) {
      Backend b = p.backend();
      int n = kernelFloats(in);
      b.copy(Arena.PARAMS, paramOffset, Arena.WORK, compactOff, n);
      b.padForward(taps(), compactOff, expandedOff);
      b.copy(Arena.WORK, expandedOff, Arena.PARAMS, paramScratchOffset, n * dilation);
    }
    super.forward(p);
  }

  @Override
  protected void kernelGradient(Backend b, ConvGeometry g, int dzOff) {
    if (dilation == 1) {
      super.kernelGradient(b, g, dzOff);
      return;
    }
    int n = kernelFloats(in);
    b.fill(Arena.GRADS, paramScratchOffset, n * dilation, 0f);
    b.conv2dBackwardFilter(g, inOff, dzOff, paramScratchOffset, biasOffset());
    b.copy(Arena.GRADS, paramScratchOffset, Arena.WORK, expandedOff, n * dilation);
    b.padBackward(taps(), expandedOff, compactOff);
    b.copy(Arena.WORK, compactOff, Arena.GRADS, paramOffset, n);
  }

  @Override
  public void initialize(Shape input, float[] params, int p0, float[] moving, int m0, java.util.SplittableRandom rnd) {
    int kernel = kernelFloats(input);
    Initializers.glorotUniform(params, p0, kernel, taps * input.channels(), taps * filters, rnd);
    if (useBias()) {
      Initializers.constant(params, p0 + kernel, filters, 0f);
    }
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("kernel_size", new int[] {taps});
    c.put("strides", new int[] {sw});
    c.put("padding", causal ? "causal" : padding.name().toLowerCase(java.util.Locale.ROOT));
    if (dilation > 1) {
      c.put("dilation_rate", new int[] {dilation});
    }
    return c;
  }
}
