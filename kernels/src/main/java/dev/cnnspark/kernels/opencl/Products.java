package dev.cnnspark.kernels.opencl;

import java.util.Locale;

/**
 * Which OpenCL kernels compute the conv and dense products. Both are checked against the same references on every
 * OpenCL device the tests reach; which is faster is a property of the device, measured by the benchmark.
 */
public enum Products {
  /** {@link TiledKernels}: implicit GEMM over local-memory tiles, 4x4 outputs per work item, split-k. */
  TILED,
  /** The direct kernels in {@code ConvKernels} and {@code DenseKernels}: one work item per output element. */
  DIRECT;

  /** System property that chooses them: {@code -Dcnnspark.opencl.products=tiled|direct} (default tiled). */
  public static final String PROPERTY = "cnnspark.opencl.products";

  /** The choice named by {@link #PROPERTY}, or {@link #TILED}. */
  public static Products fromSystemProperty() {
    String v = System.getProperty(PROPERTY, "tiled").trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "tiled" -> TILED;
      case "direct" -> DIRECT;
      default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + v + " is not one of: tiled, direct");
    };
  }
}
