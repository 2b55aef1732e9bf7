package dev.cnnspark.driver.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.driver.DistributedTraining;
import dev.cnnspark.driver.spark.SparkSetup;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.driver.spec.SpecException;
import dev.cnnspark.worker.bench.BenchmarkReport;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Local-mode distributed throughput: one epoch of a preset model (default model (a)) or of a spec file's model over
 * {@code examples} training examples with {@code workers} workers in {@code local[workers]}, no validation or
 * checkpoints, reporting samples/s over the rounds, the share of round time outside local training and where it
 * went, and the JVM's peak heap (driver and executors share it in local mode).
 */
final class DistributedBench {
  private final BenchmarkReport report;

  DistributedBench(BenchmarkReport report) {
    this.report = report;
  }

  /**
   * The job spec file {@code model} names (.yaml, .yml or .json; its model section is measured, e.g.
   * deploy/bench/wide_cnn.yaml), or null for a preset name.
   *
   * @throws SpecException when the file does not exist, before any benchmark runs
   */
  static Path modelFile(String model) {
    if (!(model.endsWith(".yaml") || model.endsWith(".yml") || model.endsWith(".json"))) {
      return null;
    }
    Path file = Path.of(model);
    if (!Files.isRegularFile(file)) {
      throw new SpecException(List.of("--distributed-model " + model + ": no such spec file"));
    }
    return file;
  }

  void run(String data, String model, int workers, int batch, int averaging, int examples, String backend)
      throws Exception {
    Map<String, String> o = new LinkedHashMap<>();
    Path modelFile = modelFile(model);
    if (modelFile == null) {
      o.put("model", "{preset: " + JobSpec.literal(model) + "}");
    }
    o.put("data.path", JobSpec.literal(data));
    o.put("data.train_limit", Integer.toString(examples));
    o.put("data.test_limit", "1000");
    o.put("validation.source", "none");
    o.put("checkpoint.monitor", "accuracy");
    o.put("checkpoint.dir", JobSpec.literal(""));
    o.put("training.epochs", "1");
    o.put("training.workers", Integer.toString(workers));
    o.put("training.batch_size", Integer.toString(batch));
    o.put("training.averaging_frequency", Integer.toString(averaging));
    o.put("training.backend", backend);
    o.put("spark.master", JobSpec.literal("local[" + workers + "]"));
    o.put("spark.conf", "{spark.ui.enabled: \"false\"}");
    JobSpec spec = JobSpec.load(modelFile, o).validate();
    try (JavaSparkContext sc = SparkSetup.context(spec)) {
      DistributedTraining.Outcome out = new DistributedTraining(spec, sc,
          new PrintStream(OutputStream.nullOutputStream())).run();
      DistributedTraining.RoundTimes t = out.times();
      ObjectNode n = report.line("distributed");
      n.put("master", "local[" + workers + "]");
      n.put("model", modelFile == null ? model : spec.name());
      n.put("workers", workers);
      n.put("backend", backend);
      n.put("batch_per_worker", batch);
      n.put("averaging_frequency", averaging);
      n.put("params", out.state().params().length);
      n.put("rounds", t.rounds());
      n.put("examples", t.examples());
      n.put("samples_per_s", Math.round(t.examples() / (t.wallNanos() / 1e9) * 10) / 10.0);
      n.put("ms_per_round", Math.round(t.wallNanos() / 1e3 / t.rounds()) / 1000.0);
      n.put("local_training_ms_per_round", Math.round(t.localTrainNanos() / 1e3 / t.rounds()) / 1000.0);
      n.put("outside_local_training_share", Math.round(t.overheadShare() * 1000) / 1000.0);
      n.put("broadcast_ms_per_round", ms(t.broadcastNanos(), t.rounds()));
      n.put("worker_state_copies_ms_per_round", ms(t.copyNanos(), t.rounds()));
      n.put("averaging_ms_per_round", ms(t.averageNanos(), t.rounds()));
      n.put("scheduling_and_results_ms_per_round", ms(t.otherNanos(), t.rounds()));
      n.put("setup_ms", Math.round(t.setupNanos() / 1e6));
      n.put("peak_heap_mib", Math.round(BenchmarkReport.peakHeapMiB()));
      report.emit(n);
    }
  }

  private static double ms(long nanos, int rounds) {
    return Math.round(nanos / 1e3 / Math.max(1, rounds)) / 1000.0;
  }
}
