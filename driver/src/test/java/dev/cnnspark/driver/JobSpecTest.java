package dev.cnnspark.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.data.DataChecks;
import dev.cnnspark.driver.data.TestData;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.driver.spec.SpecException;
import dev.cnnspark.driver.storage.Locations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of spec mistake gives a message naming its field; all problems of a spec are reported together. */
class JobSpecTest {

  private static List<String> problems(String yaml) {
    try {
      return JobSpec.parse(yaml, "test.yaml", Map.of()).problems();
    } catch (SpecException e) {
      return e.problems();
    }
  }

  private static void assertProblem(String yaml, String expected) {
    List<String> p = problems(yaml);
    assertTrue(p.stream().anyMatch(s -> s.contains(expected)), "expected a problem containing '" + expected
        + "', got " + p);
  }

  @Test
  void defaultsAreValid() {
    JobSpec spec = JobSpec.parse(null, "none", Map.of()).validate();
    assertEquals("mnist-cnn", spec.name());
    assertEquals(2, spec.workers());
    assertEquals(10, spec.averagingFrequency());
    assertTrue(spec.monitorMaximizes());
  }

  @Test
  void unknownFieldsAreNamedWithASuggestion() {
    assertProblem("training:\n  epoch: 3\n", "unknown field 'training.epoch' (did you mean 'epochs'?)");
    assertProblem("trainng:\n  epochs: 3\n", "unknown field 'trainng' (did you mean 'training'?)");
  }

  @Test
  void unknownLayerAndImpossibleShape() {
    assertProblem("model:\n  layers:\n    - {type: Conv3D, filters: 3, input_shape: [28, 28, 1]}\n",
        "unknown layer type 'Conv3D'");
    assertProblem("model:\n  layers:\n    - {type: Conv2D, filters: 8, kernel_size: 30, input_shape: [28, 28, 1]}\n"
        + "    - {type: Flatten}\n    - {type: Dense, units: 10, activation: softmax}\n", "leaves no output");
    assertTrue(DataChecks.problems(JobSpec.parse("model:\n  layers:\n    - {type: Dense, units: 10, activation: "
        + "softmax, input_shape: [28, 28, 1]}\n", "t", Map.of()), TestData.MNIST).contains("model: outputs 7840 "
        + "values, the data has 10 classes [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"));
    assertProblem("model:\n  layers:\n    - {type: Conv2D, filtres: 8, kernel_size: 3, input_shape: [28, 28, 1]}\n",
        "unknown key 'filtres'");
    assertProblem("model:\n  preset: resnet\n", "unknown model preset 'resnet'");
    assertProblem("model:\n  layers:\n    - {type: Conv2D, filters: 8, kernel_size: 3, input_shape: [28, 28, 1], "
        + "dilation_rate: 2}\n", "'dilation_rate' = 2 is not supported (only 1)");
    assertProblem("model:\n  layers:\n    - {type: Conv2D, filters: 8, kernel_size: 3, input_shape: [28, 28, 1], "
        + "trainable: 3}\n", "'trainable' must be true or false");
    assertProblem("model:\n  layers:\n    - {type: Conv2D, filters: 8, kernel_size: 3, input_shape: [28, 28, 1], "
        + "kernel_initializer: he_normal}\n", "'kernel_initializer' he_normal is not supported");
    assertProblem("model:\n  layers:\n    - {type: Lambda, function: x}\n", "a Lambda layer runs Python code");
    assertProblem("model:\n  layers:\n    - {type: Conv2D, filters: 8, kernel_size: 3, input_shape: [28, 28, 1], "
        + "dtype: float16}\n", "dtype \"float16\" is not supported");
    assertProblem("model:\n  layers:\n    - {type: Flatten, input_shape: [28, 28, 1]}\n    - {type: Dropout, rate: "
        + "0.5, noise_shape: [1, 1]}\n    - {type: Dense, units: 10, activation: softmax}\n",
        "'noise_shape' = [1,1] is not supported (only null)");
    assertTrue(problems("model:\n  layers:\n    - {type: Conv2D, filters: 8, kernel_size: 3, input_shape: [28, 28, 1], "
        + "trainable: false, dilation_rate: [1, 1], kernel_initializer: glorot_uniform}\n    - {type: Flatten}\n"
        + "    - {type: Dense, units: 10, activation: softmax}\n").isEmpty(), "a frozen layer is accepted");
    assertTrue(problems("model:\n  layers:\n    - {type: Flatten, input_shape: [28, 28, 1], trainable: true, dtype: "
        + "float32}\n    - {type: Dropout, rate: 0.5, seed: null}\n    - {type: Dense, units: 10, activation: "
        + "softmax}\n").isEmpty(), "the values that change nothing are accepted");
  }

  @Test
  void missingData() {
    assertProblem("data:\n  path: /nonexistent/mnist\n", "data.path: directory /nonexistent/mnist does not exist");
    assertProblem("data:\n  type: tfrecord\n", "data.type: 'tfrecord' is not supported (supported: mnist, idx, "
        + "image_folder, npz, cifar10, cifar100, parquet, orc, csv, json)");
    assertProblem("data:\n  type: npz\n", "data.path: data.type npz needs a path");
    assertProblem("data:\n  test_path: /x\n", "data.test_path: only image_folder and the tables (parquet, orc, csv, json) "
        + "read it");
    assertProblem("data:\n  shape: [28, 28, 1]\n", "data.shape: only the tables (parquet, orc, csv, json) read it");
    assertProblem("data:\n  target_size: [0, 5]\n", "data.target_size: must be [] (keep the images' size) or");
    assertProblem("data:\n  rescale: -1\n", "data.rescale: must be auto or a positive number");
    assertProblem("data:\n  class_names: [a, a]\n", "data.class_names: names must be distinct");
    assertProblem("data:\n  label_mode: sparse\n", "data.label_mode: must be categorical, binary or none");
    assertProblem("data:\n  files: {train_imagez: x}\n", "unknown field 'data.files.train_imagez'");
  }

  @Test
  void nonPositiveNumbersAndBadChoices() {
    List<String> p = problems("training:\n  batch_size: 0\n  workers: -1\n  averaging_frequency: 2.5\n"
        + "  backend: tpu\n  epochs: three\n");
    assertTrue(p.contains("training.batch_size: must be a positive integer, got 0"), p.toString());
    assertTrue(p.contains("training.workers: must be a positive integer, got -1"), p.toString());
    assertTrue(p.contains("training.averaging_frequency: must be a positive integer or auto, got 2.5"), p.toString());
    assertTrue(p.stream().anyMatch(s -> s.startsWith("training.backend:")), p.toString());
    assertTrue(p.contains("training.epochs: must be a positive integer, got \"three\""), p.toString());
  }

  @Test
  void optimizerLossAndMonitor() {
    assertProblem("optimizer: {type: adam, momentum: 0.9}\n", "optimizer (adam): unknown key 'momentum'");
    assertProblem("optimizer: {type: lbfgs}\n", "unknown optimizer");
    assertProblem("optimizer: {type: sgd, learning_rate: -1}\n", "learning_rate must be positive");
    assertProblem("loss: hinge\n", "loss: unknown loss 'hinge'");
    assertProblem("validation: {source: none}\n", "checkpoint.monitor: 'val_accuracy' needs validation");
    assertProblem("validation: {source: split, split: 1.5}\n", "validation.split: must be in (0, 1)");
  }

  @Test
  void syntaxErrorsAndOverrides() {
    SpecException e = assertThrows(SpecException.class, () -> JobSpec.parse("training: [epochs", "bad.yaml", Map.of()));
    assertTrue(e.getMessage().contains("bad.yaml is not valid YAML/JSON"), e.getMessage());
    JobSpec s = JobSpec.parse("{\"training\": {\"epochs\": 2}}", "json", Map.of("training.epochs", "7",
        "optimizer", "{type: adam, learning_rate: 0.01}")).validate();
    assertEquals(7, s.epochs());
    assertEquals("Adam", s.buildOptimizer().name());
    e = assertThrows(SpecException.class, () -> JobSpec.parse(null, "-", Map.of("training.speed", "3")).validate());
    assertTrue(e.getMessage().contains("override 'training.speed': unknown field"), e.getMessage());
  }

  @Test
  void yamlErrorsSayWhereAndOneUnknownKeyHidesNothing() {
    SpecException e = assertThrows(SpecException.class, () -> JobSpec.parse("name: x\ntraining:\n  epochs: [3\n",
        "bad.yaml", Map.of()));
    assertTrue(e.getMessage().matches("(?s).*bad.yaml is not valid YAML/JSON at line \\d+, column \\d+: .*"),
        e.getMessage());
    List<String> p = problems("training:\n  epoch: 3\n  batch_size: 0\nspark: {master: \"local[abc]\"}\n");
    assertTrue(p.contains("unknown field 'training.epoch' (did you mean 'epochs'?)"), p.toString());
    assertTrue(p.contains("training.batch_size: must be a positive integer, got 0"), p.toString());
    assertTrue(p.stream().anyMatch(s -> s.startsWith("spark.master: 'local[abc]' is not a Spark master URL")),
        p.toString());
  }

  @Test
  void sparkMasters() {
    for (String ok : new String[] {"local", "local[1]", "local[*]", "local[4, 2]", "local-cluster[2, 1, 1024]",
        "spark://127.0.0.1:7077", "spark://a:7077,b:7077", "yarn", "k8s://https://host:443"}) {
      assertTrue(problems("spark: {master: \"" + ok + "\"}\n").isEmpty(), ok);
    }
    assertProblem("spark: {master: \"local[0]\"}\n", "at least 1");
    assertProblem("spark: {master: \"spark:/host\"}\n", "is not a Spark master URL");
    assertProblem("spark: {master: \"\"}\n", "spark.master: must not be empty");
  }

  @Test
  void plainPathsMayHoldSpacesAndBeRelative(@TempDir Path tmp) throws Exception {
    Path spaced = tmp.resolve("my runs #1/ckpts");
    assertTrue(problems("checkpoint: {dir: \"" + spaced + "\"}\n").isEmpty());
    assertEquals(spaced.toUri(), Locations.toUri(spaced.toString()));
    assertEquals(spaced.toUri(), Locations.toUri("file:" + spaced));
    assertEquals(Path.of("rel/dir").toAbsolutePath().toUri(), Locations.toUri("rel/dir"));
    assertEquals("hdfs", Locations.toUri("hdfs://nn:8020/x y".replace(" ", "%20")).getScheme());
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    assertProblem("checkpoint: {dir: \"" + file + "\"}\n", "checkpoint.dir: " + file + " is a file");
    assertProblem("checkpoint: {dir: \"hdfs://nn:8020/a b\"}\n", "checkpoint.dir: 'hdfs://nn:8020/a b' is not a "
        + "valid URI");
    String relative = Path.of("").toAbsolutePath().relativize(Path.of(TestJobs.mnistDir())).toString();
    assertTrue(problems("data: {path: \"" + relative + "\"}\n").isEmpty(), relative);
  }

  @Test
  void aBatchTooLargeForTheHeapIsRefusedWithTheLargestThatFits() {
    List<String> huge = heap("training: {batch_size: 10000000}\n");
    assertTrue(huge.size() == 1 && huge.get(0).startsWith("training.batch_size: 10000000: activations need ")
        && huge.get(0).contains("the largest batch that fits is "), huge.toString());
    for (int batch : new int[] {100_000, 1_000_000}) {
      List<String> p = heap("training: {batch_size: " + batch + "}\n");
      assertEquals(1, p.size(), p.toString());
      assertTrue(p.get(0).startsWith("training.batch_size: " + batch), p.toString());
      assertTrue(p.get(0).contains("the largest batch that fits is "), p.toString());
      int largest = Integer.parseInt(p.get(0).replaceAll("(?s).*the largest batch that fits is (\\d+).*", "$1"));
      assertTrue(heap("training: {batch_size: " + largest + "}\n").isEmpty(), "the named batch fits: " + largest);
      assertFalse(heap("training: {batch_size: " + (largest + 1) + "}\n").isEmpty(), "and no larger");
    }
  }

  /** The checks against the data (MNIST's sizes) and this JVM's heap, as a local run makes them. */
  private static List<String> heap(String yaml) {
    return DataChecks.problems(JobSpec.parse(yaml, "t", Map.of()), TestData.MNIST);
  }

  @Test
  void workersBeyondTheLocalSlotsOrTheDataAreWarnedAbout() {
    JobSpec many = JobSpec.parse("training: {workers: 64}\n", "t", Map.of()).validate();
    assertTrue(many.warnings(60_000).stream().anyMatch(w -> w.contains("training.workers is 64 but spark.master "
        + "local[2] runs 2 task(s) at a time")), many.warnings(60_000).toString());
    JobSpec tiny = JobSpec.parse("data: {train_limit: 2000}\ntraining: {workers: 64}\n", "t", Map.of()).validate();
    assertTrue(tiny.warnings(2_000).stream().anyMatch(w -> w.contains("each of the 64 workers holds ~31 training "
        + "examples, fewer than one batch of 64")), tiny.warnings(2_000).toString());
    JobSpec three = JobSpec.parse("training: {workers: 3}\nspark: {master: \"local[4]\"}\n", "t", Map.of())
        .validate();
    boolean fewCores = Runtime.getRuntime().availableProcessors() < 3;
    assertEquals(fewCores, three.warnings(60_000).stream().anyMatch(w -> w.contains("the workers share them")),
        three.warnings(60_000).toString());
    assertTrue(JobSpec.parse(null, "t", Map.of()).validate().warnings(60_000).isEmpty(), "the default job warns "
        + "nothing");
  }

  @Test
  void literalOverridesStayTheGivenString() {
    String odd = "C:\\data\\it's \"mnist\"";
    JobSpec s = JobSpec.parse(null, "-", Map.of("checkpoint.dir", JobSpec.literal(odd), "spark.master",
        JobSpec.literal("local[3]"), "data.path", JobSpec.literal("")));
    assertEquals(odd, s.checkpointDir());
    assertEquals("local[3]", s.sparkMaster());
    assertEquals("", s.dataPath());
  }
}
