package dev.cnnspark.driver;

import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.data.Writers;
import dev.cnnspark.driver.spec.JobSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** Small job specs for the Spark tests: a subset of MNIST, tiny rounds, Spark UI off, loopback only. */
public final class TestJobs {
  private TestJobs() {
  }

  /**
   * MNIST's first 1,200 training and 200 test examples written as PNG image folders under {@code root} (train/,
   * test/); returns the data section's lines for them.
   */
  public static String imageFolders(Path root) throws IOException {
    Writers.imageFolders(root, mnistParts(), DIGITS);
    return "  type: image_folder\n  path: \"" + root.resolve("train") + "\"\n  test_path: \"" + root.resolve("test")
        + "\"\n  color_mode: grayscale";
  }

  /** The same examples as a Parquet table per part; returns the data section's lines. */
  public static String parquet(Path root) throws IOException {
    Writers.parquet(root, mnistParts());
    return "  type: parquet\n  path: \"" + root.resolve("train") + "\"\n  test_path: \"" + root.resolve("test")
        + "\"\n  shape: [28, 28, 1]";
  }

  private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  private static List<Writers.Part> mnistParts() throws IOException {
    DataPlan plan = DataPlan.of(JobSpec.parse("data: {path: \"" + mnistDir() + "\", train_limit: 1200, "
        + "test_limit: 200}\n", "mnist", Map.of()).validate(), new Configuration(), s -> { });
    Configuration conf = new Configuration();
    return List.of(new Writers.Part("train", plan.all(DataPlan.Use.TRAIN, conf)),
        new Writers.Part("test", plan.all(DataPlan.Use.TEST, conf)));
  }

  /** What a test run returns: the outcome and everything the job printed. */
  public record Run(DistributedTraining.Outcome outcome, String log) {
  }

  /** Runs {@code spec} in its own Spark context, collecting what the job prints. */
  public static Run train(JobSpec spec) throws IOException {
    return train(spec, sc -> { });
  }

  /** The same, with {@code prepare} given the Spark context first (listeners, e.g.). */
  public static Run train(JobSpec spec, java.util.function.Consumer<org.apache.spark.api.java.JavaSparkContext> prepare)
      throws IOException {
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    try (org.apache.spark.api.java.JavaSparkContext sc = dev.cnnspark.driver.spark.SparkSetup.context(spec)) {
      prepare.accept(sc);
      DistributedTraining.Outcome o = new DistributedTraining(spec, sc, new java.io.PrintStream(log, true,
          java.nio.charset.StandardCharsets.UTF_8)).run();
      return new Run(o, log.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** A local-mode Spark configuration for tests: UI off, driver bound to loopback only. */
  public static org.apache.spark.SparkConf loopback(String master, String app) {
    return new org.apache.spark.SparkConf().setMaster(master).setAppName(app).set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
  }

  /** {@link #loopback} with the job's Kryo setup (registration required, as the product runs). */
  public static org.apache.spark.SparkConf loopbackKryo(String master, String app) {
    return loopback(master, app).set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .set("spark.kryo.registrationRequired", "true")
        .set("spark.kryo.registrator", dev.cnnspark.driver.spark.KryoSetup.class.getName());
  }

  public static String mnistDir() {
    return Path.of(System.getProperty("cnnspark.mnist.dir", "../../shared/data/mnist")).toAbsolutePath().normalize()
        .toString();
  }

  /** A spec of {@code epochs} epochs of 6 rounds each (2 workers x 600 examples, batch 20, averaging every 5). */
  public static String spec(Path checkpoints, int epochs) {
    return spec(checkpoints, epochs, "  path: \"" + mnistDir() + "\"");
  }

  /** The same job on other data: {@code data} holds the data section's lines other than the limits. */
  public static String spec(Path checkpoints, int epochs, String data) {
    return String.join("\n",
        "name: test-job",
        "data:",
        data,
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
