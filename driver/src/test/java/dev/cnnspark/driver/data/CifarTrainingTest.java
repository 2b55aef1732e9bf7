package dev.cnnspark.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.checkpoint.CheckpointStore;
import dev.cnnspark.driver.cli.Cli;
import dev.cnnspark.driver.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CIFAR model ({@code preset: cifar_cnn}, Keras' cifar10_cnn) trains a distributed epoch on CIFAR-10-format
 * batches (synthetic images: real CIFAR-10 is not reachable from CI; its accuracy run is a documented command), and
 * the confusion matrix prints CIFAR's class names.
 */
class CifarTrainingTest {
  @Test
  void cifarCnnTrainsAnEpochOnCifarBatches(@TempDir Path tmp) throws Exception {
    Path batches = DataSourcesTest.cifar10(tmp.resolve("cifar"), 200);
    Path spec = Files.writeString(tmp.resolve("cifar.yaml"), String.join("\n",
        "name: cifar-test",
        "model: {preset: cifar_cnn}",
        "optimizer: {type: rmsprop, learning_rate: 0.0001}",
        "data: {type: cifar10, path: \"" + batches + "\"}",
        "training: {epochs: 1, batch_size: 20, workers: 2, averaging_frequency: 5, backend: java}",
        "checkpoint: {dir: \"" + tmp.resolve("ckpts") + "\"}",
        "spark: {master: \"local[2]\", conf: {spark.ui.enabled: \"false\"}}", ""));
    Cli.Result r = Cli.run("train", spec.toString(), "--skip-preflight");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.output().contains("2 workers x batch 20, averaging every 5 minibatches (block momentum 0.5): 1 rounds per epoch, 200 "
        + "training examples, 40 examples of validation; data: cifar10"), r.toString());
    assertTrue(r.output().contains("airplane") && r.output().contains("truck"), "class names label the matrix");
    var last = new CheckpointStore(tmp.resolve("ckpts").toUri(), new Configuration(), 5).latestValid(w -> { })
        .orElseThrow().checkpoint();
    assertEquals(1, last.epoch());
    assertTrue(last.state().isFinite());
    assertTrue(Double.isFinite(last.history().get("val_loss").get(0)), last.history().asMap().toString());
  }
}
