package dev.cnnspark.driver.cli;

import dev.cnnspark.driver.serve.ServeJob;
import dev.cnnspark.driver.serve.ServeTask;
import dev.cnnspark.driver.serve.TrainedModel;
import dev.cnnspark.driver.spark.SparkSetup;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.driver.storage.Locations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cnnspark predict}: runs a trained model over a data source on the cluster and writes one row per example:
 * {@code id} (the file of an image, else {@code part:index}), {@code label} (the example's class, when the data has
 * labels of the model's classes), {@code predicted} (a class name) and {@code p_<class>} (each class's probability),
 * as Parquet or CSV, written by the executors.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Run a trained model (weights file, checkpoint, model directory, Keras file) over the spec's data "
        + "and write one row per example (id, label, predicted class, class probabilities) as Parquet or CSV.")
public final class PredictCommand implements Callable<Integer> {
  @Mixin
  SpecOptions options;

  @Mixin
  ModelOptions run;

  @Option(names = "--output", required = true, description = "Where to write the rows (a directory of part files).")
  String output;

  @Option(names = "--format", description = "parquet (default) or csv")
  String format = "parquet";

  @Override
  public Integer call() throws Exception {
    if (!List.of("parquet", "csv").contains(format)) {
      throw new IllegalArgumentException("--format must be parquet or csv, got '" + format + "'");
    }
    JobSpec spec = options.load();
    java.net.URI out = Locations.toUri(output);
    try (JavaSparkContext sc = SparkSetup.context(spec, options.waitSeconds * 1000L)) {
      TrainedModel trained = TrainedModel.load(run.model, sc.hadoopConfiguration());
      ServeJob job = new ServeJob(spec, sc, trained, run.part);
      List<String> names = job.classes;
      ServeTask task = job.task();
      JavaRDD<Row> rows = job.partitions("predict").flatMap(p -> task.predict(p, names));
      List<StructField> fields = new ArrayList<>(List.of(DataTypes.createStructField("id", DataTypes.StringType,
          false), DataTypes.createStructField("label", DataTypes.StringType, true),
          DataTypes.createStructField("predicted", DataTypes.StringType, false)));
      for (String n : names) {
        fields.add(DataTypes.createStructField("p_" + n.replaceAll("[^A-Za-z0-9_]", "_"), DataTypes.FloatType,
            false));
      }
      SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
      var writer = spark.createDataFrame(rows, DataTypes.createStructType(fields)).write().mode("errorifexists");
      job.withProgress(() -> {
        if (format.equals("csv")) {
          writer.option("header", "true").csv(out.toString());
        } else {
          writer.parquet(out.toString());
        }
        return null;
      });
      System.out.printf(Locale.ROOT, "predicted %,d %s examples of %s with %s (%d classes %s) into %s (%s)%n",
          job.count, job.part.name().toLowerCase(Locale.ROOT), job.plan.source().location(), trained.source(),
          names.size(), names.size() <= 12 ? names : names.subList(0, 12) + "...", out, format);
    }
    return ExitCodes.OK;
  }
}
