package dev.cnnspark.kernels.bench;

import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.Padding;
import dev.cnnspark.kernels.conv.ConvCpu;
import dev.cnnspark.kernels.cpu.CpuContext;
import java.util.Random;

/**
 * Developer probe for the JDK 17 Vector API issue in README "Backends": runs model (a)'s conv2 forward for 3 s in a
 * fresh JVM and prints ms per op after the first 100. A healthy JVM prints ~12-15 ms on the 2-core machine; one whose
 * GEMM kernel was compiled without its intrinsics prints seconds (or "no op after warm-up"). Run it many times:
 * <pre>
 * cp=kernels/target/classes:kernels/target/test-classes:$(ls ~/.m2/repository/com/aparapi/aparapi/3.0.2/*.jar)
 * for i in $(seq 30); do java --add-modules jdk.incubator.vector -cp $cp dev.cnnspark.kernels.bench.JitProbe; done
 * </pre>
 */
public final class JitProbe {
  public static void main(String[] args) {
    CpuContext ctx = new CpuContext(2);
    ConvGeometry g = ConvGeometry.of(128, 26, 26, 32, 3, 3, 1, 1, Padding.VALID, 64);
    float[] x = new float[g.inputSize()];
    float[] w = new float[g.kernelSize() + g.oc()];
    float[] y = new float[g.outputSize()];
    Random r = new Random(1);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat() - 0.5f;
    }
    for (int i = 0; i < w.length; i++) {
      w[i] = r.nextFloat() - 0.5f;
    }
    long end = System.nanoTime() + 3_000_000_000L;
    int ops = 0;
    long t0 = 0;
    while (System.nanoTime() < end) {
      if (ops == 100) {
        t0 = System.nanoTime();
      }
      ConvCpu.forward(ctx, g, x, 0, w, 0, w, g.kernelSize(), y, 0, Activation.RELU);
      ops++;
    }
    System.out.println(ops > 100 ? String.format("%.2f ms per op", (System.nanoTime() - t0) / 1e6 / (ops - 100))
        : "no op after warm-up (" + ops + " ops in 3 s)");
    ctx.close();
  }
}
