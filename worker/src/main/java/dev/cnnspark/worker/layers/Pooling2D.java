package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.Padding;
import dev.cnnspark.worker.Shape;
import java.util.Map;

/** Shared shape logic of 2-D max and average pooling: pool size, strides (default: the pool size), padding. */
public abstract class Pooling2D extends Layer {
  protected final int ph;
  protected final int pw;
  protected final int sh;
  protected final int sw;
  protected final Padding padding;
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
  }

  @Override
  public Shape outputShape(Shape input) {
    if (input.rank() != 3) {
      throw new IllegalArgumentException(describe() + " expects (height, width, channels) input, got " + input);
    }
    try {
      ConvGeometry g = ConvGeometry.of(1, input.dim(0), input.dim(1), input.dim(2), ph, pw, sh, sw, padding,
          input.dim(2));
      return Shape.of(g.oh(), g.ow(), input.dim(2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(describe() + ": " + e.getMessage());
    }
  }

  @Override
  protected void reserve(WorkLayout work, int maxRows) {
    geometry = ConvGeometry.of(maxRows, in.dim(0), in.dim(1), in.dim(2), ph, pw, sh, sw, padding, in.dim(2));
    super.reserve(work, maxRows);
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    c.put("pool_size", new int[] {ph, pw});
    c.put("strides", new int[] {sh, sw});
    c.put("padding", padding.name().toLowerCase(java.util.Locale.ROOT));
    return c;
  }
}
