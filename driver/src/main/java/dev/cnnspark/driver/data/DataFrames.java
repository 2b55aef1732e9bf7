package dev.cnnspark.driver.data;

import dev.cnnspark.driver.spec.JobSpec;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Training data handed over as Spark DataFrames, from a Java or Scala program:
 * <pre>
 * DataPlan data = DataFrames.plan(spec, trainDf, testDf, "features", "label", new int[] {28, 28, 1}, dir, conf);
 * DistributedTraining.Outcome o = new DistributedTraining(spec, sc, System.out).withData(data).run();
 * </pre>
 * The frames (a features column: an array of numbers or a Spark ML vector; a label column: integer or string) are
 * written as Parquet under {@code dir} ({@code train/}, {@code test/}, replaced on every call) and trained from
 * through {@link ParquetSource}: the shards' lineage is then "these files, shard p", so a lost partition is rebuilt
 * from files rather than by re-running the frame's whole plan on every round, and executors need no SparkSession.
 * A resumed run must hand over the same rows: a frame whose plan is not deterministic (a sample without a seed, an
 * unordered source) writes other rows and the resume continues on them.
 */
public final class DataFrames {
  private DataFrames() {
  }

  /**
   * @param test the test part, or null
   * @param shape the example shape the features are reshaped to, or null for one axis
   * @param dir where the frames are written (any Hadoop location the executors can read)
   */
  public static DataPlan plan(JobSpec spec, Dataset<Row> train, Dataset<Row> test, String featuresColumn,
                              String labelColumn, int[] shape, URI dir, Configuration conf) throws IOException {
    for (Dataset<Row> frame : test == null ? List.of(train) : List.of(train, test)) {
      for (String column : new String[] {featuresColumn, labelColumn}) {
        if (!List.of(frame.columns()).contains(column)) {
          throw new IllegalArgumentException("the DataFrame has no column '" + column + "' (its columns: "
              + List.of(frame.columns()) + ")");
        }
      }
    }
    URI trainUri = URI.create(dir.toString().replaceAll("/?$", "/") + "train");
    URI testUri = test == null ? null : URI.create(dir.toString().replaceAll("/?$", "/") + "test");
    train.select(featuresColumn, labelColumn).write().mode(SaveMode.Overwrite).parquet(trainUri.toString());
    if (test != null) {
      test.select(featuresColumn, labelColumn).write().mode(SaveMode.Overwrite).parquet(testUri.toString());
    }
    com.fasterxml.jackson.databind.JsonNode d = spec.dataNode();
    List<String> classes = new java.util.ArrayList<>();
    d.path("class_names").forEach(n -> classes.add(n.asText()));
    DataSource source = new ParquetSource(trainUri, testUri, featuresColumn, labelColumn, shape, classes,
        d.path("label_mode").asText("categorical").equals("binary"), Rescale.parse(d.path("rescale").asText("auto")),
        Sequences.OFF);
    DataInfo info = source.describe(conf).limited(spec.trainLimit(), spec.testLimit());
    return new DataPlan(source, info, spec.validationSource().equals("split") ? spec.validationSplit() : 0);
  }
}
