package dev.cnnspark.worker.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.Arena;
import dev.cnnspark.kernels.ArenaSizes;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.Padding;
import java.util.Random;

/**
 * GFLOP/s of the conv and dense ops on model (a)'s shapes at batch 128 (2 FLOPs per multiply-add), timed as the
 * median of repeated runs after warm-up. The op returns when its work is done on every backend.
 */
public final class KernelBench {
  private final BenchmarkReport report;
  private final int repeats;

  public KernelBench(BenchmarkReport report, int repeats) {
    this.report = report;
    this.repeats = repeats;
  }

  public void run(Backend b, String backendName) {
    ConvGeometry conv1 = ConvGeometry.of(128, 28, 28, 1, 3, 3, 1, 1, Padding.VALID, 32);
    ConvGeometry conv2 = ConvGeometry.of(128, 26, 26, 32, 3, 3, 1, 1, Padding.VALID, 64);
    int work = conv2.inputSize() + conv2.outputSize() + conv2.inputSize() + 16;
    int params = Math.max(conv2.kernelSize() + 64, 9216 * 128 + 128);
    b.allocate(new ArenaSizes(params, 0, 0, 0, work, 1, 1));
    Random r = new Random(1);
    for (Arena a : new Arena[] {Arena.PARAMS, Arena.WORK, Arena.GRADS}) {
      float[] h = b.host(a);
      for (int i = 0; i < Math.min(h.length, a == Arena.WORK ? work : params); i++) {
        h[i] = r.nextFloat() - 0.5f;
      }
      b.upload(a);
    }
    int x = 0;
    int y = conv2.inputSize();
    int dx = y + conv2.outputSize();
    for (ConvGeometry g : new ConvGeometry[] {conv1, conv2}) {
      String shape = g.n() + "x" + g.h() + "x" + g.w() + "x" + g.c() + " k" + g.kh() + "x" + g.kw() + " -> " + g.oc();
      double flop = 2.0 * g.macs();
      time(b, backendName, "conv2dForward", shape, flop,
          () -> b.conv2dForward(g, x, 0, g.kernelSize(), y, Activation.RELU));
      time(b, backendName, "conv2dBackwardFilter", shape, flop, () -> b.conv2dBackwardFilter(g, x, y, 0));
      time(b, backendName, "conv2dBackwardData", shape, flop, () -> b.conv2dBackwardData(g, y, 0, dx));
    }
    int rows = 128;
    int in = 9216;
    int out = 128;
    String shape = rows + "x" + in + " . " + in + "x" + out;
    double flop = 2.0 * rows * in * out;
    int dy = rows * in;
    time(b, backendName, "denseForward", shape, flop, () -> b.denseForward(rows, in, out, 0, 0, in * out, dy,
        Activation.RELU));
    time(b, backendName, "denseBackwardFilter", shape, flop, () -> b.denseBackwardFilter(rows, in, out, 0, dy, 0));
    time(b, backendName, "denseBackwardData", shape, flop, () -> b.denseBackwardData(rows, in, out, dy, 0,
        dy + rows * out));
  }

  private void time(Backend b, String backendName, String op, String shape, double flop, Runnable body) {
    for (int i = 0; i < 3; i++) {
      body.run();
    }
    b.finish();
    double[] ms = new double[repeats];
    for (int i = 0; i < repeats; i++) {
      long t0 = System.nanoTime();
      body.run();
      b.finish();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    java.util.Arrays.sort(ms);
    double median = ms[repeats / 2];
    ObjectNode n = report.line("kernel");
    n.put("backend", backendName);
    n.put("device", b.device());
    n.put("op", op);
    n.put("shape", shape);
    n.put("median_ms", Math.round(median * 1000) / 1000.0);
    n.put("gflops", Math.round(flop / median / 1e6 * 10) / 10.0);
    report.emit(n);
  }
}
