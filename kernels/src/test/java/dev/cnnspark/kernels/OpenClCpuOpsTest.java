package dev.cnnspark.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnspark.kernels.opencl.OpenClBackend;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The OpenCL kernels against the references on an OpenCL CPU device (PoCL in CI), through the same explicit,
 * device-private buffer mode as on a GPU. Fails (does not skip) when no OpenCL CPU device exists: install
 * {@code pocl-opencl-icd}, or leave the group out with {@code -Dtest.excludedGroups=gpu,slow,opencl}.
 */
@Tag("opencl")
class OpenClCpuOpsTest extends BackendOpsContract {
  @Override
  protected Backend open() {
    return OpenClBackend.open(BackendKind.CPU, 0);
  }

  @Test
  void runsOnOpenClCpuDevice() {
    assertEquals(BackendKind.CPU, backend.kind());
    assertEquals(com.aparapi.device.Device.TYPE.CPU, ((OpenClBackend) backend).openClDevice().getType());
    // a launch went through OpenCL, not Java threads
    backend.allocate(new ArenaSizes(1, 0, 0, 1, 8, 1, 1));
    long before = ((OpenClBackend) backend).launches();
    backend.fill(Arena.WORK, 0, 8, 3f);
    backend.download(Arena.WORK);
    assertEquals(3f, backend.host(Arena.WORK)[7]);
    assertEquals(before + 1, ((OpenClBackend) backend).launches());
  }
}
