package dev.cnnspark.driver.cli;

import dev.cnnspark.driver.rounds.EvalResult;
import dev.cnnspark.driver.serve.ServeJob;
import dev.cnnspark.driver.serve.ServeTask;
import dev.cnnspark.driver.serve.TrainedModel;
import dev.cnnspark.driver.spark.SparkSetup;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.model.Loss;
import dev.cnnspark.worker.train.ConfusionMatrix;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code cnnspark evaluate}: loss (the spec's), accuracy, the confusion matrix and a per-class report (precision,
 * recall, F1, support) of a trained model on the spec's data, computed on the cluster.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Loss, accuracy, confusion matrix and per-class precision/recall/F1 of a trained model on the "
        + "spec's data.")
public final class EvaluateCommand implements Callable<Integer> {
  @Mixin
  SpecOptions options;

  @Mixin
  ModelOptions run;

  @Override
  public Integer call() throws Exception {
    JobSpec spec = options.load();
    try (JavaSparkContext sc = SparkSetup.context(spec, options.waitSeconds * 1000L)) {
      TrainedModel trained = TrainedModel.load(run.model, sc.hadoopConfiguration());
      ServeJob job = new ServeJob(spec, sc, trained, run.part);
      Loss loss = spec.buildLoss();
      if (job.plan.info().labelWidth() == 0) {
        throw new IllegalArgumentException("data.label_mode: none reads images without labels: nothing to evaluate "
            + "against (cnnspark predict scores them)");
      }
      if (job.plan.info().labelWidth() != job.outputs) {
        throw new IllegalArgumentException("the model (" + trained.source() + ") has " + job.outputs + " output(s) "
            + "but the data's labels are " + job.plan.info().labelWidth() + " wide (" + job.plan.info().classes()
            + " classes " + job.plan.info().classNames() + "): evaluate it on data of its classes");
      }
      int classes = Math.max(2, job.outputs);
      ServeTask task = job.task();
      var slices = job.partitions("evaluate");
      EvalResult r = job.withProgress(() -> slices.map(p -> task.evaluate(p, loss, classes)).reduce(EvalResult::add));
      ConfusionMatrix cm = r.confusion();
      System.out.printf(Locale.ROOT, "%s on %,d %s examples of %s: loss %.4f (%s), accuracy %.4f%n",
          trained.source(), r.examples(), job.part.name().toLowerCase(Locale.ROOT), job.plan.source().location(),
          r.loss(), loss.spec(), r.accuracy());
      System.out.print("confusion matrix (rows: true class, columns: predicted)\n" + cm.render(job.classes));
      System.out.println(String.format(Locale.ROOT, "%-16s %9s %9s %9s %9s", "class", "precision", "recall", "f1",
          "support"));
      for (int c = 0; c < classes; c++) {
        System.out.println(String.format(Locale.ROOT, "%-16s %9s %9s %9s %9d", job.classes.get(c),
            ConfusionMatrix.ratio(cm.precision(c)), ConfusionMatrix.ratio(cm.recall(c)),
            ConfusionMatrix.ratio(cm.f1(c)), cm.support(c)));
      }
    }
    return ExitCodes.OK;
  }
}
