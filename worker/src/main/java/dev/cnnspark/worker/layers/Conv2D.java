package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.Padding;
import dev.cnnspark.worker.Shape;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * 2-D convolution over NHWC input, Keras' {@code Conv2D}: kernel {@code [kh, kw, in_channels, filters]} (Glorot
 * uniform), bias {@code [filters]} (zeros), an optional activation fused into the op's epilogue. {@link Conv1D}
 * is the same op on an image of height 1.
 */
public class Conv2D extends ActivatedLayer {
  protected final int filters;
  protected final int kh;
  protected final int kw;
  protected final int sh;
  protected final int sw;
  protected final Padding padding;
  private final boolean useBias;
  private ConvGeometry geometry;

  public Conv2D(int filters, int kh, int kw, int sh, int sw, Padding padding, ActivationFn activation,
                boolean useBias, Shape inputShape) {
    this("Conv2D", filters, kh, kw, sh, sw, padding, activation, useBias, inputShape);
  }

  protected Conv2D(String type, int filters, int kh, int kw, int sh, int sw, Padding padding, ActivationFn activation,
                   boolean useBias, Shape inputShape) {
    super(type, inputShape, activation);
    if (filters <= 0 || kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0) {
      throw new IllegalArgumentException("Conv2D needs positive filters, kernel size and strides; got filters="
          + filters + " kernel=" + kh + "x" + kw + " strides=" + sh + "x" + sw);
    }
    this.filters = filters;
    this.kh = kh;
    this.kw = kw;
    this.sh = sh;
    this.sw = sw;
    this.padding = padding;
    this.useBias = useBias;
  }

  /** {@code Conv2D(filters, (k, k), activation=...)}: stride 1, valid padding. */
  public Conv2D(int filters, int kernelSize, String activation) {
    this(filters, kernelSize, kernelSize, 1, 1, Padding.VALID, ActivationFn.parse(activation), true, null);
  }

  /** The first layer of a model: {@code Conv2D(filters, (k, k), activation=..., input_shape=...)}. */
  public Conv2D(int filters, int kernelSize, String activation, Shape inputShape) {
    this(filters, kernelSize, kernelSize, 1, 1, Padding.VALID, ActivationFn.parse(activation), true, inputShape);
  }

  /** The op's geometry for an input shape and batch; throws naming the layer when the input does not fit. */
  protected ConvGeometry geometry(Shape input, int batch) {
    return spatial(input, false, () -> ConvGeometry.of(batch, input.dim(0), input.dim(1), input.dim(2), kh, kw, sh,
        sw, padding, filters));
  }

  @Override
  public Shape outputShape(Shape input) {
    ConvGeometry g = geometry(input, 1);
    return Shape.of(g.oh(), g.ow(), filters);
  }

  @Override
  public int trainableCount(Shape input) {
    return kh * kw * input.channels() * filters + (useBias ? filters : 0);
  }

  @Override
  protected void reserve(WorkLayout work, int maxRows) {
    geometry = geometry(in, maxRows);
    reserveStage(work, (long) maxRows * out.size());
  }

  protected int biasOffset() {
    return useBias ? paramOffset + kh * kw * in.channels() * filters : -1;
  }

  /** Where the kernel the op reads lives in PARAMS (and its gradient in GRADS). */
  protected int kernelOffset() {
    return paramOffset;
  }

  protected final boolean useBias() {
    return useBias;
  }

  /** Accumulates the kernel (and bias) gradient; {@link Conv1D} with dilation overrides it. */
  protected void kernelGradient(Backend b, ConvGeometry g, int dzOff) {
    b.conv2dBackwardFilter(g, inOff, dzOff, paramOffset, biasOffset());
  }

  @Override
  public void forward(Pass p) {
    ConvGeometry g = geometry.withBatch(p.rows());
    p.backend().conv2dForward(g, inOff, kernelOffset(), biasOffset(), stage.zOff, stage.opActivation());
    stage.forward(p.backend(), (long) p.rows() * out.size(), p.rows() * g.oh() * g.ow(), filters);
  }

  @Override
  public void backward(Pass p) {
    Backend b = p.backend();
    ConvGeometry g = geometry.withBatch(p.rows());
    int pixels = p.rows() * g.oh() * g.ow();
    stage.backward(b, (long) p.rows() * out.size(), pixels, filters);
    if (trainable()) {
      kernelGradient(b, g, stage.dzOff);
    }
    if (inDeltaOff >= 0) {
      b.conv2dBackwardData(g, stage.dzOff, kernelOffset(), inDeltaOff);
    }
  }

  @Override
  public java.util.List<int[]> weightShapes(Shape input) {
    int[] kernel = type().equals("Conv1D") ? new int[] {kw, input.channels(), filters}
        : new int[] {kh, kw, input.channels(), filters};
    return useBias ? java.util.List.of(kernel, new int[] {filters}) : java.util.List.of(kernel);
  }

  @Override
  public void initialize(Shape input, float[] params, int p0, float[] moving, int m0, SplittableRandom rnd) {
    int kernel = kh * kw * input.channels() * filters;
    // Keras' fans of a [kh, kw, in, out] kernel (Conv1D: [k, in, out]; kh = 1 gives the same)
    Initializers.glorotUniform(params, p0, kernel, kh * kw * input.channels(), kh * kw * filters, rnd);
    if (useBias) {
      Initializers.constant(params, p0 + kernel, filters, 0f);
    }
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("filters", filters);
    c.put("kernel_size", new int[] {kh, kw});
    c.put("strides", new int[] {sh, sw});
    c.put("padding", padding.name().toLowerCase(java.util.Locale.ROOT));
    return withActivation(c);
  }

  /** The keys after the geometry's, shared with {@link Conv1D}. */
  protected final Map<String, Object> withActivation(Map<String, Object> c) {
    c.put("activation", stage.fn.keras());
    c.put("use_bias", useBias);
    return c;
  }
}
