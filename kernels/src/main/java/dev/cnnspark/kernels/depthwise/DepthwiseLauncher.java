package dev.cnnspark.kernels.depthwise;

import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.opencl.DeviceKernel;
import dev.cnnspark.kernels.opencl.KernelArgs;
import dev.cnnspark.kernels.opencl.Launch;

/** Sets the depthwise kernels' arguments and launches them; the bias gradient reuses the conv ops' reduction. */
public final class DepthwiseLauncher {
  private DepthwiseLauncher() {
  }

  public static void forward(Launch l, ConvGeometry g, int xOff, int wOff, int bOff, int yOff, Activation act) {
    l.geometry(g);
    DeviceKernel k = l.kernel();
    k.xOff = xOff;
    k.wOff = wOff;
    k.bOff = bOff;
    k.yOff = yOff;
    k.fn = act.code;
    l.run(KernelArgs.OP_DEPTHWISE_FORWARD, g.outputSize());
  }

  public static void backwardData(Launch l, ConvGeometry g, int dyOff, int wOff, int dxOff) {
    l.geometry(g);
    DeviceKernel k = l.kernel();
    k.dyOff = dyOff;
    k.wOff = wOff;
    k.dxOff = dxOff;
    l.run(KernelArgs.OP_DEPTHWISE_BACKWARD_DATA, g.inputSize());
  }

  public static void backwardFilter(Launch l, ConvGeometry g, int xOff, int dyOff, int dwOff, int dbOff) {
    l.geometry(g);
    DeviceKernel k = l.kernel();
    k.xOff = xOff;
    k.dyOff = dyOff;
    k.dwOff = dwOff;
    l.run(KernelArgs.OP_DEPTHWISE_BACKWARD_FILTER, g.kh() * g.kw() * g.oc());
    if (dbOff >= 0) {
      l.biasGrad(g.n() * g.oh() * g.ow(), g.oc(), dyOff, dbOff);
    }
  }
}
