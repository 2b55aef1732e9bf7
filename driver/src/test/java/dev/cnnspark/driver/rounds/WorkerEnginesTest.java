package dev.cnnspark.driver.rounds;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cnnspark.worker.data.Rows;
import dev.cnnspark.worker.train.FitLoop;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The executor-side caches: an epoch's order is built once, and a new training run drops other runs' shards. */
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
}
