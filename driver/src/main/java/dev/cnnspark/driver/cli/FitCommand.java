package dev.cnnspark.driver.cli;

import dev.cnnspark.driver.data.DataChecks;
import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.driver.storage.WriteProbe;
import dev.cnnspark.kernels.Backend;
import dev.cnnspark.kernels.Backends;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.model.Sequential;
import dev.cnnspark.worker.train.Evaluation;
import dev.cnnspark.worker.train.FitOptions;
import dev.cnnspark.worker.train.History;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Single-node training with the Keras-like engine, no Spark: one backend, the whole training set, {@code fit} then
 * {@code evaluate} on the test set with its confusion matrix. The same spec as {@code train}; the worker count and
 * averaging frequency are ignored.
 */
@Command(name = "fit", mixinStandardHelpOptions = true,
    description = "Train on one node without Spark (Keras-style fit), then evaluate on the test set.")
public final class FitCommand implements Callable<Integer> {
  @Mixin
  SpecOptions options;

  @Option(names = "--threads", description = "Java-path threads (default: all cores)")
  Integer threads;

  @Option(names = "--output", description = "Write the trained weights here (a cnnspark state file).")
  Path output;

  @Override
  public Integer call() throws Exception {
    JobSpec spec = options.load();
    if (output != null) {
      WriteProbe.outputFile(output, "--output");
    }
    int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    Configuration conf = new Configuration();
    DataPlan plan = DataPlan.of(spec, conf, System.out::println);
    DataChecks.require(spec, plan);
    Dataset train = plan.all(DataPlan.Use.TRAIN, conf);
    if (train.count() < plan.count(DataPlan.Use.TRAIN)) {
      System.out.printf("WARNING: %d of %d training examples are bad records, skipped (data.on_bad_record: skip)%n",
          plan.count(DataPlan.Use.TRAIN) - train.count(), plan.count(DataPlan.Use.TRAIN));
    }
    Dataset validation = Set.of("split", "data").contains(spec.validationSource())
        ? plan.all(DataPlan.Use.VALIDATION, conf) : null;
    Dataset test = plan.count(DataPlan.Use.TEST) > 0 ? plan.all(DataPlan.Use.TEST, conf) : validation;
    if (spec.validationSource().equals("test")) {
      validation = test;
    }
    try (Backend backend = Backends.open(spec.backend(), 0, t);
         Sequential model = spec.buildModel().seed(spec.seed())) {
      System.out.println("device: " + backend.device());
      model.compile(spec.buildOptimizer(), spec.buildLoss());
      spec.loadInitialWeights(model, System.out::println);
      model.useBackend(backend);
      System.out.print(model.summary());
      FitOptions fit = new FitOptions().batchSize(spec.batchSize()).epochs(spec.epochs()).seed(spec.seed())
          .augmentation(spec.augmentation()).callbacks(spec.callbacks());
      if (validation != null) {
        fit.validationData(validation);
      }
      model.checkData(train, "training data");
      long t0 = System.nanoTime();
      History h = model.fit(train, fit);
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (output != null) { // the result first: nothing printed after this can lose it
        model.saveWeights(output, plan.info().classNames());
        System.out.println("weights written to " + output.toAbsolutePath());
      }
      Evaluation e = test == null ? null : model.evaluate(test, Math.max(spec.batchSize(), 256));
      Reports.safely(System.out, "the final report", () -> {
        System.out.printf(Locale.ROOT, "trained %d epochs on %d examples in %.1f s (%.0f samples/s incl. "
            + "validation)%n", spec.epochs(), train.count(), seconds, spec.epochs() * (double) train.count() / seconds);
        System.out.println("history: " + h.asMap());
        if (e != null) {
          System.out.printf(Locale.ROOT, "test loss %.4f, test accuracy %.4f (%d examples)%n", e.loss(),
              e.accuracy(), e.count());
          System.out.print("confusion matrix (rows: true class, columns: predicted)\n"
              + e.confusion().render(plan.info().classNames()));
        }
      });
    }
    return ExitCodes.OK;
  }
}
