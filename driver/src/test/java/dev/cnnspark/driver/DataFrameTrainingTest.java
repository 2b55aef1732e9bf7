package dev.cnnspark.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.data.DataFrames;
import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.spark.SparkSetup;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.data.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java program hands the trainer DataFrames (as a Spark user has them) and trains through the API, in the same
 * SparkSession the job uses (our Kryo setup with registration required): MNIST's first examples as rows of
 * {@code pixels: array<float>} and string labels learn as they do from the IDX files.
 */
class DataFrameTrainingTest {

  private static List<Row> rows(Dataset d) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < d.count(); i++) {
      Float[] px = new Float[784];
      for (int k = 0; k < 784; k++) {
        px[k] = d.x()[i * 784 + k];
      }
      int label = 0;
      while (d.y()[i * 10 + label] != 1f) {
        label++;
      }
      rows.add(RowFactory.create(px, "digit-" + label));
    }
    return rows;
  }

  @Test
  void trainsFromDataFramesThroughTheApi(@TempDir Path tmp) throws Exception {
    JobSpec spec = JobSpec.parse(TestJobs.spec(tmp.resolve("ckpts"), 1), "api", Map.of()).validate();
    Configuration conf = new Configuration();
    DataPlan mnist = DataPlan.of(spec, conf, s -> { });
    StructType schema = new StructType().add("pixels", DataTypes.createArrayType(DataTypes.FloatType))
        .add("digit", DataTypes.StringType);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    DistributedTraining.Outcome o;
    try (SparkSession spark = SparkSession.builder().config(SparkSetup.conf(spec)).getOrCreate()) {
      var train = spark.createDataFrame(rows(mnist.all(DataPlan.Use.TRAIN, conf)), schema);
      var test = spark.createDataFrame(rows(mnist.all(DataPlan.Use.TEST, conf)), schema);
      DataPlan plan = DataFrames.plan(spec, train, test, "pixels", "digit", new int[] {28, 28, 1},
          tmp.resolve("frames").toUri(), spark.sparkContext().hadoopConfiguration());
      assertEquals(List.of("digit-0", "digit-1", "digit-2", "digit-3", "digit-4", "digit-5", "digit-6", "digit-7",
          "digit-8", "digit-9"), plan.info().classNames());
      assertEquals(1200, plan.info().trainCount());
      o = new DistributedTraining(spec, org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
          spark.sparkContext()), new PrintStream(log, true, StandardCharsets.UTF_8)).withData(plan).run();
    }
    String out = log.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("data: parquet"), out);
    assertEquals(200, o.test().examples());
    assertTrue(o.test().accuracy() > 0.6, "learns from the frames: " + o.test().accuracy());
    assertEquals("digit-9", o.classNames().get(9));
  }
}
