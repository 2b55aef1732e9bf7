package dev.cnnspark.kernels;

/**
 * Per-op tolerances for {@code |actual - ref| <= atol + rtol * |ref|}, where ref is the double-accumulating
 * reference and actual a float32 kernel. How they were chosen: a float32 sum of K products of magnitude ~1 carries
 * a rounding error around sqrt(K) * 6e-8 * K in the worst order; the tests use K up to ~600, so conv/dense get
 * 1e-4 absolute plus 1e-4 relative (about 10x the largest error seen on the Java, PoCL paths). Element-wise ops
 * are single roundings plus the libm difference between OpenCL's exp/tanh (up to 4 ulp) and Java's.
 */
public record Tolerance(String op, double atol, double rtol) {
  /** Dot products of up to a few hundred terms (conv, dense, pooling sums). */
  public static final Tolerance PRODUCT = new Tolerance("product", 1e-4, 1e-4);
  /** Long reductions (conv backward-filter over a whole batch, bias gradients, BatchNorm sums): K in the thousands. */
  public static final Tolerance REDUCTION = new Tolerance("reduction", 5e-4, 5e-4);
  /** Element-wise maps with a transcendental function (sigmoid, tanh, exp, log): a few ulp. */
  public static final Tolerance ELEMENTWISE = new Tolerance("elementwise", 1e-6, 1e-5);
  /** Pure data movement and max: must be exact. */
  public static final Tolerance EXACT = new Tolerance("exact", 0, 0);
  /** Optimizer steps: a few float operations incl. sqrt and division per element, compared after several steps. */
  public static final Tolerance OPTIMIZER = new Tolerance("optimizer", 1e-6, 1e-5);
  /** Losses and their gradients: a softmax/log over a row, float vs double. */
  public static final Tolerance LOSS = new Tolerance("loss", 1e-5, 1e-5);

  public Tolerance named(String name) {
    return new Tolerance(name, atol, rtol);
  }
}
