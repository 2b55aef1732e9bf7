package dev.cnnspark.driver;

import java.nio.file.Path;

/** Small job specs for the Spark tests: a subset of MNIST, tiny rounds, Spark UI off, loopback only. */
final class TestJobs {
  private TestJobs() {
  }

  static String mnistDir() {
    return Path.of(System.getProperty("cnnspark.mnist.dir", "../../shared/data/mnist")).toAbsolutePath().normalize()
        .toString();
  }

  /** A spec of {@code epochs} epochs of 6 rounds each (2 workers x 600 examples, batch 20, averaging every 5). */
  static String spec(Path checkpoints, int epochs) {
    return String.join("\n",
        "name: test-job",
        "data:",
        "  path: \"" + mnistDir() + "\"",
        "  train_limit: 1200",
        "  test_limit: 200",
        "training:",
        "  epochs: " + epochs,
        "  batch_size: 20",
        "  workers: 2",
        "  averaging_frequency: 5",
        "  seed: 7",
        "  backend: java",
        "checkpoint:",
        "  dir: \"" + checkpoints.toAbsolutePath() + "\"",
        "  every_rounds: 2",
        "  keep_last: 50",
        "spark:",
        "  master: local[2]",
        "  conf:",
        "    spark.ui.enabled: \"false\"",
        "");
  }
}
