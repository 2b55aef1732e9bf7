package dev.cnnspark.kernels;

import dev.cnnspark.kernels.opencl.OpenClBackend;
import dev.cnnspark.kernels.opencl.Products;
import org.junit.jupiter.api.Tag;

/**
 * The OpenCL kernels against the references with every tiled product split as finely as {@code TiledPlan} allows
 * (a target of 100,000 work groups): on a GPU most small products split, and a CPU device with a few cores would
 * otherwise hardly exercise the split path and its second launch.
 */
@Tag("opencl")
class OpenClCpuSplitOpsTest extends BackendOpsContract {
  @Override
  protected Backend open() {
    return OpenClBackend.open(BackendKind.CPU, 0, Products.TILED, 100_000);
  }
}
