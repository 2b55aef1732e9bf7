package dev.cnnspark.kernels;

import com.aparapi.device.Device;
import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.kernels.opencl.OpenClBackend;
import dev.cnnspark.kernels.opencl.OpenClDevices;

/**
 * Opens a backend by kind. {@link BackendKind#AUTO} picks an OpenCL GPU when one exists and the Java CPU path
 * otherwise (on CPUs the Java path beats OpenCL: see the README's backend table). An explicit {@code gpu} or
 * {@code cpu} that cannot be honoured throws {@link BackendUnavailableException}; nothing falls back silently.
 */
public final class Backends {
  private Backends() {
  }

  /**
   * @param kind which backend
   * @param deviceIndex OpenCL device index among devices of that type (GPU for gpu/auto, CPU for cpu)
   * @param threads Java-path threads (ignored by OpenCL backends)
   */
  public static Backend open(BackendKind kind, int deviceIndex, int threads) {
    return switch (kind) {
      case GPU, CPU -> OpenClBackend.open(kind, deviceIndex);
      case JAVA -> new JavaBackend(threads);
      case AUTO -> OpenClDevices.list(Device.TYPE.GPU).isEmpty()
          ? new JavaBackend(threads)
          : OpenClBackend.open(BackendKind.GPU, deviceIndex);
    };
  }
}
