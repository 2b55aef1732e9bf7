package dev.cnnspark.driver.cli;

import dev.cnnspark.driver.DistributedTraining;
import dev.cnnspark.driver.data.DataChecks;
import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.doctor.DoctorCommand;
import dev.cnnspark.driver.spark.HeapPeaks;
import dev.cnnspark.driver.spark.SparkSetup;
import dev.cnnspark.driver.spec.JobSpec;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cnnspark train}: the distributed job. From this launcher it runs Spark in local mode (spec
 * {@code spark.master}, default {@code local[2]}); under {@code spark-submit} (main class
 * {@code dev.cnnspark.driver.cli.Main}, argument {@code train}) the cluster's master applies.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train data-parallel on Spark (local mode from this launcher), checkpointing and resuming.")
public final class TrainCommand implements Callable<Integer> {
  @Mixin
  SpecOptions options;

  @Option(names = "--skip-preflight", description = "Do not probe the executors before training.")
  boolean skipPreflight;

  @Override
  public Integer call() throws Exception {
    JobSpec spec = options.load();
    DistributedTraining.Outcome o;
    try (JavaSparkContext sc = SparkSetup.context(spec, options.waitSeconds * 1000L)) {
      System.out.println("Spark " + sc.version() + ", master " + sc.master() + ", app " + sc.sc().applicationId());
      DataPlan plan = DataPlan.of(spec, sc.hadoopConfiguration(), System.out::println);
      DataChecks.require(spec, plan);
      DoctorCommand.Preflight preflight = null;
      if (skipPreflight) {
        spec.warnings(plan.info().trainCount()).forEach(w -> System.out.println("WARNING: " + w));
      } else {
        preflight = DoctorCommand.preflight(sc, spec, plan.info(), options.waitSeconds * 1000L);
        if (!preflight.ok()) {
          return ExitCodes.PREFLIGHT;
        }
      }
      o = new DistributedTraining(spec, sc, System.out).withData(plan).resumeWithChanges(options.resumeWithChanges)
          .withExecutors(preflight == null ? null : preflight.executors()).run();
      System.out.println("peak heap (Spark's executor metrics): " + HeapPeaks.describe(sc));
    }
    // the checkpoints are written: what follows only reports, and cannot fail the finished run
    Reports.safely(System.out, "the final report", () -> {
      System.out.printf(Locale.ROOT, "training took %.1f s%s%n", o.trainSeconds(), o.resumed() ? " (resumed run)"
          : "");
      System.out.println("history: " + o.history().asMap());
      if (o.test() != null) {
        System.out.printf(Locale.ROOT, "test loss %.4f, test accuracy %.4f (%d examples)%n", o.test().loss(),
            o.test().accuracy(), o.test().examples());
        System.out.print("confusion matrix (rows: true class, columns: predicted)\n"
            + o.test().confusion().render(o.classNames()));
      }
      if (o.checkpointDir() != null) {
        System.out.println("checkpoints in " + o.checkpointDir());
      }
    });
    return ExitCodes.OK;
  }
}
