package dev.cnnspark.driver.retrain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cnnspark.driver.DistributedTraining;
import dev.cnnspark.driver.cli.ExitCodes;
import dev.cnnspark.driver.cli.SpecOptions;
import dev.cnnspark.driver.data.DataChecks;
import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.doctor.DoctorCommand;
import dev.cnnspark.driver.spark.SparkSetup;
import dev.cnnspark.driver.storage.DirectoryLock;
import dev.cnnspark.driver.storage.Locations;
import dev.cnnspark.driver.storage.WriteProbe;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.model.Json;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.OptimizerConfig;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.train.Evaluation;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cnnspark retrain}: for schedulers (cron, systemd timers, Airflow). Takes the model directory's lock,
 * warm-starts from the published model, trains on the spec's (new) data, evaluates the candidate and the published
 * model on the same holdout set, and publishes a new version only if the candidate passes the gate. Exit codes:
 * 0 published, 10 gate rejected (nothing changed), 11 another run holds the lock, 2 bad spec, 3 bad data, 1 failure.
 * An interrupted run resumes its training from checkpoints under {@code work/} on the next invocation.
 */
@Command(name = "retrain", mixinStandardHelpOptions = true,
    description = "Warm-start from the published model, train on new data, publish a new version if it passes the "
        + "gate.")
public final class RetrainCommand implements Callable<Integer> {
  @Mixin
  SpecOptions options;

  @Option(names = "--models", required = true, description = "Model directory URI (file://, hdfs://, s3a://, ...).")
  String models;

  @Option(names = "--max-drop", description = "Publish only if holdout accuracy is at least the published model's "
      + "minus this (default ${DEFAULT-VALUE}: not worse).")
  double maxDrop = 0.0;

  @Option(names = "--min-accuracy", description = "Publish only if holdout accuracy is at least this (default "
      + "${DEFAULT-VALUE}).")
  double minAccuracy = 0.0;

  @Option(names = "--holdout", description = "Location of the holdout set: data of the spec's data.type (its test "
      + "part, or all of it when it has none). Default: the test part of the spec's data.")
  String holdout;

  @Option(names = "--lease-seconds", description = "Lock lease; renewed while running (default ${DEFAULT-VALUE}).")
  long leaseSeconds = 3600;

  @Override
  public Integer call() throws Exception {
    checkGate(maxDrop, minAccuracy);
    if (leaseSeconds < 10) {
      throw new IllegalArgumentException("--lease-seconds must be at least 10, got " + leaseSeconds);
    }
    options.load(); // every spec problem before the lock and the probe
    URI modelsUri = Locations.toUri(models);
    WriteProbe.directory(modelsUri, new Configuration(), "--models");
    ModelRegistry registry = new ModelRegistry(modelsUri, new Configuration());
    DirectoryLock lock;
    try {
      lock = DirectoryLock.acquire(registry.fileSystem(), registry.dir(), leaseSeconds * 1000, "model directory");
    } catch (DirectoryLock.LockedException e) {
      System.err.println("cnnspark retrain: " + e.getMessage());
      return ExitCodes.LOCKED;
    }
    try (lock) {
      return retrain(registry, lock);
    }
  }

  /**
   * The gate's thresholds are fractions of examples: finite, in [0, 1]. A percentage typed for a fraction (99), a
   * NaN (which every comparison passes) or a negative drop is refused before anything runs.
   */
  static void checkGate(double maxDrop, double minAccuracy) {
    java.util.List<String> p = new java.util.ArrayList<>();
    if (!(maxDrop >= 0 && maxDrop <= 1)) {
      p.add("--max-drop must be a fraction of accuracy in [0, 1] (0.002 = 0.2 points), got " + maxDrop);
    }
    if (!(minAccuracy >= 0 && minAccuracy <= 1)) {
      p.add("--min-accuracy must be an accuracy in [0, 1] (0.99 = 99%), got " + minAccuracy
          + (minAccuracy > 1 && minAccuracy <= 100 ? " (a percentage? use " + minAccuracy / 100 + ")" : ""));
    }
    if (!p.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", p));
    }
  }

  private int retrain(ModelRegistry registry, DirectoryLock lock) throws Exception {
    Optional<String> current = registry.current();
    Optional<ModelRegistry.Version> published = current.isPresent()
        ? Optional.of(registry.read(current.get())) : Optional.empty();
    String base = current.orElse("scratch");
    Path work = new Path(new Path(registry.dir(), "work"), "from-" + base);
    options.setOverride("checkpoint.dir", JobSpec.literal(registry.fileSystem().makeQualified(work)));
    JobSpec spec = options.load();
    System.out.println("retrain: published model " + current.orElse("(none)") + "; training in " + work);

    String modelJson;
    try (Sequential m = spec.buildModel()) {
      m.seed(spec.seed()).compile(spec.buildOptimizer(), spec.buildLoss());
      modelJson = m.config().toString();
    }
    ModelState start = null;
    if (published.isPresent()) {
      if (published.get().modelJson().equals(modelJson)) {
        start = published.get().state();
      } else {
        System.out.println("WARNING: the spec's model differs from the published one; training from scratch");
      }
    }
    ModelState candidate;
    try (JavaSparkContext sc = SparkSetup.context(spec, options.waitSeconds * 1000L)) {
      DataPlan plan = DataPlan.of(spec, sc.hadoopConfiguration(), System.out::println);
      DataChecks.require(spec, plan);
      DoctorCommand.Preflight preflight = DoctorCommand.preflight(sc, spec, plan.info(), options.waitSeconds * 1000L);
      if (!preflight.ok()) {
        return ExitCodes.PREFLIGHT;
      }
      DistributedTraining job = new DistributedTraining(spec, sc, System.out).withData(plan)
          .withExecutors(preflight.executors())
          .resumeWithChanges(options.resumeWithChanges);
      if (start != null) {
        job.startingFrom(start);
      }
      candidate = job.run().state();
    }

    Dataset holdoutSet = holdout(spec);
    Evaluation cand = evaluate(spec, modelJson, candidate, holdoutSet);
    Evaluation pub = published.isPresent() && published.get().modelJson().equals(modelJson)
        ? evaluate(spec, modelJson, published.get().state(), holdoutSet) : null;
    System.out.printf(Locale.ROOT, "holdout (%d examples): candidate accuracy %.4f loss %.4f%s%n", cand.count(),
        cand.accuracy(), cand.loss(), pub == null ? "" : String.format(Locale.ROOT,
            "; published %s accuracy %.4f loss %.4f", current.get(), pub.accuracy(), pub.loss()));

    double bar = Math.max(minAccuracy, pub == null ? 0 : pub.accuracy() - maxDrop);
    if (cand.accuracy() < bar) {
      System.out.printf(Locale.ROOT, "gate: candidate accuracy %.4f is below %.4f (%s); not published, %s stays "
              + "current%n", cand.accuracy(), bar, pub == null ? "--min-accuracy"
              : String.format(Locale.ROOT, "published %.4f - max drop %.4f, or --min-accuracy", pub.accuracy(),
                  maxDrop), current.orElse("no model"));
      registry.fileSystem().delete(work, true);
      return ExitCodes.GATE_REJECTED;
    }
    if (!lock.ours()) {
      throw new IllegalStateException("the lock's lease was lost (another run broke it): not publishing");
    }
    ObjectNode metrics = Json.MAPPER.createObjectNode();
    metrics.put("holdout_accuracy", cand.accuracy());
    metrics.put("holdout_loss", cand.loss());
    metrics.put("holdout_examples", cand.count());
    metrics.put("previous_version", current.orElse(null));
    if (pub != null) {
      metrics.put("previous_holdout_accuracy", pub.accuracy());
    }
    metrics.put("data", spec.dataPath());
    metrics.set("spec", Json.MAPPER.readTree(spec.toJson()));
    String name = registry.publish(candidate, modelJson, OptimizerConfig.toJson(spec.buildOptimizer()).toString(),
        metrics, ModelRegistry.CrashPoints.fromSystemProperty());
    registry.fileSystem().delete(work, true);
    System.out.println("published " + name + " (current -> " + name + ")");
    return ExitCodes.OK;
  }

  /** The gate's holdout: the spec's test part (no limit), or all of the --holdout data (its test part if any). */
  private Dataset holdout(JobSpec spec) throws java.io.IOException {
    java.util.Map<String, String> o = new java.util.LinkedHashMap<>();
    o.put("data.test_limit", "0");
    o.put("data.train_limit", "0");
    if (holdout != null) {
      o.put("data.path", JobSpec.literal(holdout));
    }
    JobSpec h = JobSpec.parse(spec.toJson(), "the holdout", o).validate();
    Configuration conf = new Configuration();
    DataPlan plan = DataPlan.of(h, conf, System.out::println);
    if (plan.count(DataPlan.Use.TEST) > 0) {
      return plan.all(DataPlan.Use.TEST, conf);
    }
    if (holdout == null) {
      throw new IllegalArgumentException("--holdout: the spec's data (" + plan.source().location() + ") has no test "
          + "part to gate on; pass --holdout LOCATION");
    }
    return new DataPlan(plan.source(), plan.info(), 0).all(DataPlan.Use.TRAIN, conf);
  }

  private static Evaluation evaluate(JobSpec spec, String modelJson, ModelState state, Dataset data)
      throws Exception {
    try (JavaBackend b = JavaBackend.withAllCores(); Sequential m = Sequential.fromConfig(Json.MAPPER.readTree(
        modelJson))) {
      m.compile(spec.buildOptimizer(), spec.buildLoss());
      m.useBackend(b);
      m.setState(state);
      return m.evaluate(data, 500);
    }
  }
}
