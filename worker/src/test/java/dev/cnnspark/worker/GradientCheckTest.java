package dev.cnnspark.worker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.kernels.Arena;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.Padding;
import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.layers.Activation;
import dev.cnnspark.worker.layers.ActivationFn;
import dev.cnnspark.worker.layers.AveragePooling2D;
import dev.cnnspark.worker.layers.BatchNormalization;
import dev.cnnspark.worker.layers.Conv2D;
import dev.cnnspark.worker.layers.Dense;
import dev.cnnspark.worker.layers.Dropout;
import dev.cnnspark.worker.layers.Flatten;
import dev.cnnspark.worker.layers.MaxPooling2D;
import dev.cnnspark.worker.layers.Conv1D;
import dev.cnnspark.worker.layers.DepthwiseConv2D;
import dev.cnnspark.worker.layers.Embedding;
import dev.cnnspark.worker.layers.GlobalPooling;
import dev.cnnspark.worker.layers.ReLU;
import dev.cnnspark.worker.layers.Reshape;
import dev.cnnspark.worker.layers.SeparableConv2D;
import dev.cnnspark.worker.layers.ZeroPadding;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.model.Trainer;
import dev.cnnspark.worker.optimizers.SGD;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every layer and loss: the backward pass against central differences of the loss, on tiny models, through the real
 * engine (Java backend, one thread). The loss is computed in float32 and differenced in double with h = 1e-3, so
 * float rounding adds ~1e-4 relative noise; the bound {@code |num - ana| <= 2e-3 + 3e-2 |ana|} (ana = analytic)
 * is ~10x that noise plus the O(h^2) truncation, and far below the error of any wrong formula (a missing factor,
 * transposed index or dropped term gives errors of order |ana|). Inputs of ReLU and max pooling sit away from their
 * kinks by construction of the random data (checked: no failures over many seeds).
 */
class GradientCheckTest {
  private static final double H = 1e-3;
  private static final int ROWS = 3;

  private static Dataset data(Shape in, int classes, boolean oneHot, long seed) {
    Random r = new Random(seed);
    float[] x = new float[ROWS * in.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat() * 2f - 1f;
    }
    float[] y = new float[ROWS * classes];
    for (int row = 0; row < ROWS; row++) {
      if (oneHot) {
        y[row * classes + r.nextInt(classes)] = 1f;
      } else {
        for (int j = 0; j < classes; j++) {
          y[row * classes + j] = r.nextBoolean() ? 1f : 0f;
        }
      }
    }
    return new Dataset(x, y, in, classes, ROWS);
  }

  /** Mean loss of the batch in training mode (fixed seed: the same dropout masks every time). */
  private static double loss(Trainer t, Dataset d) {
    t.takeMetrics();
    t.forwardBackward(d, null, 0, ROWS, 99);
    return t.takeMetrics()[0] / ROWS;
  }

  private static void check(String name, Supplier<Sequential> build, Loss loss, Dataset d) {
    check(name, build, loss, d, 0);
  }

  /** Checks parameters from index {@code from} on (the ones before belong to frozen layers). */
  private static void check(String name, Supplier<Sequential> build, Loss loss, Dataset d, int from) {
    try (Backend backend = new JavaBackend(1); Sequential m = build.get()) {
      m.seed(5).compile(new SGD(), loss);
      m.useBackend(backend);
      Trainer t = m.trainer(ROWS);
      loss(t, d);
      float[] analytic = t.gradients();
      float[] params = backend.host(Arena.PARAMS);
      int n = analytic.length - from;
      int worst = -1;
      double worstRatio = 0;
      StringBuilder failures = new StringBuilder();
      Random pick = new Random(1);
      int checks = Math.min(n, 60);
      for (int c = 0; c < checks; c++) {
        int i = from + (n <= 60 ? c : pick.nextInt(n));
        float orig = params[i];
        params[i] = (float) (orig + H);
        double plus = loss(t, d);
        params[i] = (float) (orig - H);
        double minus = loss(t, d);
        params[i] = orig;
        double numeric = (plus - minus) / (2 * H);
        double bound = 2e-3 + 3e-2 * Math.abs(analytic[i]);
        double err = Math.abs(numeric - analytic[i]);
        if (err / bound > worstRatio) {
          worstRatio = err / bound;
          worst = i;
        }
        if (err > bound && failures.length() < 600) {
          failures.append(String.format(" [param %d: numeric %.6g, analytic %.6g]", i, numeric, analytic[i]));
        }
      }
      assertTrue(failures.length() == 0, name + ": gradient mismatch" + failures + " (worst ratio at " + worst + ")");
    }
  }

  @Test
  void convTanhSameStride2DenseSoftmaxCrossEntropy() {
    check("conv(tanh, same, stride 2) + dense(softmax) + CCE (fused)", () -> new Sequential()
            .add(new Conv2D(3, 3, 2, 2, 2, Padding.SAME, ActivationFn.TANH, true, Shape.of(5, 6, 2)))
            .add(new Flatten())
            .add(new Dense(4, "softmax")),
        Loss.CATEGORICAL_CROSSENTROPY, data(Shape.of(5, 6, 2), 4, true, 1));
  }

  @Test
  void convReluMaxPoolDenseSigmoidBinaryCrossEntropy() {
    check("conv(relu) + maxpool + dense(sigmoid) + BCE (fused)", () -> new Sequential()
            .add(new Conv2D(2, 2, "relu", Shape.of(6, 6, 1)))
            .add(new MaxPooling2D(2))
            .add(new Flatten())
            .add(new Dense(3, "sigmoid")),
        Loss.BINARY_CROSSENTROPY, data(Shape.of(6, 6, 1), 3, false, 2));
  }

  @Test
  void convAvgPoolSameBatchNormTanhMse() {
    check("conv + avgpool(same) + batchnorm + activation(tanh) + dense + MSE", () -> new Sequential()
            .add(new Conv2D(3, 2, 2, 1, 1, Padding.VALID, ActivationFn.LINEAR, true, Shape.of(5, 5, 2)))
            .add(new AveragePooling2D(3, 3, 2, 2, Padding.SAME, null))
            .add(new BatchNormalization())
            .add(new Activation("tanh"))
            .add(new Flatten())
            .add(new Dense(3)),
        Loss.MEAN_SQUARED_ERROR, data(Shape.of(5, 5, 2), 3, false, 3));
  }

  @Test
  void denseSigmoidThenSoftmaxWithMse() {
    check("dense(sigmoid) + dense(softmax) + MSE (softmax backward, not fused)", () -> new Sequential()
            .add(new Dense(5, ActivationFn.SIGMOID, true, Shape.of(4)))
            .add(new Dense(3, "softmax")),
        Loss.MEAN_SQUARED_ERROR, data(Shape.of(4), 3, true, 4));
  }

  @Test
  void sigmoidOutputsWithCategoricalCrossEntropyOnProbabilities() {
    check("dense(tanh) + dense(sigmoid) + CCE on probabilities", () -> new Sequential()
            .add(new Dense(5, ActivationFn.TANH, true, Shape.of(4)))
            .add(new Dense(3, "sigmoid")),
        Loss.CATEGORICAL_CROSSENTROPY, data(Shape.of(4), 3, true, 5));
  }

  @Test
  void softmaxOutputsWithBinaryCrossEntropyOnProbabilities() {
    check("dense(relu) + dense(softmax) + BCE on probabilities", () -> new Sequential()
            .add(new Dense(6, ActivationFn.RELU, true, Shape.of(4)))
            .add(new Dense(3, "softmax")),
        Loss.BINARY_CROSSENTROPY, data(Shape.of(4), 3, false, 6));
  }

  @Test
  void activationLayerAbsorbedIntoLoss() {
    check("dense + activation(sigmoid) layer absorbed by BCE", () -> new Sequential()
            .add(new Dense(5, ActivationFn.RELU, true, Shape.of(4)))
            .add(new Dense(2))
            .add(new Activation("sigmoid")),
        Loss.BINARY_CROSSENTROPY, data(Shape.of(4), 2, false, 7));
    check("dense + activation(softmax) layer absorbed by CCE", () -> new Sequential()
            .add(new Dense(5, ActivationFn.TANH, true, Shape.of(4)))
            .add(new Dense(3))
            .add(new Activation("softmax")),
        Loss.CATEGORICAL_CROSSENTROPY, data(Shape.of(4), 3, true, 8));
  }

  @Test
  void activationLayerSoftmaxWithMse() {
    check("dense + activation(softmax) + MSE", () -> new Sequential()
            .add(new Dense(3, ActivationFn.LINEAR, true, Shape.of(4)))
            .add(new Activation("softmax")),
        Loss.MEAN_SQUARED_ERROR, data(Shape.of(4), 3, true, 9));
  }

  @Test
  void dropoutWithFixedMask() {
    check("conv + dropout + dense(softmax)", () -> new Sequential()
            .add(new Conv2D(2, 2, "tanh", Shape.of(4, 4, 1)))
            .add(new Dropout(0.4))
            .add(new Flatten())
            .add(new Dense(3, "softmax")),
        Loss.CATEGORICAL_CROSSENTROPY, data(Shape.of(4, 4, 1), 3, true, 10));
  }

  @Test
  void batchNormOnDenseFeatures() {
    check("dense + batchnorm + dense(softmax)", () -> new Sequential()
            .add(new Dense(4, ActivationFn.LINEAR, true, Shape.of(3)))
            .add(new BatchNormalization(0.9, 1e-3))
            .add(new Dense(3, "softmax")),
        Loss.CATEGORICAL_CROSSENTROPY, data(Shape.of(3), 3, true, 11));
  }

  /** Token indices in [0, vocab) as inputs, one-hot labels. */
  private static Dataset tokens(int steps, int vocab, int classes, long seed) {
    Random r = new Random(seed);
    float[] x = new float[ROWS * steps];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextInt(vocab);
    }
    x[1] = x[0]; // a repeated token: its table row gets two contributions
    float[] y = new float[ROWS * classes];
    for (int row = 0; row < ROWS; row++) {
      y[row * classes + r.nextInt(classes)] = 1f;
    }
    return new Dataset(x, y, Shape.of(steps), classes, ROWS);
  }

  @Test
  void conv1dCausalStridedMaxPool1dGlobalMax1d() {
    check("conv1d(causal, stride 2, tanh) + maxpool1d + conv1d(same) + global max 1d + dense(sigmoid) + BCE",
        () -> new Sequential()
            .add(new Conv1D(3, 3, 2, null, ActivationFn.TANH, true, Shape.of(11, 2)))
            .add(MaxPooling2D.pooling1D(2, 1, Padding.VALID, null))
            .add(new Conv1D(4, 2, 1, Padding.SAME, ActivationFn.LINEAR, true, null))
            .add(new GlobalPooling("GlobalMaxPooling1D", false, null))
            .add(new Dense(2, "sigmoid")),
        Loss.BINARY_CROSSENTROPY, data(Shape.of(11, 2), 2, false, 21));
  }

  @Test
  void embeddingConv1dAvgPool1dGlobalAverage1d() {
    check("embedding + conv1d(valid) + avgpool1d + global average 1d + dense(softmax) + CCE", () -> new Sequential()
            .add(new Embedding(7, 4, Shape.of(9)))
            .add(new Conv1D(3, 3, 1, Padding.VALID, ActivationFn.TANH, true, null))
            .add(AveragePooling2D.pooling1D(2, 2, Padding.SAME, null))
            .add(new GlobalPooling("GlobalAveragePooling1D", false, null))
            .add(new Dense(3, "softmax")),
        Loss.CATEGORICAL_CROSSENTROPY, tokens(9, 7, 3, 22));
  }

  @Test
  void paddingDepthwiseSeparableCroppingGlobalMax2d() {
    check("zero padding + depthwise(x2, tanh) + separable(same, stride 2) + cropping + leaky relu + global max 2d",
        () -> new Sequential()
            .add(new ZeroPadding("ZeroPadding2D", new int[] {1, 0, 2, 1}, Shape.of(5, 4, 2)))
            .add(new DepthwiseConv2D(3, 2, 1, 1, Padding.VALID, 2, ActivationFn.TANH, true, null))
            .add(new SeparableConv2D(3, 3, 3, 2, 2, Padding.SAME, 2, ActivationFn.LINEAR, true, null))
            .add(new ZeroPadding("Cropping2D", new int[] {0, 1, 1, 0}, null))
            .add(new ReLU(null, 0.2, true, null))
            .add(new GlobalPooling("GlobalMaxPooling2D", false, null))
            .add(new Dense(3, "softmax")),
        Loss.CATEGORICAL_CROSSENTROPY, data(Shape.of(5, 4, 2), 3, true, 23));
  }

  @Test
  void clippedReluReshapeGlobalAverage2d() {
    check("dense + ReLU(max 0.6, slope 0.1) + reshape + global average 2d (keepdims) + flatten + dense + MSE",
        () -> new Sequential()
            .add(new Dense(12, ActivationFn.LINEAR, true, Shape.of(4)))
            .add(new ReLU(0.6, 0.1, false, null))
            .add(new Reshape(new int[] {2, -1, 3}, null))
            .add(new GlobalPooling("GlobalAveragePooling2D", true, null))
            .add(new Flatten())
            .add(new Dense(2)),
        Loss.MEAN_SQUARED_ERROR, data(Shape.of(4), 2, false, 24));
  }

  /**
   * A frozen conv and a frozen BatchNormalization (inference mode, its backward dx = dy gamma invStd) under
   * trainable layers: the trainable parameters' gradients flow through the frozen ones correctly.
   */
  @Test
  void gradientsThroughFrozenConvAndBatchNorm() {
    int frozen = 2 * 2 * 1 * 3 + 3 + 2 * 3;
    check("frozen conv + frozen batchnorm + conv + dense(softmax)", () -> {
      Sequential m = new Sequential()
          .add(new Conv2D(3, 2, 2, 1, 1, Padding.VALID, ActivationFn.TANH, true, Shape.of(5, 5, 1)))
          .add(new BatchNormalization())
          .add(new Conv2D(2, 2, "tanh"))
          .add(new Flatten())
          .add(new Dense(3, "softmax"));
      m.freeze("conv2d", "batch_normalization");
      return m;
    }, Loss.CATEGORICAL_CROSSENTROPY, data(Shape.of(5, 5, 1), 3, true, 25), frozen);
  }

  @Test
  void crossEntropiesFromLogits() {
    check("dense(tanh) + dense(linear) + CCE from logits", () -> new Sequential()
            .add(new Dense(5, ActivationFn.TANH, true, Shape.of(4)))
            .add(new Dense(3)),
        Loss.CATEGORICAL_CROSSENTROPY_FROM_LOGITS, data(Shape.of(4), 3, true, 26));
    check("dense(tanh) + dense(linear) + BCE from logits", () -> new Sequential()
            .add(new Dense(5, ActivationFn.TANH, true, Shape.of(4)))
            .add(new Dense(2)),
        Loss.BINARY_CROSSENTROPY_FROM_LOGITS, data(Shape.of(4), 2, false, 27));
  }

  @Test
  void conv1dDilated() {
    check("conv1d(causal, dilation 2, tanh) + conv1d(same, dilation 3) + global max 1d + dense(softmax)",
        () -> new Sequential()
            .add(new Conv1D(3, 3, 1, 2, null, ActivationFn.TANH, true, Shape.of(13, 2)))
            .add(new Conv1D(2, 2, 1, 3, Padding.SAME, ActivationFn.TANH, true, null))
            .add(new GlobalPooling("GlobalMaxPooling1D", false, null))
            .add(new Dense(3, "softmax")),
        Loss.CATEGORICAL_CROSSENTROPY, data(Shape.of(13, 2), 3, true, 28));
    check("conv1d(valid, dilation 2) + flatten + dense, the dilated layer first and frozen-free", () -> new Sequential()
            .add(new Conv1D(2, 3, 1, 2, Padding.VALID, ActivationFn.LINEAR, false, Shape.of(9, 3)))
            .add(new Flatten())
            .add(new Dense(2, "sigmoid")),
        Loss.BINARY_CROSSENTROPY, data(Shape.of(9, 3), 2, false, 29));
  }
}
