package dev.cnnspark.driver.rounds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cnnspark.worker.model.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import dev.cnnspark.driver.TestJobs;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slice blocks in a block manager: a slice read back is the slice written, a missing one is a lost slice, and threads
 * of one executor clearing the same finished blocks at once (every task of a round does, and in local mode they
 * share one block manager) all succeed (Spark's own removal of one block by two threads fails one of them or
 * deadlocks them).
 */
class SliceBlocksTest {
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = new JavaSparkContext(TestJobs.loopback("local[2]", "slice-blocks-test"));
  }

  @AfterAll
  static void stop() {
    sc.close();
  }

  @Test
  void aSliceReadBackIsTheSliceWritten() {
    ModelState state = new ModelState(new float[] {1, 2, 3, 4, 5}, new float[] {6, 7}, new float[] {8, 9, 10, 11, 12},
        new float[0], 3);
    float[][] whole = ShardedAggregation.arrays(new int[] {5, 2, 5, 0});
    for (int s = 0; s < 3; s++) {
      SliceBlocks.put(SliceBlocks.name("t0", "avg", 1, s, 0), SliceBlocks.encode(state, s, 3));
    }
    ShardedAggregation.assemble("t0", "avg", 1, new String[] {SliceBlocks.here(), SliceBlocks.here(),
        SliceBlocks.here()}, whole);
    assertArrayEquals(SliceBlocks.parts(state), whole);
    assertEquals(3, SliceBlocks.removeLocal("t0", name -> true, null));
    assertThrows(SliceBlocks.LostSliceException.class, () -> SliceBlocks.get(SliceBlocks.name("t0", "avg", 1, 0, 0),
        SliceBlocks.here()));
  }

  @Test
  void threadsClearingTheSameBlocksAtOnceAllSucceed() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int attempt = 0; attempt < 200; attempt++) {
        for (int b = 0; b < 8; b++) {
          SliceBlocks.put(SliceBlocks.name("t1", "part", attempt, b, 0), java.nio.ByteBuffer.allocate(4096));
        }
        CyclicBarrier together = new CyclicBarrier(4);
        List<Future<Integer>> removers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          removers.add(pool.submit(() -> {
            together.await();
            return SliceBlocks.removeLocal("t1", name -> true, null);
          }));
        }
        int removed = 0;
        for (Future<Integer> f : removers) {
          // without the lock, removers also deadlock in Spark's lockForWriting: a hang fails here, not forever
          removed += f.get(60, TimeUnit.SECONDS);
        }
        assertEquals(8, removed, "attempt " + attempt + ": every block removed once");
        assertEquals(0, SparkEnv.get().blockManager().getMatchingBlockIds(id -> id.name().startsWith(
            "test_cnnspark-t1-")).size());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A task that finds a slice gone reports it as its result (Spark would retry a failed task, each attempt waiting
   * out the fetch's retries, though it cannot succeed), and the driver stops the round with {@code StateLost}.
   */
  @Test
  void aSliceGoneIsReportedByTheTaskAndStopsTheRound() {
    ModelState state = new ModelState(new float[6], new float[0], new float[6], new float[0], 0);
    ShardedAggregation agg = new ShardedAggregation(sc, "t2", 2, state);
    String here = SliceBlocks.here();
    String[] result = new SliceAverageTask(agg.round(1, 0), new long[] {5, 5}, new String[] {here, here}, null, null,
        Averaging.PLAIN, 1).call(0, java.util.Collections.emptyIterator()).next();
    assertNotNull(result[3], "a report, not an averaged slice");
    assertNull(result[1]);
    assertTrue(result[3].contains("block cnnspark-t2-part-1-0-0 "), result[3]);

    ShardedAggregation.StateLost lost = assertThrows(ShardedAggregation.StateLost.class, () -> agg.average(1,
        List.of(RoundResult.lostSlice("block x is gone")), 0, null, null, Averaging.PLAIN, 1));
    assertTrue(lost.getMessage().contains("block x is gone"), lost.getMessage());

    RoundResult part = RoundResult.of(state, 5, 0, 0, 0, 0, 0).slicedAt(here);
    lost = assertThrows(ShardedAggregation.StateLost.class, () -> agg.average(1, List.of(part, part), 0, null, null,
        Averaging.PLAIN, 1));
    assertTrue(lost.getMessage().contains("an averaging task could not read the slices"), lost.getMessage());
    assertFalse(agg.onExecutors(), "no averaged slices recorded");
  }
}
