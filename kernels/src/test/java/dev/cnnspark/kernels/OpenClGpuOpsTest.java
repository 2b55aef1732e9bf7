package dev.cnnspark.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnspark.kernels.opencl.OpenClBackend;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The OpenCL kernels against the references on an OpenCL GPU. Run with {@code -Dtest.groups=gpu} on a GPU host. */
@Tag("gpu")
class OpenClGpuOpsTest extends BackendOpsContract {
  @Override
  protected Backend open() {
    return OpenClBackend.open(BackendKind.GPU, Integer.getInteger("cnnspark.gpu", 0));
  }

  @Test
  void runsOnGpu() {
    assertEquals(com.aparapi.device.Device.TYPE.GPU, ((OpenClBackend) backend).openClDevice().getType());
    System.out.println("GPU kernel tests ran on: " + backend.device());
  }
}
