package dev.cnnspark.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.spark.SparkSetup;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.model.ModelLayout;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frozen layers in the Spark job (local[2], two workers averaging every 5 minibatches, Adam): a frozen conv's
 * weights and a frozen BatchNormalization's gamma, beta and moving statistics come out of averaging, checkpoints and a
 * resume bit-identical to their initial values while the rest trains, and the resumed run ends with the same bits as
 * the uninterrupted one.
 */
class FrozenLayersDistributedTest {
  private static final String MODEL = String.join("\n",
      "model:",
      "  layers:",
      "    - {type: Conv2D, filters: 4, kernel_size: 3, activation: relu, input_shape: [28, 28, 1], trainable: false}",
      "    - {type: BatchNormalization, trainable: false}",
      "    - {type: MaxPooling2D, pool_size: 2}",
      "    - {type: Conv2D, filters: 4, kernel_size: 3, activation: relu}",
      "    - {type: Flatten}",
      "    - {type: Dense, units: 10, activation: softmax}",
      "optimizer: {type: adam}",
      "");

  private static ModelState run(Path ckpt, int epochs) throws Exception {
    JobSpec spec = JobSpec.parse(TestJobs.spec(ckpt, epochs) + MODEL, "frozen", Map.of()).validate();
    try (JavaSparkContext sc = SparkSetup.context(spec)) {
      return new DistributedTraining(spec, sc, new PrintStream(new ByteArrayOutputStream(), true,
          StandardCharsets.UTF_8)).run().state();
    }
  }

  @Test
  void frozenWeightsSurviveAveragingCheckpointsAndResume(@TempDir Path tmp) throws Exception {
    JobSpec spec = JobSpec.parse(TestJobs.spec(tmp.resolve("x"), 1) + MODEL, "frozen", Map.of()).validate();
    ModelState initial;
    ModelLayout layout;
    try (Sequential m = spec.buildModel().seed(spec.seed())) {
      m.compile(spec.buildOptimizer(), spec.buildLoss());
      initial = m.state();
      layout = m.layout();
    }
    int frozenEnd = layout.paramOffsets()[2];
    ModelState straight = run(tmp.resolve("straight"), 2);
    run(tmp.resolve("resumed"), 1);
    ModelState resumed = run(tmp.resolve("resumed"), 2);

    assertArrayEquals(Arrays.copyOf(initial.params(), frozenEnd), Arrays.copyOf(straight.params(), frozenEnd),
        "frozen conv and batchnorm weights moved");
    assertArrayEquals(initial.moving(), straight.moving(), "a frozen BatchNorm's moving statistics moved");
    assertArrayEquals(Arrays.copyOf(initial.opt1(), frozenEnd), Arrays.copyOf(straight.opt1(), frozenEnd),
        "Adam's first moment of a frozen weight moved");
    assertArrayEquals(Arrays.copyOf(initial.opt2(), frozenEnd), Arrays.copyOf(straight.opt2(), frozenEnd),
        "Adam's second moment of a frozen weight moved");
    assertFalse(Arrays.equals(Arrays.copyOfRange(initial.params(), frozenEnd, initial.params().length),
        Arrays.copyOfRange(straight.params(), frozenEnd, straight.params().length)), "nothing trained");
    assertArrayEquals(straight.params(), resumed.params(), "resume changed the result");
    assertArrayEquals(straight.opt2(), resumed.opt2());
    assertEquals(straight.iterations(), resumed.iterations());
    assertTrue(straight.iterations() > 0);
  }
}
