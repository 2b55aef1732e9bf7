package dev.cnnspark.kernels;

import dev.cnnspark.kernels.opencl.OpenClBackend;
import dev.cnnspark.kernels.opencl.Products;
import org.junit.jupiter.api.Tag;

/**
 * The OpenCL kernels against the references on an OpenCL CPU device with the direct conv and dense kernels
 * ({@link Products#DIRECT}, the alternative to the default tiled ones), so both stay correct while the benchmark
 * decides between them per device.
 */
@Tag("opencl")
class OpenClCpuDirectOpsTest extends BackendOpsContract {
  @Override
  protected Backend open() {
    return OpenClBackend.open(BackendKind.CPU, 0, Products.DIRECT, 0);
  }
}
