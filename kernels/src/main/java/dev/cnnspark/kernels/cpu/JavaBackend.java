package dev.cnnspark.kernels.cpu;

import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.Arena;
import dev.cnnspark.kernels.ArenaSizes;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.BackendKind;
import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.LossKind;
import dev.cnnspark.kernels.OptimizerRule;
import dev.cnnspark.kernels.StepHyper;
import dev.cnnspark.kernels.activation.ActivationCpu;
import dev.cnnspark.kernels.activation.ActivationReference;
import dev.cnnspark.kernels.conv.ConvCpu;
import dev.cnnspark.kernels.dense.DenseCpu;
import dev.cnnspark.kernels.dropout.DropoutCpu;
import dev.cnnspark.kernels.loss.LossReference;
import dev.cnnspark.kernels.norm.BatchNormCpu;
import dev.cnnspark.kernels.norm.BatchNormReference;
import dev.cnnspark.kernels.optim.OptimizerCpu;
import dev.cnnspark.kernels.pool.PoolCpu;
import dev.cnnspark.kernels.PadGeometry;
import dev.cnnspark.kernels.depthwise.DepthwiseCpu;
import dev.cnnspark.kernels.embedding.EmbeddingCpu;
import dev.cnnspark.kernels.globalpool.GlobalPoolCpu;
import dev.cnnspark.kernels.pad.PadCpu;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The CPU backend: host arrays are the device, ops are the {@code *Cpu} classes (Vector API GEMM, threads). Ops that
 * touch a few hundred floats per step (softmax, loss, metrics, BatchNorm moving statistics) run the plain
 * references, which are fast enough there.
 */
public final class JavaBackend implements Backend {
  private final CpuContext ctx;
  private final Map<Arena, float[]> arenas = new EnumMap<>(Arena.class);

  public JavaBackend(int threads) {
    this.ctx = new CpuContext(threads);
    for (Arena a : Arena.values()) {
      arenas.put(a, new float[0]);
    }
  }

  /** Threads = available processors. */
  public static JavaBackend withAllCores() {
    return new JavaBackend(Runtime.getRuntime().availableProcessors());
  }

  @Override
  public BackendKind kind() {
    return BackendKind.JAVA;
  }

  @Override
  public String device() {
    return String.format(Locale.ROOT, "Java CPU path, %d thread(s), GEMM: %s, %s %s",
        ctx.parallel().threads(), Gemm.instance().name(), System.getProperty("os.arch"),
        System.getProperty("java.vm.version"));
  }

  @Override
  public void allocate(ArenaSizes sizes) {
    for (Arena a : Arena.values()) {
      arenas.put(a, new float[sizes.of(a)]);
    }
  }

  @Override
  public float[] host(Arena arena) {
    return arenas.get(arena);
  }

  @Override
  public void upload(Arena arena) {
    // host memory is the device memory
  }

  @Override
  public void download(Arena arena) {
    // host memory is the device memory
  }

  @Override
  public void finish() {
    // ops are synchronous
  }

  private float[] a(Arena arena) {
    return arenas.get(arena);
  }

  @Override
  public void fill(Arena arena, int off, int len, float value) {
    Arrays.fill(a(arena), off, off + len, value);
  }

  @Override
  public void copy(Arena src, int srcOff, Arena dst, int dstOff, int len) {
    System.arraycopy(a(src), srcOff, a(dst), dstOff, len);
  }

  @Override
  public void conv2dForward(ConvGeometry g, int xOff, int wOff, int bOff, int yOff, Activation act) {
    ConvCpu.forward(ctx, g, a(Arena.WORK), xOff, a(Arena.PARAMS), wOff, a(Arena.PARAMS), bOff, a(Arena.WORK), yOff,
        act);
  }

  @Override
  public void conv2dBackwardData(ConvGeometry g, int dyOff, int wOff, int dxOff) {
    ConvCpu.backwardData(ctx, g, a(Arena.WORK), dyOff, a(Arena.PARAMS), wOff, a(Arena.WORK), dxOff);
  }

  @Override
  public void conv2dBackwardFilter(ConvGeometry g, int xOff, int dyOff, int dwOff, int dbOff) {
    if (dbOff >= 0) {
      ConvCpu.biasGrad(ctx, g.n() * g.oh() * g.ow(), g.oc(), a(Arena.WORK), dyOff, a(Arena.GRADS), dbOff);
    }
    ConvCpu.backwardFilter(ctx, g, a(Arena.WORK), xOff, a(Arena.WORK), dyOff, a(Arena.GRADS), dwOff);
  }

  @Override
  public void denseForward(int rows, int in, int out, int xOff, int wOff, int bOff, int yOff, Activation act) {
    DenseCpu.forward(ctx, rows, in, out, a(Arena.WORK), xOff, a(Arena.PARAMS), wOff, a(Arena.PARAMS), bOff,
        a(Arena.WORK), yOff, act);
  }

  @Override
  public void denseBackwardData(int rows, int in, int out, int dyOff, int wOff, int dxOff) {
    DenseCpu.backwardData(ctx, rows, in, out, a(Arena.WORK), dyOff, a(Arena.PARAMS), wOff, a(Arena.WORK), dxOff);
  }

  @Override
  public void denseBackwardFilter(int rows, int in, int out, int xOff, int dyOff, int dwOff, int dbOff) {
    if (dbOff >= 0) {
      ConvCpu.biasGrad(ctx, rows, out, a(Arena.WORK), dyOff, a(Arena.GRADS), dbOff);
    }
    DenseCpu.backwardFilter(ctx, rows, in, out, a(Arena.WORK), xOff, a(Arena.WORK), dyOff, a(Arena.GRADS), dwOff);
  }

  @Override
  public void activationForward(Activation act, int len, int xOff, int yOff) {
    ActivationCpu.forward(ctx, act, len, a(Arena.WORK), xOff, a(Arena.WORK), yOff);
  }

  @Override
  public void activationBackward(Activation act, int len, int yOff, int dyOff, int dxOff) {
    ActivationCpu.backward(ctx, act, len, a(Arena.WORK), yOff, a(Arena.WORK), dyOff, a(Arena.WORK), dxOff);
  }

  @Override
  public void softmaxForward(int rows, int cols, int xOff, int yOff) {
    ActivationReference.softmaxForward(rows, cols, a(Arena.WORK), xOff, a(Arena.WORK), yOff);
  }

  @Override
  public void softmaxBackward(int rows, int cols, int yOff, int dyOff, int dxOff) {
    ActivationReference.softmaxBackward(rows, cols, a(Arena.WORK), yOff, a(Arena.WORK), dyOff, a(Arena.WORK), dxOff);
  }

  @Override
  public void maxPoolForward(ConvGeometry g, int xOff, int yOff) {
    PoolCpu.maxForward(ctx, g, a(Arena.WORK), xOff, a(Arena.WORK), yOff);
  }

  @Override
  public void maxPoolBackward(ConvGeometry g, int xOff, int dyOff, int dxOff) {
    PoolCpu.maxBackward(ctx, g, a(Arena.WORK), xOff, a(Arena.WORK), dyOff, a(Arena.WORK), dxOff);
  }

  @Override
  public void avgPoolForward(ConvGeometry g, int xOff, int yOff) {
    PoolCpu.avgForward(ctx, g, a(Arena.WORK), xOff, a(Arena.WORK), yOff);
  }

  @Override
  public void avgPoolBackward(ConvGeometry g, int dyOff, int dxOff) {
    PoolCpu.avgBackward(ctx, g, a(Arena.WORK), dyOff, a(Arena.WORK), dxOff);
  }

  @Override
  public void dropoutForward(int len, float rate, long seed, int xOff, int yOff) {
    DropoutCpu.apply(ctx, len, rate, seed, a(Arena.WORK), xOff, a(Arena.WORK), yOff);
  }

  @Override
  public void dropoutBackward(int len, float rate, long seed, int dyOff, int dxOff) {
    DropoutCpu.apply(ctx, len, rate, seed, a(Arena.WORK), dyOff, a(Arena.WORK), dxOff);
  }

  @Override
  public void batchNormStats(int rows, int c, int xOff, int meanOff, int invStdOff, int movingOff, float momentum,
                             float eps) {
    BatchNormCpu.stats(ctx, rows, c, a(Arena.WORK), xOff, a(Arena.WORK), meanOff, invStdOff, a(Arena.MOVING),
        movingOff, momentum, eps);
  }

  @Override
  public void batchNormMovingStats(int c, int movingOff, int meanOff, int invStdOff, float eps) {
    BatchNormReference.movingStats(c, a(Arena.MOVING), movingOff, a(Arena.WORK), meanOff, invStdOff, eps);
  }

  @Override
  public void batchNormApply(int rows, int c, int xOff, int yOff, int gammaOff, int meanOff, int invStdOff) {
    BatchNormCpu.apply(ctx, rows, c, a(Arena.WORK), xOff, a(Arena.WORK), yOff, a(Arena.PARAMS), gammaOff,
        a(Arena.WORK), meanOff, invStdOff);
  }

  @Override
  public void batchNormBackward(int rows, int c, int xOff, int dyOff, int dxOff, int gammaOff, int meanOff,
                                int invStdOff, int dGammaOff, int sumsOff) {
    BatchNormCpu.backward(ctx, rows, c, a(Arena.WORK), xOff, a(Arena.WORK), dyOff, a(Arena.WORK), dxOff,
        a(Arena.PARAMS), gammaOff, a(Arena.WORK), meanOff, invStdOff, a(Arena.GRADS), dGammaOff, sumsOff);
  }

  @Override
  public void batchNormBackwardInference(int rows, int c, int dyOff, int dxOff, int gammaOff, int invStdOff) {
    BatchNormCpu.backwardInference(ctx, rows, c, a(Arena.WORK), dyOff, a(Arena.WORK), dxOff, a(Arena.PARAMS), gammaOff,
        a(Arena.WORK), invStdOff);
  }

  @Override
  public void reluForward(int len, float maxValue, float negativeSlope, int xOff, int yOff) {
    ActivationCpu.reluForward(ctx, len, maxValue, negativeSlope, a(Arena.WORK), xOff, a(Arena.WORK), yOff);
  }

  @Override
  public void reluBackward(int len, float maxValue, float negativeSlope, int yOff, int dyOff, int dxOff) {
    ActivationCpu.reluBackward(ctx, len, maxValue, negativeSlope, a(Arena.WORK), yOff, a(Arena.WORK), dyOff,
        a(Arena.WORK), dxOff);
  }

  @Override
  public void padForward(PadGeometry g, int xOff, int yOff) {
    PadCpu.forward(ctx, g, a(Arena.WORK), xOff, a(Arena.WORK), yOff);
  }

  @Override
  public void padBackward(PadGeometry g, int dyOff, int dxOff) {
    PadCpu.backward(ctx, g, a(Arena.WORK), dyOff, a(Arena.WORK), dxOff);
  }

  @Override
  public void globalPoolForward(boolean max, int n, int s, int c, int xOff, int yOff) {
    GlobalPoolCpu.forward(ctx, max, n, s, c, a(Arena.WORK), xOff, a(Arena.WORK), yOff);
  }

  @Override
  public void globalPoolBackward(boolean max, int n, int s, int c, int xOff, int dyOff, int dxOff) {
    GlobalPoolCpu.backward(ctx, max, n, s, c, a(Arena.WORK), xOff, a(Arena.WORK), dyOff, a(Arena.WORK), dxOff);
  }

  @Override
  public void embeddingForward(int tokens, int vocab, int dim, int xOff, int tableOff, int yOff) {
    EmbeddingCpu.forward(ctx, tokens, vocab, dim, a(Arena.WORK), xOff, a(Arena.PARAMS), tableOff, a(Arena.WORK), yOff);
  }

  @Override
  public void embeddingBackward(int tokens, int vocab, int dim, int xOff, int dyOff, int dTableOff) {
    EmbeddingCpu.backward(ctx, tokens, vocab, dim, a(Arena.WORK), xOff, a(Arena.WORK), dyOff, a(Arena.GRADS),
        dTableOff);
  }

  @Override
  public void depthwiseForward(ConvGeometry g, int xOff, int wOff, int bOff, int yOff, Activation act) {
    DepthwiseCpu.forward(ctx, g, a(Arena.WORK), xOff, a(Arena.PARAMS), wOff, a(Arena.PARAMS), bOff, a(Arena.WORK),
        yOff, act);
  }

  @Override
  public void depthwiseBackwardData(ConvGeometry g, int dyOff, int wOff, int dxOff) {
    DepthwiseCpu.backwardData(ctx, g, a(Arena.WORK), dyOff, a(Arena.PARAMS), wOff, a(Arena.WORK), dxOff);
  }

  @Override
  public void depthwiseBackwardFilter(ConvGeometry g, int xOff, int dyOff, int dwOff, int dbOff) {
    DepthwiseCpu.backwardFilter(ctx, g, a(Arena.WORK), xOff, a(Arena.WORK), dyOff, a(Arena.GRADS), dwOff);
    if (dbOff >= 0) {
      ConvCpu.biasGrad(ctx, g.n() * g.oh() * g.ow(), g.oc(), a(Arena.WORK), dyOff, a(Arena.GRADS), dbOff);
    }
  }

  @Override
  public void loss(LossKind kind, int rows, int cols, int predOff, int labelOff, int gradOff, int rowStatsOff) {
    LossReference.loss(kind, rows, cols, a(Arena.WORK), predOff, a(Arena.IO), labelOff, a(Arena.WORK), gradOff,
        a(Arena.WORK), rowStatsOff);
  }

  @Override
  public void accumulateMetrics(int rows, int rowStatsOff, int outOff) {
    LossReference.accumulateMetrics(rows, a(Arena.WORK), rowStatsOff, a(Arena.OUT), outOff);
  }

  @Override
  public void optimizerStep(OptimizerRule rule, int off, int len, StepHyper hyper) {
    OptimizerCpu.step(ctx, rule, off, len, hyper, a(Arena.PARAMS), a(Arena.GRADS), a(Arena.OPT1), a(Arena.OPT2));
  }

  @Override
  public void close() {
    ctx.close();
  }
}
