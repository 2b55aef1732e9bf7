package dev.cnnspark.driver.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.cli.Cli;
import dev.cnnspark.kernels.cpu.JavaBackend;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.data.Mnist;
import dev.cnnspark.worker.model.Sequential;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API on a DataFrame: 700 MNIST test images as an array column (several partitions, a last minibatch that is
 * not full) come back with the other columns untouched and with the class and the probabilities the model gives each
 * image on one thread here, bit for bit; a wrong features column is refused naming it.
 */
class ModelTransformerTest {

  @Test
  void scoresEveryRowAsTheModelDoes(@TempDir Path tmp) throws Exception {
    Path spec = java.nio.file.Files.writeString(tmp.resolve("job.yaml"), "model: {preset: tiny_cnn}\ndata: {path: \""
        + Cli.mnistDir() + "\", train_limit: 1000}\ntraining: {epochs: 1, backend: java}\nvalidation: {source: "
        + "none}\ncheckpoint: {monitor: accuracy}\n");
    Path weights = tmp.resolve("tiny.weights");
    assertEquals(0, Cli.run("fit", spec.toString(), "--output", weights.toString()).code());
    Dataset test = Mnist.load(Path.of(Cli.mnistDir())).test().take(700);
    TrainedModel trained = TrainedModel.load(weights.toString(), new Configuration());
    float[] expected;
    try (JavaBackend b = new JavaBackend(1); Sequential m = trained.build(null)) {
      m.useBackend(b);
      expected = m.predict(test.x(), test.count(), 64);
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < test.count(); i++) {
      Float[] px = new Float[784];
      for (int j = 0; j < 784; j++) {
        px[j] = test.x()[i * 784 + j];
      }
      rows.add(RowFactory.create("img-" + i, px));
    }
    StructType schema = new StructType().add("name", DataTypes.StringType)
        .add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
    SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
        .getOrCreate();
    try {
      var df = spark.createDataFrame(rows, schema).repartition(3);
      ModelTransformer t = new ModelTransformer(trained).setFeaturesCol("pixels").setBatchSize(64);
      List<Row> scored = t.transform(df).collectAsList();
      assertEquals(700, scored.size());
      for (Row r : scored) {
        int i = Integer.parseInt(r.getString(0).substring(4));
        List<Float> p = r.getList(3);
        float[] got = new float[p.size()];
        for (int c = 0; c < got.length; c++) {
          got[c] = p.get(c);
        }
        assertArrayEquals(java.util.Arrays.copyOfRange(expected, i * 10, i * 10 + 10), got, "image " + i);
        int best = 0;
        for (int c = 1; c < 10; c++) {
          best = got[c] > got[best] ? c : best;
        }
        assertEquals(Integer.toString(best), r.getString(2), "the class name of the largest probability");
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new ModelTransformer(trained).transform(df));
      assertTrue(e.getMessage().contains("no features column 'features' (columns: [name, pixels])"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> new ModelTransformer(trained).setFeaturesCol("name")
          .transform(df));
      assertTrue(e.getMessage().contains("column 'name' must be an array of numbers, got string"), e.getMessage());
    } finally {
      spark.stop();
    }
  }
}
