package dev.cnnspark.driver.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.worker.data.DataFormatException;
import dev.cnnspark.worker.data.Dataset;
import java.nio.file.Files;
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
 * CSV, JSON-lines and ORC tables: MNIST written as CSV reads back bit for bit; tables Spark SQL wrote (CSV with a
 * header in each of several part files, JSON lines and ORC with array features, string labels) read with their labels mapped to
 * the sorted names; malformed rows are named by file and line.
 */
class TextTableSourceTest {
  @TempDir
  Path tmp;

  @Test
  void convertedMnistCsvReadsBack() throws Exception {
    DataSourcesTest.readMnist();
    Path dir = tmp.resolve("csv");
    Writers.csv(dir, List.of(new Writers.Part("train", DataSourcesTest.train),
        new Writers.Part("test", DataSourcesTest.test)));
    DataPlan p = DataSourcesTest.plan("data: {type: csv, path: \"" + dir.resolve("train") + "\", test_path: \""
        + dir.resolve("test") + "\", shape: [28, 28, 1]}\n");
    DataSourcesTest.assertSame(DataSourcesTest.train, p.all(DataPlan.Use.TRAIN, DataSourcesTest.CONF));
    DataSourcesTest.assertSame(DataSourcesTest.test, p.all(DataPlan.Use.TEST, DataSourcesTest.CONF));
  }

  @Test
  void tablesSparkWroteAsCsvAndJson() throws Exception {
    StructType flat = new StructType().add("a", DataTypes.DoubleType).add("species", DataTypes.StringType)
        .add("b", DataTypes.DoubleType);
    StructType nested = new StructType().add("features", DataTypes.createArrayType(DataTypes.DoubleType))
        .add("label", DataTypes.StringType);
    List<Row> flatRows = new ArrayList<>();
    List<Row> nestedRows = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      String species = i % 3 == 0 ? "setosa" : i % 3 == 1 ? "virginica" : "versicolor";
      flatRows.add(RowFactory.create(i * 1.0, species, i * 10.0));
      nestedRows.add(RowFactory.create(new Double[] {i * 1.0, i * 10.0}, species));
    }
    Path csv = tmp.resolve("iris-csv");
    Path json = tmp.resolve("iris-json");
    Path orc = tmp.resolve("iris-orc");
    try (SparkSession spark = SparkSession.builder().master("local[1]").appName("text-tables")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate()) {
      spark.createDataFrame(flatRows, flat).repartition(3).write().option("header", true).csv(csv.toString());
      spark.createDataFrame(nestedRows, nested).repartition(2).write().json(json.toString());
      spark.createDataFrame(nestedRows, nested).repartition(2).write().orc(orc.toString());
    }
    for (String spec : new String[] {"data: {type: csv, path: \"" + csv + "\", label_column: species}\n",
        "data: {type: json, path: \"" + json + "\"}\n", "data: {type: orc, path: \"" + orc + "\"}\n"}) {
      DataPlan p = DataSourcesTest.plan(spec);
      assertEquals(List.of("setosa", "versicolor", "virginica"), p.info().classNames(), spec);
      assertEquals(9, p.info().trainCount());
      Dataset d = p.all(DataPlan.Use.TRAIN, DataSourcesTest.CONF);
      for (int i = 0; i < 9; i++) {
        int value = (int) d.x()[i * 2];
        assertEquals(value * 10f, d.x()[i * 2 + 1], "the label column is not a feature");
        assertEquals(value % 3 == 0 ? 0 : value % 3 == 1 ? 2 : 1, Writers.label(d, i), spec + " row " + i);
      }
    }
    Path bad = Files.writeString(tmp.resolve("bad.csv"), "label,x,y\n1,2,3\n0,4,oops\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> DataSourcesTest.plan("data: {type: csv, "
        + "path: \"" + bad + "\"}\n"));
    assertTrue(e.getMessage().contains("bad.csv: line 3, column 3: 'oops' is not a number"), e.getMessage());
    Files.writeString(bad, "label,x,y\n1,2,3\n0,4\n");
    e = assertThrows(DataFormatException.class, () -> DataSourcesTest.plan("data: {type: csv, path: \"" + bad
        + "\"}\n"));
    assertTrue(e.getMessage().contains("bad.csv: line 3: 1 features, the first row has 2"), e.getMessage());
    Files.writeString(bad, "lbl,x\n1,2\n");
    e = assertThrows(DataFormatException.class, () -> DataSourcesTest.plan("data: {type: csv, path: \"" + bad
        + "\"}\n"));
    assertTrue(e.getMessage().contains("the header has no column 'label'"), e.getMessage());
    Path badJson = Files.writeString(tmp.resolve("bad.json"), "{\"features\": [1, 2], \"label\": 0}\n{\"label\": 1}\n");
    e = assertThrows(DataFormatException.class, () -> DataSourcesTest.plan("data: {type: json, path: \"" + badJson
        + "\"}\n"));
    assertTrue(e.getMessage().contains("bad.json: line 2: needs 'features'"), e.getMessage());
  }

  @Test
  void tokenSequencesArePaddedTruncatedAndCutToTheVocabulary() throws Exception {
    Path json = Files.writeString(tmp.resolve("reviews.json"), String.join("\n",
        "{\"features\": [5, 12, 7], \"label\": 1}",
        "{\"features\": [1, 2, 3, 4, 5, 6], \"label\": 0}",
        "{\"features\": [], \"label\": 1}", ""));
    String base = "data: {type: json, path: \"" + json + "\", sequence: {maxlen: 4, num_words: 10";
    DataPlan pre = DataSourcesTest.plan(base + "}}\n");
    assertEquals(List.of(4), java.util.Arrays.stream(pre.info().dims()).boxed().toList());
    assertArrayEqualsF(new float[] {0, 5, 2, 7, 3, 4, 5, 6, 0, 0, 0, 0},
        pre.all(DataPlan.Use.TRAIN, DataSourcesTest.CONF).x(), "pre: pad before, keep the last 4; 12 -> oov 2");
    DataPlan post = DataSourcesTest.plan(base + ", padding: post, truncating: post, value: -1}}\n");
    assertArrayEqualsF(new float[] {5, 2, 7, -1, 1, 2, 3, 4, -1, -1, -1, -1},
        post.all(DataPlan.Use.TRAIN, DataSourcesTest.CONF).x(), "post: pad after, keep the first 4");
    Path big = Files.writeString(tmp.resolve("big.json"), "{\"features\": [16777216], \"label\": 0}\n"
        + "{\"features\": [3], \"label\": 1}\n");
    DataPlan huge = DataSourcesTest.plan("data: {type: json, path: \"" + big + "\", sequence: {maxlen: 2}}\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> huge.all(DataPlan.Use.TRAIN,
        DataSourcesTest.CONF));
    assertTrue(e.getMessage().contains("line 1: token id 16777216 is 2^24 or more"), e.getMessage());
    Path npz = tmp.resolve("seq.npz");
    DataSourcesTest.writeNpz(npz, java.util.Map.of("x_train", DataSourcesTest.npy("<i8", "(2, 3)", false, 1, 2, 30,
        4, 5, 6), "y_train", DataSourcesTest.npy("<i8", "(2,)", false, 0, 1)));
    DataPlan arrays = DataSourcesTest.plan("data: {type: npz, path: \"" + npz + "\", sequence: {maxlen: 2, "
        + "num_words: 20, oov: 1}}\n");
    assertArrayEqualsF(new float[] {2, 1, 5, 6}, arrays.all(DataPlan.Use.TRAIN, DataSourcesTest.CONF).x(),
        "int64 ids kept exact; 30 -> oov 1");
  }

  private static void assertArrayEqualsF(float[] expected, float[] actual, String message) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, message);
  }
}
