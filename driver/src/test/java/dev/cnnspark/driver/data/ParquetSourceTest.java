package dev.cnnspark.driver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.worker.data.DataFormatException;
import dev.cnnspark.worker.data.Dataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet tables: MNIST written by {@code cnnspark convert --to parquet} reads back bit for bit (and Spark SQL reads
 * that table as {@code features: array<float>, label: int}); a table Spark SQL itself wrote, with
 * {@code array<double>} features in several part files and string labels, reads with the labels mapped to the
 * sorted names (or to {@code class_names}); missing columns and bad rows are named.
 */
class ParquetSourceTest {
  @TempDir
  Path tmp;

  @Test
  void convertedMnistReadsBackAndSparkSqlReadsIt() throws Exception {
    DataSourcesTest.readMnist();
    Path dir = tmp.resolve("pq");
    Writers.parquet(dir, List.of(new Writers.Part("train", DataSourcesTest.train),
        new Writers.Part("test", DataSourcesTest.test)));
    DataPlan p = DataSourcesTest.plan("data: {type: parquet, path: \"" + dir.resolve("train") + "\", test_path: \""
        + dir.resolve("test") + "\", shape: [28, 28, 1]}\n");
    DataSourcesTest.assertSame(DataSourcesTest.train, p.all(DataPlan.Use.TRAIN, DataSourcesTest.CONF));
    DataSourcesTest.assertSame(DataSourcesTest.test, p.all(DataPlan.Use.TEST, DataSourcesTest.CONF));
    try (SparkSession spark = session()) {
      var df = spark.read().parquet(dir.resolve("train").toString());
      assertEquals("struct<features:array<float>,label:int>", df.schema().simpleString());
      assertEquals(300, df.count());
    }
  }

  @Test
  void aTableSparkWroteWithStringLabelsAndPartFiles() throws Exception {
    Path table = tmp.resolve("spark-table");
    StructType schema = new StructType().add("pixels", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("animal", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      rows.add(RowFactory.create(List.of(i * 1.0, i * 2.0, i * 3.0).toArray(new Double[0]),
          i % 3 == 0 ? "zebra" : i % 3 == 1 ? "cat" : "dog"));
    }
    try (SparkSession spark = session()) {
      spark.createDataFrame(rows, schema).repartition(3).sortWithinPartitions("animal")
          .write().parquet(table.toString());
    }
    String base = "data: {type: parquet, path: \"" + table + "\", features_column: pixels, label_column: animal";
    DataPlan p = DataSourcesTest.plan(base + "}\n");
    assertEquals(List.of("cat", "dog", "zebra"), p.info().classNames(), "sorted distinct strings");
    assertEquals(12, p.info().trainCount());
    Dataset d = p.all(DataPlan.Use.TRAIN, DataSourcesTest.CONF);
    for (int i = 0; i < 12; i++) {
      int value = (int) d.x()[i * 3];
      assertEquals(value * 3.0f, d.x()[i * 3 + 2]);
      int cls = Writers.label(d, i);
      assertEquals(value % 3 == 0 ? 2 : value % 3 == 1 ? 0 : 1, cls, "row " + i + " (value " + value + ")");
    }
    DataPlan named = DataSourcesTest.plan(base + ", class_names: [zebra, dog, cat]}\n");
    assertEquals(List.of("zebra", "dog", "cat"), named.info().classNames());
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> DataSourcesTest.plan(base + ", class_names: [zebra, dog]}\n"));
    assertTrue(e.getMessage().contains("labels [cat] are not among data.class_names [zebra, dog]"), e.getMessage());
    e = assertThrows(DataFormatException.class, () -> DataSourcesTest.plan("data: {type: parquet, path: \"" + table
        + "\"}\n"));
    assertTrue(e.getMessage().contains("has no column 'features' (its columns: [pixels, animal]"), e.getMessage());
    e = assertThrows(DataFormatException.class, () -> DataSourcesTest.plan(base + ", shape: [2, 2]}\n"));
    assertTrue(e.getMessage().contains("rows hold 3 features, data.shape [2, 2] needs 4"), e.getMessage());
    float[] shard = p.shard(DataPlan.Use.TRAIN, 1, 3, 5, DataSourcesTest.CONF).x();
    assertEquals(12, shard.length, "4 of 12 rows, 3 features each");
    assertArrayEquals(shard, p.shard(DataPlan.Use.TRAIN, 1, 3, 5, DataSourcesTest.CONF).x());
  }

  @Test
  void sparkMlVectorsDenseAndSparse() throws Exception {
    org.apache.parquet.schema.MessageType schema = org.apache.parquet.schema.MessageTypeParser.parseMessageType(
        "message spark_schema { optional group features { required int32 type (INTEGER(8,true)); optional int32 size; "
            + "optional group indices (LIST) { repeated group list { required int32 element; } } "
            + "optional group values (LIST) { repeated group list { required double element; } } } "
            + "required int32 label; }");
    Path file = tmp.resolve("vectors.parquet");
    var groups = new org.apache.parquet.example.data.simple.SimpleGroupFactory(schema);
    try (var w = org.apache.parquet.hadoop.example.ExampleParquetWriter.builder(
        new org.apache.hadoop.fs.Path(file.toUri())).withType(schema)
        .withConf(new org.apache.hadoop.conf.Configuration()).build()) {
      var dense = groups.newGroup();
      var dv = dense.addGroup("features");
      dv.append("type", 1);
      var values = dv.addGroup("values");
      for (double v : new double[] {1, 2, 3}) {
        values.addGroup("list").append("element", v);
      }
      dense.append("label", 0);
      w.write(dense);
      var sparse = groups.newGroup();
      var sv = sparse.addGroup("features");
      sv.append("type", 0);
      sv.append("size", 3);
      var idx = sv.addGroup("indices");
      idx.addGroup("list").append("element", 0);
      idx.addGroup("list").append("element", 2);
      var vals = sv.addGroup("values");
      vals.addGroup("list").append("element", 5.0);
      vals.addGroup("list").append("element", 6.0);
      sparse.append("label", 1);
      w.write(sparse);
    }
    DataPlan p = DataSourcesTest.plan("data: {type: parquet, path: \"" + file + "\"}\n");
    assertEquals(List.of(3), java.util.Arrays.stream(p.info().dims()).boxed().toList());
    assertArrayEquals(new float[] {1, 2, 3, 5, 0, 6}, p.all(DataPlan.Use.TRAIN, DataSourcesTest.CONF).x(),
        "a dense vector as stored, a sparse one filled in");
  }

  @Test
  void imagesInTablesAsSparksBinaryFilesAndImageStructs() throws Exception {
    DataSourcesTest.readMnist();
    List<String> digits = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    Path png = tmp.resolve("png");
    Dataset few = DataSourcesTest.train.take(40);
    Writers.imageFolders(png, List.of(new Writers.Part("train", few)), digits);
    Path bytesTable = tmp.resolve("binary-files");
    Path structTable = tmp.resolve("image-structs");
    StructType image = new StructType().add("origin", DataTypes.StringType).add("height", DataTypes.IntegerType)
        .add("width", DataTypes.IntegerType).add("nChannels", DataTypes.IntegerType).add("mode", DataTypes.IntegerType)
        .add("data", DataTypes.BinaryType);
    try (SparkSession spark = session()) {
      spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(png.resolve("train").toString())
          .selectExpr("content", "regexp_extract(path, '/([0-9])/[^/]*$', 1) as digit", "path")
          .orderBy("path").drop("path").write().parquet(bytesTable.toString());
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < few.count(); i++) {
        byte[] bgr = new byte[28 * 28 * 3];
        for (int k = 0; k < 784; k++) {
          byte v = (byte) Math.round(few.x()[i * 784 + k] * 255f);
          bgr[k * 3] = v;
          bgr[k * 3 + 1] = v;
          bgr[k * 3 + 2] = v;
        }
        rows.add(RowFactory.create(RowFactory.create("mem://" + i, 28, 28, 3, 16, bgr), Writers.label(few, i)));
      }
      spark.createDataFrame(rows, new StructType().add("image", image).add("label", DataTypes.IntegerType))
          .coalesce(1).write().parquet(structTable.toString());
    }
    DataPlan folders = DataSourcesTest.plan("data: {type: image_folder, path: \"" + png.resolve("train")
        + "\", color_mode: grayscale}\n");
    DataPlan bytes = DataSourcesTest.plan("data: {type: parquet, path: \"" + bytesTable + "\", features_column: "
        + "content, label_column: digit, color_mode: grayscale}\n");
    assertEquals(List.of(28, 28, 1), java.util.Arrays.stream(bytes.info().dims()).boxed().toList());
    DataSourcesTest.assertSame(folders.all(DataPlan.Use.TRAIN, DataSourcesTest.CONF),
        bytes.all(DataPlan.Use.TRAIN, DataSourcesTest.CONF));
    DataPlan structs = DataSourcesTest.plan("data: {type: parquet, path: \"" + structTable + "\", features_column: "
        + "image, color_mode: grayscale, class_names: [\"0\", \"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", "
        + "\"8\", \"9\"]}\n");
    DataSourcesTest.assertSame(few, structs.all(DataPlan.Use.TRAIN, DataSourcesTest.CONF));
    DataPlan resized = DataSourcesTest.plan("data: {type: parquet, path: \"" + structTable + "\", features_column: "
        + "image, color_mode: rgb, target_size: [14, 14]}\n");
    assertEquals(List.of(14, 14, 3), java.util.Arrays.stream(resized.info().dims()).boxed().toList());
  }

  private static SparkSession session() {
    return SparkSession.builder().master("local[1]").appName("parquet-test").config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
  }
}
