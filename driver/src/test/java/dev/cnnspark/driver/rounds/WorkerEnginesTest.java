package dev.cnnspark.driver.rounds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cnnspark.driver.TestJobs;
import dev.cnnspark.worker.data.Rows;
import dev.cnnspark.worker.train.FitLoop;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * The executor-side caches: an epoch's order is built once, a new training run drops other runs' shards, and another
 * application's RDD of the same id is not mistaken for this one's.
 */
class WorkerEnginesTest {

  private static Shard shard(int partition) {
    return new Shard(partition, new int[] {2, 2, 1}, 3, 2, new float[8], new float[6]);
  }

  @Test
  void orderIsTheEpochsPermutationBuiltOncePerEpoch() {
    int[] first = WorkerEngines.order(901, 0, 50, 7, 0);
    assertArrayEquals(FitLoop.permutation(50, 7, 0), first);
    assertSame(first, WorkerEngines.order(901, 0, 50, 7, 0), "the next round of the epoch reuses it");
    int[] next = WorkerEngines.order(901, 0, 50, 7, 1);
    assertArrayEquals(FitLoop.permutation(50, 7, 1), next);
    assertNotSame(first, next);
    assertArrayEquals(FitLoop.permutation(50, 8, 1), WorkerEngines.order(901, 0, 50, 8, 1), "another seed");
  }

  @Test
  void aNewRunDropsShardsOfOtherRdds() {
    Rows kept = WorkerEngines.shard(911, 0, List.of(shard(0)).iterator());
    Rows dropped = WorkerEngines.shard(912, 0, List.of(shard(0)).iterator());
    WorkerEngines.startRun(new EngineKey("{}", "mse", "{}", 1, "java", 1, 1, ""), new int[] {911});
    assertSame(kept, WorkerEngines.shard(911, 0, Collections.emptyIterator()), "live RDD: still cached");
    // a dropped shard is read from the RDD partition again; with an empty iterator that is an error that says so
    assertThrows(IllegalStateException.class, () -> WorkerEngines.shard(912, 0, Collections.emptyIterator()));
    assertNotSame(dropped, WorkerEngines.shard(912, 0, List.of(shard(0)).iterator()));
  }

  /**
   * A job that failed never calls {@link WorkerEngines#forget}; the next SparkContext of the JVM numbers its RDDs
   * from 0 again, and its run must read its own shard, not the failed run's (seen: a three-worker test trained on
   * the shards of the two-worker run before it).
   */
  @Test
  void anotherSparkContextsRddOfTheSameIdReadsItsOwnShard() {
    Shard first = new Shard(0, new int[] {2, 2, 1}, 3, 2, new float[8], new float[6]);
    Shard second = new Shard(0, new int[] {2, 2, 1}, 3, 1, new float[4], new float[3]);
    Rows a;
    try (JavaSparkContext sc = context()) {
      a = WorkerEngines.shard(1, 0, List.of(first).iterator());
      assertSame(a, WorkerEngines.shard(1, 0, Collections.emptyIterator()), "cached within the application");
    }
    try (JavaSparkContext sc = context()) {
      Rows b = WorkerEngines.shard(1, 0, List.of(second).iterator());
      assertNotSame(a, b);
      assertEquals(1, b.count());
      WorkerEngines.startRun(new EngineKey("{}", "mse", "{}", 1, "java", 1, 1, ""), new int[] {1});
      assertSame(b, WorkerEngines.shard(1, 0, Collections.emptyIterator()), "this application's shard stays");
    }
  }

  private static JavaSparkContext context() {
    return new JavaSparkContext(TestJobs.loopback("local[1]", "worker-engines-test"));
  }
}
