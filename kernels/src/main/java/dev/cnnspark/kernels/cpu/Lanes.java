package dev.cnnspark.kernels.cpu;

/**
 * Element-wise loops of the CPU path that the JIT does not vectorize by itself (a select on a float compare, a hash
 * of the element index), over a range {@code [from, to)}; callers split ranges across threads. {@link #instance()}
 * is the Vector API version when {@code jdk.incubator.vector} is resolved (the same condition as {@link Gemm}), else
 * plain loops; both give the same bits.
 */
public abstract class Lanes {

  private static final Lanes INSTANCE = choose();

  public static Lanes instance() {
    return INSTANCE;
  }

  private static Lanes choose() {
    return Gemm.vectorOr(Lanes.class, "dev.cnnspark.kernels.cpu.VectorLanes", ScalarLanes::new);
  }

  /**
   * {@code sum[j] += dy[r * cols + j]} over rows {@code [from, to)} (offset {@code dyOff}), in double: a bias
   * gradient's partial column sums. The order of the additions may differ between implementations.
   */
  public abstract void columnSums(int from, int to, int cols, float[] dy, int dyOff, double[] sum);

  /**
   * One output row of a 2x2, stride-2 max pool: {@code ow} windows, window ox's taps at {@code in + 2*ox*c} and
   * {@code + c} in the top input row and the same {@code + row} below; each channel's first maximum (strict
   * {@code >}, in tap order) into {@code y[out + ox*c + ch]}.
   */
  public abstract void pairsMaxRow(float[] x, int in, int row, int ow, int c, float[] y, int out);

  /**
   * The backward of {@link #pairsMaxRow}: {@code dy[out + ox*c + ch]} into dx at the first maximum's input and 0
   * into the window's other inputs; {@code in} and dx's indices are relative to {@code xOff} and {@code dxOff}.
   */
  public abstract void pairsMaxRowBackward(float[] x, int xOff, int in, int row, int ow, int c, float[] dy, int out,
                                           float[] dx, int dxOff);

  /** {@code dx[i] = y[i] > 0 ? dy[i] : 0}: ReLU's gradient from its output (0 at 0 and for NaN). */
  public abstract void reluBackward(int from, int to, float[] y, int yOff, float[] dy, int dyOff, float[] dx,
                                    int dxOff);

  /**
   * Inverted dropout, {@code out[i] = in[i] * (keep(i) ? scale : 0)}, with {@code keep(i)} the mask of
   * {@link dev.cnnspark.kernels.dropout.DropoutMask} written as {@code (mixed(i) >>> 8) >= threshold}.
   */
  public abstract void dropout(int from, int to, int seedLo, int seedHi, int threshold, float scale, float[] in,
                               int inOff, float[] out, int outOff);
}
