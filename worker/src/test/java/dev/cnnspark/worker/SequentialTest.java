package dev.cnnspark.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.io.CorruptStateFileException;
import dev.cnnspark.worker.layers.Conv2D;
import dev.cnnspark.worker.layers.Dense;
import dev.cnnspark.worker.layers.Flatten;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.Adam;
import dev.cnnspark.worker.optimizers.SGD;
import dev.cnnspark.worker.train.Evaluation;
import dev.cnnspark.worker.train.FitOptions;
import dev.cnnspark.worker.train.History;
import dev.cnnspark.worker.train.TrainingDivergedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Keras-like API around training: determinism, weights files, config, predict/evaluate, bad input. */
class SequentialTest {

  private static Sequential small() {
    return new Sequential()
        .add(new Conv2D(4, 3, "relu", Shape.of(28, 28, 1)))
        .add(new Flatten())
        .add(new Dense(10, "softmax"));
  }

  private static Dataset subset(int n) {
    return MnistData.get().train().take(n);
  }

  private static ModelState train(long seed, int threads) {
    try (JavaBackend b = new JavaBackend(threads); Sequential m = Models.mnistCnn()) {
      m.compile(new Adam(), Loss.CATEGORICAL_CROSSENTROPY);
      m.useBackend(b);
      m.fit(subset(300), new FitOptions().batchSize(64).epochs(2).seed(seed).verbose(0));
      return m.state();
    }
  }

  @Test
  void fixedSeedGivesBitIdenticalTrainingAcrossThreadCounts() {
    ModelState a = train(11, 1);
    ModelState b = train(11, 2);
    ModelState c = train(12, 2);
    assertArrayEquals(a.params(), b.params(), "same seed, 1 vs 2 threads");
    assertArrayEquals(a.opt2(), b.opt2());
    assertEquals(a.iterations(), b.iterations());
    assertFalse(java.util.Arrays.equals(a.params(), c.params()), "another seed shuffles and drops differently");
  }

  @Test
  void historyHasKerasKeysAndValidation() {
    try (Sequential m = small()) {
      m.compile(new Adam(), Loss.CATEGORICAL_CROSSENTROPY);
      m.useBackend(new JavaBackend(2));
      History h = m.fit(subset(500), new FitOptions().batchSize(50).epochs(2).validationSplit(0.2).verbose(0));
      assertEquals(java.util.List.of(0, 1), h.epochs());
      for (String k : new String[] {"loss", "accuracy", "val_loss", "val_accuracy"}) {
        assertEquals(2, h.get(k).size(), k);
      }
      assertTrue(h.get("loss").get(1) < h.get("loss").get(0), "loss decreases: " + h.get("loss"));
    }
  }

  @Test
  void predictAgreesWithEvaluate() {
    try (Sequential m = small()) {
      m.compile(new Adam(), Loss.CATEGORICAL_CROSSENTROPY);
      m.useBackend(new JavaBackend(2));
      m.fit(subset(600), new FitOptions().batchSize(100).verbose(0));
      Dataset test = MnistData.get().test().take(300);
      float[] p = m.predict(test.x(), test.count(), 64);
      int right = 0;
      for (int i = 0; i < test.count(); i++) {
        float sum = 0;
        int best = 0;
        for (int j = 0; j < 10; j++) {
          sum += p[i * 10 + j];
          best = p[i * 10 + j] > p[i * 10 + best] ? j : best;
        }
        assertEquals(1f, sum, 1e-4, "softmax rows sum to 1");
        right += test.y()[i * 10 + best] == 1f ? 1 : 0;
      }
      Evaluation e = m.evaluate(test, 64);
      assertEquals(right / 300.0, e.accuracy(), 1e-9);
      assertEquals(300, e.confusion().total());
      assertEquals(e.accuracy(), e.confusion().accuracy(), 1e-9);
    }
  }

  @Test
  void weightsRoundTripAndCorruptionIsDetected(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("w.cnn");
    Dataset test = MnistData.get().test().take(100);
    float[] before;
    try (Sequential m = small()) {
      m.compile(new Adam(), Loss.CATEGORICAL_CROSSENTROPY);
      m.useBackend(new JavaBackend(1));
      m.fit(subset(200), new FitOptions().batchSize(50).verbose(0));
      before = m.predict(test.x(), 100, 100);
      m.saveWeights(file);
    }
    try (Sequential m = small()) {
      m.seed(999).compile(new SGD(), Loss.CATEGORICAL_CROSSENTROPY);
      m.useBackend(new JavaBackend(1));
      m.loadWeights(file);
      assertArrayEquals(before, m.predict(test.x(), 100, 100));
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    try (Sequential m = small()) {
      m.compile(new SGD(), Loss.CATEGORICAL_CROSSENTROPY);
      CorruptStateFileException e = assertThrows(CorruptStateFileException.class, () -> m.loadWeights(file));
      assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }
  }

  @Test
  void sparseCategoricalCrossentropyIsCategoricalOfTheOneHotLabels() {
    float[][] params = new float[2][];
    double[] losses = new double[2];
    Loss[] both = {Loss.CATEGORICAL_CROSSENTROPY, Loss.parse("sparse_categorical_crossentropy")};
    for (int i = 0; i < 2; i++) {
      try (Sequential m = small()) {
        m.seed(3).compile(new Adam(), both[i]);
        m.useBackend(new JavaBackend(1));
        History h = m.fit(subset(200), new FitOptions().batchSize(50).epochs(2).seed(4).verbose(0));
        params[i] = m.state().params();
        losses[i] = h.get("loss").get(1);
      }
    }
    assertEquals(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, both[1]);
    assertEquals("sparse_categorical_crossentropy", both[1].keras());
    assertArrayEquals(params[0], params[1], "the same kernels on the same one-hot rows");
    assertEquals(losses[0], losses[1]);
  }

  @Test
  void loadingWeightsOfAnotherModelIsRefused(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("w.cnn");
    try (Sequential m = small()) {
      m.compile(new SGD(), Loss.CATEGORICAL_CROSSENTROPY);
      m.saveWeights(file);
    }
    try (Sequential other = Models.mnistCnn()) {
      other.compile(new SGD(), Loss.CATEGORICAL_CROSSENTROPY);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.loadWeights(file));
      assertTrue(e.getMessage().contains("different model"), e.getMessage());
    }
  }

  @Test
  void configRoundTrip() throws Exception {
    Sequential a = Models.cifarCnn();
    String json = a.config().toString();
    Sequential b = Sequential.fromConfig(Json.MAPPER.readTree(json));
    assertEquals(a.summary(), b.summary());
    assertEquals(json, b.config().toString());
  }

  @Test
  void divergenceStopsAndKeepsLastGoodWeights() {
    try (Sequential m = small()) {
      m.compile(new SGD(1e30, 0, false, 0), Loss.CATEGORICAL_CROSSENTROPY);
      m.useBackend(new JavaBackend(1));
      ModelState initial = m.state();
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
          () -> m.fit(subset(200), new FitOptions().batchSize(20).verbose(0)));
      assertTrue(e.getMessage().contains("epoch 1"), e.getMessage());
      assertTrue(e.getMessage().contains("Lower the learning rate"), e.getMessage());
      assertTrue(m.state().isFinite());
      assertArrayEquals(initial.params(), m.state().params());
    }
  }

  @Test
  void badShapesAndLabelsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sequential()
        .add(new Conv2D(4, 5, "relu", Shape.of(3, 3, 1))).layout());
    assertTrue(e.getMessage().contains("Conv2D 'conv2d'") && e.getMessage().contains("leaves no output"),
        e.getMessage());
    try (Sequential m = small()) {
      m.compile(new SGD(), Loss.CATEGORICAL_CROSSENTROPY);
      Dataset wrongLabels = new Dataset(new float[784], new float[1], Shape.of(28, 28, 1), 1, 1);
      e = assertThrows(IllegalArgumentException.class, () -> m.fit(wrongLabels, new FitOptions()));
      assertTrue(e.getMessage().contains("labels of width 1 but the model outputs 10"), e.getMessage());
      assertTrue(e.getMessage().contains("one-hot"), e.getMessage());
      Dataset wrongShape = new Dataset(new float[32 * 32 * 3], new float[10], Shape.of(32, 32, 3), 10, 1);
      e = assertThrows(IllegalArgumentException.class, () -> m.evaluate(wrongShape, 1));
      assertTrue(e.getMessage().contains("(32, 32, 3)") && e.getMessage().contains("(28, 28, 1)"), e.getMessage());
    }
    try (Sequential m = small()) {
      m.compile(new SGD(), Loss.CATEGORICAL_CROSSENTROPY);
      float[] x = new float[2 * 784];
      x[784 + 17] = Float.NaN;
      Dataset nan = new Dataset(x, Dataset.oneHot(new int[] {1, 2}, 10), Shape.of(28, 28, 1), 10, 2);
      e = assertThrows(IllegalArgumentException.class, () -> m.fit(nan, new FitOptions()));
      assertEquals("training data has a non-finite value (NaN) in its inputs at example 1, element 17",
          e.getMessage());
    }
    IllegalArgumentException noInput = assertThrows(IllegalArgumentException.class,
        () -> new Sequential().add(new Dense(3)).layout());
    assertTrue(noInput.getMessage().contains("must declare input_shape"), noInput.getMessage());
  }
}
