package dev.cnnspark.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cnnspark.kernels.opencl.OpenClBackend;
import dev.cnnspark.kernels.opencl.Products;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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

  /** The per-step breakdown counts device launches, not calls: a split product is two. */
  @Test
  void profilerCountsBothLaunchesOfASplitProduct() {
    ProfilingBackend prof = new ProfilingBackend(backend);
    Backend b = prof.backend(); // not closed here: closing it would close the shared backend
    b.allocate(new ArenaSizes(300, 0, 0, 1, 20_000, 1, 1));
    b.denseBackwardFilter(600, 10, 20, 0, 6000, 0, 200); // k = 600 rows: 38 k-steps, so 9 splits
    b.denseForward(2, 3, 4, 0, 0, -1, 10, Activation.LINEAR); // k = 3: one launch
    assertEquals(1, prof.stats().get("denseBackwardFilter").calls);
    assertEquals(2, prof.stats().get("denseBackwardFilter").launches);
    assertEquals(1, prof.stats().get("denseForward").launches);
  }
}
