package dev.cnnspark.kernels;

import dev.cnnspark.kernels.opencl.OpenClBackend;
import dev.cnnspark.kernels.opencl.Products;
import org.junit.jupiter.api.Tag;

/**
 * The OpenCL kernels against the references on an OpenCL GPU with the direct conv and dense kernels, the alternative
 * the GPU benchmark measures beside the default tiled ones. Run with {@code -Dtest.groups=gpu} on a GPU host.
 */
@Tag("gpu")
class OpenClGpuDirectOpsTest extends BackendOpsContract {
  @Override
  protected Backend open() {
    return OpenClBackend.open(BackendKind.GPU, Integer.getInteger("cnnspark.gpu", 0), Products.DIRECT, 0);
  }
}
