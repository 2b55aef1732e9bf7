package dev.cnnspark.driver.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cnnspark.kernels.Padding;
import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.data.Mnist;
import dev.cnnspark.worker.layers.ActivationFn;
import dev.cnnspark.worker.layers.BatchNormalization;
import dev.cnnspark.worker.layers.Conv2D;
import dev.cnnspark.worker.layers.Dense;
import dev.cnnspark.worker.layers.DepthwiseConv2D;
import dev.cnnspark.worker.layers.Dropout;
import dev.cnnspark.worker.layers.GlobalPooling;
import dev.cnnspark.worker.layers.ReLU;
import dev.cnnspark.worker.layers.ZeroPadding;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.optimizers.Adam;
import dev.cnnspark.worker.train.FitOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export to Keras 3 files, verified without Keras: Keras' own {@code .keras} file imported and exported again gives
 * the same layer groups (those with weights), array shapes and values as Keras wrote; a model trained here (conv, padding, depthwise,
 * BatchNorm, ReLU 6, global pooling, a frozen layer) exported and re-imported predicts bit-identically, its config
 * keeping the frozen flag.
 */
class KerasExportTest {

  @Test
  void keras3FileImportedAndExportedMatchesKerasOwnArrays(@TempDir Path tmp) throws Exception {
    KerasFile original = KerasFile.read(KerasImportTest.keras("keras3_mnist_mlp.keras"));
    Path out = tmp.resolve("again.keras");
    try (Sequential m = KerasImport.model(original.modelConfig().orElseThrow(), "original")) {
      m.compile(new Adam(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
      KerasImport.loadWeights(m, original, false, false);
      KerasExport.write(m, out);
    }
    KerasFile again = KerasFile.read(out);
    // Keras also writes an empty group for flatten (no weights), which the export leaves out (see KerasExport)
    assertEquals(java.util.Set.of("dense", "dense_1"), again.weights().keySet());
    assertEquals(List.of(), original.weights().get("flatten"));
    for (Map.Entry<String, List<KerasFile.Weight>> e : original.weights().entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      List<KerasFile.Weight> ws = again.weights().get(e.getKey());
      assertEquals(e.getValue().size(), ws.size(), e.getKey());
      for (int i = 0; i < ws.size(); i++) {
        assertArrayEquals(e.getValue().get(i).shape(), ws.get(i).shape(), e.getKey() + " " + i);
        assertArrayEquals(e.getValue().get(i).values(), ws.get(i).values(), e.getKey() + " " + i);
      }
    }
    JsonNode a = original.modelConfig().orElseThrow().path("config").path("layers");
    JsonNode b = again.modelConfig().orElseThrow().path("config").path("layers");
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).path("class_name"), b.get(i).path("class_name"));
      assertEquals(a.get(i).path("config").path("units"), b.get(i).path("config").path("units"));
      assertEquals(a.get(i).path("config").path("activation"), b.get(i).path("config").path("activation"));
      assertEquals(a.get(i).path("config").path("batch_shape"), b.get(i).path("config").path("batch_shape"));
    }
  }

  @Test
  void trainedModelRoundTripsBitIdentically(@TempDir Path tmp) throws Exception {
    Dataset train = Mnist.load(Path.of(dev.cnnspark.driver.cli.Cli.mnistDir())).train().take(256);
    float[] before;
    Path file = tmp.resolve("model.keras");
    try (JavaBackend b = new JavaBackend(2); Sequential m = model()) {
      m.compile(new Adam(), Loss.CATEGORICAL_CROSSENTROPY);
      m.useBackend(b);
      m.fit(train, new FitOptions().batchSize(32).epochs(1).seed(1).verbose(0));
      before = m.predict(train.x(), train.count(), 64);
      KerasExport.write(m, file);
      KerasExport.write(m, tmp.resolve("model.weights.h5"));
    }
    KerasFile f = KerasFile.read(file);
    try (JavaBackend b = new JavaBackend(2); Sequential m = KerasImport.model(f.modelConfig().orElseThrow(), "x")) {
      assertFalse(m.layer("conv2d").trainable(), "the frozen flag was lost");
      m.compile(new Adam(), Loss.CATEGORICAL_CROSSENTROPY);
      KerasImport.loadWeights(m, f, false, false);
      m.useBackend(b);
      assertArrayEquals(before, m.predict(train.x(), train.count(), 64));
      KerasImport.Report r = KerasImport.loadWeights(m, KerasFile.read(tmp.resolve("model.weights.h5")), true, false);
      assertEquals(List.of("conv2d", "depthwise_conv2d", "batch_normalization", "dense"), r.loaded());
    }
  }

  private static Sequential model() {
    Sequential m = new Sequential()
        .add(new Conv2D(8, 3, 3, 2, 2, Padding.SAME, ActivationFn.RELU, true, Shape.of(28, 28, 1)))
        .add(new ZeroPadding("ZeroPadding2D", new int[] {0, 1, 0, 1}, null))
        .add(new DepthwiseConv2D(3, 3, 1, 1, Padding.VALID, 2, ActivationFn.LINEAR, false, null))
        .add(new BatchNormalization())
        .add(new ReLU(6.0, 0, false, null))
        .add(new GlobalPooling("GlobalAveragePooling2D", false, null))
        .add(new Dropout(0.2))
        .add(new Dense(10, "softmax"));
    return m.freeze("conv2d");
  }
}
