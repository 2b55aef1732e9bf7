package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.data.Rows;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Trainer;
import dev.cnnspark.worker.train.FitLoop;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code averaging_frequency: auto}'s measurement: each worker trains minibatches of its shard from the broadcast
 * state on its own engine, at least {@link #MIN_STEPS} and for at least {@link #MIN_NANOS} (at most
 * {@link #MAX_STEPS}), and reports the fastest of the last five, in nanoseconds: the first ones pay for JIT
 * compilation and cold caches, which a fresh executor JVM needs a second or two of training to leave behind. Nothing
 * is kept: the next round sets every engine's state again, and every random draw of training is a function of (seed,
 * epoch, partition, step), so the run computes what it would have without this.
 */
public final class CalibrateTask implements Function2<Integer, Iterator<Shard>, Iterator<Long>> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(CalibrateTask.class);
  static final int MIN_STEPS = 8;
  static final int MAX_STEPS = 400;
  static final long MIN_NANOS = 2_000_000_000L;
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
      int epochSteps = RoundTask.stepsPerEpoch(data.count(), batch);
      long pSeed = RoundTask.partitionSeed(seed, partition);
      int[] order = WorkerEngines.order(rddId, partition, data.count(), pSeed, 0);
      WorkerEngines.Engine engine = WorkerEngines.borrow(key);
      try {
        engine.model.setState(state.value());
        Trainer t = engine.trainer;
        long[] last = new long[5];
        java.util.Arrays.fill(last, Long.MAX_VALUE);
        long start = System.nanoTime();
        long first = -1;
        int s = 0;
        for (; s < MAX_STEPS && (s < MIN_STEPS || System.nanoTime() - start < MIN_NANOS); s++) {
          int b = s % epochSteps;
          int n = Math.min(batch, data.count() - b * batch);
          long t0 = System.nanoTime();
          t.trainBatch(data, order, b * batch, n, FitLoop.stepSeed(pSeed, 0, b));
          if (first < 0) {
            first = System.nanoTime() - t0;
          }
          if (n == batch || epochSteps == 1) {
            // a short last minibatch would flatter the time of a full one
            last[s % last.length] = System.nanoTime() - t0;
          }
        }
        long fastest = java.util.Arrays.stream(last).min().getAsLong();
        t.takeMetrics();
        LOG.info("calibration of partition {}: {} minibatches in {} ms (the first {} ms), the fastest of the last five "
            + "{} ms, on {}", partition, s, (System.nanoTime() - start) / 1_000_000, first / 1_000_000,
            String.format(java.util.Locale.ROOT, "%.2f", fastest / 1e6), engine.device());
        return List.of(fastest).iterator();
      } finally {
        WorkerEngines.giveBack(engine);
      }
    });
  }
}
