package dev.cnnspark.worker.bench;

import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.Arena;
import dev.cnnspark.kernels.ArenaSizes;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.Padding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One kernel micro-benchmark: an op on one layer's shapes at batch 128, with its FLOP count (2 per multiply-add),
 * the arenas it needs and how to run it. The cases are model (a)'s two convolutions and its 9216 -> 128 dense layer,
 * and the tiny model's 8-channel convolution (the narrow shape where the CPU path loses most to its peers).
 * Operands: conv x at WORK 0, y after x, dx after y, kernel at PARAMS 0, bias after it, dw at GRADS 0; dense x at
 * WORK 0, y (and dy) after x, dx after y, W at PARAMS 0, bias after it.
 *
 * @param name  e.g. {@code conv2.forward}
 * @param op    the Backend method measured
 * @param shape the operands, for the report
 */
public record KernelCase(String name, String op, String shape, double flop, ArenaSizes sizes, Consumer<Backend> body) {

  private static final Map<String, KernelCase> CASES = build();

  /** Every case, in report order. */
  public static List<KernelCase> all() {
    return List.copyOf(CASES.values());
  }

  public static KernelCase named(String name) {
    KernelCase c = CASES.get(name);
    if (c == null) {
      throw new IllegalArgumentException("unknown kernel case '" + name + "' (known: " + CASES.keySet() + ")");
    }
    return c;
  }

  /** Allocates the case's arenas on {@code b}, fills them with seeded values in [-0.5, 0.5) and uploads them. */
  public void prepare(Backend b) {
    b.allocate(sizes);
    Random r = new Random(1);
    for (Arena a : new Arena[] {Arena.PARAMS, Arena.WORK, Arena.GRADS}) {
      float[] h = b.host(a);
      for (int i = 0; i < sizes.of(a); i++) {
        h[i] = r.nextFloat() - 0.5f;
      }
      b.upload(a);
    }
  }

  private static Map<String, KernelCase> build() {
    List<KernelCase> cases = new ArrayList<>();
    conv(cases, "conv1", ConvGeometry.of(128, 28, 28, 1, 3, 3, 1, 1, Padding.VALID, 32), false);
    conv(cases, "conv2", ConvGeometry.of(128, 26, 26, 32, 3, 3, 1, 1, Padding.VALID, 64), true);
    dense(cases, "dense1", 128, 9216, 128);
    conv(cases, "tiny.conv", ConvGeometry.of(128, 28, 28, 1, 3, 3, 1, 1, Padding.VALID, 8), false);
    Map<String, KernelCase> byName = new LinkedHashMap<>();
    for (KernelCase c : cases) {
      byName.put(c.name(), c);
    }
    return byName;
  }

  /** Forward (bias + ReLU fused), the filter and bias gradients; the data gradient only where training needs it. */
  private static void conv(List<KernelCase> cases, String layer, ConvGeometry g, boolean withData) {
    String shape = g.n() + "x" + g.h() + "x" + g.w() + "x" + g.c() + " k" + g.kh() + "x" + g.kw() + " -> " + g.oc();
    double flop = 2.0 * g.macs();
    int y = g.inputSize();
    int dx = y + g.outputSize();
    ArenaSizes sizes = new ArenaSizes(g.kernelSize() + g.oc(), 0, 0, 0, dx + g.inputSize(), 1, 1);
    cases.add(new KernelCase(layer + ".forward", "conv2dForward", shape, flop, sizes,
        b -> b.conv2dForward(g, 0, 0, g.kernelSize(), y, Activation.RELU)));
    cases.add(new KernelCase(layer + ".backwardFilter", "conv2dBackwardFilter", shape, flop, sizes,
        b -> b.conv2dBackwardFilter(g, 0, y, 0, g.kernelSize())));
    if (withData) {
      cases.add(new KernelCase(layer + ".backwardData", "conv2dBackwardData", shape, flop, sizes,
          b -> b.conv2dBackwardData(g, y, 0, dx)));
    }
  }

  private static void dense(List<KernelCase> cases, String layer, int rows, int in, int out) {
    String shape = rows + "x" + in + " . " + in + "x" + out;
    double flop = 2.0 * rows * in * out;
    int y = rows * in;
    int dx = y + rows * out;
    ArenaSizes sizes = new ArenaSizes(in * out + out, 0, 0, 0, dx + rows * in, 1, 1);
    cases.add(new KernelCase(layer + ".forward", "denseForward", shape, flop, sizes,
        b -> b.denseForward(rows, in, out, 0, 0, in * out, y, Activation.RELU)));
    cases.add(new KernelCase(layer + ".backwardFilter", "denseBackwardFilter", shape, flop, sizes,
        b -> b.denseBackwardFilter(rows, in, out, 0, y, 0, in * out)));
    cases.add(new KernelCase(layer + ".backwardData", "denseBackwardData", shape, flop, sizes,
        b -> b.denseBackwardData(rows, in, out, y, 0, dx)));
  }
}
