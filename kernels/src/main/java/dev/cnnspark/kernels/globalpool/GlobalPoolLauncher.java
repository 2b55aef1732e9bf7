package dev.cnnspark.kernels.globalpool;

import dev.cnnspark.kernels.opencl.DeviceKernel;
import dev.cnnspark.kernels.opencl.KernelArgs;
import dev.cnnspark.kernels.opencl.Launch;

/** Sets the global pooling kernels' arguments and launches them: one work item per (image, channel). */
public final class GlobalPoolLauncher {
  private GlobalPoolLauncher() {
  }

  private static DeviceKernel sizes(Launch l, boolean max, int s, int c) {
    DeviceKernel k = l.kernel();
    k.poolMax = max ? 1 : 0;
    k.positions = s;
    k.c = c;
    return k;
  }

  public static void forward(Launch l, boolean max, int n, int s, int c, int xOff, int yOff) {
    DeviceKernel k = sizes(l, max, s, c);
    k.xOff = xOff;
    k.yOff = yOff;
    l.run(KernelArgs.OP_GLOBAL_POOL_FORWARD, n * c);
  }

  public static void backward(Launch l, boolean max, int n, int s, int c, int xOff, int dyOff, int dxOff) {
    DeviceKernel k = sizes(l, max, s, c);
    k.xOff = xOff;
    k.dyOff = dyOff;
    k.dxOff = dxOff;
    l.run(KernelArgs.OP_GLOBAL_POOL_BACKWARD, n * c);
  }
}
