package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.Padding;
import dev.cnnspark.worker.Shape;
import java.util.Map;

/**
 * Shared shape logic of max and average pooling: pool size, strides (default: the pool size), padding. The 1-D
 * layers ({@code MaxPooling1D}, {@code AveragePooling1D}) pool {@code (steps, channels)} as an image of height 1.
 */
public abstract class Pooling2D extends Layer {
  protected final int ph;
  protected final int pw;
  protected final int sh;
  protected final int sw;
  protected final Padding padding;
  protected final boolean oneD;
  protected ConvGeometry geometry;

  protected Pooling2D(String type, int ph, int pw, int sh, int sw, Padding padding, Shape inputShape) {
    super(type, inputShape);
    if (ph <= 0 || pw <= 0 || sh <= 0 || sw <= 0) {
      throw new IllegalArgumentException(type + " needs positive pool size and strides; got pool=" + ph + "x" + pw
          + " strides=" + sh + "x" + sw);
    }
    this.ph = ph;
    this.pw = pw;
    this.sh = sh;
    this.sw = sw;
    this.padding = padding;
    this.oneD = type.endsWith("1D");
    if (oneD && (ph != 1 || sh != 1)) {
      throw new IllegalArgumentException(type + " pools along one axis: pool height and stride must be 1");
    }
  }

  private ConvGeometry geometry(Shape input, int batch) {
    return spatial(input, oneD, () -> ConvGeometry.of(batch, oneD ? 1 : input.dim(0), input.dim(input.rank() - 2),
        input.channels(), ph, pw, sh, sw, padding, input.channels()));
  }

  @Override
  public Shape outputShape(Shape input) {
    ConvGeometry g = geometry(input, 1);
    return oneD ? Shape.of(g.ow(), g.c()) : Shape.of(g.oh(), g.ow(), g.c());
  }

  @Override
  protected void reserve(WorkLayout work, int maxRows) {
    geometry = geometry(in, maxRows);
    super.reserve(work, maxRows);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("pool_size", oneD ? new int[] {pw} : new int[] {ph, pw});
    c.put("strides", oneD ? new int[] {sw} : new int[] {sh, sw});
    c.put("padding", padding.name().toLowerCase(java.util.Locale.ROOT));
    return c;
  }
}
