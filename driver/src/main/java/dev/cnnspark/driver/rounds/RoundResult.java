package dev.cnnspark.driver.rounds;

import dev.cnnspark.worker.model.ModelState;
import java.io.Serializable;
import java.util.stream.IntStream;

/**
 * What a round brings back: each worker's result, added together on the driver. A worker's result carries its final
 * parameters, moving statistics and optimizer slots as they are (float, half the bytes of a double sum on the wire),
 * with a weight: the minibatches it trained this round. Up to {@link #PENDING} results are kept as they are and
 * {@link #average} forms each element's weighted mean in one vectorized float pass; past that they are folded into
 * per-element weighted sums in double. With the usual 2 workers per driver no double arrays are built at all
 * (folding two 1.2M-parameter states into sums cost ~20 ms of the driver's critical path per round). A worker that
 * trained nothing (its shard ran out) has weight 0 and contributes nothing.
 *
 * <p>{@link dev.cnnspark.driver.DistributedTraining} adds the workers' results in partition order
 * ({@link CachedResults}), so a rerun computes the same bits with any number of workers. {@link #add} also combines
 * partial results in any tree shape (the same values up to the last bit of a double sum).
 */
public final class RoundResult implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Results kept as they are before they are folded into double sums. */
  static final int PENDING = 4;
  /** Workers' states as they are, with their weights (first {@code pendingCount} entries). */
  ModelState[] pending = new ModelState[0];
  long[] pendingWeights = new long[0];
  /** Weighted sums of params, moving, opt1 and opt2, once more than {@link #PENDING} results are combined. */
  double[][] sums;
  long weight;
  long maxSteps;
  double lossSum;
  double correctSum;
  long examples;
  long maxTrainNanos;
  /** The longest time a worker spent copying the state into its engine and out again. */
  long maxCopyNanos;
  int workers;
  /** Per-minibatch training time of the slowest and the fastest worker that trained, and the slowest's partition. */
  long slowStepNanos;
  long fastStepNanos = Long.MAX_VALUE;
  int slowPartition = -1;
  /**
   * Sharded aggregation: the block manager holding this worker's state slices ({@link SliceBlocks#here}); the state
   * itself then stays there and this result carries only the metrics and the weight.
   */
  String location;
  /**
   * Sharded aggregation: why this worker could not read its start state (a slice block is gone with its executor),
   * or null. Reported as a result rather than thrown, so that Spark does not retry a task that cannot succeed
   * ({@code spark.task.maxFailures} attempts, each waiting out the block fetch's own retries) before the run replays.
   */
  String lostSlice;

  public RoundResult() {
  }

  /** A sharded round's task that found a slice of its start state gone. */
  static RoundResult lostSlice(String why) {
    RoundResult r = new RoundResult();
    r.lostSlice = why;
    return r;
  }

  /** One worker's contribution; the arrays are taken, not copied. */
  static RoundResult of(ModelState s, int steps, double lossSum, double correctSum, long examples, long trainNanos,
                        long copyNanos) {
    RoundResult r = new RoundResult();
    if (steps > 0) {
      r.pending = new ModelState[] {s};
      r.pendingWeights = new long[] {steps};
    }
    r.weight = steps;
    r.maxSteps = steps;
    r.lossSum = lossSum;
    r.correctSum = correctSum;
    r.examples = examples;
    r.maxTrainNanos = trainNanos;
    r.maxCopyNanos = copyNanos;
    r.workers = 1;
    if (steps > 0) {
      r.slowStepNanos = trainNanos / steps;
      r.fastStepNanos = r.slowStepNanos;
    }
    return r;
  }

  /** This result, marked as the given partition's (for {@link #slowPartition()}). */
  RoundResult from(int partition) {
    slowPartition = partition;
    return this;
  }

  /** This result without the worker's state, which stays in the block manager at {@code location}. */
  RoundResult slicedAt(String location) {
    pending = new ModelState[0];
    pendingWeights = new long[0];
    this.location = location;
    return this;
  }

  private static float[][] parts(ModelState s) {
    return new float[][] {s.params(), s.moving(), s.opt1(), s.opt2()};
  }

  /** Adds another result into this one (the aggregation's seqOp and combOp). */
  public RoundResult add(RoundResult o) {
    if (o.workers == 0) {
      return this;
    }
    if (workers == 0) {
      return o;
    }
    if (sums == null && o.sums == null && pending.length + o.pending.length <= PENDING) {
      int n = pending.length;
      pending = java.util.Arrays.copyOf(pending, n + o.pending.length);
      pendingWeights = java.util.Arrays.copyOf(pendingWeights, n + o.pending.length);
      System.arraycopy(o.pending, 0, pending, n, o.pending.length);
      System.arraycopy(o.pendingWeights, 0, pendingWeights, n, o.pending.length);
    } else {
      fold();
      if (o.sums != null) {
        for (int k = 0; k < 4; k++) {
          double[] into = sums[k];
          double[] from = o.sums[k];
          for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
          }
        }
      }
      for (int j = 0; j < o.pending.length; j++) {
        accumulate(o.pending[j], o.pendingWeights[j]);
      }
    }
    weight += o.weight;
    maxSteps = Math.max(maxSteps, o.maxSteps);
    lossSum += o.lossSum;
    correctSum += o.correctSum;
    examples += o.examples;
    maxTrainNanos = Math.max(maxTrainNanos, o.maxTrainNanos);
    maxCopyNanos = Math.max(maxCopyNanos, o.maxCopyNanos);
    if (o.slowStepNanos > slowStepNanos) {
      slowStepNanos = o.slowStepNanos;
      slowPartition = o.slowPartition;
    }
    fastStepNanos = Math.min(fastStepNanos, o.fastStepNanos);
    workers += o.workers;
    return this;
  }

  /** Turns the pending results into double sums (the first time more than {@link #PENDING} meet). */
  private void fold() {
    if (sums != null) {
      return;
    }
    sums = new double[4][];
    float[][] shape = parts(pending[0]);
    for (int k = 0; k < 4; k++) {
      sums[k] = new double[shape[k].length];
    }
    for (int j = 0; j < pending.length; j++) {
      accumulate(pending[j], pendingWeights[j]);
    }
    pending = new ModelState[0];
    pendingWeights = new long[0];
  }

  private void accumulate(ModelState s, long w) {
    float[][] values = parts(s);
    for (int k = 0; k < 4; k++) {
      double[] into = sums[k];
      float[] v = values[k];
      for (int i = 0; i < into.length; i++) {
        into[i] += (double) v[i] * w;
      }
    }
  }

  /**
   * The averaged state: weighted means, iteration count advanced by the longest worker's steps. Consumes the
   * workers' states: the mean may be written over their arrays.
   */
  public ModelState average(long baseIterations) {
    if (weight == 0) {
      throw new IllegalStateException("no worker trained in this round");
    }
    long iterations = baseIterations + maxSteps;
    if (sums == null && pending.length == 1) {
      ModelState s = pending[0];
      return new ModelState(s.params(), s.moving(), s.opt1(), s.opt2(), iterations);
    }
    float[][] out = new float[4][];
    for (int k = 0; k < 4; k++) {
      out[k] = sums != null ? mean(sums[k]) : mean(k);
    }
    return new ModelState(out[0], out[1], out[2], out[3], iterations);
  }

  /**
   * The mean from double sums. An element every worker agreed on comes back with its bits: each term value x weight
   * is exact in double (24-bit significand times a weight far below 2^29), so the sum is (x times the total weight)
   * exactly and the division returns x.
   */
  private float[] mean(double[] s) {
    float[] out = new float[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = (float) (s[i] / weight);
    }
    return out;
  }

  /**
   * Part k's weighted mean over the pending results: each element's sum of value x (weight / total weight), in
   * float, in result order (two terms commute, so two workers' order cannot change a bit). Float, not double: C2
   * vectorizes the float loop and not the one converting to double, and this runs on the driver's critical path
   * while every worker waits. For model (a)'s 3.6M floats {@code AveragingProbe} (test sources) measured 1.1–2.8 ms
   * for this pass against 10–15 ms for the double loop on one thread; about half the elements differ from the
   * double mean, by at most 2 ulps of the larger weighted term (where the two terms nearly cancel the mean is near
   * 0, so the relative difference of that tiny value can be large), far below the noise of a training step.
   * Element-wise with no reduction, so it is split over the common pool's threads with the same bits.
   */
  private float[] mean(int k) {
    float[][] v = new float[pending.length][];
    float[] w = new float[pending.length];
    for (int j = 0; j < pending.length; j++) {
      v[j] = parts(pending[j])[k];
      // each state's share of the total weight: multiplies, where dividing every element cost ~40% of the pass
      w[j] = (float) (pendingWeights[j] / (double) weight);
    }
    // written over the first state's arrays (element i is read before it is written; the results are the driver's
    // to consume), which spares allocating and zeroing another 14 MB per round
    float[] out = v[0];
    int chunk = 1 << 16;
    IntStream.range(0, (out.length + chunk - 1) / chunk).parallel().forEach(c -> {
      int to = Math.min(out.length, (c + 1) * chunk);
      if (v.length == 2) {
        float[] a = v[0];
        float[] b = v[1];
        float wa = w[0];
        float wb = w[1];
        for (int i = c * chunk; i < to; i++) {
          // an element both agree on (a frozen layer's weight) keeps its bits: with unequal weights the weighted
          // sum of two equal values can round an ulp away
          out[i] = a[i] == b[i] ? a[i] : a[i] * wa + b[i] * wb;
        }
      } else {
        for (int i = c * chunk; i < to; i++) {
          float sum = 0;
          boolean same = true;
          for (int j = 0; j < v.length; j++) {
            sum += v[j][i] * w[j];
            same &= v[j][i] == v[0][i];
          }
          out[i] = same ? v[0][i] : sum;
        }
      }
    });
    return out;
  }

  public double lossSum() {
    return lossSum;
  }

  public double correctSum() {
    return correctSum;
  }

  public long examples() {
    return examples;
  }

  public long maxTrainNanos() {
    return maxTrainNanos;
  }

  public long maxCopyNanos() {
    return maxCopyNanos;
  }

  /** The slowest worker's time per minibatch over the fastest's (1 when fewer than two workers trained). */
  public double slowdown() {
    return fastStepNanos == Long.MAX_VALUE || fastStepNanos == 0 ? 1 : (double) slowStepNanos / fastStepNanos;
  }

  /** The partition of the slowest worker per minibatch (-1 when none trained). */
  public int slowPartition() {
    return slowPartition;
  }

  public int workers() {
    return workers;
  }

  /** The minibatches this result's workers trained (the average's total weight). */
  public long weight() {
    return weight;
  }

  /** The most minibatches one worker trained (the averaged state's iterations advance by this). */
  public long maxSteps() {
    return maxSteps;
  }
}
