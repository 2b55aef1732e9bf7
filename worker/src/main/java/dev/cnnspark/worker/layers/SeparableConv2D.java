package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.Padding;
import dev.cnnspark.worker.Shape;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keras' {@code SeparableConv2D}: a depthwise convolution ({@code [kh, kw, channels, depth_multiplier]}, no bias)
 * into a scratch region, then a 1x1 pointwise convolution ({@code [1, 1, channels * depth_multiplier, filters]}) with
 * the bias and the fused activation. Parameters in Keras' order: depthwise kernel, pointwise kernel, bias.
 */
public final class SeparableConv2D extends ActivatedLayer {
  private final int filters;
  private final int kh;
  private final int kw;
  private final int sh;
  private final int sw;
  private final Padding padding;
  private final int multiplier;
  private final boolean useBias;
  private ConvGeometry depthwise;
  private ConvGeometry pointwise;
  private int midOff;
  private int midDeltaOff;

  public SeparableConv2D(int filters, int kh, int kw, int sh, int sw, Padding padding, int multiplier,
                         ActivationFn activation, boolean useBias, Shape inputShape) {
    super("SeparableConv2D", inputShape, activation);
    if (filters <= 0 || kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || multiplier <= 0) {
      throw new IllegalArgumentException("SeparableConv2D needs positive filters, kernel size, strides and "
          + "depth_multiplier; got filters=" + filters + " kernel=" + kh + "x" + kw + " strides=" + sh + "x" + sw
          + " depth_multiplier=" + multiplier);
    }
    this.filters = filters;
    this.kh = kh;
    this.kw = kw;
    this.sh = sh;
    this.sw = sw;
    this.padding = padding;
    this.multiplier = multiplier;
    this.useBias = useBias;
  }

  @Override
  public Shape outputShape(Shape input) {
    ConvGeometry g = DepthwiseConv2D.depthwiseGeometry(this, input, 1, kh, kw, sh, sw, padding, multiplier);
    return Shape.of(g.oh(), g.ow(), filters);
  }

  private int depthwiseCount(Shape input) {
    return kh * kw * input.channels() * multiplier;
  }

  @Override
  public int trainableCount(Shape input) {
    return depthwiseCount(input) + input.channels() * multiplier * filters + (useBias ? filters : 0);
  }

  @Override
  protected void reserve(WorkLayout work, int maxRows) {
    depthwise = DepthwiseConv2D.depthwiseGeometry(this, in, maxRows, kh, kw, sh, sw, padding, multiplier);
    pointwise = ConvGeometry.of(maxRows, depthwise.oh(), depthwise.ow(), depthwise.oc(), 1, 1, 1, 1, Padding.VALID,
        filters);
    midOff = work.reserve(depthwise.outputSize());
    midDeltaOff = work.reserve(depthwise.outputSize());
    reserveStage(work, (long) maxRows * out.size());
  }

  private int pointwiseOffset() {
    return paramOffset + depthwiseCount(in);
  }

  private int biasOffset() {
    return useBias ? pointwiseOffset() + depthwise.oc() * filters : -1;
  }

  @Override
  public void forward(Pass p) {
    Backend b = p.backend();
    ConvGeometry pw = pointwise.withBatch(p.rows());
    b.depthwiseForward(depthwise.withBatch(p.rows()), inOff, paramOffset, -1, midOff, Activation.LINEAR);
    b.conv2dForward(pw, midOff, pointwiseOffset(), biasOffset(), stage.zOff, stage.opActivation());
    stage.forward(b, (long) p.rows() * out.size(), p.rows() * pw.oh() * pw.ow(), filters);
  }

  @Override
  public void backward(Pass p) {
    Backend b = p.backend();
    ConvGeometry dw = depthwise.withBatch(p.rows());
    ConvGeometry pw = pointwise.withBatch(p.rows());
    stage.backward(b, (long) p.rows() * out.size(), p.rows() * pw.oh() * pw.ow(), filters);
    if (trainable()) {
      b.conv2dBackwardFilter(pw, midOff, stage.dzOff, pointwiseOffset(), biasOffset());
    }
    b.conv2dBackwardData(pw, stage.dzOff, pointwiseOffset(), midDeltaOff);
    if (trainable()) {
      b.depthwiseBackwardFilter(dw, inOff, midDeltaOff, paramOffset, -1);
    }
    if (inDeltaOff >= 0) {
      b.depthwiseBackwardData(dw, midDeltaOff, paramOffset, inDeltaOff);
    }
  }

  @Override
  public java.util.List<int[]> weightShapes(Shape input) {
    int c = input.channels();
    int[] dw = {kh, kw, c, multiplier};
    int[] pw = {1, 1, c * multiplier, filters};
    return useBias ? java.util.List.of(dw, pw, new int[] {filters}) : java.util.List.of(dw, pw);
  }

  @Override
  public void initialize(Shape input, float[] params, int p0, float[] moving, int m0, SplittableRandom rnd) {
    int c = input.channels();
    int dwCount = depthwiseCount(input);
    Initializers.glorotUniform(params, p0, dwCount, kh * kw * c, kh * kw * multiplier, rnd);
    int pwCount = c * multiplier * filters;
    Initializers.glorotUniform(params, p0 + dwCount, pwCount, c * multiplier, filters, rnd);
    if (useBias) {
      Initializers.constant(params, p0 + dwCount + pwCount, filters, 0f);
    }
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("filters", filters);
    c.put("kernel_size", new int[] {kh, kw});
    c.put("strides", new int[] {sh, sw});
    c.put("padding", padding.name().toLowerCase(java.util.Locale.ROOT));
    c.put("depth_multiplier", multiplier);
    c.put("activation", stage.fn.keras());
    c.put("use_bias", useBias);
    return c;
  }
}
