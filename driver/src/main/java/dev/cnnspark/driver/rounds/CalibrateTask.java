package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.data.Rows;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Trainer;
import dev.cnnspark.worker.train.FitLoop;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * {@code averaging_frequency: auto}'s measurement: each worker trains {@link #STEPS} minibatches of its shard from the
 * broadcast state on its own engine and reports its fastest of the last three, in nanoseconds (the first ones pay
 * for JIT compilation and warm caches; the fastest of the rest is the steady state). Nothing is kept: the next round
 * sets every engine's state again, and every random draw of training is a function of (seed, epoch, partition,
 * step), so the run computes what it would have without this.
 */
public final class CalibrateTask implements Function2<Integer, Iterator<Shard>, Iterator<Long>> {
  private static final long serialVersionUID = 1L;
  /** Minibatches each worker trains to be timed. */
  public static final int STEPS = 8;
  private final EngineKey key;
  private final Broadcast<ModelState> state;
  private final int rddId;
  private final long seed;

  public CalibrateTask(EngineKey key, Broadcast<ModelState> state, int rddId, long seed) {
    this.key = key;
    this.state = state;
    this.rddId = rddId;
    this.seed = seed;
  }

  @Override
  public Iterator<Long> call(Integer partition, Iterator<Shard> rows) {
    return WorkerOutOfMemoryException.guard("timing minibatches for averaging_frequency auto", key.batchSize(), () -> {
      Rows data = WorkerEngines.shard(rddId, partition, rows);
      int batch = key.batchSize();
      int steps = Math.min(STEPS, RoundTask.stepsPerEpoch(data.count(), batch));
      long pSeed = RoundTask.partitionSeed(seed, partition);
      int[] order = WorkerEngines.order(rddId, partition, data.count(), pSeed, 0);
      WorkerEngines.Engine engine = WorkerEngines.borrow(key);
      try {
        engine.model.setState(state.value());
        Trainer t = engine.trainer;
        long fastest = Long.MAX_VALUE;
        for (int s = 0; s < steps; s++) {
          long t0 = System.nanoTime();
          t.trainBatch(data, order, s * batch, Math.min(batch, data.count() - s * batch),
              FitLoop.stepSeed(pSeed, 0, s));
          long nanos = System.nanoTime() - t0;
          if (s >= steps - 3) {
            fastest = Math.min(fastest, nanos);
          }
        }
        t.takeMetrics();
        return List.of(fastest).iterator();
      } finally {
        WorkerEngines.giveBack(engine);
      }
    });
  }
}
