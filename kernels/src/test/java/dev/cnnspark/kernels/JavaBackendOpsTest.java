package dev.cnnspark.kernels;

import dev.cnnspark.kernels.cpu.JavaBackend;

/** The Java CPU path against the references, with two threads so the split paths run. */
class JavaBackendOpsTest extends BackendOpsContract {
  @Override
  protected Backend open() {
    return new JavaBackend(2);
  }
}
