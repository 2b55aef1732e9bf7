package dev.cnnspark.driver.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.cli.Cli;
import dev.cnnspark.kernels.Activation;
import dev.cnnspark.kernels.ConvGeometry;
import dev.cnnspark.kernels.Padding;
import dev.cnnspark.kernels.activation.ActivationReference;
import dev.cnnspark.kernels.conv.ConvReference;
import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.kernels.dense.DenseReference;
import dev.cnnspark.kernels.pool.PoolReference;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.data.Mnist;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.Adam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three real Keras files in {@code ../shared/keras/} (saved by Keras 2.15 and 3.8, see its README) import, and
 * the imported model's predictions on the 10,000 MNIST test images equal a plain reference forward pass over the
 * same file's arrays, computed here with the kernels' double-precision references straight from the file (not from
 * the model): argmax identical for every image, probabilities within 1e-4. The test accuracy each file gives is
 * printed (the README quotes it).
 */
class KerasImportTest {
  private static final double PROB_TOL = 1e-4;
  private static Dataset test;

  static Path keras(String name) {
    return Path.of(Cli.mnistDir()).resolve("../../keras").resolve(name).normalize();
  }

  @BeforeAll
  static void mnist() throws IOException {
    test = Mnist.load(Path.of(Cli.mnistDir())).test();
  }

  /** The imported model's probabilities for every test image (Java CPU path, the trainer's own engine). */
  private static float[] predict(Sequential m) {
    try (JavaBackend b = JavaBackend.withAllCores()) {
      m.useBackend(b);
      return m.predict(test.x(), test.count(), 500);
    }
  }

  private static double compare(String name, float[] model, float[] reference) {
    int correct = 0;
    double worst = 0;
    for (int i = 0; i < test.count(); i++) {
      int a = argmax(model, i * 10);
      int r = argmax(reference, i * 10);
      assertEquals(r, a, name + ": image " + i + " predicted " + a + " by the model, " + r + " by the reference");
      for (int j = 0; j < 10; j++) {
        worst = Math.max(worst, Math.abs(model[i * 10 + j] - reference[i * 10 + j]));
      }
      correct += test.y()[i * 10 + a] == 1f ? 1 : 0;
    }
    assertTrue(worst <= PROB_TOL, name + ": a probability differs by " + worst);
    double accuracy = correct / (double) test.count();
    System.out.printf(Locale.ROOT, "%s: test accuracy %.4f on %d images, predictions equal the reference "
        + "(largest probability difference %.2e)%n", name, accuracy, test.count(), worst);
    return accuracy;
  }

  private static int argmax(float[] p, int off) {
    int best = 0;
    for (int j = 1; j < 10; j++) {
      if (p[off + j] > p[off + best]) {
        best = j;
      }
    }
    return best;
  }

  private static float[] w(KerasFile f, String layer, int i) {
    return f.weights().get(layer).get(i).values();
  }

  /** Flatten - Dense(256, relu) - Dense(10, softmax), from the file's arrays. */
  private static float[] mlpReference(KerasFile f) {
    int n = test.count();
    float[] h = new float[n * 256];
    float[] z = new float[n * 10];
    DenseReference.forward(n, 784, 256, test.x(), 0, w(f, "dense", 0), 0, w(f, "dense", 1), 0, h, 0,
        Activation.RELU);
    DenseReference.forward(n, 256, 10, h, 0, w(f, "dense_1", 0), 0, w(f, "dense_1", 1), 0, z, 0, Activation.LINEAR);
    float[] p = new float[n * 10];
    ActivationReference.softmaxForward(n, 10, z, 0, p, 0);
    return p;
  }

  @Test
  void keras3ZipImportsAndPredictsAsTheReference() throws IOException {
    KerasFile f = KerasFile.read(keras("keras3_mnist_mlp.keras"));
    Sequential m = KerasImport.model(f.modelConfig().orElseThrow(), f.source());
    assertEquals(List.of("flatten", "dense", "dense_1"), m.layers().stream().map(l -> l.name()).toList());
    assertEquals("sparse_categorical_crossentropy", f.loss().orElseThrow());
    m.compile(new Adam(), Loss.parse(f.loss().get()));
    assertEquals(203_530, m.layout().params());
    KerasImport.Report r = KerasImport.loadWeights(m, f, false, false);
    assertEquals(List.of("dense", "dense_1"), r.loaded());
    assertTrue(compare("keras3_mnist_mlp.keras", predict(m), mlpReference(f)) > 0.95);
  }

  /** A model's {@code to_json()} (here the legacy file's model_config, which is that string) as a file. */
  @Test
  void toJsonConfigFileImports(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
    KerasFile legacy = KerasFile.read(keras("keras3_mnist_mlp_legacy.h5"));
    Path json = java.nio.file.Files.writeString(tmp.resolve("model.json"),
        legacy.modelConfig().orElseThrow().toString());
    KerasFile f = KerasFile.read(json);
    assertTrue(f.weights().isEmpty());
    Sequential m = KerasImport.model(f.modelConfig().orElseThrow(), f.source());
    assertEquals(List.of("flatten", "dense", "dense_1"), m.layers().stream().map(l -> l.name()).toList());
    assertEquals(203_530, m.layout().params());
  }

  @Test
  void legacyFullModelH5ImportsAndPredictsAsTheReference() throws IOException {
    KerasFile f = KerasFile.read(keras("keras3_mnist_mlp_legacy.h5"));
    Sequential m = KerasImport.model(f.modelConfig().orElseThrow(), f.source());
    m.compile(new Adam(), Loss.parse(f.loss().orElseThrow()));
    KerasImport.loadWeights(m, f, false, false);
    assertTrue(compare("keras3_mnist_mlp_legacy.h5", predict(m), mlpReference(f)) > 0.95);
  }

  /** The README's architecture of the Keras 2 weights file (a weights file has no config). */
  static Sequential keras2Cnn() {
    return Sequential.fromConfig(Json.MAPPER.createArrayNode()
        .add(Json.MAPPER.createObjectNode().put("type", "Conv2D").put("filters", 32).put("kernel_size", 3)
            .put("activation", "relu").set("input_shape", Json.MAPPER.valueToTree(new int[] {28, 28, 1})))
        .add(Json.MAPPER.createObjectNode().put("type", "MaxPooling2D").put("pool_size", 2))
        .add(Json.MAPPER.createObjectNode().put("type", "Conv2D").put("filters", 64).put("kernel_size", 3)
            .put("activation", "relu"))
        .add(Json.MAPPER.createObjectNode().put("type", "MaxPooling2D").put("pool_size", 2))
        .add(Json.MAPPER.createObjectNode().put("type", "Flatten"))
        .add(Json.MAPPER.createObjectNode().put("type", "Dense").put("units", 128).put("activation", "relu"))
        .add(Json.MAPPER.createObjectNode().put("type", "Dropout").put("rate", 0.5))
        .add(Json.MAPPER.createObjectNode().put("type", "Dense").put("units", 10).put("activation", "softmax")));
  }

  @Test
  void keras2WeightsFileLoadsInOrderAndByNameAndPredictsAsTheReference() throws IOException {
    KerasFile f = KerasFile.read(keras("keras2_mnist_cnn.weights.h5"));
    assertTrue(f.modelConfig().isEmpty());
    float[] byOrder;
    try (Sequential m = keras2Cnn()) {
      m.compile(new Adam(), Loss.CATEGORICAL_CROSSENTROPY);
      KerasImport.loadWeights(m, f, false, false);
      byOrder = predict(m);
    }
    try (Sequential m = keras2Cnn()) {
      m.compile(new Adam(), Loss.CATEGORICAL_CROSSENTROPY);
      KerasImport.Report r = KerasImport.loadWeights(m, f, true, false);
      assertEquals(List.of("conv2d", "conv2d_1", "dense", "dense_1"), r.loaded());
      assertEquals(0, java.util.Arrays.compare(byOrder, predict(m)), "by name and in order differ");
    }
    int n = test.count();
    float[] p = new float[n * 10];
    int chunk = 500;
    java.util.stream.IntStream.range(0, n / chunk).parallel().forEach(c -> cnnReference(f, c * chunk, chunk, p));
    assertTrue(compare("keras2_mnist_cnn.weights.h5", byOrder, p) > 0.95);
  }

  /** Images [from, from + n) through conv-pool-conv-pool-dense-dense with the file's arrays, into p. */
  private static void cnnReference(KerasFile f, int from, int n, float[] p) {
    float[] x = java.util.Arrays.copyOfRange(test.x(), from * 784, (from + n) * 784);
    ConvGeometry g1 = ConvGeometry.of(n, 28, 28, 1, 3, 3, 1, 1, Padding.VALID, 32);
    ConvGeometry p1 = ConvGeometry.of(n, 26, 26, 32, 2, 2, 2, 2, Padding.VALID, 32);
    ConvGeometry g2 = ConvGeometry.of(n, 13, 13, 32, 3, 3, 1, 1, Padding.VALID, 64);
    ConvGeometry p2 = ConvGeometry.of(n, 11, 11, 64, 2, 2, 2, 2, Padding.VALID, 64);
    float[] a = new float[g1.outputSize()];
    ConvReference.forward(g1, x, 0, w(f, "conv2d", 0), 0, w(f, "conv2d", 1), 0, a, 0, Activation.RELU);
    float[] b = new float[p1.outputSize()];
    PoolReference.maxForward(p1, a, 0, b, 0);
    a = new float[g2.outputSize()];
    ConvReference.forward(g2, b, 0, w(f, "conv2d_1", 0), 0, w(f, "conv2d_1", 1), 0, a, 0, Activation.RELU);
    b = new float[p2.outputSize()];
    PoolReference.maxForward(p2, a, 0, b, 0);
    float[] h = new float[n * 128];
    DenseReference.forward(n, 1600, 128, b, 0, w(f, "dense", 0), 0, w(f, "dense", 1), 0, h, 0, Activation.RELU);
    float[] z = new float[n * 10];
    DenseReference.forward(n, 128, 10, h, 0, w(f, "dense_1", 0), 0, w(f, "dense_1", 1), 0, z, 0, Activation.LINEAR);
    ActivationReference.softmaxForward(n, 10, z, 0, p, from * 10);
  }

  @Test
  void mismatchesAreNamedAndSkippedOnlyWhenAsked() throws IOException {
    KerasFile f = KerasFile.read(keras("keras2_mnist_cnn.weights.h5"));
    try (Sequential m = dev.cnnspark.worker.model.Presets.mnistCnn()) {
      m.compile(new Adam(), Loss.CATEGORICAL_CROSSENTROPY);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> KerasImport.loadWeights(m, f, false, false));
      assertTrue(e.getMessage().contains("conv2d_1") && e.getMessage().contains("[3, 3, 32, 64]") || e.getMessage()
          .contains("dense"), e.getMessage());
      float[] before = m.state().params();
      // mnist_cnn has conv2d(32) and conv2d_1(64) of the same shapes, dense 9216 -> 128 (the file's is 1600 -> 128)
      KerasImport.Report r = KerasImport.loadWeights(m, f, true, true);
      assertEquals(List.of("conv2d", "conv2d_1", "dense_1"), r.loaded());
      assertTrue(r.skipped().get(0).startsWith("dense ("), r.toString());
      assertTrue(before[0] != m.state().params()[0], "conv2d was not loaded");
    }
    assertThrows(java.io.IOException.class, () -> KerasFile.read(Path.of(Cli.mnistDir()).resolve("SHA256SUMS")));
  }
}
