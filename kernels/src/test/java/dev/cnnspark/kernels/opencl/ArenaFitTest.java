package dev.cnnspark.kernels.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cnnspark.kernels.ArenaSizes;
import org.junit.jupiter.api.Test;

/** The sizes check that {@code OpenClBackend.allocate} runs before asking the device for buffers. */
class ArenaFitTest {
  /** The MobileNet block benchmark at batch 128: a 2.5 GiB WORK arena (the H200 refused its buffer, see docs/gpu.md). */
  private static final ArenaSizes MOBILENET_BLOCK = new ArenaSizes(19338, 19338, 19338, 512, 667_982_336,
      51_381_504, 1284);

  @Test
  void arenasWithinTheDeviceLimitsFit() {
    // the H200's OpenCL limits: 143,155 MiB global, a quarter of it per buffer
    assertNull(OpenClBackend.tooLarge(MOBILENET_BLOCK, 143_155L << 18, 143_155L << 20));
    assertNull(OpenClBackend.tooLarge(MOBILENET_BLOCK, 0, 0), "a device that reports no limits is not refused");
  }

  @Test
  void oneArenaOverTheLargestBufferIsNamed() {
    assertEquals("the WORK arena needs 2,548 MiB, more than the device's largest buffer (2,048 MiB)",
        OpenClBackend.tooLarge(MOBILENET_BLOCK, 2048L << 20, 8192L << 20));
  }

  @Test
  void allArenasOverTheDeviceMemoryAreNamed() {
    String why = OpenClBackend.tooLarge(MOBILENET_BLOCK, 4096L << 20, 2600L << 20);
    assertEquals("the arenas need 2,744 MiB (" + MOBILENET_BLOCK + " floats), more than the device's memory "
        + "(2,600 MiB)", why);
  }
}
