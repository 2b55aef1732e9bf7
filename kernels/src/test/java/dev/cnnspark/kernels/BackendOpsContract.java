package dev.cnnspark.kernels;

import static dev.cnnspark.kernels.Arena.GRADS;
import static dev.cnnspark.kernels.Arena.IO;
import static dev.cnnspark.kernels.Arena.MOVING;
import static dev.cnnspark.kernels.Arena.OPT1;
import static dev.cnnspark.kernels.Arena.OPT2;
import static dev.cnnspark.kernels.Arena.OUT;
import static dev.cnnspark.kernels.Arena.PARAMS;
import static dev.cnnspark.kernels.Arena.WORK;

import dev.cnnspark.kernels.activation.ActivationReference;
import dev.cnnspark.kernels.conv.ConvReference;
import dev.cnnspark.kernels.dense.DenseReference;
import dev.cnnspark.kernels.dropout.DropoutReference;
import dev.cnnspark.kernels.loss.LossReference;
import dev.cnnspark.kernels.norm.BatchNormReference;
import dev.cnnspark.kernels.optim.OptimizerReference;
import dev.cnnspark.kernels.pool.PoolReference;
import dev.cnnspark.kernels.depthwise.DepthwiseReference;
import dev.cnnspark.kernels.embedding.EmbeddingReference;
import dev.cnnspark.kernels.globalpool.GlobalPoolReference;
import dev.cnnspark.kernels.pad.PadReference;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every op of a backend against its plain-Java reference, on random shapes (sizes that do not divide the work-group
 * size included) and one larger fixed shape per op. Subclasses choose the backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BackendOpsContract {
  private static final int TRIALS = 6;
  protected Backend backend;

  protected abstract Backend open();

  @BeforeAll
  void openBackend() {
    backend = open();
  }

  @AfterAll
  void closeBackend() {
    if (backend != null) {
      backend.close();
    }
  }

  /**
   * Random conv/pool geometries plus fixed ones: larger than a work group with awkward sizes, 8 output channels
   * over a window of 270 taps (the CPU path's 8-wide GEMM, its k blocking and its row tails), and 2x2 stride 2.
   */
  static List<ConvGeometry> geometries(long seed, boolean pooling) {
    Random r = new Random(seed);
    List<ConvGeometry> out = new ArrayList<>();
    out.add(ConvGeometry.of(3, 13, 11, pooling ? 7 : 3, 3, 3, 1, 1, Padding.VALID, pooling ? 7 : 37));
    // second, so the forward test runs it with bias and ReLU (the fused epilogue)
    out.add(ConvGeometry.of(2, 11, 13, pooling ? 8 : 30, 3, 3, 1, 1, Padding.SAME, 8));
    out.add(ConvGeometry.of(2, 9, 10, 5, 3, 2, 2, 2, Padding.SAME, pooling ? 5 : 6));
    // Keras' MaxPooling2D(2) on an odd size (the last row and column fall outside every window)
    out.add(ConvGeometry.of(3, 9, 7, 8, 2, 2, 2, 2, Padding.VALID, 8));
    while (out.size() < TRIALS + 4) {
      int h = 3 + r.nextInt(8);
      int w = 3 + r.nextInt(8);
      int c = 1 + r.nextInt(5);
      int kh = 1 + r.nextInt(Math.min(4, h));
      int kw = 1 + r.nextInt(Math.min(4, w));
      Padding p = r.nextBoolean() ? Padding.VALID : Padding.SAME;
      out.add(ConvGeometry.of(1 + r.nextInt(3), h, w, c, kh, kw, 1 + r.nextInt(2), 1 + r.nextInt(2), p,
          pooling ? c : 1 + r.nextInt(7)));
    }
    return out;
  }

  private OpFixture fixture(int params, int work, int io, long seed) {
    return new OpFixture(backend, OpFixture.sizes(params, work, io), seed);
  }

  // ---------------------------------------------------------------- memory

  @Test
  void fillAndCopy() {
    OpFixture f = fixture(300, 700, 130, 1);
    backend.fill(WORK, 17, 333, 2.5f);
    java.util.Arrays.fill(f.ref(WORK), 17, 350, 2.5f);
    backend.copy(IO, 5, WORK, 400, 123);
    System.arraycopy(f.ref(IO), 5, f.ref(WORK), 400, 123);
    backend.copy(PARAMS, 0, GRADS, 11, 289);
    System.arraycopy(f.ref(PARAMS), 0, f.ref(GRADS), 11, 289);
    f.assertArena(WORK, Tolerance.EXACT.named("fill/copy"));
    f.assertArena(GRADS, Tolerance.EXACT.named("copy"));
  }

  /**
   * Transfers in any order, with no op in between: a download right after allocation, and an upload followed by a
   * download (Aparapi copies a put array only at the next launch; the backend must not lose it).
   */
  @Test
  void transfersWithoutOpsInBetween() {
    backend.allocate(OpFixture.sizes(50, 70, 30));
    backend.download(PARAMS);
    assertEquals(0f, backend.host(PARAMS)[49]);
    backend.host(PARAMS)[49] = 7f;
    backend.host(WORK)[3] = 5f;
    backend.upload(PARAMS);
    backend.upload(WORK);
    backend.download(PARAMS);
    backend.download(WORK);
    assertEquals(7f, backend.host(PARAMS)[49]);
    assertEquals(5f, backend.host(WORK)[3]);
    backend.host(PARAMS)[49] = -1f; // host-only change, never uploaded: a download restores the device value
    backend.copy(PARAMS, 49, WORK, 0, 1);
    backend.download(PARAMS);
    backend.download(WORK);
    if (backend.kind() != BackendKind.JAVA) {
      assertEquals(7f, backend.host(PARAMS)[49]);
      assertEquals(7f, backend.host(WORK)[0]);
    }
  }

  // ---------------------------------------------------------------- conv

  @Test
  void conv2dForward() {
    int trial = 0;
    for (ConvGeometry g : geometries(11, false)) {
      Activation act = Activation.values()[trial++ % Activation.values().length];
      int wOff = 3;
      int bOff = trial % 3 == 0 ? -1 : wOff + g.kernelSize() + 2;
      int xOff = 5;
      int yOff = xOff + g.inputSize() + 7;
      OpFixture f = fixture(wOff + g.kernelSize() + g.oc() + 4, yOff + g.outputSize() + 9, 4, trial);
      ConvReference.forward(g, f.ref(WORK), xOff, f.ref(PARAMS), wOff, f.ref(PARAMS), bOff, f.ref(WORK), yOff, act);
      backend.conv2dForward(g, xOff, wOff, bOff, yOff, act);
      f.assertArena(WORK, Tolerance.PRODUCT.named("conv2dForward " + g + " " + act));
    }
  }

  /**
   * 8 output channels over windows that stay inside the image: the CPU path's gathered forward (no im2col), with
   * several 256-pixel blocks, row tails, strides and a single-pixel output, with and without bias.
   */
  @Test
  void conv2dForwardEightChannelsValid() {
    ConvGeometry[] gs = {ConvGeometry.of(2, 30, 30, 1, 3, 3, 1, 1, Padding.VALID, 8),
        ConvGeometry.of(3, 9, 11, 3, 3, 2, 2, 1, Padding.VALID, 8),
        ConvGeometry.of(1, 5, 5, 2, 5, 5, 1, 1, Padding.VALID, 8)};
    int trial = 0;
    for (ConvGeometry g : gs) {
      for (Activation act : new Activation[] {Activation.RELU, Activation.LINEAR, Activation.TANH}) {
        for (boolean withBias : new boolean[] {true, false}) {
          int wOff = 3;
          int bOff = withBias ? wOff + g.kernelSize() + 2 : -1;
          int xOff = 5;
          int yOff = xOff + g.inputSize() + 7;
          OpFixture f = fixture(wOff + g.kernelSize() + g.oc() + 4, yOff + g.outputSize() + 9, 4, 200 + trial++);
          ConvReference.forward(g, f.ref(WORK), xOff, f.ref(PARAMS), wOff, f.ref(PARAMS), bOff, f.ref(WORK), yOff,
              act);
          backend.conv2dForward(g, xOff, wOff, bOff, yOff, act);
          f.assertArena(WORK, Tolerance.PRODUCT.named("conv2dForward " + g + " " + act + " bias " + withBias));
        }
      }
    }
  }

  @Test
  void conv2dBackwardData() {
    int trial = 0;
    for (ConvGeometry g : geometries(12, false)) {
      int wOff = 2;
      int dyOff = 4;
      int dxOff = dyOff + g.outputSize() + 3;
      OpFixture f = fixture(wOff + g.kernelSize() + 1, dxOff + g.inputSize() + 5, 4, trial++);
      ConvReference.backwardData(g, f.ref(WORK), dyOff, f.ref(PARAMS), wOff, f.ref(WORK), dxOff);
      backend.conv2dBackwardData(g, dyOff, wOff, dxOff);
      f.assertArena(WORK, Tolerance.PRODUCT.named("conv2dBackwardData " + g));
    }
  }

  @Test
  void conv2dBackwardFilter() {
    int trial = 0;
    for (ConvGeometry g : geometries(13, false)) {
      int dwOff = 6;
      int dbOff = trial % 3 == 1 ? -1 : dwOff + g.kernelSize() + 1;
      int xOff = 1;
      int dyOff = xOff + g.inputSize() + 2;
      OpFixture f = fixture(dwOff + g.kernelSize() + g.oc() + 3, dyOff + g.outputSize() + 1, 4, trial++);
      ConvReference.backwardFilter(g, f.ref(WORK), xOff, f.ref(WORK), dyOff, f.ref(GRADS), dwOff);
      if (dbOff >= 0) {
        ConvReference.biasGrad(g.n() * g.oh() * g.ow(), g.oc(), f.ref(WORK), dyOff, f.ref(GRADS), dbOff);
      }
      backend.conv2dBackwardFilter(g, xOff, dyOff, dwOff, dbOff);
      f.assertArena(GRADS, Tolerance.REDUCTION.named("conv2dBackwardFilter " + g + " bias " + (dbOff >= 0)));
    }
  }

  /**
   * Model (a)'s conv1 and conv2 at batch 2, a strided conv whose channel counts pass one 64-wide tile, a 4x4 image
   * with 576-long reductions, plus dense shapes of a few hundred: the tiled OpenCL products' full blocks of both
   * shapes (64 x 64, and 128 x 32 for outputs at most 32 wide), partial blocks along m and n, and reductions long
   * enough to split for every op (the small shapes above fit in one block and one launch). Each op gets fresh inputs
   * in [-1, 1), as above, so the tolerances keep their meaning.
   */
  @Test
  void productsAtModelScale() {
    ConvGeometry[] gs = {ConvGeometry.of(2, 26, 26, 32, 3, 3, 1, 1, Padding.VALID, 64),
        ConvGeometry.of(2, 28, 28, 1, 3, 3, 1, 1, Padding.VALID, 32),
        ConvGeometry.of(1, 15, 17, 70, 3, 3, 2, 2, Padding.SAME, 130),
        ConvGeometry.of(1, 4, 4, 64, 3, 3, 1, 1, Padding.SAME, 64)};
    int trial = 300;
    for (ConvGeometry g : gs) {
      int wOff = 3;
      int bOff = wOff + g.kernelSize() + 2;
      int xOff = 5;
      int yOff = xOff + g.inputSize() + 7;
      int params = bOff + g.oc() + 4;
      int work = yOff + g.outputSize() + 9;
      OpFixture f = fixture(params, work, 4, trial++);
      ConvReference.forward(g, f.ref(WORK), xOff, f.ref(PARAMS), wOff, f.ref(PARAMS), bOff, f.ref(WORK), yOff,
          Activation.RELU);
      backend.conv2dForward(g, xOff, wOff, bOff, yOff, Activation.RELU);
      f.assertArena(WORK, Tolerance.PRODUCT.named("conv2dForward " + g));
      f = fixture(params, work, 4, trial++);
      ConvReference.backwardData(g, f.ref(WORK), yOff, f.ref(PARAMS), wOff, f.ref(WORK), xOff);
      backend.conv2dBackwardData(g, yOff, wOff, xOff);
      f.assertArena(WORK, Tolerance.PRODUCT.named("conv2dBackwardData " + g));
      f = fixture(params, work, 4, trial++);
      ConvReference.backwardFilter(g, f.ref(WORK), xOff, f.ref(WORK), yOff, f.ref(GRADS), wOff);
      ConvReference.biasGrad(g.n() * g.oh() * g.ow(), g.oc(), f.ref(WORK), yOff, f.ref(GRADS), bOff);
      backend.conv2dBackwardFilter(g, xOff, yOff, wOff, bOff);
      f.assertArena(GRADS, Tolerance.REDUCTION.named("conv2dBackwardFilter " + g));
    }
    int[][] dense = {{130, 600, 129}, {64, 64, 64}, {3, 500, 70}, {200, 40, 10}, {4, 40, 600}};
    for (int[] s : dense) {
      int rows = s[0];
      int in = s[1];
      int out = s[2];
      String shape = rows + "x" + in + "x" + out;
      int xOff = 2;
      int yOff = xOff + rows * in + 5;
      int bOff = 1 + in * out + 3;
      int params = bOff + out + 3;
      int work = yOff + rows * out + 20;
      OpFixture f = fixture(params, work, 4, trial++);
      DenseReference.forward(rows, in, out, f.ref(WORK), xOff, f.ref(PARAMS), 1, f.ref(PARAMS), bOff, f.ref(WORK),
          yOff, Activation.TANH);
      backend.denseForward(rows, in, out, xOff, 1, bOff, yOff, Activation.TANH);
      f.assertArena(WORK, Tolerance.PRODUCT.named("denseForward " + shape));
      f = fixture(params, work, 4, trial++);
      DenseReference.backwardData(rows, in, out, f.ref(WORK), yOff, f.ref(PARAMS), 1, f.ref(WORK), xOff);
      backend.denseBackwardData(rows, in, out, yOff, 1, xOff);
      f.assertArena(WORK, Tolerance.PRODUCT.named("denseBackwardData " + shape));
      f = fixture(params, work, 4, trial++);
      DenseReference.backwardFilter(rows, in, out, f.ref(WORK), xOff, f.ref(WORK), yOff, f.ref(GRADS), 1);
      ConvReference.biasGrad(rows, out, f.ref(WORK), yOff, f.ref(GRADS), bOff);
      backend.denseBackwardFilter(rows, in, out, xOff, yOff, 1, bOff);
      f.assertArena(GRADS, Tolerance.PRODUCT.named("denseBackwardFilter " + shape));
    }
  }

  /** The bias gradient that the filter-gradient ops carry, over many row and column counts (a 2-wide input). */
  @Test
  void biasGrad() {
    // widths 8 and multiples of 16 take the CPU path's vector column sums (an odd row count: its tail)
    int[][] shapes = {{1, 1}, {7, 3}, {130, 65}, {1000, 10}, {5, 200}, {1001, 8}, {37, 32}, {20, 64}};
    int trial = 0;
    for (int[] s : shapes) {
      int rows = s[0];
      int cols = s[1];
      int dbOff = 2 * cols + 5;
      int dyOff = 13 + 2 * rows;
      OpFixture f = fixture(dbOff + cols + 9, dyOff + rows * cols + 20, 4, trial++);
      DenseReference.backwardFilter(rows, 2, cols, f.ref(WORK), 13, f.ref(WORK), dyOff, f.ref(GRADS), 1);
      ConvReference.biasGrad(rows, cols, f.ref(WORK), dyOff, f.ref(GRADS), dbOff);
      backend.denseBackwardFilter(rows, 2, cols, 13, dyOff, 1, dbOff);
      f.assertArena(GRADS, Tolerance.REDUCTION.named("bias gradient " + rows + "x" + cols));
    }
  }

  // ---------------------------------------------------------------- dense

  private static final int[][] DENSE = {{1, 1, 1}, {3, 5, 7}, {17, 65, 10}, {64, 130, 33}, {2, 300, 129},
      {5, 300, 8}, {13, 7, 200}, {9, 8, 8}};

  @Test
  void denseForward() {
    int trial = 0;
    for (int[] s : DENSE) {
      int rows = s[0];
      int in = s[1];
      int out = s[2];
      Activation act = Activation.values()[trial % Activation.values().length];
      int bOff = trial % 4 == 3 ? -1 : 1 + in * out + 3;
      OpFixture f = fixture(in * out + out + 6, rows * (in + out) + 20, 4, trial++);
      int yOff = 2 + rows * in + 5;
      DenseReference.forward(rows, in, out, f.ref(WORK), 2, f.ref(PARAMS), 1, f.ref(PARAMS), bOff, f.ref(WORK), yOff,
          act);
      backend.denseForward(rows, in, out, 2, 1, bOff, yOff, act);
      f.assertArena(WORK, Tolerance.PRODUCT.named("denseForward " + rows + "x" + in + "x" + out + " " + act));
    }
  }

  @Test
  void denseBackwardData() {
    int trial = 0;
    for (int[] s : DENSE) {
      int rows = s[0];
      int in = s[1];
      int out = s[2];
      OpFixture f = fixture(in * out + 4, rows * (in + out) + 20, 4, trial++);
      int dxOff = 3 + rows * out + 4;
      DenseReference.backwardData(rows, in, out, f.ref(WORK), 3, f.ref(PARAMS), 2, f.ref(WORK), dxOff);
      backend.denseBackwardData(rows, in, out, 3, 2, dxOff);
      f.assertArena(WORK, Tolerance.PRODUCT.named("denseBackwardData " + rows + "x" + in + "x" + out));
    }
  }

  @Test
  void denseBackwardFilter() {
    int trial = 0;
    for (int[] s : DENSE) {
      int rows = s[0];
      int in = s[1];
      int out = s[2];
      OpFixture f = fixture(in * out + 9, rows * (in + out) + 20, 4, trial++);
      int dyOff = 1 + rows * in + 2;
      DenseReference.backwardFilter(rows, in, out, f.ref(WORK), 1, f.ref(WORK), dyOff, f.ref(GRADS), 7);
      backend.denseBackwardFilter(rows, in, out, 1, dyOff, 7, -1);
      f.assertArena(GRADS, Tolerance.PRODUCT.named("denseBackwardFilter " + rows + "x" + in + "x" + out));
    }
  }

  // ---------------------------------------------------------------- activations

  @Test
  void activations() {
    for (Activation act : Activation.values()) {
      for (int len : new int[] {1, 63, 65, 1000, 70001}) {
        OpFixture f = fixture(4, 2 * len + 10, 4, len);
        ActivationReference.forward(act, len, f.ref(WORK), 3, f.ref(WORK), len + 5);
        backend.activationForward(act, len, 3, len + 5);
        f.assertArena(WORK, Tolerance.ELEMENTWISE.named("activationForward " + act + " len " + len));
        // backward in place on dy (dx aliases dy), as the engine uses it
        ActivationReference.backward(act, len, f.ref(WORK), len + 5, f.ref(WORK), 0, f.ref(WORK), 0);
        backend.activationBackward(act, len, len + 5, 0, 0);
        f.assertArena(WORK, Tolerance.ELEMENTWISE.named("activationBackward " + act + " len " + len));
      }
    }
  }

  @Test
  void softmax() {
    int[][] shapes = {{1, 1}, {1, 10}, {129, 10}, {7, 300}};
    for (int[] s : shapes) {
      int n = s[0] * s[1];
      OpFixture f = fixture(4, 3 * n + 10, 4, n);
      ActivationReference.softmaxForward(s[0], s[1], f.ref(WORK), 1, f.ref(WORK), n + 2);
      backend.softmaxForward(s[0], s[1], 1, n + 2);
      f.assertArena(WORK, Tolerance.ELEMENTWISE.named("softmaxForward " + s[0] + "x" + s[1]));
      ActivationReference.softmaxBackward(s[0], s[1], f.ref(WORK), n + 2, f.ref(WORK), 2 * n + 4, f.ref(WORK), 1);
      backend.softmaxBackward(s[0], s[1], n + 2, 2 * n + 4, 1);
      f.assertArena(WORK, Tolerance.LOSS.named("softmaxBackward " + s[0] + "x" + s[1]));
    }
  }

  // ---------------------------------------------------------------- pooling

  @Test
  void maxPool() {
    int trial = 0;
    for (ConvGeometry g : geometries(21, true)) {
      int yOff = 2 + g.inputSize() + 3;
      int dxOff = yOff + g.outputSize() + 1;
      OpFixture f = fixture(4, dxOff + g.inputSize() + 2, 4, trial++);
      PoolReference.maxForward(g, f.ref(WORK), 2, f.ref(WORK), yOff);
      backend.maxPoolForward(g, 2, yOff);
      f.assertArena(WORK, Tolerance.EXACT.named("maxPoolForward " + g));
      // dy = the forward output region, reused as an arbitrary gradient
      PoolReference.maxBackward(g, f.ref(WORK), 2, f.ref(WORK), yOff, f.ref(WORK), dxOff);
      backend.maxPoolBackward(g, 2, yOff, dxOff);
      f.assertArena(WORK, Tolerance.PRODUCT.named("maxPoolBackward " + g));
    }
  }

  /**
   * Max pooling over ReLU-like inputs, where a window often holds equal maxima (zeros): the gradient goes to the
   * first maximum in window order on every backend, as the reference sends it.
   */
  @Test
  void maxPoolTies() {
    int trial = 0;
    for (ConvGeometry g : geometries(23, true)) {
      int yOff = 2 + g.inputSize() + 3;
      int dxOff = yOff + g.outputSize() + 1;
      OpFixture f = fixture(4, dxOff + g.inputSize() + 2, 4, 100 + trial++);
      float[] x = new float[g.inputSize()];
      for (int i = 0; i < x.length; i++) {
        x[i] = Math.max(0f, Math.round(f.rnd.nextFloat() * 4f - 2f) * 0.5f);
      }
      f.set(WORK, 2, x);
      PoolReference.maxForward(g, f.ref(WORK), 2, f.ref(WORK), yOff);
      backend.maxPoolForward(g, 2, yOff);
      f.assertArena(WORK, Tolerance.EXACT.named("maxPoolForward with ties " + g));
      float[] dy = new float[g.outputSize()];
      for (int i = 0; i < dy.length; i++) {
        dy[i] = 1f + f.rnd.nextFloat();
      }
      f.set(WORK, yOff, dy);
      PoolReference.maxBackward(g, f.ref(WORK), 2, f.ref(WORK), yOff, f.ref(WORK), dxOff);
      backend.maxPoolBackward(g, 2, yOff, dxOff);
      f.assertArena(WORK, Tolerance.PRODUCT.named("maxPoolBackward with ties " + g));
    }
  }

  @Test
  void avgPool() {
    int trial = 0;
    for (ConvGeometry g : geometries(22, true)) {
      int yOff = 1 + g.inputSize() + 3;
      int dxOff = yOff + g.outputSize() + 1;
      OpFixture f = fixture(4, dxOff + g.inputSize() + 2, 4, trial++);
      PoolReference.avgForward(g, f.ref(WORK), 1, f.ref(WORK), yOff);
      backend.avgPoolForward(g, 1, yOff);
      f.assertArena(WORK, Tolerance.PRODUCT.named("avgPoolForward " + g));
      PoolReference.avgBackward(g, f.ref(WORK), yOff, f.ref(WORK), dxOff);
      backend.avgPoolBackward(g, yOff, dxOff);
      f.assertArena(WORK, Tolerance.PRODUCT.named("avgPoolBackward " + g));
    }
  }

  // ---------------------------------------------------------------- dropout

  @Test
  void dropout() {
    long[] seeds = {0L, 42L, -7L, 0x1234_5678_9abc_def0L};
    for (long seed : seeds) {
      for (float rate : new float[] {0f, 0.25f, 0.5f}) {
        int len = 4099;
        OpFixture f = fixture(4, 2 * len + 3, 4, seed);
        DropoutReference.forward(len, rate, seed, f.ref(WORK), 0, f.ref(WORK), len + 3);
        backend.dropoutForward(len, rate, seed, 0, len + 3);
        f.assertArena(WORK, Tolerance.ELEMENTWISE.named("dropoutForward seed " + seed + " rate " + rate));
        DropoutReference.backward(len, rate, seed, f.ref(WORK), len + 3, f.ref(WORK), 0);
        backend.dropoutBackward(len, rate, seed, len + 3, 0);
        f.assertArena(WORK, Tolerance.ELEMENTWISE.named("dropoutBackward seed " + seed + " rate " + rate));
      }
    }
  }

  // ---------------------------------------------------------------- batch norm

  @Test
  void batchNorm() {
    int[][] shapes = {{1, 1}, {2, 3}, {70, 5}, {513, 17}};
    float momentum = 0.99f;
    float eps = 1e-3f;
    for (int[] s : shapes) {
      int rows = s[0];
      int c = s[1];
      int n = rows * c;
      int mean = 2;
      int invStd = mean + c;
      int sums = invStd + c;
      int x = sums + 2 * c + 1;
      int y = x + n;
      int dy = y + n;
      int dx = dy + n;
      OpFixture f = new OpFixture(backend, new ArenaSizes(2 * c + 3, 0, 0, 2 * c + 1, dx + n + 2, 4, 4), n);
      float[] var = new float[c];
      for (int ch = 0; ch < c; ch++) {
        var[ch] = 0.5f + f.rnd.nextFloat();
      }
      f.set(MOVING, 1 + c, var); // moving variance must be positive
      BatchNormReference.stats(rows, c, f.ref(WORK), x, f.ref(WORK), mean, invStd, f.ref(MOVING), 1, momentum, eps);
      backend.batchNormStats(rows, c, x, mean, invStd, 1, momentum, eps);
      f.assertArena(WORK, Tolerance.REDUCTION.named("batchNormStats " + rows + "x" + c));
      f.assertArena(MOVING, Tolerance.REDUCTION.named("batchNormStats moving " + rows + "x" + c));
      BatchNormReference.apply(rows, c, f.ref(WORK), x, f.ref(WORK), y, f.ref(PARAMS), 1, f.ref(WORK), mean, invStd);
      backend.batchNormApply(rows, c, x, y, 1, mean, invStd);
      f.assertArena(WORK, Tolerance.REDUCTION.named("batchNormApply " + rows + "x" + c));
      BatchNormReference.backward(rows, c, f.ref(WORK), x, f.ref(WORK), dy, f.ref(WORK), dx, f.ref(PARAMS), 1,
          f.ref(WORK), mean, invStd, f.ref(GRADS), 2, sums);
      backend.batchNormBackward(rows, c, x, dy, dx, 1, mean, invStd, 2, sums);
      f.assertArena(WORK, Tolerance.REDUCTION.named("batchNormBackward " + rows + "x" + c));
      f.assertArena(GRADS, Tolerance.REDUCTION.named("batchNormBackward grads " + rows + "x" + c));
      BatchNormReference.movingStats(c, f.ref(MOVING), 1, f.ref(WORK), mean, invStd, eps);
      backend.batchNormMovingStats(c, 1, mean, invStd, eps);
      // WORK still holds the earlier outputs, equal only to REDUCTION tolerance
      f.assertArena(WORK, Tolerance.REDUCTION.named("batchNormMovingStats " + c));
      BatchNormReference.backwardInference(rows, c, f.ref(WORK), dy, f.ref(WORK), dx, f.ref(PARAMS), 1, f.ref(WORK),
          invStd);
      backend.batchNormBackwardInference(rows, c, dy, dx, 1, invStd);
      f.assertArena(WORK, Tolerance.REDUCTION.named("batchNormBackwardInference " + rows + "x" + c));
    }
  }

  // ---------------------------------------------------------------- loss

  @Test
  void losses() {
    int[][] shapes = {{1, 1}, {3, 10}, {129, 10}, {70, 1}, {5, 3}};
    for (LossKind kind : LossKind.values()) {
      for (int[] s : shapes) {
        int rows = s[0];
        int cols = s[1];
        int n = rows * cols;
        int pred = 3;
        int grad = pred + n + 1;
        int stats = grad + n + 2;
        OpFixture f = fixture(4, stats + rows * LossKind.ROW_STATS + 3, n + 8, n + kind.code);
        float[] labels = new float[n];
        float[] preds = new float[n];
        for (int r = 0; r < rows; r++) {
          int hot = f.rnd.nextInt(cols);
          float rowSum = 0f;
          for (int j = 0; j < cols; j++) {
            boolean categorical = kind == LossKind.SOFTMAX_CROSS_ENTROPY || kind == LossKind.CATEGORICAL_CROSS_ENTROPY;
            labels[r * cols + j] = categorical ? (j == hot ? 1f : 0f) : (f.rnd.nextBoolean() ? 1f : 0f);
            boolean probabilities = kind == LossKind.CATEGORICAL_CROSS_ENTROPY || kind == LossKind.BINARY_CROSS_ENTROPY;
            preds[r * cols + j] = probabilities ? 0.05f + 0.9f * f.rnd.nextFloat() : 4f * f.rnd.nextFloat() - 2f;
            rowSum += preds[r * cols + j];
          }
          if (kind == LossKind.CATEGORICAL_CROSS_ENTROPY) {
            for (int j = 0; j < cols; j++) {
              preds[r * cols + j] /= rowSum;
            }
          }
        }
        f.set(IO, 5, labels);
        f.set(WORK, pred, preds);
        LossReference.loss(kind, rows, cols, f.ref(WORK), pred, f.ref(IO), 5, f.ref(WORK), grad, f.ref(WORK), stats);
        backend.loss(kind, rows, cols, pred, 5, grad, stats);
        f.assertArena(WORK, Tolerance.LOSS.named("loss " + kind + " " + rows + "x" + cols));
        LossReference.accumulateMetrics(rows, f.ref(WORK), stats, f.ref(OUT), 3);
        backend.accumulateMetrics(rows, stats, 3);
        f.assertArena(OUT, Tolerance.REDUCTION.named("accumulateMetrics " + kind + " " + rows + "x" + cols));
        // evaluation: no gradient written
        LossReference.loss(kind, rows, cols, f.ref(WORK), pred, f.ref(IO), 5, f.ref(WORK), -1, f.ref(WORK), stats);
        backend.loss(kind, rows, cols, pred, 5, -1, stats);
        f.assertArena(WORK, Tolerance.LOSS.named("loss (no grad) " + kind + " " + rows + "x" + cols));
      }
    }
  }

  // ---------------------------------------------------------------- optimizer

  @Test
  void optimizers() {
    for (OptimizerRule rule : OptimizerRule.values()) {
      for (int len : new int[] {1, 65, 5003}) {
        OpFixture f = fixture(len, 4, 4, len + rule.code);
        float[] positive = new float[len];
        for (int i = 0; i < len; i++) {
          positive[i] = f.rnd.nextFloat();
        }
        f.set(OPT2, 0, positive); // accumulators of squares are non-negative
        f.set(OPT1, 0, positive.clone());
        StepHyper h = new StepHyper(0.01f, 0.9f, 0.999f, 1e-7f, 0.05f, 0.8f, 1.5f, len % 2 == 1);
        // on the long vector only a middle range steps (a frozen layer on each side): the whole arenas are compared,
        // so an element outside the range that moved fails
        int off = len > 100 ? 17 : 0;
        int n = len > 100 ? len - off - 1009 : len;
        for (int step = 0; step < 3; step++) {
          OptimizerReference.step(rule, off, n, h, f.ref(PARAMS), f.ref(GRADS), f.ref(OPT1), f.ref(OPT2));
          backend.optimizerStep(rule, off, n, h);
        }
        for (Arena a : new Arena[] {PARAMS, OPT1, OPT2}) {
          f.assertArena(a, Tolerance.OPTIMIZER.named("optimizer " + rule + " len " + len));
        }
      }
    }
  }

  // ---------------------------------------------------------------- layers of the Keras CNN course

  /** ReLU(max_value, negative_slope), LeakyReLU and ReLU6 on inputs in [-8, 8), so the clip and the slope are hit. */
  @Test
  void parametricRelu() {
    float[][] params = {{Float.MAX_VALUE, 0f}, {6f, 0f}, {Float.MAX_VALUE, 0.3f}, {2.5f, 0.1f}};
    for (float[] p : params) {
      for (int len : new int[] {1, 65, 7001}) {
        OpFixture f = fixture(4, 2 * len + 10, 4, len);
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
          x[i] = f.rnd.nextFloat() * 16f - 8f;
        }
        f.set(WORK, 3, x);
        String name = "relu(max " + p[0] + ", slope " + p[1] + ") len " + len;
        ActivationReference.reluForward(len, p[0], p[1], f.ref(WORK), 3, f.ref(WORK), len + 5);
        backend.reluForward(len, p[0], p[1], 3, len + 5);
        f.assertArena(WORK, Tolerance.ELEMENTWISE.named("reluForward " + name));
        ActivationReference.reluBackward(len, p[0], p[1], f.ref(WORK), len + 5, f.ref(WORK), 0, f.ref(WORK), 0);
        backend.reluBackward(len, p[0], p[1], len + 5, 0, 0);
        f.assertArena(WORK, Tolerance.ELEMENTWISE.named("reluBackward " + name));
      }
    }
    int len = 999;
    OpFixture f = fixture(4, 2 * len + 10, 4, 5);
    float[] x = new float[len];
    for (int i = 0; i < len; i++) {
      x[i] = f.rnd.nextFloat() * 16f - 8f;
    }
    f.set(WORK, 3, x);
    ActivationReference.forward(Activation.RELU6, len, f.ref(WORK), 3, f.ref(WORK), len + 5);
    backend.activationForward(Activation.RELU6, len, 3, len + 5);
    f.assertArena(WORK, Tolerance.ELEMENTWISE.named("activationForward RELU6 on [-8, 8)"));
  }

  /** Padding, cropping, mixed, 1-D (h = 1), and a batch larger than a work group's worth of elements. */
  @Test
  void padAndCrop() {
    PadGeometry[] gs = {new PadGeometry(2, 5, 7, 3, 1, 2, 3, 0), new PadGeometry(3, 6, 6, 2, -1, -2, -2, -1),
        new PadGeometry(1, 4, 9, 5, 2, -1, -3, 4), new PadGeometry(4, 1, 30, 7, 0, 0, 3, 3),
        new PadGeometry(9, 13, 11, 8, 1, 1, 1, 1)};
    int trial = 0;
    for (PadGeometry g : gs) {
      int xOff = 3;
      int yOff = xOff + g.inputSize() + 5;
      int dxOff = yOff + g.outputSize() + 2;
      OpFixture f = fixture(4, dxOff + g.inputSize() + 4, 4, 500 + trial++);
      PadReference.forward(g, f.ref(WORK), xOff, f.ref(WORK), yOff);
      backend.padForward(g, xOff, yOff);
      f.assertArena(WORK, Tolerance.EXACT.named("padForward " + g));
      PadReference.backward(g, f.ref(WORK), yOff, f.ref(WORK), dxOff);
      backend.padBackward(g, yOff, dxOff);
      f.assertArena(WORK, Tolerance.EXACT.named("padBackward " + g));
    }
  }

  /** Max and mean, 2-D and 1-D sizes, one position, and ties (the first maximum takes the gradient). */
  @Test
  void globalPool() {
    int[][] shapes = {{2, 9, 3}, {3, 1, 5}, {5, 25, 64}, {1, 130, 1}, {33, 16, 70}};
    int trial = 0;
    for (boolean max : new boolean[] {true, false}) {
      for (int[] s : shapes) {
        for (boolean ties : new boolean[] {false, true}) {
          int n = s[0];
          int pos = s[1];
          int c = s[2];
          int xOff = 1;
          int yOff = xOff + n * pos * c + 3;
          int dyOff = yOff + n * c + 2;
          int dxOff = dyOff + n * c + 1;
          OpFixture f = fixture(4, dxOff + n * pos * c + 3, 4, 600 + trial++);
          if (ties) {
            float[] x = new float[n * pos * c];
            for (int i = 0; i < x.length; i++) {
              x[i] = Math.round(f.rnd.nextFloat() * 3f) * 0.5f;
            }
            f.set(WORK, xOff, x);
          }
          String name = (max ? "max " : "mean ") + n + "x" + pos + "x" + c + (ties ? " ties" : "");
          GlobalPoolReference.forward(max, n, pos, c, f.ref(WORK), xOff, f.ref(WORK), yOff);
          backend.globalPoolForward(max, n, pos, c, xOff, yOff);
          f.assertArena(WORK, (max ? Tolerance.EXACT : Tolerance.REDUCTION).named("globalPoolForward " + name));
          GlobalPoolReference.backward(max, n, pos, c, f.ref(WORK), xOff, f.ref(WORK), dyOff, f.ref(WORK), dxOff);
          backend.globalPoolBackward(max, n, pos, c, xOff, dyOff, dxOff);
          f.assertArena(WORK, Tolerance.ELEMENTWISE.named("globalPoolBackward " + name));
        }
      }
    }
  }

  /** Lookup and gradient with repeated tokens, token 0, the last row, and out-of-range indices (zero rows). */
  @Test
  void embedding() {
    int[][] shapes = {{7, 5, 3}, {300, 50, 16}, {2000, 1000, 33}, {65, 3, 130}};
    int trial = 0;
    for (int[] s : shapes) {
      int tokens = s[0];
      int vocab = s[1];
      int dim = s[2];
      int tableOff = 2;
      int xOff = 1;
      int yOff = xOff + tokens + 3;
      int dyOff = yOff + tokens * dim + 2;
      OpFixture f = fixture(tableOff + vocab * dim + 3, dyOff + tokens * dim + 5, 4, 700 + trial++);
      float[] idx = new float[tokens];
      for (int t = 0; t < tokens; t++) {
        idx[t] = t % 11 == 5 ? vocab + t % 3 : t % 13 == 1 ? -1 : t % 7 == 0 ? vocab - 1 : f.rnd.nextInt(vocab);
      }
      f.set(WORK, xOff, idx);
      String name = tokens + " tokens, vocab " + vocab + ", dim " + dim;
      EmbeddingReference.forward(tokens, vocab, dim, f.ref(WORK), xOff, f.ref(PARAMS), tableOff, f.ref(WORK), yOff);
      backend.embeddingForward(tokens, vocab, dim, xOff, tableOff, yOff);
      f.assertArena(WORK, Tolerance.EXACT.named("embeddingForward " + name));
      EmbeddingReference.backward(tokens, vocab, dim, f.ref(WORK), xOff, f.ref(WORK), dyOff, f.ref(GRADS), tableOff);
      backend.embeddingBackward(tokens, vocab, dim, xOff, dyOff, tableOff);
      f.assertArena(GRADS, Tolerance.REDUCTION.named("embeddingBackward " + name));
    }
  }

  /** The conv geometries with depth multipliers 1, 2 and 3, every activation, with and without bias. */
  @Test
  void depthwise() {
    int trial = 0;
    for (ConvGeometry pool : geometries(31, true)) {
      int m = 1 + trial % 3;
      ConvGeometry g = new ConvGeometry(pool.n(), pool.h(), pool.w(), pool.c(), pool.kh(), pool.kw(), pool.sh(),
          pool.sw(), pool.pt(), pool.pl(), pool.oh(), pool.ow(), pool.c() * m);
      Activation act = Activation.values()[trial % Activation.values().length];
      boolean bias = trial % 2 == 0;
      int kernel = g.kh() * g.kw() * g.oc();
      int wOff = 3;
      int bOff = bias ? wOff + kernel + 1 : -1;
      int xOff = 2;
      int yOff = xOff + g.inputSize() + 3;
      int dxOff = yOff + g.outputSize() + 5;
      OpFixture f = fixture(wOff + kernel + g.oc() + 3, dxOff + g.inputSize() + 2, 4, 800 + trial++);
      String name = g + " x" + m + " " + act + " bias " + bias;
      DepthwiseReference.forward(g, f.ref(WORK), xOff, f.ref(PARAMS), wOff, f.ref(PARAMS), bOff, f.ref(WORK), yOff,
          act);
      backend.depthwiseForward(g, xOff, wOff, bOff, yOff, act);
      f.assertArena(WORK, Tolerance.PRODUCT.named("depthwiseForward " + name));
      DepthwiseReference.backwardData(g, f.ref(WORK), yOff, f.ref(PARAMS), wOff, f.ref(WORK), dxOff);
      backend.depthwiseBackwardData(g, yOff, wOff, dxOff);
      f.assertArena(WORK, Tolerance.PRODUCT.named("depthwiseBackwardData " + name));
      DepthwiseReference.backwardFilter(g, f.ref(WORK), xOff, f.ref(WORK), yOff, f.ref(GRADS), wOff);
      if (bOff >= 0) {
        ConvReference.biasGrad(g.n() * g.oh() * g.ow(), g.oc(), f.ref(WORK), yOff, f.ref(GRADS), bOff);
      }
      backend.depthwiseBackwardFilter(g, xOff, yOff, wOff, bOff);
      f.assertArena(GRADS, Tolerance.REDUCTION.named("depthwiseBackwardFilter " + name));
    }
  }
}
