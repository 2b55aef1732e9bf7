package dev.cnnspark.kernels.bench;

import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.Padding;
import dev.cnnspark.kernels.conv.ConvCpu;
import dev.cnnspark.kernels.cpu.CpuContext;
import dev.cnnspark.kernels.cpu.Gemm;
import java.util.Random;

/** Developer probe: GFLOP/s of the CPU conv ops and GEMM shapes of model (a). */
public final class ConvProbe {
  public static void main(String[] args) {
    int threads = Integer.parseInt(args.length > 0 ? args[0] : "2");
    CpuContext ctx = new CpuContext(threads);
    Random r = new Random(1);
    ConvGeometry[] gs = {ConvGeometry.of(128, 28, 28, 1, 3, 3, 1, 1, Padding.VALID, 32),
        ConvGeometry.of(128, 26, 26, 32, 3, 3, 1, 1, Padding.VALID, 64)};
    for (ConvGeometry g : gs) {
      float[] x = rnd(r, g.inputSize());
      float[] w = rnd(r, g.kernelSize() + g.oc());
      float[] y = new float[g.outputSize()];
      float[] dw = new float[g.kernelSize()];
      float[] dx = new float[g.inputSize()];
      double gf = 2.0 * g.macs() / 1e9;
      for (int rep = 0; rep < 8; rep++) {
        long t0 = System.nanoTime();
        ConvCpu.forward(ctx, g, x, 0, w, 0, w, g.kernelSize(), y, 0, Activation.RELU);
        long t1 = System.nanoTime();
        ConvCpu.backwardFilter(ctx, g, x, 0, y, 0, dw, 0);
        long t2 = System.nanoTime();
        ConvCpu.backwardData(ctx, g, y, 0, w, 0, dx, 0);
        long t3 = System.nanoTime();
        if (rep >= 5) {
          System.out.printf("c=%d oc=%d: fwd %.1f ms (%.0f GF/s)  bwdFilter %.1f ms (%.0f GF/s)  bwdData %.1f ms (%.0f GF/s)%n",
              g.c(), g.oc(), (t1 - t0) / 1e6, gf / ((t1 - t0) / 1e9), (t2 - t1) / 1e6, gf / ((t2 - t1) / 1e9),
              (t3 - t2) / 1e6, gf / ((t3 - t2) / 1e9));
        }
      }
    }
    int[][] shapes = {{256, 64, 288}, {252, 64, 288}, {576, 64, 288}, {576, 64, 256}, {3456, 64, 288}, {288, 64, 256}, {128, 128, 9216}, {128, 9216, 128}, {9216, 128, 128}};
    Gemm gemm = Gemm.instance();
    for (int[] s : shapes) {
      float[] a = rnd(r, s[0] * s[2]);
      float[] b = rnd(r, s[2] * s[1]);
      float[] c = new float[s[0] * s[1]];
      for (int rep = 0; rep < 30; rep++) {
        long t0 = System.nanoTime();
        int iters = Math.max(1, 20_000_000 / (s[0] * s[1] * s[2] / 10));
        for (int i = 0; i < iters; i++) {
          gemm.multiply(s[0], s[1], s[2], a, 0, s[2], 1, b, 0, s[1], c, 0, s[1], false);
        }
        long t1 = System.nanoTime();
        if (rep == 29) {
          System.out.printf("gemm %dx%dx%d: %.0f GF/s (1 thread)%n", s[0], s[1], s[2],
              2.0 * s[0] * s[1] * s[2] * iters / (t1 - t0));
        }
      }
    }
    ctx.close();
  }

  private static float[] rnd(Random r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextFloat() - 0.5f;
    }
    return a;
  }
}
