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
    try (Backend backend = new JavaBackend(1); Sequential m = build.get()) {
      m.seed(5).compile(new SGD(), loss);
      m.useBackend(backend);
      Trainer t = m.trainer(ROWS);
      loss(t, d);
      float[] analytic = t.gradients();
      float[] params = backend.host(Arena.PARAMS);
      int n = analytic.length;
      int worst = -1;
      double worstRatio = 0;
      StringBuilder failures = new StringBuilder();
      Random pick = new Random(1);
      int checks = Math.min(n, 60);
      for (int c = 0; c < checks; c++) {
        int i = n <= 60 ? c : pick.nextInt(n);
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
}
