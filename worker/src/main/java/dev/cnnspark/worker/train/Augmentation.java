package dev.cnnspark.worker.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.model.Json;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random image augmentation with Keras' {@code ImageDataGenerator} semantics, applied to training minibatches only
 * (never to validation or evaluation). Per example: {@code theta} uniform in +-{@code rotation_range} degrees; a
 * shift of the rows uniform in +-{@code height_shift_range} (a fraction of the height when below 1, else pixels) and
 * of the columns by {@code width_shift_range}; {@code shear} uniform in +-{@code shear_range} degrees; zooms
 * {@code zx, zy} each uniform in [1 - {@code zoom_range}, 1 + {@code zoom_range}]; then each flip with
 * probability 1/2. As Keras' {@code apply_affine_transform}: the matrix rotation . shift . shear . zoom, centred on
 * the image, maps each output pixel's (row, column) to the input position sampled with bilinear interpolation
 * (order 1); positions outside the image take {@code fill_mode}: nearest, constant ({@code cval}), reflect or wrap.
 *
 * <p>The draws come from a generator seeded per example by the caller (the job seed, epoch, partition and the
 * example's index), so a re-executed task transforms every picture the same way.
 */
public record Augmentation(double rotationRange, double widthShiftRange, double heightShiftRange, double zoomRange,
                           double shearRange, boolean horizontalFlip, boolean verticalFlip, String fillMode,
                           double cval) {
  private static final Set<String> KEYS = Set.of("rotation_range", "width_shift_range", "height_shift_range",
      "zoom_range", "shear_range", "horizontal_flip", "vertical_flip", "fill_mode", "cval");
  /** No augmentation. */
  public static final Augmentation NONE = new Augmentation(0, 0, 0, 0, 0, false, false, "nearest", 0);

  public Augmentation {
    for (double v : new double[] {rotationRange, widthShiftRange, heightShiftRange, zoomRange, shearRange}) {
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException("augmentation ranges must be finite and >= 0, got " + v);
      }
    }
    if (zoomRange >= 1) {
      throw new IllegalArgumentException("augmentation.zoom_range must be below 1 (zooms in [1 - r, 1 + r]), got "
          + zoomRange);
    }
    if (!Set.of("nearest", "constant", "reflect", "wrap").contains(fillMode)) {
      throw new IllegalArgumentException("augmentation.fill_mode must be nearest, constant, reflect or wrap, got '"
          + fillMode + "'");
    }
    if (!Double.isFinite(cval)) {
      throw new IllegalArgumentException("augmentation.cval must be finite, got " + cval);
    }
  }

  /** From the spec's {@code augmentation} section (Keras' names); an unknown key is refused, naming it. */
  public static Augmentation fromJson(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) {
      return NONE;
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("augmentation: unknown key '" + k + "' (known: " + new java.util.TreeSet<>(
            KEYS) + ")");
      }
    }
    for (String k : new String[] {"rotation_range", "width_shift_range", "height_shift_range", "zoom_range",
        "shear_range", "cval"}) {
      if (n.has(k) && !n.get(k).isNumber()) {
        throw new IllegalArgumentException("augmentation." + k + ": must be a number, got " + n.get(k));
      }
    }
    for (String k : new String[] {"horizontal_flip", "vertical_flip"}) {
      if (n.has(k) && !n.get(k).isBoolean()) {
        throw new IllegalArgumentException("augmentation." + k + ": must be true or false, got " + n.get(k));
      }
    }
    return new Augmentation(n.path("rotation_range").asDouble(0), n.path("width_shift_range").asDouble(0),
        n.path("height_shift_range").asDouble(0), n.path("zoom_range").asDouble(0), n.path("shear_range").asDouble(0),
        n.path("horizontal_flip").asBoolean(false), n.path("vertical_flip").asBoolean(false),
        n.path("fill_mode").asText("nearest"), n.path("cval").asDouble(0));
  }

  public ObjectNode toJson() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("rotation_range", rotationRange);
    n.put("width_shift_range", widthShiftRange);
    n.put("height_shift_range", heightShiftRange);
    n.put("zoom_range", zoomRange);
    n.put("shear_range", shearRange);
    n.put("horizontal_flip", horizontalFlip);
    n.put("vertical_flip", verticalFlip);
    n.put("fill_mode", fillMode);
    n.put("cval", cval);
    return n;
  }

  /** Whether it changes nothing (every range 0, no flips). */
  public boolean isIdentity() {
    return rotationRange == 0 && widthShiftRange == 0 && heightShiftRange == 0 && zoomRange == 0 && shearRange == 0
        && !horizontalFlip && !verticalFlip;
  }

  /** One example's transform: Keras' parameters. */
  public record Params(double theta, double tx, double ty, double shear, double zx, double zy, boolean flipH,
                       boolean flipV) {
  }

  /** Draws one example's transform, in Keras' order. */
  public Params draw(long seed, int height, int width) {
    SplittableRandom r = new SplittableRandom(seed);
    double theta = rotationRange > 0 ? uniform(r, -rotationRange, rotationRange) : 0;
    double tx = heightShiftRange > 0 ? uniform(r, -heightShiftRange, heightShiftRange) : 0;
    if (heightShiftRange > 0 && heightShiftRange < 1) {
      tx *= height;
    }
    double ty = widthShiftRange > 0 ? uniform(r, -widthShiftRange, widthShiftRange) : 0;
    if (widthShiftRange > 0 && widthShiftRange < 1) {
      ty *= width;
    }
    double shear = shearRange > 0 ? uniform(r, -shearRange, shearRange) : 0;
    double zx = 1;
    double zy = 1;
    if (zoomRange > 0) {
      zx = uniform(r, 1 - zoomRange, 1 + zoomRange);
      zy = uniform(r, 1 - zoomRange, 1 + zoomRange);
    }
    boolean fh = horizontalFlip && r.nextDouble() < 0.5;
    boolean fv = verticalFlip && r.nextDouble() < 0.5;
    return new Params(theta, tx, ty, shear, zx, zy, fh, fv);
  }

  private static double uniform(SplittableRandom r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  /** Augments the image at {@code x[off ..]} (HWC) in place with the example's seed. */
  public void apply(float[] x, int off, Shape shape, long seed, float[] scratch) {
    int[] d = shape.dims();
    transform(x, off, d[0], d[1], d[2], draw(seed, d[0], d[1]), scratch);
  }

  /**
   * Applies one transform: for each output (row, col), input position = T (row, col, 1) with T the centred
   * rotation . shift . shear . zoom, sampled bilinearly under the fill mode; then the flips.
   */
  public void transform(float[] x, int off, int h, int w, int c, Params p, float[] scratch) {
    int n = h * w * c;
    System.arraycopy(x, off, scratch, 0, n);
    double t = Math.toRadians(p.theta());
    double s = Math.toRadians(p.shear());
    // M = rotation . shift . shear . zoom (3x3, on (row, col, 1)), as Keras composes them
    double[][] m = mul(mul(mul(new double[][] {{Math.cos(t), -Math.sin(t), 0}, {Math.sin(t), Math.cos(t), 0},
        {0, 0, 1}}, new double[][] {{1, 0, p.tx()}, {0, 1, p.ty()}, {0, 0, 1}}),
        new double[][] {{1, -Math.sin(s), 0}, {0, Math.cos(s), 0}, {0, 0, 1}}),
        new double[][] {{p.zx(), 0, 0}, {0, p.zy(), 0}, {0, 0, 1}});
    double or = h / 2.0 - 0.5;
    double oc = w / 2.0 - 0.5;
    m = mul(mul(new double[][] {{1, 0, or}, {0, 1, oc}, {0, 0, 1}}, m), new double[][] {{1, 0, -or}, {0, 1, -oc},
        {0, 0, 1}});
    for (int r = 0; r < h; r++) {
      for (int col = 0; col < w; col++) {
        double ri = m[0][0] * r + m[0][1] * col + m[0][2];
        double ci = m[1][0] * r + m[1][1] * col + m[1][2];
        int dstR = p.flipV() ? h - 1 - r : r;
        int dstC = p.flipH() ? w - 1 - col : col;
        for (int ch = 0; ch < c; ch++) {
          x[off + (dstR * w + dstC) * c + ch] = (float) sample(scratch, h, w, c, ch, ri, ci);
        }
      }
    }
  }

  private double sample(float[] img, int h, int w, int c, int ch, double r, double col) {
    int r0 = (int) Math.floor(r);
    int c0 = (int) Math.floor(col);
    double fr = r - r0;
    double fc = col - c0;
    double top = at(img, h, w, c, ch, r0, c0) * (1 - fc) + at(img, h, w, c, ch, r0, c0 + 1) * fc;
    double bottom = at(img, h, w, c, ch, r0 + 1, c0) * (1 - fc) + at(img, h, w, c, ch, r0 + 1, c0 + 1) * fc;
    return top * (1 - fr) + bottom * fr;
  }

  /** A pixel, with positions outside the image resolved by the fill mode (scipy's ndimage modes). */
  private double at(float[] img, int h, int w, int c, int ch, int r, int col) {
    if (r < 0 || r >= h || col < 0 || col >= w) {
      switch (fillMode) {
        case "constant" -> {
          return cval;
        }
        case "nearest" -> {
          r = Math.max(0, Math.min(h - 1, r));
          col = Math.max(0, Math.min(w - 1, col));
        }
        case "wrap" -> {
          r = Math.floorMod(r, h);
          col = Math.floorMod(col, w);
        }
        default -> { // reflect: d c b a | a b c d | d c b a
          r = reflect(r, h);
          col = reflect(col, w);
        }
      }
    }
    return img[(r * w + col) * c + ch];
  }

  private static int reflect(int i, int n) {
    int period = 2 * n;
    int m = Math.floorMod(i, period);
    return m < n ? m : period - 1 - m;
  }

  private static double[][] mul(double[][] a, double[][] b) {
    double[][] out = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 3; k++) {
          out[i][j] += a[i][k] * b[k][j];
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return isIdentity() ? "none" : String.format(Locale.ROOT, "%s", toJson());
  }
}
