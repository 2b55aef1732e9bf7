package dev.cnnspark.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.driver.spec.SpecException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
    assertProblem("model:\n  layers:\n    - {type: Dense, units: 10, activation: softmax, input_shape: [28, 28, 1]}\n",
        "outputs 7840 values, MNIST has 10 classes");
    assertProblem("model:\n  layers:\n    - {type: Conv2D, filtres: 8, kernel_size: 3, input_shape: [28, 28, 1]}\n",
        "unknown key 'filtres'");
    assertProblem("model:\n  preset: resnet\n", "unknown model preset 'resnet'");
  }

  @Test
  void missingData() {
    assertProblem("data:\n  path: /nonexistent/mnist\n", "data.path: directory /nonexistent/mnist does not exist");
    assertProblem("data:\n  type: cifar10\n", "data.type: 'cifar10' is not supported");
  }

  @Test
  void nonPositiveNumbersAndBadChoices() {
    List<String> p = problems("training:\n  batch_size: 0\n  workers: -1\n  averaging_frequency: 2.5\n"
        + "  backend: tpu\n  epochs: three\n");
    assertTrue(p.contains("training.batch_size: must be a positive integer, got 0"), p.toString());
    assertTrue(p.contains("training.workers: must be a positive integer, got -1"), p.toString());
    assertTrue(p.contains("training.averaging_frequency: must be a positive integer, got 2.5"), p.toString());
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
    e = assertThrows(SpecException.class, () -> JobSpec.parse(null, "-", Map.of("training.speed", "3")));
    assertTrue(e.getMessage().contains("override 'training.speed': unknown field"), e.getMessage());
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
