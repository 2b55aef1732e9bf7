package dev.cnnspark.kernels;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Backend} decorator that times every op and counts launches and host/device bytes, for the per-op
 * breakdown of a training step. Every op of both backends returns only when its work is done (Aparapi's execute is
 * synchronous), so wall time per call is the op's time.
 */
public final class ProfilingBackend implements Backend {

  /** Calls, nanoseconds and bytes moved of one op. */
  public static final class Stat {
    public long calls;
    public long nanos;
    public long bytes;
  }

  private final Backend b;
  private final Map<String, Stat> stats = new TreeMap<>();

  public ProfilingBackend(Backend delegate) {
    this.b = delegate;
  }

  public Map<String, Stat> stats() {
    return stats;
  }

  public void reset() {
    stats.clear();
  }

  private void record(String op, long t0, long bytes) {
    Stat s = stats.computeIfAbsent(op, k -> new Stat());
    s.calls++;
    s.nanos += System.nanoTime() - t0;
    s.bytes += bytes;
  }

  /** A table: op, calls, total ms, share, MB moved. */
  public String table() {
    long total = stats.values().stream().mapToLong(s -> s.nanos).sum();
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-24s %8s %10s %7s %10s%n", "op", "calls", "ms",
        "share", "MB moved"));
    stats.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue().nanos, x.getValue().nanos)).forEach(e ->
        sb.append(String.format(Locale.ROOT, "%-24s %8d %10.1f %6.1f%% %10.1f%n", e.getKey(), e.getValue().calls,
            e.getValue().nanos / 1e6, 100.0 * e.getValue().nanos / Math.max(1, total), e.getValue().bytes / 1e6)));
    return sb.toString();
  }

  @Override
  public BackendKind kind() {
    return b.kind();
  }

  @Override
  public String device() {
    return b.device();
  }

  @Override
  public void allocate(ArenaSizes sizes) {
    b.allocate(sizes);
  }

  @Override
  public float[] host(Arena arena) {
    return b.host(arena);
  }

  @Override
  public void upload(Arena arena) {
    long t = System.nanoTime();
    b.upload(arena);
    record("upload " + arena, t, b.kind() == BackendKind.JAVA ? 0 : 4L * b.host(arena).length);
  }

  @Override
  public void download(Arena arena) {
    long t = System.nanoTime();
    b.download(arena);
    record("download " + arena, t, b.kind() == BackendKind.JAVA ? 0 : 4L * b.host(arena).length);
  }

  @Override
  public void fill(Arena arena, int off, int len, float value) {
    long t = System.nanoTime();
    b.fill(arena, off, len, value);
    record("fill", t, 0);
  }

  @Override
  public void copy(Arena src, int srcOff, Arena dst, int dstOff, int len) {
    long t = System.nanoTime();
    b.copy(src, srcOff, dst, dstOff, len);
    record("copy", t, 0);
  }

  @Override
  public void conv2dForward(ConvGeometry g, int xOff, int wOff, int bOff, int yOff, Activation act) {
    long t = System.nanoTime();
    b.conv2dForward(g, xOff, wOff, bOff, yOff, act);
    record("conv2dForward", t, 0);
  }

  @Override
  public void conv2dBackwardData(ConvGeometry g, int dyOff, int wOff, int dxOff) {
    long t = System.nanoTime();
    b.conv2dBackwardData(g, dyOff, wOff, dxOff);
    record("conv2dBackwardData", t, 0);
  }

  @Override
  public void conv2dBackwardFilter(ConvGeometry g, int xOff, int dyOff, int dwOff) {
    long t = System.nanoTime();
    b.conv2dBackwardFilter(g, xOff, dyOff, dwOff);
    record("conv2dBackwardFilter", t, 0);
  }

  @Override
  public void biasGrad(int rows, int cols, int dyOff, int dbOff) {
    long t = System.nanoTime();
    b.biasGrad(rows, cols, dyOff, dbOff);
    record("biasGrad", t, 0);
  }

  @Override
  public void denseForward(int rows, int in, int out, int xOff, int wOff, int bOff, int yOff, Activation act) {
    long t = System.nanoTime();
    b.denseForward(rows, in, out, xOff, wOff, bOff, yOff, act);
    record("denseForward", t, 0);
  }

  @Override
  public void denseBackwardData(int rows, int in, int out, int dyOff, int wOff, int dxOff) {
    long t = System.nanoTime();
    b.denseBackwardData(rows, in, out, dyOff, wOff, dxOff);
    record("denseBackwardData", t, 0);
  }

  @Override
  public void denseBackwardFilter(int rows, int in, int out, int xOff, int dyOff, int dwOff) {
    long t = System.nanoTime();
    b.denseBackwardFilter(rows, in, out, xOff, dyOff, dwOff);
    record("denseBackwardFilter", t, 0);
  }

  @Override
  public void activationForward(Activation act, int len, int xOff, int yOff) {
    long t = System.nanoTime();
    b.activationForward(act, len, xOff, yOff);
    record("activationForward", t, 0);
  }

  @Override
  public void activationBackward(Activation act, int len, int yOff, int dyOff, int dxOff) {
    long t = System.nanoTime();
    b.activationBackward(act, len, yOff, dyOff, dxOff);
    record("activationBackward", t, 0);
  }

  @Override
  public void softmaxForward(int rows, int cols, int xOff, int yOff) {
    long t = System.nanoTime();
    b.softmaxForward(rows, cols, xOff, yOff);
    record("softmaxForward", t, 0);
  }

  @Override
  public void softmaxBackward(int rows, int cols, int yOff, int dyOff, int dxOff) {
    long t = System.nanoTime();
    b.softmaxBackward(rows, cols, yOff, dyOff, dxOff);
    record("softmaxBackward", t, 0);
  }

  @Override
  public void maxPoolForward(ConvGeometry g, int xOff, int yOff) {
    long t = System.nanoTime();
    b.maxPoolForward(g, xOff, yOff);
    record("maxPoolForward", t, 0);
  }

  @Override
  public void maxPoolBackward(ConvGeometry g, int xOff, int dyOff, int dxOff) {
    long t = System.nanoTime();
    b.maxPoolBackward(g, xOff, dyOff, dxOff);
    record("maxPoolBackward", t, 0);
  }

  @Override
  public void avgPoolForward(ConvGeometry g, int xOff, int yOff) {
    long t = System.nanoTime();
    b.avgPoolForward(g, xOff, yOff);
    record("avgPoolForward", t, 0);
  }

  @Override
  public void avgPoolBackward(ConvGeometry g, int dyOff, int dxOff) {
    long t = System.nanoTime();
    b.avgPoolBackward(g, dyOff, dxOff);
    record("avgPoolBackward", t, 0);
  }

  @Override
  public void dropoutForward(int len, float rate, long seed, int xOff, int yOff) {
    long t = System.nanoTime();
    b.dropoutForward(len, rate, seed, xOff, yOff);
    record("dropoutForward", t, 0);
  }

  @Override
  public void dropoutBackward(int len, float rate, long seed, int dyOff, int dxOff) {
    long t = System.nanoTime();
    b.dropoutBackward(len, rate, seed, dyOff, dxOff);
    record("dropoutBackward", t, 0);
  }

  @Override
  public void batchNormStats(int rows, int c, int xOff, int meanOff, int invStdOff, int movingOff, float momentum,
                             float eps) {
    long t = System.nanoTime();
    b.batchNormStats(rows, c, xOff, meanOff, invStdOff, movingOff, momentum, eps);
    record("batchNormStats", t, 0);
  }

  @Override
  public void batchNormMovingStats(int c, int movingOff, int meanOff, int invStdOff, float eps) {
    long t = System.nanoTime();
    b.batchNormMovingStats(c, movingOff, meanOff, invStdOff, eps);
    record("batchNormMovingStats", t, 0);
  }

  @Override
  public void batchNormApply(int rows, int c, int xOff, int yOff, int gammaOff, int meanOff, int invStdOff) {
    long t = System.nanoTime();
    b.batchNormApply(rows, c, xOff, yOff, gammaOff, meanOff, invStdOff);
    record("batchNormApply", t, 0);
  }

  @Override
  public void batchNormBackward(int rows, int c, int xOff, int dyOff, int dxOff, int gammaOff, int meanOff,
                                int invStdOff, int dGammaOff, int sumsOff) {
    long t = System.nanoTime();
    b.batchNormBackward(rows, c, xOff, dyOff, dxOff, gammaOff, meanOff, invStdOff, dGammaOff, sumsOff);
    record("batchNormBackward", t, 0);
  }

  @Override
  public void loss(LossKind kind, int rows, int cols, int predOff, int labelOff, int gradOff, int rowStatsOff) {
    long t = System.nanoTime();
    b.loss(kind, rows, cols, predOff, labelOff, gradOff, rowStatsOff);
    record("loss", t, 0);
  }

  @Override
  public void accumulateMetrics(int rows, int rowStatsOff, int outOff) {
    long t = System.nanoTime();
    b.accumulateMetrics(rows, rowStatsOff, outOff);
    record("accumulateMetrics", t, 0);
  }

  @Override
  public void optimizerStep(OptimizerRule rule, int len, StepHyper hyper) {
    long t = System.nanoTime();
    b.optimizerStep(rule, len, hyper);
    record("optimizerStep", t, 0);
  }

  @Override
  public void finish() {
    b.finish();
  }

  @Override
  public void close() {
    b.close();
  }
}
