package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.data.Rows;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;

/**
 * Before the first round: each partition builds its shard (reading the data files on the executor) and its worker
 * engine (model, backend, compiled kernels), and reports its example count. Bad data or an unusable device then fails
 * here, before any training, and round times measure rounds rather than one-time loading.
 */
public final class LoadTask implements Function2<Integer, Iterator<Shard>, Iterator<Long>> {
  private static final long serialVersionUID = 1L;
  private final EngineKey key;
  private final int rddId;
  private final int[] liveRddIds;

  /** @param liveRddIds every RDD of this training run; executors drop what they cached for others */
  public LoadTask(EngineKey key, int rddId, int[] liveRddIds) {
    this.key = key;
    this.rddId = rddId;
    this.liveRddIds = liveRddIds.clone();
  }

  @Override
  public Iterator<Long> call(Integer partition, Iterator<Shard> rows) {
    return WorkerOutOfMemoryException.guard("loading its shard and building its engine", key.batchSize(), () -> {
      WorkerEngines.startRun(key, liveRddIds);
      Rows data = WorkerEngines.shard(rddId, partition, rows);
      WorkerEngines.giveBack(WorkerEngines.borrow(key));
      return List.of((long) data.count()).iterator();
    });
  }
}
