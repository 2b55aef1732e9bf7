package dev.cnnspark.driver.rounds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.driver.TestJobs;
import dev.cnnspark.worker.model.ModelState;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Round results through the block managers in local[2]: every partition computed once, values in partition order,
 * the RDD unpersisted afterwards; a lost block is reported and {@code collect()} recomputes only that partition.
 */
class CachedResultsTest {
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = new JavaSparkContext(TestJobs.loopbackKryo("local[2]", "cached-results-test"));
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  /** Partition p yields one result whose parameter is p + 1 and whose weight is p + 1; runs are counted. */
  private static JavaRDD<RoundResult> results(int partitions, LongAccumulator runs) {
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      ids.add(p);
    }
    return sc.parallelize(ids, partitions).mapPartitionsWithIndex((p, it) -> {
      runs.add(1);
      float v = p + 1;
      ModelState s = new ModelState(new float[] {v, -v}, new float[] {v}, new float[] {v}, new float[] {v}, 0);
      return List.of(RoundResult.of(s, p + 1, v, 0, 1, 0, 0)).iterator();
    }, true);
  }

  @Test
  void readsEveryPartitionOnceInPartitionOrder() {
    LongAccumulator runs = sc.sc().longAccumulator();
    List<String> warnings = new ArrayList<>();
    JavaRDD<RoundResult> rdd = results(5, runs);
    List<RoundResult> got = CachedResults.collect(rdd, RoundResult.class, warnings::add);
    assertEquals(5, got.size());
    for (int p = 0; p < 5; p++) {
      assertEquals(p + 1, got.get(p).lossSum(), "partition " + p + " out of order");
    }
    assertEquals(5, runs.value(), "each partition computed exactly once (read from its block, not recomputed)");
    assertTrue(warnings.isEmpty(), warnings.toString());
    assertEquals(StorageLevel.NONE(), rdd.getStorageLevel(), "the RDD is unpersisted again");
  }

  @Test
  void aLostBlockIsReportedAndOnlyItsPartitionRecomputed() {
    LongAccumulator runs = sc.sc().longAccumulator();
    JavaRDD<RoundResult> rdd = results(3, runs).persist(StorageLevel.MEMORY_AND_DISK());
    rdd.count();
    RDDBlockId lost = new RDDBlockId(rdd.id(), 1);
    SparkEnv.get().blockManager().removeBlock(lost, true);
    String missing = CachedResults.fetch(rdd, RoundResult.class, new ArrayList<>());
    assertNotNull(missing);
    assertTrue(missing.contains(lost.name()), missing);
    List<RoundResult> again = rdd.collect();
    assertEquals(4, runs.value(), "3 partitions once, then only the lost one again");
    assertEquals(2, again.get(1).lossSum());
    List<RoundResult> read = new ArrayList<>();
    assertNull(CachedResults.fetch(rdd, RoundResult.class, read), "the recomputed block is cached again");
    assertEquals(3, read.size());
    rdd.unpersist(true);
  }
}
