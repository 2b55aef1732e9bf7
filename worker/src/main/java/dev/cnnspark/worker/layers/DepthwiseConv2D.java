package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.Padding;
import dev.cnnspark.worker.Shape;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keras' {@code DepthwiseConv2D}: each input channel convolved with its own {@code depth_multiplier} filters,
 * kernel {@code [kh, kw, channels, depth_multiplier]} (Glorot uniform with Keras' fans of that 4-D shape), bias
 * {@code [channels * depth_multiplier]}, output channel {@code ch * m + k}, an optional fused activation.
 */
public final class DepthwiseConv2D extends ActivatedLayer {
  private final int kh;
  private final int kw;
  private final int sh;
  private final int sw;
  private final Padding padding;
  private final int multiplier;
  private final boolean useBias;
  private ConvGeometry geometry;

  public DepthwiseConv2D(int kh, int kw, int sh, int sw, Padding padding, int multiplier, ActivationFn activation,
                         boolean useBias, Shape inputShape) {
    super("DepthwiseConv2D", inputShape, activation);
    if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || multiplier <= 0) {
      throw new IllegalArgumentException("DepthwiseConv2D needs positive kernel size, strides and depth_multiplier; "
          + "got kernel=" + kh + "x" + kw + " strides=" + sh + "x" + sw + " depth_multiplier=" + multiplier);
    }
    this.kh = kh;
    this.kw = kw;
    this.sh = sh;
    this.sw = sw;
    this.padding = padding;
    this.multiplier = multiplier;
    this.useBias = useBias;
  }

  /** The depthwise geometry of {@code layer} (this one, or a SeparableConv2D's first half). */
  static ConvGeometry depthwiseGeometry(Layer layer, Shape input, int batch, int kh, int kw, int sh, int sw,
                                        Padding padding, int multiplier) {
    return layer.spatial(input, false, () -> ConvGeometry.of(batch, input.dim(0), input.dim(1), input.dim(2), kh, kw,
        sh, sw, padding, input.dim(2) * multiplier));
  }

  @Override
  public Shape outputShape(Shape input) {
    ConvGeometry g = depthwiseGeometry(this, input, 1, kh, kw, sh, sw, padding, multiplier);
    return Shape.of(g.oh(), g.ow(), g.oc());
  }

  @Override
  public int trainableCount(Shape input) {
    int oc = input.channels() * multiplier;
    return kh * kw * oc + (useBias ? oc : 0);
  }

  @Override
  protected void reserve(WorkLayout work, int maxRows) {
    geometry = depthwiseGeometry(this, in, maxRows, kh, kw, sh, sw, padding, multiplier);
    reserveStage(work, (long) maxRows * out.size());
  }

  private int biasOffset() {
    return useBias ? paramOffset + kh * kw * geometry.oc() : -1;
  }

  @Override
  public void forward(Pass p) {
    ConvGeometry g = geometry.withBatch(p.rows());
    p.backend().depthwiseForward(g, inOff, paramOffset, biasOffset(), stage.zOff, stage.opActivation());
    stage.forward(p.backend(), (long) p.rows() * out.size(), p.rows() * g.oh() * g.ow(), g.oc());
  }

  @Override
  public void backward(Pass p) {
    Backend b = p.backend();
    ConvGeometry g = geometry.withBatch(p.rows());
    stage.backward(b, (long) p.rows() * out.size(), p.rows() * g.oh() * g.ow(), g.oc());
    if (trainable()) {
      b.depthwiseBackwardFilter(g, inOff, stage.dzOff, paramOffset, biasOffset());
    }
    if (inDeltaOff >= 0) {
      b.depthwiseBackwardData(g, stage.dzOff, paramOffset, inDeltaOff);
    }
  }

  @Override
  public java.util.List<int[]> weightShapes(Shape input) {
    int[] kernel = {kh, kw, input.channels(), multiplier};
    return useBias ? java.util.List.of(kernel, new int[] {input.channels() * multiplier}) : java.util.List.of(kernel);
  }

  @Override
  public void initialize(Shape input, float[] params, int p0, float[] moving, int m0, SplittableRandom rnd) {
    int c = input.channels();
    int kernel = kh * kw * c * multiplier;
    Initializers.glorotUniform(params, p0, kernel, kh * kw * c, kh * kw * multiplier, rnd);
    if (useBias) {
      Initializers.constant(params, p0 + kernel, c * multiplier, 0f);
    }
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("kernel_size", new int[] {kh, kw});
    c.put("strides", new int[] {sh, sw});
    c.put("padding", padding.name().toLowerCase(java.util.Locale.ROOT));
    c.put("depth_multiplier", multiplier);
    c.put("activation", stage.fn.keras());
    c.put("use_bias", useBias);
    return c;
  }
}
