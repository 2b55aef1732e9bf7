package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.data.Rows;
import dev.cnnspark.worker.model.ModelState;
import dev.cnnspark.worker.model.Trainer;
import dev.cnnspark.worker.train.FitLoop;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker's part of a round: start from the broadcast state, train minibatches {@code [round*k, (round+1)*k)}
 * of this epoch's order of the partition, return the weighted state and metrics. Everything random is a function of
 * (seed, epoch, partition, step), so a re-executed task computes exactly what the lost one would have.
 */
public final class RoundTask implements Function2<Integer, Iterator<Shard>, Iterator<RoundResult>> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RoundTask.class);

  private final EngineKey key;
  private final Broadcast<ModelState> state;
  private final int rddId;
  private final int epoch;
  private final int round;
  private final int stepsPerRound;
  private final long seed;
  /** The epoch's learning rate (callbacks may change it between epochs). */
  private final float learningRate;
  /** Spark UI counters of the round (named accumulators on its stage page); null: none. */
  private LongAccumulator examplesCounter;
  private DoubleAccumulator lossCounter;
  /** Sharded aggregation: where the start state is and where the end state goes; null: broadcast in, state out. */
  private ShardedAggregation.Round sharded;

  public RoundTask(EngineKey key, Broadcast<ModelState> state, int rddId, int epoch, int round, int stepsPerRound,
                   long seed, float learningRate) {
    this.learningRate = learningRate;
    this.key = key;
    this.state = state;
    this.rddId = rddId;
    this.epoch = epoch;
    this.round = round;
    this.stepsPerRound = stepsPerRound;
    this.seed = seed;
  }

  /**
   * Adds each task's examples and loss sum to these named accumulators, which the Spark UI lists on the round's stage
   * page (a task re-run after an executor loss counts again there; the round's own sums do not).
   */
  public RoundTask counting(LongAccumulator examples, DoubleAccumulator loss) {
    this.examplesCounter = examples;
    this.lossCounter = loss;
    return this;
  }

  /**
   * Sharded aggregation ({@link ShardedAggregation}): the start state comes from the previous round's averaged slices
   * (unless the round has none: then from the broadcast) and the end state is left as slice blocks on this executor;
   * the task result then carries only the metrics.
   */
  public RoundTask sharded(ShardedAggregation.Round round) {
    this.sharded = round;
    return this;
  }

  /** The seed of one partition's stream: distinct per partition so workers draw different masks and orders. */
  public static long partitionSeed(long seed, int partition) {
    return seed * 0x9E3779B97F4A7C15L + (partition + 1) * 0xC2B2AE3D27D4EB4FL;
  }

  /** Minibatches per epoch of a shard. */
  public static int stepsPerEpoch(int examples, int batch) {
    return (examples + batch - 1) / batch;
  }

  @Override
  public Iterator<RoundResult> call(Integer partition, Iterator<Shard> shardRows) {
    return WorkerOutOfMemoryException.guard("training a round", key.batchSize(), () -> train(partition, shardRows));
  }

  private Iterator<RoundResult> train(int partition, Iterator<Shard> shardRows) {
    Rows data = WorkerEngines.shard(rddId, partition, shardRows);
    int batch = key.batchSize();
    int steps = stepsPerEpoch(data.count(), batch);
    int from = round * stepsPerRound;
    int to = Math.min(steps, from + stepsPerRound);
    WorkerEngines.Engine engine = WorkerEngines.borrow(key);
    try {
      long c0 = System.nanoTime();
      ModelState fromSlices;
      try {
        fromSlices = sharded == null ? null : sharded.start();
      } catch (SliceBlocks.LostSliceException e) {
        return List.of(RoundResult.lostSlice(e.getMessage())).iterator();
      }
      ModelState start = fromSlices != null ? fromSlices : state.value();
      engine.model.setState(start);
      engine.model.optimizer().setLearningRate(learningRate);
      long copyIn = System.nanoTime() - c0;
      Trainer t = engine.trainer;
      t.takeMetrics();
      if (from >= to) {
        RoundResult nothing = RoundResult.of(start, 0, 0, 0, 0, 0, copyIn);
        return List.of(sharded == null ? nothing : nothing.slicedAt(SliceBlocks.here())).iterator();
      }
      long pSeed = partitionSeed(seed, partition);
      int[] order = WorkerEngines.order(rddId, partition, data.count(), pSeed, epoch);
      long t0 = System.nanoTime();
      for (int s = from; s < to; s++) {
        int rows = Math.min(batch, data.count() - s * batch);
        t.trainBatch(data, order, s * batch, rows, FitLoop.stepSeed(pSeed, epoch, s));
      }
      double[] m = t.takeMetrics();
      long nanos = System.nanoTime() - t0;
      if (examplesCounter != null) {
        examplesCounter.add((long) m[2]);
        lossCounter.add(m[0]);
      }
      ModelState end = engine.model.state();
      long copies = copyIn + System.nanoTime() - t0 - nanos;
      TaskContext tc = TaskContext.get();
      LOG.info("epoch {} round {} partition {} (task attempt {}): {} steps in {} ms on {}", epoch + 1, round + 1,
          partition, tc == null ? "-" : tc.attemptNumber(), to - from, nanos / 1_000_000, engine.device());
      RoundResult result = RoundResult.of(end, to - from, m[0], m[1], (long) m[2], nanos, copies).from(partition);
      if (sharded != null) {
        long w0 = System.nanoTime();
        result.slicedAt(sharded.write(partition, end));
        result.maxCopyNanos += System.nanoTime() - w0;
      }
      return List.of(result).iterator();
    } finally {
      WorkerEngines.giveBack(engine);
    }
  }
}
