package dev.cnnspark.driver.rounds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.TestJobs;
import dev.cnnspark.driver.data.DataPlan;
import dev.cnnspark.driver.spec.JobSpec;
import dev.cnnspark.worker.data.Dataset;
import dev.cnnspark.worker.data.Rows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Shards kept on an executor's local disk ({@code data.shard_storage: disk}): written a chunk at a time, read back
 * row by row as exactly the examples an in-memory shard holds, and written again from the recipe the cached shard
 * carries when this executor has no file for it (it was built on another host).
 */
class ShardOnDiskTest {

  @Test
  void aDiskShardHoldsTheSameRowsAndIsRebuiltWhereItsFileIsMissing() throws Exception {
    String mnist = Path.of(System.getProperty("cnnspark.mnist.dir")).toAbsolutePath().normalize().toString();
    JobSpec spec = JobSpec.parse("data: {path: \"" + mnist + "\", train_limit: 9000, test_limit: 10, shard_storage: "
        + "disk}\n", "t", Map.of()).validate();
    Configuration conf = new Configuration();
    DataPlan plan = DataPlan.of(spec, conf, s -> { });
    SparkConf sparkConf = TestJobs.loopback("local[1]", "shard-on-disk");
    try (JavaSparkContext sc = new JavaSparkContext(sparkConf)) {
      var hadoop = sc.broadcast(ShardSource.hadoopConf(conf));
      Shard onDisk = new ShardSource(plan, hadoop, DataPlan.Use.TRAIN, 2, 7, true).call(1);
      assertTrue(onDisk.onDisk());
      assertTrue(4500 > ShardSource.CHUNK, "the shard spans more than one chunk");
      Dataset inMemory = plan.shard(DataPlan.Use.TRAIN, 1, 2, 7, conf);
      assertEquals(inMemory.count(), onDisk.count());
      assertEquals(inMemory.count() * (784 + 10) * 4L, Files.size(Path.of(onDisk.file)));

      Rows rows = WorkerEngines.shard(-77, 1, List.of(onDisk).iterator());
      assertSameRows(inMemory, rows);

      Files.delete(Path.of(onDisk.file)); // as if the shard had been built on another host
      WorkerEngines.forget(-77);
      Rows rebuilt = WorkerEngines.shard(-77, 1, List.of(onDisk).iterator());
      assertSameRows(inMemory, rebuilt);
      String newFile = ((FileRows) rebuilt).toString();
      assertNotEquals(onDisk.file, newFile);
      WorkerEngines.forget(-77);
      assertFalse(Files.exists(Path.of(onDisk.file)));
    }
  }

  private static void assertSameRows(Dataset expected, Rows actual) {
    assertEquals(expected.count(), actual.count());
    float[] x = new float[784];
    float[] y = new float[10];
    float[] ex = new float[784];
    float[] ey = new float[10];
    for (int i = 0; i < expected.count(); i += 97) {
      expected.copyX(i, ex, 0);
      expected.copyY(i, ey, 0);
      actual.copyX(i, x, 0);
      actual.copyY(i, y, 0);
      assertArrayEquals(ex, x, "row " + i);
      assertArrayEquals(ey, y, "label " + i);
    }
  }
}
