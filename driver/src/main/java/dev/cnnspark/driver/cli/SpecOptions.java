package dev.cnnspark.driver.cli;

import dev.cnnspark.driver.spec.JobSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The job spec file plus command-line overrides, shared by the commands that run a job. */
public final class SpecOptions {
  @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC",
      description = "Job spec (YAML or JSON). Without it the embedded default runs: mnist_cnn on MNIST.")
  Path spec;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any spec field, e.g. "
      + "--set training.epochs=6 --set optimizer.learning_rate=0.5 (repeatable).")
  Map<String, String> sets = new LinkedHashMap<>();

  @Option(names = "--epochs", description = "training.epochs")
  Integer epochs;

  @Option(names = "--batch-size", description = "training.batch_size (per worker)")
  Integer batchSize;

  @Option(names = "--workers", description = "training.workers (Spark partitions trained in parallel)")
  Integer workers;

  @Option(names = "--averaging-frequency", description = "training.averaging_frequency (minibatches per round, or "
      + "auto: chosen from the workers' measured compute and the round cost model)")
  String averagingFrequency;

  @Option(names = "--seed", description = "training.seed")
  Long seed;

  @Option(names = "--backend", description = "training.backend: gpu, cpu (OpenCL CPU), java, auto")
  String backend;

  @Option(names = "--data", description = "data.path: directory URI of the MNIST files (file://, hdfs://, s3a://)")
  String data;

  @Option(names = "--train-limit", description = "data.train_limit: use only the first N training examples")
  Integer trainLimit;

  @Option(names = "--test-limit", description = "data.test_limit: use only the first N test examples")
  Integer testLimit;

  @Option(names = "--checkpoint-dir", description = "checkpoint.dir (any Hadoop FileSystem URI)")
  String checkpointDir;

  @Option(names = "--master", description = "spark.master for local runs, e.g. local[4]")
  String master;

  @Option(names = "--resume-with-changes", description = "Continue a checkpoint written under other settings "
      + "(optimizer, learning rate, workers, batch size, data, seed): the differences are logged. Without it such a "
      + "resume is refused.")
  public boolean resumeWithChanges;

  @Option(names = "--wait", description = "Seconds to wait for a standalone Spark master to answer and for "
      + "executors to register (default ${DEFAULT-VALUE}).")
  public int waitSeconds = 30;

  private final Map<String, String> forced = new LinkedHashMap<>();

  /** An override applied after the user's (a command that owns a field, like retrain's checkpoint.dir). */
  public void setOverride(String key, String value) {
    forced.put(key, value);
  }

  /** Loads and validates the spec with all overrides applied. */
  public JobSpec load() {
    Map<String, String> o = new LinkedHashMap<>();
    put(o, "training.epochs", epochs);
    put(o, "training.batch_size", batchSize);
    put(o, "training.workers", workers);
    put(o, "training.averaging_frequency", averagingFrequency);
    put(o, "training.seed", seed);
    put(o, "training.backend", backend);
    put(o, "data.path", data == null ? null : JobSpec.literal(data));
    put(o, "data.train_limit", trainLimit);
    put(o, "data.test_limit", testLimit);
    put(o, "checkpoint.dir", checkpointDir == null ? null : JobSpec.literal(checkpointDir));
    put(o, "spark.master", master == null ? null : JobSpec.literal(master));
    o.putAll(sets);
    o.putAll(forced);
    return JobSpec.load(spec, o).validate();
  }

  private static void put(Map<String, String> o, String key, Object v) {
    if (v != null) {
      o.put(key, v.toString());
    }
  }
}
