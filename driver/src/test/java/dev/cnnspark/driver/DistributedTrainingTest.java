package dev.cnnspark.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.checkpoint.CheckpointStore;
import dev.cnnspark.driver.spark.SparkSetup;
import dev.cnnspark.driver.spec.JobSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark job in local[2]: it learns, writes checkpoints and the best model, and a rerun resumes from them. */
class DistributedTrainingTest {

  @Test
  void trainsCheckpointsAndResumes(@TempDir Path tmp) throws Exception {
    Path ckpts = tmp.resolve("ckpts");
    JobSpec spec = JobSpec.parse(TestJobs.spec(ckpts, 2), "test", Map.of()).validate();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    DistributedTraining.Outcome first;
    DistributedTraining.Outcome again;
    try (JavaSparkContext sc = SparkSetup.context(spec)) {
      first = new DistributedTraining(spec, sc, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
      again = new DistributedTraining(spec, sc, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    }
    String out = log.toString(StandardCharsets.UTF_8);
    assertFalse(first.resumed());
    assertTrue(first.test().accuracy() > 0.7, "test accuracy after 2 small epochs: " + first.test().accuracy());
    assertEquals(2, first.history().epochs().size());
    assertEquals(2, first.history().get("val_accuracy").size());
    assertEquals(200, first.test().examples());
    assertTrue(out.contains("2 workers x batch 20, averaging every 5 minibatches (block momentum 0.5): 6 rounds per epoch"), out);

    CheckpointStore store = new CheckpointStore(ckpts.toUri(), new Configuration(), 50);
    assertEquals("ckpt-00000012.cnn", store.checkpoints().get(0), "2 epochs x 6 rounds");
    assertTrue(store.checkpoints().contains("ckpt-00000002.cnn"), "mid-epoch checkpoints every 2 rounds");
    assertTrue(store.best().isPresent());
    var last = store.read("ckpt-00000012.cnn");
    assertEquals(2, last.epoch());
    assertEquals(0, last.round());
    assertArrayEquals(first.state().params(), last.state().params());

    // a rerun with the same directory resumes at the end: nothing left to train, same weights
    assertTrue(again.resumed());
    assertTrue(out.contains("resuming from checkpoint ckpt-00000012.cnn"), out);
    assertArrayEquals(first.state().params(), again.state().params());
    assertEquals(first.history().asMap(), again.history().asMap());
  }

  @Test
  void augmentationIsDeterministicAcrossRunsAndChangesTraining(@TempDir Path tmp) throws Exception {
    String augmented = "augmentation: {rotation_range: 10, width_shift_range: 0.1, zoom_range: 0.1}\n";
    float[][] params = new float[3][];
    for (int run = 0; run < 3; run++) {
      JobSpec spec = JobSpec.parse(TestJobs.spec(tmp.resolve("ckpts" + run), 1) + (run < 2 ? augmented : ""), "t",
          Map.of()).validate();
      try (JavaSparkContext sc = SparkSetup.context(spec)) {
        params[run] = new DistributedTraining(spec, sc, new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8)).run().state().params();
      }
    }
    assertArrayEquals(params[0], params[1], "each example's transform is a function of the seed and its position");
    assertFalse(java.util.Arrays.equals(params[0], params[2]), "the workers trained on transformed pictures");
  }

  @Test
  void shardsOnDiskTrainToTheSameBitsAsShardsInMemory(@TempDir Path tmp) throws Exception {
    float[][] params = new float[2][];
    java.util.Map<String, java.util.List<Double>> history = null;
    for (int run = 0; run < 2; run++) {
      JobSpec spec = JobSpec.parse(TestJobs.spec(tmp.resolve("ckpts" + run), 1), "t", Map.of("data.shard_storage",
          run == 0 ? "memory" : "disk")).validate();
      try (JavaSparkContext sc = SparkSetup.context(spec)) {
        DistributedTraining.Outcome o = new DistributedTraining(spec, sc, new PrintStream(new ByteArrayOutputStream(),
            true, StandardCharsets.UTF_8)).run();
        params[run] = o.state().params();
        if (run == 0) {
          history = o.history().asMap();
        } else {
          assertEquals(history, o.history().asMap());
        }
      }
    }
    assertArrayEquals(params[0], params[1], "the same examples, read from disk a row at a time");
  }
}
