package dev.cnnspark.kernels;

/**
 * One compute device and the arenas resident on it. The engine allocates the arenas once, uploads parameters and
 * optimizer state, then runs ops that read and write them in place; data crosses host and device only through
 * {@link #upload} and {@link #download}.
 *
 * <p>Arena bindings are fixed per op argument and named in each method: {@code x/y/dx/dy} live in
 * {@link Arena#WORK}, weights and biases in {@link Arena#PARAMS}, weight gradients in {@link Arena#GRADS}
 * (accumulated with {@code +=}), labels in {@link Arena#IO}, metric accumulators in {@link Arena#OUT}.
 * A bias offset of {@code -1} means "no bias".
 *
 * <p>Ops may run asynchronously; {@link #download} waits for all of them.
 */
public interface Backend extends AutoCloseable {

  /** Which backend this is. */
  BackendKind kind();

  /** The device that runs the ops, for logs: vendor, name, compute units, memory, or the CPU path and threads. */
  String device();

  /**
   * Device kernel launches so far, for the per-step breakdown (on a GPU each costs tens of microseconds however
   * small its work). 0 for backends that do not launch kernels.
   */
  default long launches() {
    return 0;
  }

  /** Allocates (or re-allocates) all arenas, zero-filled on host and device. */
  void allocate(ArenaSizes sizes);

  /**
   * The host copy of an arena. It is what the device holds only after {@link #download}; writes to it reach the
   * device only through {@link #upload}. On the Java backend host and device are the same array.
   */
  float[] host(Arena arena);

  /** Copies the host array of {@code arena} to the device. */
  void upload(Arena arena);

  /** Waits for queued ops, then copies {@code arena} from the device into its host array. */
  void download(Arena arena);

  // ---- memory ----

  /** {@code arena[off .. off+len) = value}. */
  void fill(Arena arena, int off, int len, float value);

  /** {@code dst[dstOff + i] = src[srcOff + i]} for {@code i < len}; the ranges must not overlap. */
  void copy(Arena src, int srcOff, Arena dst, int dstOff, int len);

  // ---- convolution (x, y, dx, dy: WORK; w, b: PARAMS; dw, db: GRADS) ----

  /** {@code y = act(conv(x, w) + b)}, NHWC input, HWIO kernel. */
  void conv2dForward(ConvGeometry g, int xOff, int wOff, int bOff, int yOff, Activation act);

  /** {@code dx = conv_transpose(dy, w)}: the gradient with respect to the input. */
  void conv2dBackwardData(ConvGeometry g, int dyOff, int wOff, int dxOff);

  /**
   * {@code dw += correlate(x, dy)}, the gradient with respect to the kernel, and when {@code dbOff >= 0} the bias
   * gradient {@code db[o] += sum of dy[.., o]} over every output pixel. One op, so that a device backend can take the
   * bias gradient as one more row of the same product instead of a separate reduction and its launches.
   */
  void conv2dBackwardFilter(ConvGeometry g, int xOff, int dyOff, int dwOff, int dbOff);

  // ---- dense (GEMM) ----

  /** {@code y[rows, out] = act(x[rows, in] . w[in, out] + b)}. */
  void denseForward(int rows, int in, int out, int xOff, int wOff, int bOff, int yOff, Activation act);

  /** {@code dx[rows, in] = dy[rows, out] . w^T}. */
  void denseBackwardData(int rows, int in, int out, int dyOff, int wOff, int dxOff);

  /** {@code dw[in, out] += x^T . dy}, and {@code db[j] += sum_r dy[r, j]} when {@code dbOff >= 0}. */
  void denseBackwardFilter(int rows, int in, int out, int xOff, int dyOff, int dwOff, int dbOff);

  // ---- activations (WORK) ----

  /** {@code y = act(x)} element-wise; {@code y} may alias {@code x}. */
  void activationForward(Activation act, int len, int xOff, int yOff);

  /** {@code dx = dy * act'(y)} from the saved output {@code y}; {@code dx} may alias {@code dy}. */
  void activationBackward(Activation act, int len, int yOff, int dyOff, int dxOff);

  /** Row-wise softmax of {@code rows x cols}. */
  void softmaxForward(int rows, int cols, int xOff, int yOff);

  /** {@code dx = y * (dy - sum(dy * y))} per row; {@code dx} may alias {@code dy}. */
  void softmaxBackward(int rows, int cols, int yOff, int dyOff, int dxOff);

  // ---- pooling (WORK; g.oc == g.c) ----

  void maxPoolForward(ConvGeometry g, int xOff, int yOff);

  /** Routes each output gradient to the first maximum of its window (TensorFlow's tie rule). */
  void maxPoolBackward(ConvGeometry g, int xOff, int dyOff, int dxOff);

  /** Average over the window's elements inside the input (padding excluded, as in TensorFlow). */
  void avgPoolForward(ConvGeometry g, int xOff, int yOff);

  void avgPoolBackward(ConvGeometry g, int dyOff, int dxOff);

  // ---- dropout (WORK); the mask is a pure function of (seed, index), never stored ----

  void dropoutForward(int len, float rate, long seed, int xOff, int yOff);

  void dropoutBackward(int len, float rate, long seed, int dyOff, int dxOff);

  // ---- batch normalization over the last (channel) axis of rows x channels ----

  /**
   * Training statistics: batch mean and 1/sqrt(var + eps) into WORK at {@code meanOff}, {@code invStdOff}, and the
   * moving averages {@code MOVING[movingOff .. +c)} (mean) and {@code MOVING[movingOff + c .. +c)} (variance)
   * updated with {@code momentum}.
   */
  void batchNormStats(int rows, int c, int xOff, int meanOff, int invStdOff, int movingOff, float momentum, float eps);

  /** Inference statistics: mean and 1/sqrt(var + eps) from the moving averages into WORK. */
  void batchNormMovingStats(int c, int movingOff, int meanOff, int invStdOff, float eps);

  /** {@code y = gamma * (x - mean) * invStd + beta}; gamma at PARAMS[gammaOff], beta right after it. */
  void batchNormApply(int rows, int c, int xOff, int yOff, int gammaOff, int meanOff, int invStdOff);

  /**
   * Backward: dgamma/dbeta accumulated into GRADS[dGammaOff..] (dgamma then dbeta), their batch sums kept in WORK at
   * {@code sumsOff} (2c floats), and {@code dx}.
   */
  void batchNormBackward(int rows, int c, int xOff, int dyOff, int dxOff, int gammaOff, int meanOff, int invStdOff,
                         int dGammaOff, int sumsOff);

  /**
   * Backward of a frozen BatchNormalization (inference mode, Keras 2.1+): {@code dx = dy * gamma * invStd} per
   * channel, from the statistics {@link #batchNormMovingStats} wrote; no parameter gradient.
   */
  void batchNormBackwardInference(int rows, int c, int dyOff, int dxOff, int gammaOff, int invStdOff);

  // ---- parametric ReLU (WORK): Keras' ReLU(max_value, negative_slope) and LeakyReLU ----

  /** {@code y = x > 0 ? min(x, maxValue) : negativeSlope * x}; {@code y} may alias {@code x}. */
  void reluForward(int len, float maxValue, float negativeSlope, int xOff, int yOff);

  /**
   * {@code dx = dy * (y > 0 ? (y < maxValue ? 1 : 0) : negativeSlope)} from the saved output (invertible for
   * {@code negativeSlope >= 0}); {@code dx} may alias {@code dy}.
   */
  void reluBackward(int len, float maxValue, float negativeSlope, int yOff, int dyOff, int dxOff);

  // ---- zero padding and cropping of NHWC images (WORK) ----

  /** {@code y = pad(x)}: the input placed at (top, left) of a zero output; negative offsets crop. */
  void padForward(PadGeometry g, int xOff, int yOff);

  /** {@code dx}: the window of {@code dy} the input was placed at (0 where the input was cropped away). */
  void padBackward(PadGeometry g, int dyOff, int dxOff);

  // ---- global pooling over the s = h * w positions of [n, s, c] (WORK) ----

  /** {@code y[n, c]} = max (first maximum) or mean of {@code x[n, :, c]}. */
  void globalPoolForward(boolean max, int n, int s, int c, int xOff, int yOff);

  /**
   * {@code dx[n, :, c]}: max routes {@code dy[n, c]} to the first maximum and 0 elsewhere; mean spreads
   * {@code dy[n, c] / s}. O(n * s * c): one pass per (image, channel).
   */
  void globalPoolBackward(boolean max, int n, int s, int c, int xOff, int dyOff, int dxOff);

  // ---- embedding lookup: indices in WORK (floats holding integers), table [vocab, dim] in PARAMS ----

  /** {@code y[t, :] = table[(int) x[t], :]} for each of {@code tokens} indices; an index outside the table gives 0. */
  void embeddingForward(int tokens, int vocab, int dim, int xOff, int tableOff, int yOff);

  /** {@code dtable[(int) x[t], :] += dy[t, :]} into GRADS; a deterministic sum (same order on every backend run). */
  void embeddingBackward(int tokens, int vocab, int dim, int xOff, int dyOff, int dTableOff);

  // ---- depthwise convolution: kernel [kh, kw, c, m] (m = g.oc / g.c), output channel ch * m + k ----

  /** {@code y[.., ch*m+k] = act(sum x[.., ch] w[ky, kx, ch, k] + b[ch*m+k])}. */
  void depthwiseForward(ConvGeometry g, int xOff, int wOff, int bOff, int yOff, Activation act);

  /** {@code dx}: the gradient with respect to the input. */
  void depthwiseBackwardData(ConvGeometry g, int dyOff, int wOff, int dxOff);

  /** {@code dw += ...} and, when {@code dbOff >= 0}, {@code db[o] += sum of dy[.., o]}. */
  void depthwiseBackwardFilter(ConvGeometry g, int xOff, int dyOff, int dwOff, int dbOff);

  // ---- loss and metrics ----

  /**
   * Loss of predictions {@code WORK[predOff]} ({@code rows x cols}) against labels {@code IO[labelOff]}. Writes
   * {@link LossKind#ROW_STATS} floats per row to WORK at {@code rowStatsOff} (loss, correct, predicted class, true
   * class) and, when {@code gradOff >= 0}, the gradient of the mean loss into WORK at {@code gradOff}.
   * For the {@code *_FROM_LOGITS} kinds the predictions are logits.
   */
  void loss(LossKind kind, int rows, int cols, int predOff, int labelOff, int gradOff, int rowStatsOff);

  /** {@code OUT[outOff] += sum of row losses}, {@code OUT[outOff + 1] += sum of correct}. */
  void accumulateMetrics(int rows, int rowStatsOff, int outOff);

  // ---- optimizer ----

  /**
   * One update of PARAMS from GRADS over {@code [off, off + len)}, with OPT1/OPT2 as the rule's state; elements
   * outside the range (frozen layers' weights and their slots) are not touched.
   */
  void optimizerStep(OptimizerRule rule, int off, int len, StepHyper hyper);

  /** Waits until every queued op has finished. */
  void finish();

  @Override
  void close();
}
