package dev.cnnspark.worker.layers;

import dev.cnnspark.kernels.PadGeometry;
import dev.cnnspark.worker.Shape;
import java.util.List;
import java.util.Map;

/**
 * Keras' {@code ZeroPadding2D}, {@code ZeroPadding1D}, {@code Cropping2D} and {@code Cropping1D}: one op that places
 * the input at an offset of a zero output (cropping is a negative offset). 1-D layers act on {@code (steps,
 * channels)} as an image of height 1.
 */
public final class ZeroPadding extends Layer {
  private final boolean oneD;
  private final boolean crop;
  private final int top;
  private final int bottom;
  private final int left;
  private final int right;
  private PadGeometry geometry;

  /**
   * @param type one of the four Keras names
   * @param amounts {@code [top, bottom, left, right]}, non-negative (for 1-D top and bottom are 0)
   */
  public ZeroPadding(String type, int[] amounts, Shape inputShape) {
    super(type, inputShape);
    if (!List.of("ZeroPadding2D", "ZeroPadding1D", "Cropping2D", "Cropping1D").contains(type)) {
      throw new IllegalArgumentException("not a padding layer: " + type);
    }
    for (int a : amounts) {
      if (a < 0) {
        throw new IllegalArgumentException(type + " needs non-negative amounts, got " + java.util.Arrays.toString(
            amounts));
      }
    }
    this.oneD = type.endsWith("1D");
    this.crop = type.startsWith("Cropping");
    int sign = crop ? -1 : 1;
    this.top = sign * amounts[0];
    this.bottom = sign * amounts[1];
    this.left = sign * amounts[2];
    this.right = sign * amounts[3];
  }

  private PadGeometry geometry(Shape input, int batch) {
    return spatial(input, oneD, () -> oneD ? new PadGeometry(batch, 1, input.dim(0), input.dim(1), 0, 0, left, right)
        : new PadGeometry(batch, input.dim(0), input.dim(1), input.dim(2), top, bottom, left, right));
  }

  @Override
  public Shape outputShape(Shape input) {
    PadGeometry g = geometry(input, 1);
    return oneD ? Shape.of(g.ow(), g.c()) : Shape.of(g.oh(), g.ow(), g.c());
  }

  @Override
  protected void reserve(WorkLayout work, int maxRows) {
    geometry = geometry(in, maxRows);
    super.reserve(work, maxRows);
  }

  @Override
  public void forward(Pass p) {
    p.backend().padForward(geometry.withBatch(p.rows()), inOff, outOff);
  }

  @Override
  public void backward(Pass p) {
    if (inDeltaOff >= 0) {
      p.backend().padBackward(geometry.withBatch(p.rows()), deltaOff, inDeltaOff);
    }
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = super.config();
    int s = crop ? -1 : 1;
    Object amounts = oneD ? new int[] {s * left, s * right}
        : new int[][] {{s * top, s * bottom}, {s * left, s * right}};
    c.put(crop ? "cropping" : "padding", amounts);
    return c;
  }
}
