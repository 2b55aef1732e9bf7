package dev.cnnspark.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.worker.Shape;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.model.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cnnspark features} on local[2]: the spec's model cut after its last frozen layer runs over both parts on two
 * workers, and the .npz holds every example's features and label: each row equals the features the same base gives
 * that example here, on one thread, bit for bit, and every example appears once.
 */
class FeaturesCommandTest {

  @Test
  void writesEveryExamplesFeaturesOfTheFrozenBase(@TempDir Path tmp) throws Exception {
    String spec = String.join("\n",
        "name: features-test",
        "model:",
        "  layers:",
        "    - {type: Conv2D, filters: 4, kernel_size: 3, activation: relu, input_shape: [28, 28, 1]}",
        "    - {type: MaxPooling2D, pool_size: 2}",
        "    - {type: BatchNormalization}",
        "    - {type: Flatten}",
        "    - {type: Dense, units: 10, activation: softmax}",
        "  freeze_up_to: flatten",
        "data: {path: \"" + Cli.mnistDir() + "\", train_limit: 300, test_limit: 100}",
        "training: {workers: 2, seed: 3, backend: java}",
        "spark: {master: \"local[2]\", conf: {spark.ui.enabled: \"false\"}}",
        "");
    Path file = Files.writeString(tmp.resolve("job.yaml"), spec);
    Path out = tmp.resolve("features.npz");
    Cli.Result r = Cli.run("features", file.toString(), "--output", out.toString());
    assertEquals(0, r.code(), r.output());
    assertTrue(r.output().contains("features: the model up to layer 'flatten' (Flatten, 56 parameters), output "
        + "(676,)"), r.output());

    Configuration conf = new Configuration();
    DataPlan npz = DataPlan.of(JobSpec.parse("data: {type: npz, path: \"" + out + "\"}\n", "t", Map.of()).validate(),
        conf, s -> { });
    DataPlan mnist = DataPlan.of(JobSpec.parse(spec, "t", Map.of()).validate(), conf, s -> { });
    JobSpec job = JobSpec.parse(spec, "t", Map.of()).validate();
    for (DataPlan.Use use : List.of(DataPlan.Use.TRAIN, DataPlan.Use.TEST)) {
      Dataset got = npz.all(use, conf);
      Dataset images = mnist.all(use, conf);
      assertEquals(images.count(), got.count(), use + ": every example once");
      assertEquals(Shape.of(676), got.shape());
      Map<Integer, Integer> expected = new HashMap<>();
      try (JavaBackend b = new JavaBackend(1); Sequential model = job.buildModel().seed(job.seed())) {
        model.compile(job.buildOptimizer(), job.buildLoss());
        Sequential base = new Sequential();
        for (int i = 0; i < 4; i++) {
          base.add(dev.cnnspark.worker.model.LayerConfig.fromJson(model.config().path("config").path("layers")
              .get(i), "l", true));
        }
        base.compile(new dev.cnnspark.worker.optimizers.SGD(), dev.cnnspark.worker.model.Loss.MEAN_SQUARED_ERROR);
        var s = model.state();
        base.setState(new dev.cnnspark.worker.model.ModelState(Arrays.copyOf(s.params(), base.layout().params()),
            Arrays.copyOf(s.moving(), base.layout().moving()), new float[0], new float[0], 0));
        base.useBackend(b);
        float[] f = base.predict(images.x(), images.count(), 64);
        for (int i = 0; i < images.count(); i++) {
          expected.merge(key(f, i, 676, images.y(), 10), 1, Integer::sum);
        }
      }
      for (int i = 0; i < got.count(); i++) {
        int k = key(got.x(), i, 676, got.y(), 10);
        assertTrue(expected.merge(k, -1, Integer::sum) >= 0, use + " row " + i + ": features no example here has");
      }
    }
  }

  /** A row's features and its label together. */
  private static int key(float[] x, int row, int width, float[] y, int classes) {
    return Arrays.hashCode(Arrays.copyOfRange(x, row * width, (row + 1) * width)) * 31
        + Arrays.hashCode(Arrays.copyOfRange(y, row * classes, (row + 1) * classes));
  }
}
