package dev.cnnspark.kernels.pad;

import dev.cnnspark.kernels.PadGeometry;
import dev.cnnspark.kernels.opencl.DeviceKernel;
import dev.cnnspark.kernels.opencl.KernelArgs;
import dev.cnnspark.kernels.opencl.Launch;

/** Sets the pad kernels' arguments and launches them. */
public final class PadLauncher {
  private PadLauncher() {
  }

  private static DeviceKernel geometry(Launch l, PadGeometry g) {
    DeviceKernel k = l.kernel();
    k.n = g.n();
    k.h = g.h();
    k.w = g.w();
    k.c = g.c();
    k.oh = g.oh();
    k.ow = g.ow();
    k.padTop = g.top();
    k.padLeft = g.left();
    return k;
  }

  public static void forward(Launch l, PadGeometry g, int xOff, int yOff) {
    DeviceKernel k = geometry(l, g);
    k.xOff = xOff;
    k.yOff = yOff;
    l.run(KernelArgs.OP_PAD_FORWARD, g.outputSize());
  }

  public static void backward(Launch l, PadGeometry g, int dyOff, int dxOff) {
    DeviceKernel k = geometry(l, g);
    k.dyOff = dyOff;
    k.dxOff = dxOff;
    l.run(KernelArgs.OP_PAD_BACKWARD, g.inputSize());
  }
}
