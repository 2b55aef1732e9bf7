package dev.cnnspark.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.kernels.Padding;
import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.layers.ActivationFn;
import dev.cnnspark.worker.layers.BatchNormalization;
import dev.cnnspark.worker.layers.Conv2D;
import dev.cnnspark.worker.layers.Dense;
import dev.cnnspark.worker.layers.Flatten;
import dev.cnnspark.worker.layers.MaxPooling2D;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.ModelLayout;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.Adam;
import dev.cnnspark.worker.optimizers.Optimizer;
import dev.cnnspark.worker.optimizers.SGD;
import dev.cnnspark.worker.train.FitOptions;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@code trainable: false}: a frozen layer's weights, its optimizer slots and a frozen BatchNormalization's moving
 * statistics stay bit-identical through SGD-with-momentum and Adam steps while the other layers train; the summary
 * splits the counts as Keras does; the flag survives the model config; unfreezing trains the layer again.
 */
class FrozenLayersTest {

  /** conv (frozen) - batchnorm (frozen) - maxpool - conv - flatten - dense. */
  private static Sequential model() {
    Sequential m = new Sequential()
        .add(new Conv2D(8, 3, 3, 1, 1, Padding.VALID, ActivationFn.RELU, true, Shape.of(28, 28, 1)))
        .add(new BatchNormalization())
        .add(new MaxPooling2D(2))
        .add(new Conv2D(8, 3, "relu"))
        .add(new Flatten())
        .add(new Dense(10, "softmax"));
    return m.freeze("conv2d", "batch_normalization");
  }

  private static Dataset data() {
    return MnistData.get().train().take(1024);
  }

  @Test
  void frozenWeightsSlotsAndMovingStatisticsStayBitIdenticalUnderMomentumAndAdam() {
    for (Supplier<Optimizer> opt : java.util.List.<Supplier<Optimizer>>of(() -> new SGD(0.05, 0.9, false, 0),
        () -> new SGD(0.05, 0.9, true, 0), Adam::new)) {
      try (JavaBackend b = new JavaBackend(2); Sequential m = model()) {
        m.compile(opt.get(), Loss.CATEGORICAL_CROSSENTROPY);
        m.useBackend(b);
        ModelLayout l = m.layout();
        ModelState before = m.state();
        m.fit(data(), new FitOptions().batchSize(32).epochs(2).seed(3).verbose(0));
        ModelState after = m.state();
        String name = m.optimizer().name() + " " + m.optimizer().config();
        int frozenEnd = l.paramOffsets()[2]; // conv2d and batch_normalization come first
        assertArrayEquals(Arrays.copyOf(before.params(), frozenEnd), Arrays.copyOf(after.params(), frozenEnd),
            name + ": frozen weights moved");
        assertArrayEquals(before.moving(), after.moving(), name + ": a frozen BatchNorm's moving statistics moved");
        for (float[][] slot : new float[][][] {{before.opt1(), after.opt1()}, {before.opt2(), after.opt2()}}) {
          if (slot[0].length > 0) {
            assertArrayEquals(Arrays.copyOf(slot[0], frozenEnd), Arrays.copyOf(slot[1], frozenEnd),
                name + ": a frozen weight's optimizer slot moved");
            assertFalse(Arrays.equals(Arrays.copyOfRange(slot[0], frozenEnd, slot[0].length),
                Arrays.copyOfRange(slot[1], frozenEnd, slot[1].length)), name + ": the trainable slots did not move");
          }
        }
        assertFalse(Arrays.equals(Arrays.copyOfRange(before.params(), frozenEnd, before.params().length),
            Arrays.copyOfRange(after.params(), frozenEnd, after.params().length)), name + ": nothing trained");
        double accuracy = m.evaluate(MnistData.get().test().take(500), 100).accuracy();
        assertTrue(accuracy > 0.5, name + ": the layers on a frozen random base should still learn, accuracy "
            + accuracy);
      }
    }
  }

  @Test
  void summaryCountsFrozenWeightsAsNonTrainableAsKerasDoes() {
    Sequential m = model();
    String s = m.summary();
    // conv2d 80 + batch_normalization 32 (gamma, beta, moving mean, moving variance) frozen; conv2d_1 584,
    // dense 13*13... : flatten of (11, 11, 8) = 968 -> dense 9,690
    assertTrue(s.contains("Total params: 10,386"), s);
    assertTrue(s.contains("Trainable params: 10,274"), s);
    assertTrue(s.contains("Non-trainable params: 112"), s);
    m.unfreeze("batch_normalization");
    s = m.summary();
    assertTrue(s.contains("Trainable params: 10,290"), s);
    assertTrue(s.contains("Non-trainable params: 96"), s);
  }

  @Test
  void trainableFlagSurvivesTheModelConfigAndUnfreezingTrainsAgain() {
    Sequential copy = Sequential.fromConfig(model().config());
    assertFalse(copy.layer("conv2d").trainable());
    assertFalse(copy.layer("batch_normalization").trainable());
    assertTrue(copy.layer("conv2d_1").trainable());
    try (JavaBackend b = new JavaBackend(2); Sequential m = model()) {
      m.compile(new Adam(), Loss.CATEGORICAL_CROSSENTROPY);
      m.useBackend(b);
      m.fit(data(), new FitOptions().batchSize(32).epochs(1).seed(3).verbose(0));
      float[] frozen = m.state().params();
      m.unfreeze();
      m.fit(data(), new FitOptions().batchSize(32).epochs(1).seed(4).verbose(0));
      float[] after = m.state().params();
      assertFalse(Arrays.equals(Arrays.copyOf(frozen, 80), Arrays.copyOf(after, 80)), "unfrozen conv2d did not train");
      assertEquals(after.length, frozen.length);
    }
  }
}
